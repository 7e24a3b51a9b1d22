"""The pasted State Council holiday notice, read into the working-day calendar.

Real notices of 2014-2026 (fixtures/holiday_notices/<year>.txt) are parsed
and every day of each year is checked against chinesecalendar, through the
product's own WorkingDayCalendar: what an administrator pastes must give
exactly the calendar the library would have given.
"""

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from enforcement_core import holiday_notice as hn
from enforcement_core.calendar import UnknownHolidayYear, WorkingDayCalendar
from enforcement_core.holiday_notice import HolidayNoticeError, parse_holiday_notice

FIXTURES = Path(__file__).parent / "fixtures" / "holiday_notices"
NOTICE_YEARS = sorted(int(path.stem) for path in FIXTURES.glob("*.txt"))

# Days changed after the yearly notice by a notice of their own, which
# chinesecalendar carries but the yearly notice cannot.
SEPARATE_NOTICES: dict[int, dict[date, bool]] = {
    # 国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知
    2015: {date(2015, 9, 3): False, date(2015, 9, 4): False, date(2015, 9, 6): True},
    # 国务院办公厅关于调整2019年劳动节假期安排的通知 (国办发明电〔2019〕3号): 1-4 May
    2019: {
        date(2019, 4, 28): True,
        date(2019, 5, 2): False,
        date(2019, 5, 3): False,
        date(2019, 5, 5): True,
    },
    # 国务院办公厅关于延长2020年春节假期的通知 (the Saturday 2 February was a 上班 day)
    2020: {date(2020, 1, 31): False, date(2020, 2, 1): False, date(2020, 2, 2): False},
}

# chinesecalendar's English holiday names and how the notices write them.
NOTICE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def notice_text(year: int) -> str:
    return (FIXTURES / f"{year}.txt").read_text(encoding="utf-8")


def parsed(year: int) -> hn.HolidayNotice:
    return parse_holiday_notice(notice_text(year))


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def calendar_of(year: int) -> WorkingDayCalendar:
    """The product's calendar for ``year`` from the pasted notices alone.

    The next year's notice decides the end of December when its New Year
    break starts there (2019's notice makes 29 December 2018 a working day).
    """
    overrides = parsed(year).overrides().get(year, {})
    if year + 1 in NOTICE_YEARS:
        overrides = {**overrides, **parsed(year + 1).overrides().get(year, {})}
    overrides = {**overrides, **SEPARATE_NOTICES.get(year, {})}
    return WorkingDayCalendar(overrides={year: overrides}, complete_years=[year])


def test_fixtures_cover_at_least_five_years():
    assert len(NOTICE_YEARS) >= 5


@pytest.mark.parametrize("year", NOTICE_YEARS)
def test_every_day_of_the_year_matches_chinesecalendar(year):
    calendar = calendar_of(year)
    differences = [
        (day.isoformat(), calendar.is_working_day(day))
        for day in days_of(year)
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert differences == []


@pytest.mark.parametrize("year", NOTICE_YEARS)
def test_notice_year_comes_from_the_title(year):
    assert parsed(year).year == year


@pytest.mark.parametrize("year", NOTICE_YEARS)
def test_each_line_names_the_festival_chinesecalendar_gives_its_days(year):
    for festival in parsed(year).festivals:
        for day in festival.holidays + festival.workdays:
            _, name = chinese_calendar.get_holiday_detail(day)
            if day.weekday() >= 5 and name is None:
                continue  # a weekend the break runs into ("与周末连休") is unnamed
            assert NOTICE_NAMES[name] in festival.festival, (festival.line_text, day)


@pytest.mark.parametrize("year", NOTICE_YEARS)
def test_make_up_working_days_are_weekends(year):
    assert all(day.weekday() >= 5 for day in parsed(year).workdays)


def test_lines_of_2026_are_kept_with_their_days():
    notice = parsed(2026)
    new_year, spring = notice.festivals[:2]
    assert new_year.festival == "元旦"
    assert new_year.line_no == 5
    assert new_year.line_text.startswith("一、元旦：1月1日（周四）至3日（周六）")
    assert new_year.holidays == (date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 3))
    assert new_year.workdays == (date(2026, 1, 4),)
    assert spring.holidays[0] == date(2026, 2, 15) and len(spring.holidays) == 9
    assert spring.workdays == (date(2026, 2, 14), date(2026, 2, 28))


def test_2017_wording_with_make_up_day_off_and_weekend_break():
    notice = parsed(2017)
    assert notice.festivals[0].holidays == (date(2017, 1, 1), date(2017, 1, 2))
    assert notice.festivals[3].holidays == (date(2017, 5, 1),)
    assert notice.festivals[3].workdays == ()


def test_new_year_break_from_december_is_filed_under_the_previous_year():
    overrides = parsed(2019).overrides()
    assert overrides[2018] == {
        date(2018, 12, 29): True,
        date(2018, 12, 30): False,
        date(2018, 12, 31): False,
    }
    assert date(2018, 12, 29) in parsed(2019).workdays


def test_year_end_range_without_years_reaches_back_to_december():
    text = "国务院办公厅关于2028年部分节假日安排的通知\n一、元旦：12月31日至1月2日放假调休，共3天。"
    assert parse_holiday_notice(text).holidays == {
        date(2027, 12, 31),
        date(2028, 1, 1),
        date(2028, 1, 2),
    }


def test_a_year_chinesecalendar_does_not_know_becomes_usable():
    # Not a real notice: 2028 is beyond every chinesecalendar release.
    text = (
        "国务院办公厅关于2028年部分节假日安排的通知\n"
        "一、元旦：1月1日（周六）至3日（周一）放假，共3天。\n"
        "二、春节：1月25日至31日放假调休，共7天。1月22日（周六）上班。"
    )
    notice = parse_holiday_notice(text)
    with pytest.raises(UnknownHolidayYear):
        WorkingDayCalendar().is_working_day(date(2028, 1, 3))
    calendar = WorkingDayCalendar(overrides=notice.overrides(), complete_years=[notice.year])
    assert calendar.add_working_days(date(2027, 12, 31), 1) == date(2028, 1, 4)
    assert calendar.is_working_day(date(2028, 1, 22))  # 调休 Saturday
    assert not calendar.is_working_day(date(2028, 1, 28))


def test_document_number_and_issue_date():
    notice = parsed(2019)
    assert notice.document_number == "国办发明电〔2018〕15号"
    assert notice.issued_on == date(2018, 12, 4)
    assert parsed(2026).document_number is None  # the news copy leaves it out


def test_title_broken_over_two_lines():
    assert notice_text(2025).startswith("国务院办公厅关于2025年\n部分节假日安排的通知")
    assert parsed(2025).year == 2025


def test_half_width_punctuation_and_spaces_of_web_copies():
    half_width = notice_text(2026).translate(str.maketrans("：，（）", ":,()"))
    spaced = half_width.replace("一、元旦:1月1日", "一、 元旦: 1 月 1 日")
    assert parse_holiday_notice(spaced).holidays == parsed(2026).holidays
    assert parse_holiday_notice(spaced).workdays == parsed(2026).workdays


def test_advice_to_rest_on_new_years_eve_changes_nothing():
    assert date(2024, 2, 9) not in parsed(2024).holidays


def with_line(year: int, prefix: str, replacement: str) -> tuple[str, int]:
    """The notice of ``year`` with the line starting ``prefix`` replaced; and its number."""
    lines = notice_text(year).splitlines()
    (index,) = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    lines[index] = replacement
    return "\n".join(lines), index + 1


@pytest.mark.parametrize(
    ("replacement", "reason", "fragment"),
    [
        ("二、春节：二月十五日至二十三日放假调休，共9天。", hn.NO_DATES, "二月十五日至二十三日放假调休"),
        ("二、春节：2月30日至3月1日放假调休，共9天。", hn.INVALID_DATE, "2月30日"),
        ("二、春节：2月15日（周日）至23日（周一）放假调休，共9天。2月16日（周一）上班。",
         hn.WORKDAY_NOT_WEEKEND, "2026年2月16日"),
        ("二、春节：2月15日（周一）至23日（周一）放假调休，共9天。", hn.WEEKDAY_MISMATCH, "2月15日(周一)"),
        ("二、春节：2月15日至23日放假调休，共8天。", hn.TOTAL_MISMATCH, "共8天"),
        ("二、春节：2月23日至15日放假调休。", hn.BAD_RANGE, "2月23日至15日放假调休"),
        ("二、春节：2月15日至23日放假调休，共9天。2月15日（周日）上班。",
         hn.DAY_LISTED_TWICE, "2026年2月15日"),
        ("二、春节：2025年2月15日放假。", hn.YEAR_OUT_OF_RANGE, "2025年2月15日"),
        ("二、春节：15日至23日放假调休，共9天。", hn.MISSING_MONTH, "15日"),
        ("二、春节：2月15日至23日休息，共9天。", hn.UNRECOGNISED_PHRASE, "2月15日至23日休息"),
        ("二、春节：2月15日—23日放假，共9天。", hn.UNRECOGNISED_PHRASE, "2月15日—23日放假"),
        ("二、春节 2月15日至23日放假调休，共9天。", hn.UNREADABLE_LINE, ""),
    ],
)
def test_malformed_festival_line_is_refused_naming_the_line(replacement, reason, fragment):
    text, line_no = with_line(2026, "二、春节", replacement)
    with pytest.raises(HolidayNoticeError) as refused:
        parse_holiday_notice(text)
    error = refused.value
    assert (error.reason, error.line_no, error.line_text, error.fragment) == (
        reason,
        line_no,
        replacement,
        fragment,
    )
    assert f"line {line_no} " in str(error)
    assert reason in hn.REASONS


def test_day_listed_in_two_festival_lines_is_refused_at_the_second():
    text, line_no = with_line(2026, "三、清明节", "三、清明节：2月23日放假。")
    with pytest.raises(HolidayNoticeError) as refused:
        parse_holiday_notice(text)
    assert (refused.value.reason, refused.value.line_no) == (hn.DAY_LISTED_TWICE, line_no)


def test_notice_without_year_in_the_title_is_refused_at_its_first_line():
    text = "\n" + notice_text(2026).replace("关于2026年部分节假日安排的通知", "关于部分节假日安排的通知")
    with pytest.raises(HolidayNoticeError) as refused:
        parse_holiday_notice(text)
    assert (refused.value.reason, refused.value.line_no) == (hn.NO_TITLE, 2)
    assert refused.value.line_text == "国务院办公厅关于部分节假日安排的通知"


def test_notice_without_festival_lines_is_refused():
    with pytest.raises(HolidayNoticeError) as refused:
        parse_holiday_notice("国务院办公厅关于2027年部分节假日安排的通知\n节假日期间，各地区要妥善安排好值班。")
    assert (refused.value.reason, refused.value.line_no) == (hn.NO_FESTIVAL_LINES, 1)


def test_empty_paste_is_refused():
    with pytest.raises(HolidayNoticeError) as refused:
        parse_holiday_notice("")
    assert refused.value.reason == hn.NO_TITLE


def test_issue_date_that_does_not_exist_is_refused():
    text = notice_text(2026).replace("2025年11月4日", "2025年11月31日")
    with pytest.raises(HolidayNoticeError) as refused:
        parse_holiday_notice(text)
    assert (refused.value.reason, refused.value.fragment) == (hn.INVALID_DATE, "2025年11月31日")
