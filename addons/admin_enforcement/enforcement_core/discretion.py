"""Discretion standards (行政裁量基准) and the check of a proposed penalty.

A standard splits one violation into tiers of circumstances (首违不罚 /
轻微 / 一般 / 较重 / 严重), each allowing some penalty types and a fine range.
The range is a fixed yuan amount or a multiple of the illegal gains or of the
goods' value, because that is how the statutes phrase it ("违法所得一倍以上
五倍以下"). A proposal outside the chosen tier is not forbidden: the handler
may depart from the standard with a written reason, which the legal reviewer
then sees next to the failed check.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from .reasons import Reason
from .surcharge import to_money
from .vocabulary import check_penalty_types


class RangeKind(str, Enum):
    FIXED = "fixed"  # minimum/maximum are yuan
    ILLEGAL_GAINS_MULTIPLE = "illegal_gains_multiple"  # multiples of 违法所得
    GOODS_VALUE_MULTIPLE = "goods_value_multiple"  # multiples of 货值金额


_BASE_FIGURE = {
    RangeKind.ILLEGAL_GAINS_MULTIPLE: ("illegal_gains", "illegal gains"),
    RangeKind.GOODS_VALUE_MULTIPLE: ("goods_value", "goods value"),
}


@dataclass(frozen=True)
class FineRange:
    kind: RangeKind
    minimum: Decimal
    maximum: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RangeKind(self.kind))
        object.__setattr__(self, "minimum", to_money(self.minimum, "range minimum"))
        object.__setattr__(self, "maximum", to_money(self.maximum, "range maximum"))
        if not 0 <= self.minimum <= self.maximum:
            raise ValueError(
                f"fine range minimum {self.minimum} and maximum {self.maximum} "
                f"must satisfy 0 <= minimum <= maximum"
            )


@dataclass(frozen=True)
class Tier:
    """One tier of a standard; it allows a fine exactly when it has a ``fine_range``.

    A statute whose range switches on an amount ("货值金额不足一万元的 …；
    一万元以上的 …") is modelled as two tiers.
    """

    code: str
    circumstances: str
    penalty_types: frozenset[str] = frozenset()
    fine_range: FineRange | None = None
    fine_required: bool = False  # 并处罚款 (mandatory) rather than 可以并处 (optional)

    def __post_init__(self) -> None:
        object.__setattr__(self, "penalty_types", check_penalty_types(self.penalty_types))
        if (self.fine_range is not None) != ("fine" in self.penalty_types):
            raise ValueError(
                f"tier {self.code!r}: a fine range goes with penalty type 'fine' and only then"
            )
        if self.fine_required and self.fine_range is None:
            raise ValueError(f"tier {self.code!r} requires a fine but has no fine range")


@dataclass(frozen=True)
class DiscretionStandard:
    code: str
    name: str
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "tiers", tuple(self.tiers))
        codes = [tier.code for tier in self.tiers]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"discretion standard {self.code!r} repeats tier code(s) {duplicates}")

    def tier(self, tier_code: str) -> Tier:
        for tier in self.tiers:
            if tier.code == tier_code:
                return tier
        raise KeyError(
            f"discretion standard {self.code!r} has no tier {tier_code!r}; "
            f"tiers: {', '.join(t.code for t in self.tiers)}"
        )


@dataclass(frozen=True)
class Proposal:
    """The penalty the handler proposes; a fine is listed as type ``fine`` plus its amount."""

    penalty_types: frozenset[str]
    fine_amount: Decimal = Decimal(0)
    illegal_gains: Decimal | None = None
    goods_value: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "penalty_types", check_penalty_types(self.penalty_types))
        object.__setattr__(self, "fine_amount", to_money(self.fine_amount, "fine amount"))
        if (self.fine_amount > 0) != ("fine" in self.penalty_types):
            raise ValueError(
                f"proposal lists penalty types {sorted(self.penalty_types)} with fine amount "
                f"{self.fine_amount:.2f}: a positive amount goes with type 'fine' and only then"
            )


@dataclass(frozen=True)
class DiscretionResult:
    ok: bool  # the proposal is within the tier
    reasons: list[str]
    allowed_range: tuple[Decimal, Decimal] | None  # yuan; None if the tier allows no fine
    needs_written_reason: bool  # not ok and no written reason given yet


def _allowed_range(tier: Tier, proposal: Proposal) -> tuple[tuple[Decimal, Decimal] | None, Reason | str]:
    """The tier's fine range in yuan for this proposal, or (None, why it cannot be computed)."""
    fine_range = tier.fine_range
    if fine_range is None:
        return None, ""
    if fine_range.kind is RangeKind.FIXED:
        return (fine_range.minimum, fine_range.maximum), ""
    attribute, label = _BASE_FIGURE[fine_range.kind]
    base = getattr(proposal, attribute)
    if base is None:
        return None, Reason("fine_base_missing",
                            f"tier {tier.code!r} sets the fine as a multiple of {label}, which is missing",
                            tier=tier.code, base=attribute)
    base = to_money(base, label)
    return (base * fine_range.minimum, base * fine_range.maximum), ""


def check_proposed_penalty(
    standard: DiscretionStandard,
    tier_code: str,
    proposal: Proposal,
    written_reason: str | None = None,
) -> DiscretionResult:
    """Check ``proposal`` against tier ``tier_code`` of ``standard``."""
    tier = standard.tier(tier_code)
    reasons: list[str] = [
        Reason("penalty_type_not_allowed",
               f"penalty type {penalty_type!r} is not allowed in the {tier.code!r} tier",
               penalty_type=penalty_type, tier=tier.code)
        for penalty_type in sorted(proposal.penalty_types - tier.penalty_types)
        if penalty_type != "fine"  # reported below with the amount
    ]
    fine = proposal.fine_amount
    allowed, missing = _allowed_range(tier, proposal)
    if fine > 0 and tier.fine_range is None:
        reasons.append(Reason("fine_not_allowed",
                              f"fine {fine:.2f} yuan proposed, but the {tier.code!r} tier allows no fine",
                              fine=fine, tier=tier.code))
    elif fine > 0 or tier.fine_required:
        if missing:
            reasons.append(missing)
        elif fine == 0:
            reasons.append(Reason("fine_required", f"the {tier.code!r} tier requires a fine, none proposed",
                                  tier=tier.code))
        elif fine > allowed[1]:
            reasons.append(Reason(
                "fine_above_tier",
                f"fine {fine:.2f} yuan exceeds the {tier.code!r} tier maximum {allowed[1]:.2f} yuan",
                fine=fine, tier=tier.code, maximum=allowed[1]))
        elif fine < allowed[0]:
            reasons.append(Reason(
                "fine_below_tier",
                f"fine {fine:.2f} yuan is below the {tier.code!r} tier minimum {allowed[0]:.2f} yuan",
                fine=fine, tier=tier.code, minimum=allowed[0]))
    has_reason = bool(written_reason and written_reason.strip())
    return DiscretionResult(
        ok=not reasons,
        reasons=reasons,
        allowed_range=allowed,
        needs_written_reason=bool(reasons) and not has_reason,
    )
