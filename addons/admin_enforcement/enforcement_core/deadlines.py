"""Statutory periods (domain.md §3) as data, and their due dates.

Every period is a :class:`PeriodRule` row so that a bureau can override it
(a sector rule extending the 90-day decision period, a province publishing
within 5 instead of 7 working days) without code changes. Zeebe timers know
no Chinese working days, so the due date is computed here and handed to
Zeebe as an absolute ``timeDate``.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from .calendar import WorkingDayCalendar
from .china_clock import CHINA

WORKING = "working"
CALENDAR = "calendar"
MONTH = "month"
UNITS = frozenset({WORKING, CALENDAR, MONTH})



class UnknownPeriodRule(KeyError):
    """A rule code that is neither a default nor a bureau override."""

    def __init__(self, code: str, known: list[str]):
        self.code = code
        super().__init__(f"unknown period rule {code!r}; known rules: {', '.join(known)}")

    def __str__(self) -> str:  # KeyError would print the message with quotes
        return self.args[0]


@dataclass(frozen=True)
class PeriodRule:
    """One statutory period.

    ``roll_to_working_day`` applies to calendar and month periods: a
    working-day period always ends on a working day anyway. Periods that bind
    the bureau itself (deciding, seizure, filing) do not roll, so the system
    warns on the earliest reading of the law; periods granted to the party
    (paying, applying for reconsideration, suing) do, as 民法典 art. 203 says.
    """

    code: str
    amount: int
    unit: str
    roll_to_working_day: bool
    source: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(
                f"period rule {self.code!r}: unit {self.unit!r} is not one of {sorted(UNITS)}"
            )
        if self.amount < 0:
            raise ValueError(f"period rule {self.code!r}: amount {self.amount} is negative")


DEFAULT_RULES: dict[str, PeriodRule] = {
    rule.code: rule
    for rule in (
        PeriodRule("hearing_request", 5, WORKING, False, "行政处罚法 64, 85"),
        PeriodRule("hearing_notice", 7, WORKING, False, "行政处罚法 64"),
        PeriodRule("decision_after_filing", 90, CALENDAR, False, "行政处罚法 60"),
        PeriodRule("service", 7, WORKING, False, "行政处罚法 61"),
        PeriodRule("payment", 15, CALENDAR, True, "行政处罚法 67"),
        PeriodRule("withdrawal", 3, WORKING, False, "行政处罚法 48, 85"),
        PeriodRule("publication_penalty", 7, WORKING, False, "国办发〔2018〕118号"),
        PeriodRule("publication_other", 20, WORKING, False, "国办发〔2018〕118号"),
        PeriodRule("reconsideration", 60, CALENDAR, True, "行政复议法 (2023) 20"),
        PeriodRule("litigation", 6, MONTH, True, "行政诉讼法 46"),
        # Deemed served once 30 days have passed: a fiction, not a time limit
        # for anyone's act, so there is nothing to roll.
        PeriodRule("public_notice_service", 30, CALENDAR, False, "民事诉讼法 95"),
        PeriodRule("major_penalty_filing", 15, CALENDAR, False, "local rule (seed 001)"),
        # 行政处罚法 52 orders the filing (备案) of an on-the-spot decision with
        # the officer's agency but sets no period; sector rules do (public
        # security: 24 hours). Two working days is the product's default.
        PeriodRule("simple_filing", 2, WORKING, False, "行政处罚法 52 (period: sector rule)"),
        PeriodRule("seizure", 30, CALENDAR, False, "行政强制法 25"),
        PeriodRule("court_enforcement_wait", 10, WORKING, False, "行政强制法 54"),
        PeriodRule("licence_decision", 20, WORKING, False, "行政许可法 42, 82"),
    )
}


def resolve_rule(
    code: str, overrides: Mapping[str, PeriodRule | Mapping[str, Any]] | None = None
) -> PeriodRule:
    """The rule ``code`` after applying a bureau's overrides.

    An override is either a whole :class:`PeriodRule` (which may define a new
    code) or a mapping of the fields to change, e.g. ``{"amount": 120}``.
    """
    override = (overrides or {}).get(code)
    if isinstance(override, PeriodRule):
        if override.code != code:
            raise ValueError(
                f"override filed under {code!r} describes rule {override.code!r}"
            )
        return override
    base = DEFAULT_RULES.get(code)
    if base is None:
        raise UnknownPeriodRule(code, sorted(set(DEFAULT_RULES) | set(overrides or {})))
    if override is None:
        return base
    changeable = {f.name for f in dataclasses.fields(PeriodRule)} - {"code"}
    bad = set(override) - changeable
    if bad:
        raise ValueError(f"override of period rule {code!r} sets unknown field(s) {sorted(bad)}")
    return dataclasses.replace(base, **override)


def add_months(start: date, months: int) -> date:
    """The day corresponding to ``start`` ``months`` later, or that month's last day.

    民法典 art. 202: a period in months ends on the corresponding day of the
    last month, or on its last day when it has no such day (31 Aug + 6
    months = 28/29 Feb).
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def due_date(
    rule_code: str,
    start: date,
    calendar: WorkingDayCalendar,
    overrides: Mapping[str, PeriodRule | Mapping[str, Any]] | None = None,
) -> date:
    """Last day of the period ``rule_code`` counted from ``start``.

    The start day itself is not counted (行政处罚法 art. 85 and 民法典 art. 201).
    """
    rule = resolve_rule(rule_code, overrides)
    if rule.unit == WORKING:
        return calendar.add_working_days(start, rule.amount)
    if rule.unit == CALENDAR:
        end = start + timedelta(days=rule.amount)
    else:
        end = add_months(start, rule.amount)
    return calendar.roll_to_working_day(end) if rule.roll_to_working_day else end


def end_of_day_iso(day: date) -> str:
    """23:59:59 of ``day`` in Asia/Shanghai as ISO-8601 with offset (a Zeebe ``timeDate``)."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=CHINA).isoformat()


def due_datetime_iso(
    rule_code: str,
    start: date,
    calendar: WorkingDayCalendar,
    overrides: Mapping[str, PeriodRule | Mapping[str, Any]] | None = None,
) -> str:
    """:func:`due_date` as the end of that day in Beijing time, e.g. ``2026-10-16T23:59:59+08:00``."""
    return end_of_day_iso(due_date(rule_code, start, calendar, overrides))


def hearing_notice_ok(
    notice_date: date,
    hearing_date: date,
    calendar: WorkingDayCalendar,
    overrides: Mapping[str, PeriodRule | Mapping[str, Any]] | None = None,
) -> bool:
    """True if the hearing notice was given at least 7 working days before the hearing.

    行政处罚法 art. 64: notify "七日前"; counting from the day after the
    notice, the 7th working day must be on or before the hearing day.
    """
    return hearing_date >= due_date("hearing_notice", notice_date, calendar, overrides)
