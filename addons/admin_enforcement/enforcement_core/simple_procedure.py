"""The simple procedure (简易程序, 当场处罚; 行政处罚法 arts. 51–53, 68–69).

An officer may decide a penalty on the spot only when the facts are certain,
there is a legal basis, and the penalty is a warning or a fine of at most
200 yuan for a person or 3,000 yuan for an organisation (art. 51). Sector
laws may set lower amounts, and whether one officer suffices is also for
sector law (art. 52 asks for the certificate to be shown; art. 42's two
officers is the default): so the limits are data, :class:`SimpleLimits`,
whose defaults are the national statute and which may only be lowered.

A fine decided on the spot is paid at a bank within 15 days like any other
(罚缴分离, art. 67), unless art. 68 or 69 lets the officer collect it there
and then: a fine of at most 100 yuan, one that would be hard to enforce
afterwards, or, in a remote, water-borne or poorly connected area, when the
party asks because paying at a bank is genuinely hard.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .reasons import Reason
from .surcharge import to_money
from .vocabulary import PERSON, check_party_type, check_penalty_types

#: Penalties the simple procedure may impose (art. 51).
SIMPLE_PENALTY_TYPES: frozenset[str] = frozenset({"warning", "fine"})

STATUTE_FINE_PERSON = Decimal("200")
STATUTE_FINE_ORGANISATION = Decimal("3000")
STATUTE_ONSITE_COLLECTION = Decimal("100")

# Grounds for collecting a fine on the spot.
SMALL_FINE = "small_fine"  # art. 68 (1): 100 yuan or less
HARD_TO_ENFORCE = "hard_to_enforce"  # art. 68 (2): hard to enforce if not collected now
REMOTE_AREA = "remote_area"  # art. 69: remote area, the party asks
COLLECTION_GROUNDS = frozenset({SMALL_FINE, HARD_TO_ENFORCE, REMOTE_AREA})


@dataclass(frozen=True)
class SimpleLimits:
    """The limits of the simple procedure for one agency or sector."""

    fine_person: Decimal = STATUTE_FINE_PERSON
    fine_organisation: Decimal = STATUTE_FINE_ORGANISATION
    onsite_collection: Decimal = STATUTE_ONSITE_COLLECTION
    officers_required: int = 2

    def __post_init__(self) -> None:
        for attribute, ceiling in (("fine_person", STATUTE_FINE_PERSON),
                                   ("fine_organisation", STATUTE_FINE_ORGANISATION),
                                   ("onsite_collection", STATUTE_ONSITE_COLLECTION)):
            value = to_money(getattr(self, attribute), attribute)
            if value > ceiling:
                raise ValueError(f"{attribute} {value:.2f} yuan is above the statute's {ceiling:.2f} yuan "
                                 f"(行政处罚法 arts. 51, 68): sector law may lower it, not raise it")
            object.__setattr__(self, attribute, value)
        if self.officers_required not in (1, 2):
            raise ValueError(f"officers_required must be 1 or 2, got {self.officers_required}")

    def fine_limit(self, party_type: str) -> Decimal:
        return self.fine_person if check_party_type(party_type) == PERSON else self.fine_organisation


@dataclass(frozen=True)
class SimpleEligibility:
    eligible: bool
    reasons: list[str]


def simple_eligibility(
    party_type: str,
    penalty_types: Iterable[str],
    fine_amount: Decimal | int | str = 0,
    *,
    facts_certain: bool,
    legal_basis: str,
    limits: SimpleLimits = SimpleLimits(),
) -> SimpleEligibility:
    """Whether the case may be decided on the spot (art. 51), and every reason why not."""
    types = check_penalty_types(penalty_types)
    fine = to_money(fine_amount, "fine amount")
    reasons: list[str] = []
    if not facts_certain:
        reasons.append(Reason("simple_facts_uncertain", "the facts are not certain"))
    if not (legal_basis or "").strip():
        reasons.append(Reason("simple_no_basis", "no legal basis is given"))
    if fine > 0:
        types = types | {"fine"}
    if not types:
        reasons.append(Reason("simple_no_penalty", "no penalty is named"))
    for penalty_type in sorted(types - SIMPLE_PENALTY_TYPES):
        reasons.append(Reason("simple_penalty_type", f"penalty type {penalty_type!r} needs the ordinary procedure",
                              penalty_type=penalty_type))
    if "fine" in types and fine <= 0:
        reasons.append(Reason("simple_fine_missing", "a fine is named without its amount"))
    limit = limits.fine_limit(party_type)
    if fine > limit:
        reasons.append(Reason("simple_fine_above_limit",
                              f"fine {fine:.2f} yuan is above the {limit:.2f} yuan a {party_type} may be "
                              f"fined on the spot", fine=fine, limit=limit, party_type=party_type))
    return SimpleEligibility(eligible=not reasons, reasons=reasons)


def onsite_collection_problems(
    fine_amount: Decimal | int | str,
    ground: str,
    *,
    party_asked: bool = False,
    limits: SimpleLimits = SimpleLimits(),
) -> list[str]:
    """Why the officer may not collect this fine on the spot under ``ground``; empty = may."""
    if ground not in COLLECTION_GROUNDS:
        raise ValueError(f"unknown ground {ground!r} for collecting on the spot; expected one of "
                         f"{sorted(COLLECTION_GROUNDS)}")
    fine = to_money(fine_amount, "fine amount")
    if fine <= 0:
        return [Reason("collection_no_fine", "there is no fine to collect")]
    if ground == SMALL_FINE and fine > limits.onsite_collection:
        return [Reason("collection_above_limit",
                       f"fine {fine:.2f} yuan is above the {limits.onsite_collection:.2f} yuan that may be "
                       f"collected on the spot", fine=fine, limit=limits.onsite_collection)]
    if ground == REMOTE_AREA and not party_asked:
        return [Reason("collection_not_asked",
                       "in a remote area a fine is collected on the spot only when the party asks")]
    return []
