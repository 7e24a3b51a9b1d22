"""Hearing eligibility (听证, 行政处罚法 art. 63).

The party must be told of the right to a hearing when the intended penalty
is a large fine or confiscation, or one of the penalties that take away a
licence, a qualification or the business itself. What counts as "large" is
set by each province (and sometimes each sector), so the thresholds are data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .reasons import Reason
from .surcharge import to_money
from .vocabulary import PERSON, check_party_type, check_penalty_types

#: Penalty types that make a case hearing-eligible whatever the amount (art. 63 (2)-(5)).
HEARING_PENALTY_TYPES: frozenset[str] = frozenset(
    {
        "confiscation_large",
        "licence_revocation",
        "qualification_lowering",
        "stop_production",
        "closure",
        "restrict_practice",
    }
)


@dataclass(frozen=True)
class HearingThresholds:
    """Amounts (yuan) from which a fine or confiscation is "large" (较大数额)."""

    fine_person: Decimal = Decimal("10000")
    fine_organisation: Decimal = Decimal("100000")
    confiscation_person: Decimal = Decimal("10000")
    confiscation_organisation: Decimal = Decimal("100000")

    def fine_threshold(self, party_type: str) -> Decimal:
        if check_party_type(party_type) == PERSON:
            return self.fine_person
        return self.fine_organisation

    def confiscation_threshold(self, party_type: str) -> Decimal:
        if check_party_type(party_type) == PERSON:
            return self.confiscation_person
        return self.confiscation_organisation


@dataclass(frozen=True)
class HearingEligibility:
    eligible: bool
    reasons: list[str]


def hearing_eligibility(
    party_type: str,
    penalty_types: Iterable[str],
    fine_amount: Decimal | int | str = 0,
    confiscation_value: Decimal | int | str = 0,
    thresholds: HearingThresholds = HearingThresholds(),
) -> HearingEligibility:
    """Whether the intended penalty gives the party a right to a hearing, and why."""
    types = check_penalty_types(penalty_types)
    fine = to_money(fine_amount, "fine amount")
    confiscation = to_money(confiscation_value, "confiscation value")
    reasons: list[str] = []
    fine_threshold = thresholds.fine_threshold(party_type)
    if fine > 0 and fine >= fine_threshold:
        reasons.append(Reason(
            "hearing_fine_threshold",
            f"fine {fine:.2f} yuan reaches the {party_type} threshold {fine_threshold:.2f} yuan",
            fine=fine, party_type=party_type, threshold=fine_threshold))
    confiscation_threshold = thresholds.confiscation_threshold(party_type)
    if confiscation > 0 and confiscation >= confiscation_threshold:
        reasons.append(Reason(
            "hearing_confiscation_threshold",
            f"confiscation of {confiscation:.2f} yuan reaches the {party_type} threshold "
            f"{confiscation_threshold:.2f} yuan",
            amount=confiscation, party_type=party_type, threshold=confiscation_threshold))
    reasons.extend(
        Reason("hearing_penalty_type", f"penalty type {penalty_type!r} always allows a hearing",
               penalty_type=penalty_type)
        for penalty_type in sorted(types & HEARING_PENALTY_TYPES)
    )
    return HearingEligibility(eligible=bool(reasons), reasons=reasons)
