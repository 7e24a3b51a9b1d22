"""Redaction of personal data before a decision is published (事后公开).

Published penalty decisions keep the party's surname and the organisation's
name but hide what identifies a natural person: given names, resident ID
numbers, phone numbers, street addresses, bank accounts. Names and addresses
cannot be found reliably by pattern in Chinese text, so the case supplies
them (the parties and witnesses it knows about); numbers are found by
pattern. The result lists every redaction with its position in the original
text so that the publisher reviews them before anything goes out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PERSON_NAME = "person_name"
ID_NUMBER = "id_number"
MOBILE = "mobile"
LANDLINE = "landline"
ADDRESS = "address"
BANK_ACCOUNT = "bank_account"
MARKED = "marked"
ALL_KINDS = frozenset({PERSON_NAME, ID_NUMBER, MOBILE, LANDLINE, ADDRESS, BANK_ACCOUNT, MARKED})

#: When two candidate spans overlap and start together, the longer one wins;
#: otherwise the earlier one. Publisher marks go first: they are deliberate.
_PRIORITY = {MARKED: 0, ID_NUMBER: 1, BANK_ACCOUNT: 2, MOBILE: 3, LANDLINE: 4, ADDRESS: 5, PERSON_NAME: 6}

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 司空 夏侯 轩辕 令狐 端木 "
    "独孤 南宫 西门 百里 呼延 万俟 申屠 澹台 太史 闻人 公冶 宗政 濮阳 淳于 单于 赫连 "
    "钟离 拓跋 第五 左丘 东郭 谷梁 仲孙 鲜于 闾丘 亓官 司寇 巫马 公西 漆雕 壤驷 乐正 "
    "宰父 梁丘 颛孙 子车 公良 拓拔 夹谷 微生 羊舌 梁丘".split()
)

_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_DATE = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID18 = re.compile(_NOT_ALNUM_BEFORE + r"[1-9]\d{5}(?:18|19|20)\d{2}" + _DATE + r"\d{3}[\dXx]" + _NOT_ALNUM_AFTER)
_ID15 = re.compile(_NOT_ALNUM_BEFORE + r"[1-9]\d{7}" + _DATE + r"\d{3}" + _NOT_ALNUM_AFTER)
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[- ]?)?1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}-)\d{7,8}(?:-\d{1,5})?(?!\d)")
#: 16-19 digits, run together or in groups of four as printed on cards.
_BANK_ACCOUNT = re.compile(r"(?<!\d)(?:\d{16,19}|\d{4}(?: \d{4}){3}(?: \d{1,3})?)(?!\d)")
#: Province, prefecture and county level of an address; the rest is masked.
_ADMIN_PREFIX = re.compile(
    r"(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区))?"
    r"(?:[\u4e00-\u9fff]{2,7}?(?:市|自治州|地区|盟))?"
    r"(?:[\u4e00-\u9fff]{1,7}?(?:区|县|市|旗))?"
)
#: Fixed-length mask, so the published text does not reveal how long the hidden part was.
MASK = "***"


@dataclass(frozen=True)
class RedactionRules:
    """Which kinds of data to redact; a bureau may, e.g., publish landlines of businesses."""

    kinds: frozenset[str] = ALL_KINDS

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - ALL_KINDS
        if unknown:
            raise ValueError(f"unknown redaction kind(s) {sorted(unknown)}; expected {sorted(ALL_KINDS)}")


@dataclass(frozen=True)
class Redaction:
    kind: str
    start: int  # span in the original text
    end: int
    original: str
    replacement: str


@dataclass(frozen=True)
class RedactionResult:
    text: str
    redactions: list[Redaction]


def mask_name(name: str) -> str:
    """Keep the surname, replace each given-name character by 某: 张三丰 -> 张某某, 欧阳娜娜 -> 欧阳某某."""
    surname_length = 2 if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else 1
    return name[:surname_length] + "某" * (len(name) - surname_length)


def mask_address(address: str) -> str:
    """Keep province / city / district (up to 区/县), mask the rest."""
    prefix = _ADMIN_PREFIX.match(address).group(0)
    return prefix + MASK if prefix != address else prefix


def _literal_spans(text: str, needles: Iterable[str]) -> Iterable[tuple[int, int, str]]:
    for needle in needles:
        for match in re.finditer(re.escape(needle), text):
            yield match.start(), match.end(), needle


def redact(
    text: str,
    person_names: Sequence[str] = (),
    addresses: Sequence[str] = (),
    marked_spans: Sequence[tuple[int, int]] = (),
    organisations: Sequence[str] = (),
    rules: RedactionRules = RedactionRules(),
) -> RedactionResult:
    """Redact ``text`` for publication.

    ``person_names`` and ``addresses`` are natural persons' names and
    addresses from the case. ``organisations`` are the names and USCCs of
    organisations in the case: they are published, so nothing inside them
    is redacted (a person's name inside a shop's name, 张三丰食品店; an
    all-digit USCC that looks like an ID or an account number). Telling
    them apart by checksum would leak the ~1 in 31 mistyped ID numbers that
    happen to pass the USCC check. ``marked_spans`` are (start, end) ranges
    the publisher marked by hand; they are always redacted.
    """
    for name in person_names:
        if len(name) < 2:
            raise ValueError(f"person name {name!r} is too short to redact without damaging the text")
    for start, end in marked_spans:
        if not 0 <= start < end <= len(text):
            raise ValueError(f"marked span ({start}, {end}) is outside the text of length {len(text)}")
    kinds = rules.kinds
    candidates: list[tuple[int, int, str, str]] = []  # start, end, kind, replacement
    if MARKED in kinds:
        candidates.extend((start, end, MARKED, "***") for start, end in marked_spans)
    found: list[tuple[int, int, str, str]] = []  # start, end, kind, replacement
    for kind, pattern in (
        (ID_NUMBER, _ID18),
        (ID_NUMBER, _ID15),
        (BANK_ACCOUNT, _BANK_ACCOUNT),
        (MOBILE, _MOBILE),
        (LANDLINE, _LANDLINE),
    ):
        if kind in kinds:
            found.extend(
                (m.start(), m.end(), kind, re.sub(r"[\dXx]", "*", m.group(0)))
                for m in pattern.finditer(text)
            )
    if ADDRESS in kinds:
        found.extend(
            (start, end, ADDRESS, mask_address(address))
            for start, end, address in _literal_spans(text, set(addresses))
        )
    if PERSON_NAME in kinds:
        found.extend(
            (start, end, PERSON_NAME, mask_name(name))
            for start, end, name in _literal_spans(text, set(person_names))
        )
    protected = [(start, end) for start, end, _ in _literal_spans(text, set(organisations))]
    candidates = [
        candidate
        for candidate in found
        if not any(p_start <= candidate[0] and candidate[1] <= p_end for p_start, p_end in protected)
    ]
    if MARKED in kinds:
        candidates.extend((start, end, MARKED, MASK) for start, end in marked_spans)
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0]), _PRIORITY[c[2]]))
    chosen: list[Redaction] = []
    covered_until = 0
    for start, end, kind, replacement in candidates:
        if start >= covered_until:
            chosen.append(Redaction(kind, start, end, text[start:end], replacement))
            covered_until = end
        elif end > covered_until:
            # Partial overlap: widen the earlier redaction rather than leave
            # the tail of this one readable.
            last = chosen[-1]
            chosen[-1] = Redaction(
                last.kind, last.start, end, text[last.start : end],
                last.replacement + "*" * (end - covered_until),
            )
            covered_until = end
    pieces = []
    position = 0
    for redaction in chosen:
        pieces.append(text[position : redaction.start])
        pieces.append(redaction.replacement)
        position = redaction.end
    pieces.append(text[position:])
    return RedactionResult(text="".join(pieces), redactions=chosen)
