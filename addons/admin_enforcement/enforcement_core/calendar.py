"""Chinese working-day calendar with an administrator override table.

Working days follow the State Council holiday notice of each year, including
make-up working weekends (调休). ``chinesecalendar`` carries those notices for
2004-2026; for any later year the bureau's administrator enters the new
notice as overrides and declares the year complete. A date in a year that
neither source knows raises :class:`UnknownHolidayYear`: silently treating an
unknown year as Monday-Friday would compute wrong statutory deadlines around
the Spring Festival and National Day without anyone noticing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import chinese_calendar

ONE_DAY = timedelta(days=1)
# The State Council publishes next year's notice between late October and
# mid-December; from November on, a missing next year is worth a warning,
# because periods started then soon run into it.
NOTICE_AWAITED_FROM_MONTH = 11


class UnknownHolidayYear(LookupError):
    """The holiday notice of a year is neither in chinesecalendar nor in the overrides."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"no holiday data for year {year}: chinesecalendar does not cover it and the "
            f"override table does not declare it complete; enter the State Council holiday "
            f"notice for {year} as overrides"
        )


def _library_knows(year: int) -> bool:
    """True if chinesecalendar carries the holiday notice of ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


class WorkingDayCalendar:
    """Answers "is this a working day" and does working-day arithmetic.

    ``overrides`` maps a year to ``{date: is_working}``; listed dates win over
    the library (a notice corrected after the library release, a local
    holiday). ``complete_years`` lists years whose notice is fully entered in
    the overrides: in those years an unlisted date is a working day exactly
    when it is Monday-Friday, because the notice only lists the exceptions.
    """

    def __init__(
        self,
        overrides: Mapping[int, Mapping[date, bool]] | None = None,
        complete_years: Iterable[int] = (),
    ):
        self._overrides: dict[date, bool] = {}
        for year, days in (overrides or {}).items():
            for day, is_working in days.items():
                if day.year != year:
                    raise ValueError(
                        f"override date {day.isoformat()} is filed under year {year}"
                    )
                self._overrides[day] = bool(is_working)
        self._complete_years = frozenset(complete_years)
        self._known_years: dict[int, bool] = {}

    def _year_known_by_library(self, year: int) -> bool:
        known = self._known_years.get(year)
        if known is None:
            known = self._known_years[year] = _library_knows(year)
        return known

    def knows_year(self, year: int) -> bool:
        """True if the holidays of ``year`` are known: declared complete or in chinesecalendar."""
        return year in self._complete_years or self._year_known_by_library(year)

    def is_working_day(self, day: date) -> bool:
        """True if ``day`` is a working day, including 调休 weekends."""
        override = self._overrides.get(day)
        if override is not None:
            return override
        if day.year in self._complete_years:
            return day.weekday() < 5
        if self._year_known_by_library(day.year):
            return chinese_calendar.is_workday(day)
        raise UnknownHolidayYear(day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += ONE_DAY
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def roll_to_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next working day."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``.

        Counting starts the day after ``start`` (期间开始的日不计算在期间内), so a
        notice served on a Friday with a 5-working-day period ends on the
        following Friday when no holiday intervenes.
        """
        if n < 0:
            raise ValueError(f"number of working days must be >= 0, got {n}")
        day = start
        for _ in range(n):
            day = self.next_working_day(day)
        return day

    def add_calendar_days_rolling(self, start: date, n: int) -> date:
        """``start`` + ``n`` calendar days, rolled to the next working day.

        A calendar-day period whose last day is a statutory holiday or rest
        day ends on the first working day after it (民法典 art. 203).
        """
        if n < 0:
            raise ValueError(f"number of calendar days must be >= 0, got {n}")
        return self.roll_to_working_day(start + timedelta(days=n))


def year_awaiting_notice(calendar: WorkingDayCalendar, today: date) -> int | None:
    """Next year, if from November on ``calendar`` does not know its holidays yet; else None."""
    next_year = today.year + 1
    if today.month >= NOTICE_AWAITED_FROM_MONTH and not calendar.knows_year(next_year):
        return next_year
    return None
