"""The product's one clock: the day and the time in China.

Every legal date — a decision's date, the day a report was filed, the day a
publication starts, whether a certificate is still valid — is a day in China,
whatever the server's, the database's or the user's time zone. Odoo stores
instants as naive UTC; these functions turn them into China's day and back.
Reading "today" anywhere else (``date.today()``, Odoo's ``context_today``)
gives the UTC day between 00:00 and 08:00 in Beijing, a day too early.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

#: China has observed no daylight-saving time since 1991, so a fixed +08:00
#: offset is exact and needs no tzdata on the server.
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")


def _aware(moment: datetime) -> datetime:
    """A naive moment is Odoo's UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def china_now(now: datetime | None = None) -> datetime:
    """The moment ``now`` (default: this moment) on China's clock."""
    return _aware(now or datetime.now(timezone.utc)).astimezone(CHINA)


def china_day(moment: datetime) -> date:
    """The calendar day in China of ``moment`` (naive means UTC)."""
    return _aware(moment).astimezone(CHINA).date()


def china_today(now: datetime | None = None) -> date:
    """Today in China."""
    return china_now(now).date()


def china_day_start_utc(day: date) -> datetime:
    """00:00 of ``day`` in China, as Odoo's naive UTC."""
    return datetime.combine(day, time.min, CHINA).astimezone(timezone.utc).replace(tzinfo=None)


def china_clock_text(moment: datetime, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """``moment`` (naive means UTC) as China's wall-clock time."""
    return _aware(moment).astimezone(CHINA).strftime(pattern)
