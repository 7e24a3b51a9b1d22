"""Dated duties after a penalty decision (seed policy 001, items 三十 and 三十二).

- 重大行政处罚决定备案 (item 三十): a decision ordering 停产停业, revoking a
  licence (吊销许可证或者执照) or imposing a large fine (较大数额罚款, the
  thresholds of the hearing rules by default) is filed with the government's
  office within 15 days of the decision.
- 行政复议 / 行政诉讼 outcomes: a decision revoked, changed or held unlawful
  or invalid is withdrawn from publication (行政处罚法 48, 3 working days);
  a lost lawsuit (the four kinds of item 三十二) is reported within 30 days
  of the judgment taking effect.

Pure rules, no Odoo: the models call them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .hearing import HearingThresholds
from .reasons import Reason
from .surcharge import to_money
from .vocabulary import check_party_type, check_penalty_types

#: Penalty types that make a decision major whatever the amount (item 三十).
MAJOR_PENALTY_TYPES: frozenset[str] = frozenset({"stop_production", "licence_revocation"})

REMEDY_KINDS = ("reconsideration", "litigation")
#: Results of a reconsideration decision or a judgment / ruling.
RESULTS = (
    "maintained",  # 维持
    "changed",  # 变更
    "revoked",  # 撤销
    "partly_revoked",  # 部分撤销
    "unlawful",  # 确认违法
    "invalid",  # 确认无效
    "perform_duty",  # 责令（判决）在一定期限内履行法定职责
    "dismissed",  # 驳回
    "withdrawn",  # 申请人撤回申请 / 原告撤诉
)
#: Why a result takes the decision off the portal: the publication's withdrawal reasons.
WITHDRAWAL_REASON_BY_RESULT: Mapping[str, str] = {
    "revoked": "revoked",
    "partly_revoked": "revoked",
    "changed": "remade",
    "unlawful": "illegal",
    "invalid": "illegal",
}
#: Results the court gives that count as a lost case (item 三十二 (1)-(3)).
LOST_RESULTS: frozenset[str] = frozenset(
    {"revoked", "partly_revoked", "changed", "unlawful", "invalid", "perform_duty"})

DEFAULT_FILING_DAYS = 15
DEFAULT_LOST_REPORT_DAYS = 30


@dataclass(frozen=True)
class MajorThresholds:
    """Fines (yuan) from which a fine is 较大数额 for the 备案 rule; by default
    the hearing thresholds (item 三十 refers to the provincial hearing rules)."""

    fine_person: Decimal = HearingThresholds().fine_person
    fine_organisation: Decimal = HearingThresholds().fine_organisation

    def fine_threshold(self, party_type: str) -> Decimal:
        return self.fine_person if check_party_type(party_type) == "person" else self.fine_organisation


def major_decision_reasons(
    party_type: str,
    penalty_types: Iterable[str],
    fine_amount: Decimal | int | str = 0,
    thresholds: MajorThresholds = MajorThresholds(),
) -> list[Reason]:
    """Why a penalty decision must be filed (备案); empty when it need not be."""
    types = check_penalty_types(penalty_types)
    fine = to_money(fine_amount, "fine amount")
    reasons: list[Reason] = []
    threshold = thresholds.fine_threshold(party_type)
    if fine > 0 and fine >= threshold:
        reasons.append(Reason(
            "major_fine_threshold",
            f"fine {fine:.2f} yuan reaches the {party_type} threshold {threshold:.2f} yuan",
            fine=fine, party_type=party_type, threshold=threshold))
    for code in sorted(types & MAJOR_PENALTY_TYPES):
        reasons.append(Reason("major_penalty_type", f"penalty {code} is a major penalty", penalty_type=code))
    return reasons


def filing_due(decision_date: date, days: int = DEFAULT_FILING_DAYS) -> date:
    """Last day to file: ``days`` calendar days after the decision (the decision day not counted)."""
    if days <= 0:
        raise ValueError(f"the filing period must be positive, got {days}")
    return decision_date + timedelta(days=days)


def check_result(kind: str, result: str) -> str:
    if kind not in REMEDY_KINDS:
        raise ValueError(f"unknown remedy kind {kind!r}; expected one of {list(REMEDY_KINDS)}")
    if result not in RESULTS:
        raise ValueError(f"unknown remedy result {result!r}; expected one of {list(RESULTS)}")
    return result


def withdrawal_reason(kind: str, result: str) -> str | None:
    """The publication's withdrawal reason a result calls for, or None."""
    return WITHDRAWAL_REASON_BY_RESULT.get(check_result(kind, result))


def is_lost_lawsuit(kind: str, result: str, agency_changed_act: bool = False) -> bool:
    """Item 三十二: only court cases count; a withdrawn suit counts when the
    agency changed its act and the court allowed the withdrawal (kind 4)."""
    check_result(kind, result)
    if kind != "litigation":
        return False
    return result in LOST_RESULTS or (result == "withdrawn" and agency_changed_act)


def lost_report_due(effective_on: date, days: int = DEFAULT_LOST_REPORT_DAYS) -> date:
    """Last day of the 败诉 report: ``days`` days after the judgment took effect."""
    if days <= 0:
        raise ValueError(f"the report period must be positive, got {days}")
    return effective_on + timedelta(days=days)


@dataclass(frozen=True)
class RemedyRow:
    kind: str
    applied_on: date
    result: str | None = None
    result_on: date | None = None


def count_outcomes(rows: Iterable[RemedyRow], date_from: date, date_to: date) -> dict[str, dict[str, int]]:
    """Per kind: ``applied`` (applications in the period) and one count per
    result decided in the period; every key present, zeros included."""
    counts = {kind: {"applied": 0, **{result: 0 for result in RESULTS}} for kind in REMEDY_KINDS}
    for row in rows:
        if date_from <= row.applied_on <= date_to:
            counts[row.kind]["applied"] += 1
        if row.result and row.result_on and date_from <= row.result_on <= date_to:
            counts[row.kind][check_result(row.kind, row.result)] += 1
    return counts
