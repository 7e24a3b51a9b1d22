"""Working days per the State Council notices, 调休 included; unknown years fail loudly."""

from datetime import date

import pytest

from enforcement_core.calendar import UnknownHolidayYear, WorkingDayCalendar, year_awaiting_notice

CAL = WorkingDayCalendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 10, 1), False),  # National Day
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),  # Saturday made a working day (调休)
        (date(2026, 10, 11), False),  # ordinary Sunday
        (date(2026, 2, 14), True),  # Saturday before Spring Festival, 调休
        (date(2026, 2, 16), False),  # Spring Festival (a Monday)
        (date(2026, 2, 23), False),  # last day of the Spring Festival break
        (date(2026, 2, 28), True),  # Saturday after Spring Festival, 调休
        (date(2026, 1, 4), True),  # Sunday made a working day
        (date(2026, 1, 2), False),  # New Year break (a Friday)
    ],
)
def test_is_working_day_2026_notice(day, working):
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Notice on 30 Sep: 8, 9, 10 (调休 Saturday), 12, 13 October.
        (date(2026, 9, 30), 5, date(2026, 10, 13)),
        # Counting starts the day after: Friday 13 Feb + 1 is the 调休 Saturday.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        # 13, 14 Feb, then 24-27 Feb, then 调休 Saturday 28 Feb.
        (date(2026, 2, 12), 7, date(2026, 2, 28)),
        (date(2026, 3, 2), 5, date(2026, 3, 9)),  # no holiday: Monday + 5 = next Monday
        (date(2026, 3, 2), 0, date(2026, 3, 2)),
    ],
)
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 9, 16), 15, date(2026, 10, 8)),  # ends 1 Oct, rolls over the holiday
        (date(2026, 9, 25), 15, date(2026, 10, 10)),  # ends on the 调休 Saturday: no roll
        (date(2026, 3, 1), 15, date(2026, 3, 16)),  # ends on a Monday
        (date(2026, 3, 6), 15, date(2026, 3, 23)),  # ends Saturday 21 Mar, rolls to Monday
    ],
)
def test_add_calendar_days_rolling(start, n, expected):
    assert CAL.add_calendar_days_rolling(start, n) == expected


def test_next_working_day_skips_holiday_but_not_tiaoxiu():
    assert CAL.next_working_day(date(2026, 10, 6)) == date(2026, 10, 8)
    assert CAL.next_working_day(date(2026, 10, 9)) == date(2026, 10, 10)


def test_2027_without_overrides_raises():
    with pytest.raises(UnknownHolidayYear) as excinfo:
        CAL.is_working_day(date(2027, 3, 1))
    assert excinfo.value.year == 2027
    assert "2027" in str(excinfo.value)


def test_counting_into_an_unknown_year_raises_instead_of_guessing():
    with pytest.raises(UnknownHolidayYear):
        CAL.add_working_days(date(2026, 12, 29), 5)


def test_monday_in_unknown_year_is_not_assumed_working():
    """A plain Monday of 2027 must raise too: no silent Monday-Friday fallback."""
    with pytest.raises(UnknownHolidayYear):
        CAL.is_working_day(date(2027, 1, 4))


def test_overrides_make_2027_work():
    overrides = {
        2027: {
            date(2027, 1, 1): False,  # New Year (a Friday)
            date(2027, 2, 6): False,  # a holiday Saturday, listed for completeness
            date(2027, 2, 20): True,  # a make-up Saturday
        }
    }
    cal = WorkingDayCalendar(overrides=overrides, complete_years={2027})
    assert cal.is_working_day(date(2027, 1, 1)) is False
    assert cal.is_working_day(date(2027, 2, 20)) is True
    assert cal.is_working_day(date(2027, 1, 4)) is True  # unlisted Monday
    assert cal.is_working_day(date(2027, 1, 9)) is False  # unlisted Saturday
    # 29, 30, 31 Dec 2026, then 4, 5 Jan 2027 (1 Jan is a holiday).
    assert cal.add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 5)


def test_overrides_without_declaring_the_year_complete_still_raise():
    cal = WorkingDayCalendar(overrides={2027: {date(2027, 1, 1): False}})
    assert cal.is_working_day(date(2027, 1, 1)) is False  # a listed date is known
    with pytest.raises(UnknownHolidayYear):
        cal.is_working_day(date(2027, 1, 4))


def test_overrides_win_over_the_library():
    cal = WorkingDayCalendar(overrides={2026: {date(2026, 10, 10): False, date(2026, 10, 7): True}})
    assert cal.is_working_day(date(2026, 10, 10)) is False
    assert cal.is_working_day(date(2026, 10, 7)) is True


def test_override_filed_under_wrong_year_is_refused():
    with pytest.raises(ValueError, match="2027-01-01 is filed under year 2026"):
        WorkingDayCalendar(overrides={2026: {date(2027, 1, 1): False}})


@pytest.mark.parametrize("method", ["add_working_days", "add_calendar_days_rolling"])
def test_negative_periods_are_refused(method):
    with pytest.raises(ValueError, match="-1"):
        getattr(CAL, method)(date(2026, 3, 2), -1)


def test_a_year_is_known_from_the_library_or_once_declared_complete():
    assert CAL.knows_year(2026)
    assert not CAL.knows_year(2027)
    assert WorkingDayCalendar(complete_years={2027}).knows_year(2027)
    assert not WorkingDayCalendar(overrides={2027: {date(2027, 1, 1): False}}).knows_year(2027)


@pytest.mark.parametrize(
    ("today", "calendar", "awaited"),
    [
        (date(2026, 10, 31), CAL, None),  # the notice usually comes out in late October or November
        (date(2026, 11, 1), CAL, 2027),
        (date(2026, 12, 31), CAL, 2027),
        (date(2026, 11, 1), WorkingDayCalendar(complete_years={2027}), None),
        (date(2025, 11, 1), CAL, None),  # chinesecalendar knows 2026
        (date(2027, 1, 5), CAL, None),  # the year itself is missing: deadlines already say so
    ],
)
def test_next_year_awaits_its_notice_from_november(today, calendar, awaited):
    assert year_awaiting_notice(calendar, today) == awaited
