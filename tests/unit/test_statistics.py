"""Statutory statistics (执法数据报送): periods and due dates, zero categories, remedy rates."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from enforcement_core.statistics import (
    ANNUAL, CATEGORIES, HALF_YEAR, CategoryFigures, RemedyFigures, missing_zero_reasons, percent, period,
    period_due_on, totals, zero_categories,
)


def test_half_year_is_january_to_june_due_31_july():
    p = period(HALF_YEAR, 2026)
    assert (p.date_from, p.date_to, p.due, p.code) == (date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 31),
                                                       "2026-H1")


def test_annual_is_the_calendar_year_due_31_january_next_year():
    p = period(ANNUAL, 2026)
    assert (p.date_from, p.date_to, p.due, p.code) == (date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 31),
                                                       "2026")


def test_unknown_period_kind_is_refused():
    with pytest.raises(ValueError, match="quarter"):
        period("quarter", 2026)


@pytest.mark.parametrize(("on", "kind", "year"), [
    (date(2026, 1, 15), ANNUAL, 2025),   # last year's report is due on 31 January
    (date(2026, 1, 31), ANNUAL, 2025),   # the due day itself
    (date(2026, 2, 1), HALF_YEAR, 2026),
    (date(2026, 7, 31), HALF_YEAR, 2026),
    (date(2026, 8, 1), ANNUAL, 2026),
    (date(2026, 12, 1), ANNUAL, 2026),
])
def test_the_report_due_next(on, kind, year):
    due = period_due_on(on)
    assert (due.kind, due.year) == (kind, year)


def test_every_category_of_item_31_and_fees_in_order():
    assert CATEGORIES == ("penalty", "licence", "compulsion", "levy", "inspection", "adjudication", "benefit",
                          "confirmation", "reward", "fee")


def test_zero_categories_need_a_written_reason_blank_is_none():
    figures = [CategoryFigures("penalty", cases=12), CategoryFigures("reward"), CategoryFigures("licence")]
    assert zero_categories(figures) == ["licence", "reward"]  # report order, not input order
    assert missing_zero_reasons(figures, {"licence": "本局无行政许可职权", "reward": "   "}) == ["reward"]
    assert missing_zero_reasons(figures, {"licence": "无", "reward": "本年度无奖励事项"}) == []


def test_remedy_rates_are_exact_over_concluded_cases():
    r = RemedyFigures(applied=7, maintained=4, changed=1, revoked=1, unlawful=0, other=0)
    assert (r.concluded, r.corrected) == (6, 2)
    assert r.maintained_rate == Fraction(2, 3)
    assert r.corrected_rate == Fraction(1, 3)
    assert (percent(r.maintained_rate), percent(r.corrected_rate)) == ("66.67%", "33.33%")


def test_no_concluded_remedy_has_no_rate_not_zero_percent():
    r = RemedyFigures(applied=2)
    assert r.maintained_rate is None and percent(r.corrected_rate) == "—"


@pytest.mark.parametrize(("rate", "places", "shown"), [
    (Fraction(1, 8), 1, "12.5%"),
    (Fraction(1, 8), 2, "12.50%"),
    (Fraction(1, 200000), 3, "0.001%"),   # 0.0005 % rounds half up
    (Fraction(1, 1), 2, "100.00%"),
    (Fraction(0, 1), 2, "0.00%"),
])
def test_percent_rounds_half_up_only_at_the_end(rate, places, shown):
    assert percent(rate, places) == shown


def test_results_of_earlier_applications_count_in_the_period_they_are_given():
    """A period may conclude more remedies than were applied for in it (applied the year before)."""
    r = RemedyFigures(applied=1, maintained=1, revoked=2)
    assert (r.concluded, percent(r.corrected_rate)) == (3, "66.67%")
    with pytest.raises(ValueError, match="negative"):
        RemedyFigures(applied=-1)


def test_figures_from_the_results_recorded_on_decisions():
    """Partly revoked counts as revoked, invalid as unlawful; an order to perform a duty, a dismissal
    and a withdrawal are concluded otherwise."""
    r = RemedyFigures.from_results({"applied": 5, "maintained": 2, "partly_revoked": 1, "revoked": 1,
                                    "invalid": 1, "changed": 0, "dismissed": 1, "withdrawn": 1,
                                    "perform_duty": 1, "something_new": 1})
    assert r == RemedyFigures(applied=5, maintained=2, changed=0, revoked=2, unlawful=1, other=4)
    assert percent(r.corrected_rate) == "33.33%"


def test_totals_sum_every_figure():
    figures = [
        CategoryFigures("penalty", cases=10, fine_total=Decimal("25000.50"), hearings=2, legal_reviews=3,
                        collective_decisions=1,
                        reconsideration=RemedyFigures(applied=2, maintained=1, revoked=1),
                        litigation=RemedyFigures(applied=1, unlawful=1)),
        CategoryFigures("licence", cases=5, manual=True, reconsideration=RemedyFigures(applied=1, changed=1)),
    ]
    total = totals(figures)
    assert (total.cases, total.fine_total, total.hearings, total.legal_reviews, total.collective_decisions) == (
        15, Decimal("25000.50"), 2, 3, 1)
    assert total.reconsideration == RemedyFigures(applied=3, maintained=1, changed=1, revoked=1)
    assert percent(total.reconsideration.corrected_rate) == "66.67%"
    assert total.litigation.corrected_rate == 1


def test_unknown_category_and_negative_figures_are_refused():
    with pytest.raises(ValueError, match="unknown statistics category"):
        CategoryFigures("tax")
    with pytest.raises(ValueError, match="fine_total"):
        CategoryFigures("penalty", fine_total=Decimal("-1"))
