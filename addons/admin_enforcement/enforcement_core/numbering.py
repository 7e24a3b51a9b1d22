"""Case and document numbers (文书编号) from a per-bureau pattern.

Each bureau numbers documents its own way, e.g. ``{short}市监处罚〔{year}〕{seq}号``
("杭西市监处罚〔2026〕12号"), so the pattern is data. Only known placeholders
are accepted: a typo such as ``{yaer}`` would otherwise surface as a
KeyError at the first decision of the year, in front of the party.
"""

from __future__ import annotations

from string import Formatter

PLACEHOLDERS = frozenset({"short", "year", "seq", "category"})


class NumberPatternError(ValueError):
    pass


def pattern_fields(pattern: str) -> set[str]:
    """The placeholders ``pattern`` uses; raises NumberPatternError for unknown or malformed ones."""
    try:
        parsed = list(Formatter().parse(pattern))
    except ValueError as exc:
        raise NumberPatternError(f"number pattern {pattern!r} is malformed: {exc}") from exc
    fields = set()
    for _, name, _, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            raise NumberPatternError(
                f"number pattern {pattern!r} uses unknown placeholder {{{name}}}; "
                f"allowed: {', '.join('{%s}' % p for p in sorted(PLACEHOLDERS))}"
            )
        if conversion:
            raise NumberPatternError(
                f"number pattern {pattern!r}: conversion !{conversion} on {{{name}}} is not allowed"
            )
        fields.add(name)
    if "seq" not in fields:
        raise NumberPatternError(
            f"number pattern {pattern!r} has no {{seq}}, so every number would be the same"
        )
    return fields


def format_number(
    pattern: str, *, short: str, year: int, seq: int, category: str | None = None
) -> str:
    """Fill ``pattern``; format specs such as ``{seq:04d}`` are allowed."""
    fields = pattern_fields(pattern)
    if "category" in fields and not category:
        raise NumberPatternError(f"number pattern {pattern!r} needs a category, none given")
    if seq < 1:
        raise NumberPatternError(f"sequence number must be >= 1, got {seq}")
    try:
        return pattern.format(short=short, year=year, seq=seq, category=category or "")
    except (ValueError, TypeError) as exc:  # e.g. {short:04d}
        raise NumberPatternError(f"number pattern {pattern!r} cannot be filled: {exc}") from exc
