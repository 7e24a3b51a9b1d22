"""Statutory periods as data, bureau overrides, and the Zeebe timeDate."""

from datetime import date

import pytest

from enforcement_core.calendar import UnknownHolidayYear, WorkingDayCalendar
from enforcement_core.deadlines import (
    DEFAULT_RULES,
    PeriodRule,
    UnknownPeriodRule,
    add_months,
    due_date,
    due_datetime_iso,
    hearing_notice_ok,
)

CAL = WorkingDayCalendar()


@pytest.mark.parametrize(
    ("code", "start", "expected"),
    [
        ("hearing_request", date(2026, 9, 30), date(2026, 10, 13)),  # 5 working, 调休 Saturday counts
        ("withdrawal", date(2026, 9, 29), date(2026, 10, 9)),  # 30 Sep, 8 Oct, 9 Oct
        ("service", date(2026, 2, 12), date(2026, 2, 28)),  # 7 working across Spring Festival
        ("payment", date(2026, 9, 16), date(2026, 10, 8)),  # 15 calendar ends 1 Oct, rolls
        ("reconsideration", date(2026, 3, 1), date(2026, 4, 30)),  # 60 calendar
        ("decision_after_filing", date(2026, 7, 3), date(2026, 10, 1)),  # binds the bureau: no roll
        ("seizure", date(2026, 9, 1), date(2026, 10, 1)),  # no roll
        ("litigation", date(2026, 3, 31), date(2026, 9, 30)),  # 6 months, corresponding day
        ("litigation", date(2026, 4, 1), date(2026, 10, 8)),  # ends 1 Oct, rolls
        ("publication_penalty", date(2026, 3, 2), date(2026, 3, 11)),
        ("publication_other", date(2026, 3, 2), date(2026, 3, 30)),
        ("licence_decision", date(2026, 3, 2), date(2026, 3, 30)),
        ("court_enforcement_wait", date(2026, 3, 2), date(2026, 3, 16)),
        ("public_notice_service", date(2026, 3, 1), date(2026, 3, 31)),
        ("major_penalty_filing", date(2026, 3, 1), date(2026, 3, 16)),
        ("hearing_notice", date(2026, 9, 30), date(2026, 10, 15)),
    ],
)
def test_due_dates(code, start, expected):
    assert due_date(code, start, CAL) == expected


def test_every_rule_of_the_specification_has_a_default():
    assert set(DEFAULT_RULES) == {
        "hearing_request", "hearing_notice", "decision_after_filing", "service", "payment",
        "withdrawal", "publication_penalty", "publication_other", "reconsideration",
        "litigation", "public_notice_service", "major_penalty_filing", "seizure",
        "court_enforcement_wait", "licence_decision",
        "simple_filing",
    }


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # no 31 Feb: last day of month
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year
        (date(2026, 1, 15), 12, date(2027, 1, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_bureau_override_of_amount():
    overrides = {"decision_after_filing": {"amount": 120}}
    assert due_date("decision_after_filing", date(2026, 3, 1), CAL, overrides) == date(2026, 6, 29)


def test_bureau_override_with_a_whole_rule_can_add_a_local_period():
    overrides = {"lost_lawsuit_report": PeriodRule("lost_lawsuit_report", 30, "calendar", False, "seed 001")}
    assert due_date("lost_lawsuit_report", date(2026, 3, 1), CAL, overrides) == date(2026, 3, 31)


@pytest.mark.parametrize(
    ("code", "overrides", "error", "message"),
    [
        ("no_such_rule", None, UnknownPeriodRule, "unknown period rule 'no_such_rule'"),
        ("payment", {"payment": {"amout": 20}}, ValueError, "unknown field"),
        ("payment", {"payment": {"code": "other"}}, ValueError, "unknown field"),
        ("payment", {"payment": {"unit": "weeks"}}, ValueError, "unit 'weeks'"),
        ("payment", {"payment": {"amount": -1}}, ValueError, "negative"),
        ("payment", {"payment": PeriodRule("pay", 10, "calendar", True, "x")}, ValueError, "describes rule 'pay'"),
    ],
)
def test_bad_rules_and_overrides_are_refused(code, overrides, error, message):
    with pytest.raises(error, match=message):
        due_date(code, date(2026, 3, 1), CAL, overrides)


def test_due_datetime_iso_is_end_of_day_beijing_time():
    assert due_datetime_iso("hearing_request", date(2026, 9, 30), CAL) == "2026-10-13T23:59:59+08:00"


def test_due_date_in_unknown_year_raises():
    with pytest.raises(UnknownHolidayYear):
        due_date("service", date(2026, 12, 28), CAL)


@pytest.mark.parametrize(
    ("notice", "hearing", "ok"),
    [
        (date(2026, 9, 30), date(2026, 10, 15), True),  # 7th working day after notice
        (date(2026, 9, 30), date(2026, 10, 14), False),  # only 6 working days
        (date(2026, 9, 30), date(2026, 10, 8), False),  # 8 calendar days, 1 working day
        (date(2026, 3, 2), date(2026, 3, 11), True),
        (date(2026, 3, 2), date(2026, 3, 10), False),
    ],
)
def test_hearing_notice_ok(notice, hearing, ok):
    assert hearing_notice_ok(notice, hearing, CAL) is ok
