"""The period of a seizure or detention (查封、扣押, 行政强制法 arts. 25, 27, 28).

The measure lasts 30 calendar days (the ``seizure`` period rule, which a
bureau may override), counted from the day after it was taken; a leader may
extend it once, by at most 30 days. Days spent testing, examining,
quarantining or appraising the property (检测、检验、检疫或者技术鉴定) are not
counted (art. 25 para. 3): each such pause moves the end by its days. The
engine knows no pauses, so the end is computed here and handed to the
engine as a date with +08:00 (domain.md §3), computed again after each pause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from .china_clock import CHINA
from .deadlines import end_of_day_iso

MAX_EXTENSION_DAYS = 30
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


class SeizurePeriodError(ValueError):
    """A pause or an extension the law does not allow."""


@dataclass(frozen=True)
class InspectionPause:
    """Testing time: from ``start`` until ``end`` (the day the result came
    back; ``None`` while still testing)."""

    start: date
    end: date | None = None

    def days(self, today: date) -> int:
        return max(((self.end or today) - self.start).days, 0)


def paused_days(pauses, today: date) -> int:
    """Days excluded from the period by testing, an open pause counted to ``today``."""
    return sum(pause.days(today) for pause in pauses)


def check_extension(extension_days: int, max_days: int = MAX_EXTENSION_DAYS) -> None:
    if extension_days < 0 or extension_days > max_days:
        raise SeizurePeriodError(
            f"an extension is at most {max_days} days (行政强制法 art. 25), not {extension_days}")


def check_pauses(measure_date: date, pauses) -> None:
    """Pauses start on or after the measure, end after they start and do not overlap."""
    previous_end = measure_date
    for pause in sorted(pauses, key=lambda p: p.start):
        if pause.start < previous_end:
            raise SeizurePeriodError(
                f"testing from {pause.start} starts before the measure or before the previous testing ended")
        if pause.end is not None and pause.end < pause.start:
            raise SeizurePeriodError(f"testing from {pause.start} ends before it starts ({pause.end})")
        previous_end = pause.end or date.max


def seizure_end(measure_date: date, duration_days: int = 30, extension_days: int = 0,
                pauses=(), today: date | None = None) -> date:
    """Last day of the measure: the day after ``measure_date`` is day 1 of
    ``duration_days`` calendar days, plus the extension and the testing days
    (an open pause counted to ``today``)."""
    check_extension(extension_days)
    check_pauses(measure_date, pauses)
    today = today or measure_date
    return measure_date + timedelta(days=duration_days + extension_days + paused_days(pauses, today))


def extension_prompt_date(end: date, lead_days: int, today: date) -> date:
    """When the leader is asked to extend: ``lead_days`` before the end, or today if that is past."""
    if lead_days < 0:
        raise SeizurePeriodError(f"the extension reminder comes before the end, not {lead_days} days after it")
    return max(end - timedelta(days=lead_days), today)


def start_of_day_iso(day: date) -> str:
    """08:30 of ``day`` in Beijing (office hours), for a reminder timer."""
    return datetime.combine(day, time(8, 30), tzinfo=CHINA).isoformat()


def parse_duration(value: str) -> timedelta:
    """An ISO-8601 duration of days, hours, minutes and seconds (``PT24H``, ``P1D``, ``PT30S``)."""
    match = _DURATION.match((value or "").strip())
    if not match or not any(match.groups()):
        raise SeizurePeriodError(f"{value!r} is not an ISO-8601 duration such as PT24H")
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def approval_due_iso(measure_taken_at: datetime, window: str) -> str:
    """When the emergency measure's approval must be in (24 hours after the
    measure by default, art. 19), ISO-8601 with +08:00."""
    if measure_taken_at.tzinfo is None:
        raise SeizurePeriodError("the time the measure was taken needs its offset")
    return (measure_taken_at + parse_duration(window)).astimezone(CHINA).isoformat(timespec="seconds")


__all__ = [
    "MAX_EXTENSION_DAYS", "SeizurePeriodError", "InspectionPause", "approval_due_iso", "check_extension",
    "check_pauses", "end_of_day_iso", "extension_prompt_date", "parse_duration", "paused_days",
    "seizure_end", "start_of_day_iso",
]
