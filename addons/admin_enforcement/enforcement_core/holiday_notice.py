"""Reads the State Council holiday notice of a year into days off and make-up working days.

Every autumn the General Office of the State Council publishes
《国务院办公厅关于XXXX年部分节假日安排的通知》 with one numbered line per
festival, for example::

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

When chinesecalendar does not know a year yet, the administrator pastes that
notice; :func:`parse_holiday_notice` turns it into a :class:`HolidayNotice`
whose :meth:`HolidayNotice.overrides` feed
:class:`~enforcement_core.calendar.WorkingDayCalendar` (with the notice's year
declared complete).

The wording has drifted over the years ("放假，与周末连休", "补休",
"放假1天，不调休", ranges across the year end, weekday and lunar notes in
brackets), and the parser reads all of it. Anything it cannot read with
certainty is refused with :class:`HolidayNoticeError` naming the line: every
statutory deadline is counted on this calendar, so a misread line must stop
the administrator rather than shift deadlines silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

# Reason codes of HolidayNoticeError. They are part of the interface: the
# Odoo layer translates them, so they never change once released.
NO_TITLE = "no_title"
NO_FESTIVAL_LINES = "no_festival_lines"
UNREADABLE_LINE = "unreadable_line"
UNRECOGNISED_PHRASE = "unrecognised_phrase"
NO_DATES = "no_dates"
MISSING_MONTH = "missing_month"
INVALID_DATE = "invalid_date"
YEAR_OUT_OF_RANGE = "year_out_of_range"
BAD_RANGE = "bad_range"
WEEKDAY_MISMATCH = "weekday_mismatch"
WORKDAY_NOT_WEEKEND = "workday_not_weekend"
TOTAL_MISMATCH = "total_mismatch"
DAY_LISTED_TWICE = "day_listed_twice"

REASONS: dict[str, str] = {
    NO_TITLE: "no title '关于YYYY年部分节假日安排的通知' gives the notice's year",
    NO_FESTIVAL_LINES: "no numbered festival line such as '一、元旦：…' was found",
    UNREADABLE_LINE: "a numbered line does not read '<ordinal>、<festival>：<arrangement>'",
    UNRECOGNISED_PHRASE: "a phrase with dates says neither 放假/补休 (day off) nor 上班 (working day)",
    NO_DATES: "a day-off or working-day phrase holds no date written as 'M月D日'",
    MISSING_MONTH: "a date gives no month and no earlier date in its phrase gives one",
    INVALID_DATE: "a date does not exist",
    YEAR_OUT_OF_RANGE: "a date lies outside the notice's year and the December before it",
    BAD_RANGE: "a range 'A至B' does not end after it starts",
    WEEKDAY_MISMATCH: "the weekday in brackets is not the weekday of the date",
    WORKDAY_NOT_WEEKEND: "a make-up working day (上班) is not a Saturday or Sunday",
    TOTAL_MISMATCH: "the stated number of days off ('共N天') differs from the days listed",
    DAY_LISTED_TWICE: "a day is listed twice in the notice",
}


class HolidayNoticeError(ValueError):
    """The pasted notice cannot be read with certainty at one line.

    ``line_no`` counts from 1 in the pasted text, ``line_text`` is that line
    as pasted, ``reason`` is a key of :data:`REASONS` and ``fragment`` the
    part of the line that failed (empty when the whole line did), with
    brackets and punctuation folded to half-width and spaces dropped.
    """

    def __init__(self, reason: str, line_no: int, line_text: str, fragment: str = ""):
        self.reason = reason
        self.line_no = line_no
        self.line_text = line_text
        self.fragment = fragment
        where = f" (at {fragment!r})" if fragment else ""
        super().__init__(f"line {line_no} {line_text!r}: {REASONS[reason]}{where}")


class _Unreadable(Exception):
    """A phrase failed; the line loop adds the line number and text."""

    def __init__(self, reason: str, fragment: str):
        super().__init__(reason, fragment)
        self.reason = reason
        self.fragment = fragment


@dataclass(frozen=True)
class FestivalArrangement:
    """One numbered line of the notice, e.g. "七、国庆节：…"."""

    line_no: int
    line_text: str
    festival: str
    holidays: tuple[date, ...]
    workdays: tuple[date, ...]


@dataclass(frozen=True)
class HolidayNotice:
    """The arrangement of one year: days off and make-up working days (调休上班).

    ``holidays`` holds every day off the notice lists, weekends inside a
    break included; it may reach into the previous December when the New
    Year break starts there. ``document_number`` (文号) and ``issued_on``
    are None when the pasted copy leaves them out, as news copies do.
    """

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]
    festivals: tuple[FestivalArrangement, ...]
    document_number: str | None
    issued_on: date | None

    def overrides(self) -> dict[int, dict[date, bool]]:
        """The listed days as ``WorkingDayCalendar`` overrides, each filed under its own year.

        A New Year break starting in December changes the previous year's
        calendar, which the previous notice did not know about.
        """
        by_year: dict[int, dict[date, bool]] = {}
        for day in self.holidays:
            by_year.setdefault(day.year, {})[day] = False
        for day in self.workdays:
            by_year.setdefault(day.year, {})[day] = True
        return by_year


_TITLE = re.compile(r"关于(\d{4})年部分节假日安排的通知")
_DOCUMENT_NUMBER = re.compile(r"国办发明电〔\d{4}〕\d+号")
_ISSUE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_NUMBERED_LINE = re.compile(r"[一二三四五六七八九十]+、")
_FESTIVAL_LINE = re.compile(r"[一二三四五六七八九十]+、(?P<festival>[^:]+):(?P<arrangement>.+)")
_DATE = re.compile(
    r"(?<!\d)(?:(?P<year>\d{4})年)?(?:(?P<month>\d{1,2})月)?(?P<day>\d{1,2})日"
    r"(?:\((?P<note>[^()]*)\))?"
)
_WEEKDAY_NOTE = re.compile(r"(?:星期|周)([一二三四五六日天])")
_STATED_TOTAL = re.compile(r"(?:共|放假)(\d+)天")
_WEEKDAY_NUMBERS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_RANGE_JOINER = "至"
_LIST_JOINERS = frozenset({"、", "和", "及"})
_DAY_OFF_WORDS = ("放假", "补休")
_WORKING_WORD = "上班"
_DAY_OFF = "day_off"
_WORKING = "working"
# "鼓励…安排职工在除夕（2月9日）休息" (2024) recommends, it does not arrange:
# the day stays a working day in the official calendar.
_ADVISORY_PREFIX = "鼓励"


def parse_holiday_notice(text: str) -> HolidayNotice:
    """Read a pasted notice; raise :class:`HolidayNoticeError` at the first line that fails."""
    lines = text.splitlines()
    compact_lines = [_compact(line) for line in lines]
    year = _notice_year(lines, compact_lines)
    festivals = tuple(_festival_arrangements(lines, compact_lines, year))
    if not festivals:
        raise HolidayNoticeError(NO_FESTIVAL_LINES, *_first_filled_line(lines))
    holidays, workdays = _all_days(festivals)
    return HolidayNotice(
        year=year,
        holidays=holidays,
        workdays=workdays,
        festivals=festivals,
        document_number=_document_number(compact_lines),
        issued_on=_issue_date(lines, compact_lines),
    )


def _compact(line: str) -> str:
    """The line with full-width characters folded and spaces dropped.

    Copies from web pages mix "：（，" with ":(,", full-width digits and
    stray spaces ("1 月 1 日"); none of them changes the meaning.
    """
    return "".join(unicodedata.normalize("NFKC", line).split())


def _first_filled_line(lines: list[str]) -> tuple[int, str]:
    for line_no, line in enumerate(lines, start=1):
        if line.strip():
            return line_no, line.strip()
    return 1, ""


def _notice_year(lines: list[str], compact_lines: list[str]) -> int:
    # Official copies break the title over two lines ("…关于2026年" / "部分节假日…").
    found = _TITLE.search("".join(compact_lines))
    if found is None:
        raise HolidayNoticeError(NO_TITLE, *_first_filled_line(lines))
    return int(found.group(1))


def _festival_arrangements(
    lines: list[str], compact_lines: list[str], year: int
) -> Iterator[FestivalArrangement]:
    for line_no, (line, compact) in enumerate(zip(lines, compact_lines), start=1):
        if not _NUMBERED_LINE.match(compact):
            continue
        found = _FESTIVAL_LINE.fullmatch(compact)
        if found is None:
            raise HolidayNoticeError(UNREADABLE_LINE, line_no, line.strip())
        try:
            holidays, workdays = _read_arrangement(found["arrangement"], year)
        except _Unreadable as problem:
            raise HolidayNoticeError(problem.reason, line_no, line.strip(), problem.fragment) from None
        yield FestivalArrangement(line_no, line.strip(), found["festival"], holidays, workdays)


def _read_arrangement(arrangement: str, year: int) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """Days off and working days of one festival line, in the order written."""
    holidays: list[date] = []
    workdays: list[date] = []
    stated_totals: list[tuple[int, str]] = []
    for sentence in arrangement.split("。"):
        if sentence.startswith(_ADVISORY_PREFIX):
            continue
        for phrase in filter(None, sentence.split(",")):
            days = _read_dates(phrase, year)
            kind = _phrase_kind(phrase, days)
            if kind == _WORKING:
                _check_weekends(days)
                workdays.extend(days)
            elif kind == _DAY_OFF:
                holidays.extend(days)
            stated_totals.extend((int(total), phrase) for total in _STATED_TOTAL.findall(phrase))
    if not holidays and not workdays:
        raise _Unreadable(NO_DATES, arrangement)
    for total, phrase in stated_totals:
        if total != len(holidays):
            raise _Unreadable(TOTAL_MISMATCH, phrase)
    return tuple(holidays), tuple(workdays)


def _phrase_kind(phrase: str, days: list[date]) -> str | None:
    """Whether a phrase gives days off, working days, or only remarks.

    Remarks ("与周末连休", "不调休", "共3天") carry no dates and change nothing.
    """
    is_day_off = any(word in phrase for word in _DAY_OFF_WORDS)
    is_working = _WORKING_WORD in phrase
    if is_day_off and is_working:
        raise _Unreadable(UNRECOGNISED_PHRASE, phrase)
    if not (is_day_off or is_working):
        if days:
            raise _Unreadable(UNRECOGNISED_PHRASE, phrase)
        return None
    if not days:
        raise _Unreadable(NO_DATES, phrase)
    return _WORKING if is_working else _DAY_OFF


def _check_weekends(workdays: list[date]) -> None:
    for day in workdays:
        if day.weekday() < 5:
            raise _Unreadable(WORKDAY_NOT_WEEKEND, _chinese_date(day))


def _read_dates(phrase: str, year: int) -> list[date]:
    """Every date of a phrase, "A至B" ranges expanded."""
    days: list[date] = []
    previous: re.Match[str] | None = None
    for match in _DATE.finditer(phrase):
        day = _resolve_date(match, days[-1] if days else None, year)
        _check_weekday_note(match, day)
        joiner = phrase[previous.end() : match.start()] if previous else None
        if joiner is None or joiner in _LIST_JOINERS:
            days.append(day)
        elif joiner == _RANGE_JOINER:
            days.extend(_days_after_until(days[-1], day, phrase))
        else:
            raise _Unreadable(UNRECOGNISED_PHRASE, phrase)
        previous = match
    return days


def _resolve_date(match: re.Match[str], previous: date | None, year: int) -> date:
    """The date a match means, in the notice of ``year``.

    "3日" takes the month of the date before it ("1月1日至3日"). A date
    without a year is in the notice's year, except in December: the notice
    arranges New Year's Day to National Day, so the only December it can
    mean is the one before, where a New Year break may start
    ("12月31日至1月2日").
    """
    if match["month"] is None:
        if previous is None or match["year"] is not None:
            raise _Unreadable(MISSING_MONTH, match.group(0))
        day_year, month = previous.year, previous.month
    else:
        month = int(match["month"])
        day_year = int(match["year"]) if match["year"] else _implied_year(month, year)
    if not (day_year == year or (day_year == year - 1 and month == 12)):
        raise _Unreadable(YEAR_OUT_OF_RANGE, match.group(0))
    try:
        return date(day_year, month, int(match["day"]))
    except ValueError:
        raise _Unreadable(INVALID_DATE, match.group(0)) from None


def _implied_year(month: int, year: int) -> int:
    return year - 1 if month == 12 else year


def _check_weekday_note(match: re.Match[str], day: date) -> None:
    # A weekday in brackets ("（周四）", "（农历除夕、周二）") is a cheap
    # proof that the date was typed right.
    weekday = _WEEKDAY_NOTE.search(match["note"] or "")
    if weekday and _WEEKDAY_NUMBERS[weekday.group(1)] != day.weekday():
        raise _Unreadable(WEEKDAY_MISMATCH, match.group(0))


def _days_after_until(start: date, end: date, phrase: str) -> list[date]:
    """The days of the range "start至end" after ``start``."""
    if end <= start:
        raise _Unreadable(BAD_RANGE, phrase)
    return [start + timedelta(days=offset) for offset in range(1, (end - start).days + 1)]


def _all_days(
    festivals: tuple[FestivalArrangement, ...],
) -> tuple[frozenset[date], frozenset[date]]:
    """Days off and working days of the whole notice; a day may appear only once."""
    seen: set[date] = set()
    for festival in festivals:
        for day in festival.holidays + festival.workdays:
            if day in seen:
                raise HolidayNoticeError(
                    DAY_LISTED_TWICE, festival.line_no, festival.line_text, _chinese_date(day)
                )
            seen.add(day)
    holidays = frozenset(day for festival in festivals for day in festival.holidays)
    workdays = frozenset(day for festival in festivals for day in festival.workdays)
    return holidays, workdays


def _chinese_date(day: date) -> str:
    """A date as the notice writes it, so the administrator finds it in the line."""
    return f"{day.year}年{day.month}月{day.day}日"


def _document_number(compact_lines: list[str]) -> str | None:
    """The 文号, e.g. "国办发明电〔2025〕7号"; news copies often leave it out."""
    for compact in compact_lines:
        found = _DOCUMENT_NUMBER.search(compact)
        if found:
            return found.group(0)
    return None


def _issue_date(lines: list[str], compact_lines: list[str]) -> date | None:
    """The date under the signature: the last line that is only a date."""
    for line_no, compact in reversed(list(enumerate(compact_lines, start=1))):
        found = _ISSUE_DATE.fullmatch(compact)
        if found:
            try:
                return date(*(int(part) for part in found.groups()))
            except ValueError:
                raise HolidayNoticeError(
                    INVALID_DATE, line_no, lines[line_no - 1].strip(), found.group(0)
                ) from None
    return None
