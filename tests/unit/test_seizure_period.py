"""The seizure period (行政强制法 art. 25): 30 calendar days, one extension of
at most 30 days, testing days not counted; the emergency approval window."""

from datetime import date, datetime, timedelta, timezone

import pytest

from enforcement_core.seizure import (
    SeizurePeriodError,
    InspectionPause,
    approval_due_iso,
    extension_prompt_date,
    parse_duration,
    paused_days,
    seizure_end,
    start_of_day_iso,
)


def test_thirty_calendar_days_from_the_day_after_the_measure():
    # 1 Sep is the measure; 2 Sep is day 1, 1 Oct day 30, a holiday, not rolled
    assert seizure_end(date(2026, 9, 1)) == date(2026, 10, 1)
    assert seizure_end(date(2026, 2, 10)) == date(2026, 3, 12)  # across February and Spring Festival


def test_extension_once_by_at_most_thirty_days():
    assert seizure_end(date(2026, 9, 1), extension_days=30) == date(2026, 10, 31)
    assert seizure_end(date(2026, 9, 1), extension_days=10) == date(2026, 10, 11)
    with pytest.raises(SeizurePeriodError, match="at most 30"):
        seizure_end(date(2026, 9, 1), extension_days=31)
    with pytest.raises(SeizurePeriodError):
        seizure_end(date(2026, 9, 1), extension_days=-1)


def test_testing_days_move_the_end():
    pauses = [InspectionPause(date(2026, 9, 5), date(2026, 9, 12)), InspectionPause(date(2026, 9, 20), date(2026, 9, 21))]
    assert paused_days(pauses, date(2026, 10, 1)) == 8
    assert seizure_end(date(2026, 9, 1), pauses=pauses) == date(2026, 10, 9)
    assert seizure_end(date(2026, 9, 1), extension_days=30, pauses=pauses) == date(2026, 11, 8)


def test_an_open_pause_counts_until_today():
    pauses = [InspectionPause(date(2026, 9, 5))]
    assert seizure_end(date(2026, 9, 1), pauses=pauses, today=date(2026, 9, 5)) == date(2026, 10, 1)
    assert seizure_end(date(2026, 9, 1), pauses=pauses, today=date(2026, 9, 15)) == date(2026, 10, 11)


@pytest.mark.parametrize("pauses", [
    [InspectionPause(date(2026, 8, 30), date(2026, 9, 3))],  # before the measure
    [InspectionPause(date(2026, 9, 5), date(2026, 9, 4))],  # ends before it starts
    [InspectionPause(date(2026, 9, 5), date(2026, 9, 10)), InspectionPause(date(2026, 9, 8), date(2026, 9, 12))],
    [InspectionPause(date(2026, 9, 5)), InspectionPause(date(2026, 9, 8), date(2026, 9, 12))],  # one still open
])
def test_impossible_pauses_are_refused(pauses):
    with pytest.raises(SeizurePeriodError):
        seizure_end(date(2026, 9, 1), pauses=pauses)


def test_extension_reminder_before_the_end_never_in_the_past():
    end = date(2026, 10, 1)
    assert extension_prompt_date(end, 5, date(2026, 9, 2)) == date(2026, 9, 26)
    assert extension_prompt_date(end, 5, date(2026, 9, 28)) == date(2026, 9, 28)
    assert start_of_day_iso(date(2026, 9, 26)) == "2026-09-26T08:30:00+08:00"
    with pytest.raises(SeizurePeriodError):
        extension_prompt_date(end, -1, date(2026, 9, 2))


def test_emergency_approval_window_is_an_iso_duration():
    taken = datetime(2026, 9, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 Beijing
    assert approval_due_iso(taken, "PT24H") == "2026-09-02T10:00:00+08:00"
    assert approval_due_iso(taken, "PT30S") == "2026-09-01T10:00:30+08:00"
    assert parse_duration("P1DT2H") == timedelta(days=1, hours=2)
    for bad in ("", "24H", "P", "PT", "PT1.5H"):
        with pytest.raises(SeizurePeriodError):
            parse_duration(bad)
    with pytest.raises(SeizurePeriodError):
        approval_due_iso(datetime(2026, 9, 1, 2, 0), "PT24H")
