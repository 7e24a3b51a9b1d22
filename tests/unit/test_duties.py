"""Dated duties after a decision: 备案 of major decisions, remedy outcomes,
withdrawal of publication and the 败诉 report (seed policy 001 items 三十, 三十二)."""

from datetime import date
from decimal import Decimal

import pytest

from enforcement_core.duties import (
    MajorThresholds,
    RemedyRow,
    count_outcomes,
    filing_due,
    is_lost_lawsuit,
    lost_report_due,
    major_decision_reasons,
    withdrawal_reason,
)


@pytest.mark.parametrize(
    ("party", "types", "fine", "major"),
    [
        ("organisation", {"fine"}, "100000", True),  # the hearing threshold, reached exactly
        ("organisation", {"fine"}, "99999.99", False),
        ("person", {"fine"}, "10000", True),
        ("person", {"fine"}, "9999.99", False),
        ("organisation", {"stop_production"}, "0", True),  # 责令停产停业, whatever the amount
        ("organisation", {"licence_revocation", "warning"}, "0", True),  # 吊销许可证件
        ("organisation", {"licence_suspension", "confiscation"}, "5000", False),
        ("organisation", {"warning"}, "0", False),
    ],
)
def test_major_decision_by_penalty_and_amount(party, types, fine, major):
    assert bool(major_decision_reasons(party, types, fine)) is major


def test_major_thresholds_are_data():
    lower = MajorThresholds(fine_person=Decimal("5000"), fine_organisation=Decimal("50000"))
    reasons = major_decision_reasons("organisation", {"fine"}, "50000", lower)
    assert [r.code for r in reasons] == ["major_fine_threshold"]
    assert reasons[0].params["threshold"] == Decimal("50000")
    assert not major_decision_reasons("organisation", {"fine"}, "50000")


def test_unknown_penalty_type_is_refused():
    with pytest.raises(ValueError, match="unknown penalty type"):
        major_decision_reasons("organisation", {"stop_business"}, "0")


def test_filing_due_counts_calendar_days_from_the_day_after_the_decision():
    assert filing_due(date(2026, 9, 30)) == date(2026, 10, 15)  # National Day holidays count
    assert filing_due(date(2026, 9, 30), days=20) == date(2026, 10, 20)
    with pytest.raises(ValueError):
        filing_due(date(2026, 9, 30), days=0)


@pytest.mark.parametrize(
    ("kind", "result", "reason"),
    [
        ("litigation", "revoked", "revoked"),
        ("reconsideration", "partly_revoked", "revoked"),
        ("reconsideration", "changed", "remade"),
        ("litigation", "unlawful", "illegal"),
        ("litigation", "invalid", "illegal"),
        ("litigation", "maintained", None),
        ("reconsideration", "dismissed", None),
        ("litigation", "withdrawn", None),
        ("litigation", "perform_duty", None),
    ],
)
def test_which_results_take_the_decision_off_the_portal(kind, result, reason):
    assert withdrawal_reason(kind, result) == reason


@pytest.mark.parametrize(
    ("kind", "result", "changed_act", "lost"),
    [
        ("litigation", "revoked", False, True),  # (1) 撤销
        ("litigation", "partly_revoked", False, True),  # (1) 部分撤销
        ("litigation", "changed", False, True),  # (1) 判决变更
        ("litigation", "unlawful", False, True),  # (2) 判决违法
        ("litigation", "invalid", False, True),  # (2) 无效
        ("litigation", "perform_duty", False, True),  # (3) 一定期限内履行法定职责
        ("litigation", "withdrawn", True, True),  # (4) 行政机关改变行为，原告撤诉，法院准许
        ("litigation", "withdrawn", False, False),  # withdrawn for another reason
        ("litigation", "maintained", False, False),
        ("litigation", "dismissed", False, False),
        ("reconsideration", "revoked", False, False),  # a reconsideration is no court case
    ],
)
def test_lost_lawsuits_are_the_four_kinds_of_item_32(kind, result, changed_act, lost):
    assert is_lost_lawsuit(kind, result, changed_act) is lost


def test_unknown_kind_or_result_is_refused():
    with pytest.raises(ValueError, match="remedy kind"):
        is_lost_lawsuit("appeal", "revoked")
    with pytest.raises(ValueError, match="remedy result"):
        withdrawal_reason("litigation", "quashed")


def test_lost_report_due_30_days_after_the_judgment_takes_effect():
    assert lost_report_due(date(2026, 12, 15)) == date(2027, 1, 14)


def test_outcomes_count_applications_and_results_in_the_period():
    rows = [
        RemedyRow("reconsideration", date(2026, 1, 10), "maintained", date(2026, 3, 1)),
        RemedyRow("reconsideration", date(2025, 12, 20), "revoked", date(2026, 2, 1)),  # applied before
        RemedyRow("litigation", date(2026, 5, 1), "unlawful", date(2026, 7, 2)),  # decided after
        RemedyRow("litigation", date(2026, 6, 1)),  # pending
    ]
    counts = count_outcomes(rows, date(2026, 1, 1), date(2026, 6, 30))
    assert counts["reconsideration"]["applied"] == 1
    assert counts["reconsideration"]["maintained"] == 1
    assert counts["reconsideration"]["revoked"] == 1
    assert counts["litigation"]["applied"] == 2
    assert counts["litigation"]["unlawful"] == 0
    assert counts["litigation"]["dismissed"] == 0
