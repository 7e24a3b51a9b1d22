"""Enforcement certificates (行政执法证) and who may act on a case.

持证上岗: only an officer holding a valid certificate that covers the case's
enforcement category and area may be assigned, at least two per case
(行政处罚法 art. 42), and none with a conflict of interest (art. 43). The
checks return every reason for a refusal, so the user fixes all of them in
one go and the reviewer sees why an officer was rejected.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum

from .reasons import Reason


class CertState(str, Enum):
    VALID = "valid"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True)
class CertificateFacts:
    """What the eligibility rules need to know about one certificate.

    ``areas`` are matched exactly: the caller expands an area to the
    divisions it contains, because how areas nest is the bureau's data.
    """

    number: str
    state: CertState
    valid_from: date
    valid_to: date  # last day on which the certificate is valid
    categories: frozenset[str]
    areas: frozenset[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", CertState(self.state))
        if self.valid_to < self.valid_from:
            raise ValueError(
                f"certificate {self.number}: valid_to {self.valid_to.isoformat()} "
                f"is before valid_from {self.valid_from.isoformat()}"
            )


def check_officer_eligible(
    cert: CertificateFacts | None, category: str, area: str, on_date: date
) -> list[Reason]:
    """Reasons why the certificate does not allow acting on ``on_date``; empty = eligible."""
    if cert is None:
        return [Reason("no_certificate", "officer holds no enforcement certificate")]
    number = cert.number
    reasons = []
    if cert.state is not CertState.VALID:
        reasons.append(Reason("certificate_not_valid", f"certificate {number} is {cert.state.value}",
                              number=number, state=cert.state.value))
    if on_date < cert.valid_from:
        reasons.append(Reason(
            "certificate_not_yet_valid",
            f"certificate {number} is valid only from {cert.valid_from.isoformat()}",
            number=number, valid_from=cert.valid_from))
    if on_date > cert.valid_to:
        reasons.append(Reason(
            "certificate_expired", f"certificate {number} expired on {cert.valid_to.isoformat()}",
            number=number, valid_to=cert.valid_to))
    if category not in cert.categories:
        reasons.append(Reason(
            "category_not_covered",
            f"certificate {number} does not cover enforcement category {category!r}",
            number=number, category=category))
    if area not in cert.areas:
        reasons.append(Reason(
            "area_not_covered", f"certificate {number} does not cover area {area!r}",
            number=number, area=area))
    return reasons


@dataclass(frozen=True)
class TeamCheck:
    ok: bool
    reasons: list[Reason]
    eligible_officer_ids: list[Hashable]
    refused: dict[Hashable, list[Reason]] = field(default_factory=dict)


def check_case_team(
    certs_by_officer: Mapping[Hashable, CertificateFacts | None],
    category: str,
    area: str,
    on_date: date,
    conflicted_officer_ids: Collection[Hashable] = (),
    minimum: int = 2,
) -> TeamCheck:
    """Check the officers assigned to a case.

    Every assigned officer must be eligible and unconflicted: a team of
    three with one uncertified member is refused, not silently reduced to
    two, because the uncertified one would still be named on documents.
    """
    refused: dict[Hashable, list[Reason]] = {}
    eligible = []
    for officer_id, cert in certs_by_officer.items():
        officer_reasons = check_officer_eligible(cert, category, area, on_date)
        if officer_id in conflicted_officer_ids:
            officer_reasons.append(Reason("conflict_of_interest",
                                          "officer has a conflict of interest and must recuse"))
        if officer_reasons:
            refused[officer_id] = officer_reasons
        else:
            eligible.append(officer_id)
    reasons = [
        Reason("officer_refused", f"officer {officer_id}: {reason}", officer=officer_id, reason=reason)
        for officer_id, officer_reasons in refused.items()
        for reason in officer_reasons
    ]
    if len(eligible) < minimum:
        reasons.append(Reason(
            "team_too_small",
            f"{len(eligible)} eligible officer(s) assigned, at least {minimum} required",
            eligible=len(eligible), minimum=minimum))
    return TeamCheck(ok=not reasons, reasons=reasons, eligible_officer_ids=eligible, refused=refused)


@dataclass(frozen=True)
class ReviewOutcome:
    passed: bool
    reasons: list[str]


def annual_review_outcome(
    training_hours: Decimal | int, required_hours: Decimal | int = 40, faults: int = 0
) -> ReviewOutcome:
    """Annual certificate review (年检): enough training hours and no enforcement fault.

    A failed review suspends the certificate; the caller applies that.
    """
    if training_hours < 0 or faults < 0:
        raise ValueError(
            f"training hours ({training_hours}) and faults ({faults}) must not be negative"
        )
    reasons = []
    if training_hours < required_hours:
        reasons.append(Reason("training_short", f"{training_hours} training hours, {required_hours} required",
                              hours=training_hours, required=required_hours))
    if faults:
        reasons.append(Reason("faults_recorded", f"{faults} enforcement fault(s) recorded this year", faults=faults))
    return ReviewOutcome(passed=not reasons, reasons=reasons)
