"""Statutory enforcement statistics (行政执法数据报送), without Odoo.

Jiangmen opinions item 三十一: every half year an enforcement body reports its
enforcement data to the government at its level and to its superior
department, January–June by 31 July and the whole year by 31 January of the
next year; a category with no enforcement at all is explained. 118号 and the
Hebei plan: the previous year's figures are published by 31 January.

The categories are the nine of item 三十一 plus fees (收费). For each the
report gives the cases, the fines, hearings, legal reviews and collective
decisions, and the related 行政复议 and 行政诉讼 figures (applied for, and
of those concluded: maintained, changed, revoked, confirmed unlawful).
Rates are exact fractions; only their display is rounded (half up).
"""
from __future__ import annotations

import math

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from fractions import Fraction

HALF_YEAR = "half_year"
ANNUAL = "annual"
PERIOD_KINDS = (HALF_YEAR, ANNUAL)

#: The reporting categories, in the order of item 三十一, then fees.
CATEGORIES = (
    "penalty", "licence", "compulsion", "levy", "inspection",
    "adjudication", "benefit", "confirmation", "reward", "fee",
)
CATEGORY_NAMES_ZH = {
    "penalty": "行政处罚", "licence": "行政许可", "compulsion": "行政强制", "levy": "行政征收",
    "inspection": "行政检查", "adjudication": "行政裁决", "benefit": "行政给付", "confirmation": "行政确认",
    "reward": "行政奖励", "fee": "行政收费",
}
#: Categories whose cases the product itself handles, so their figures are
#: computed from its data; every other one is entered by hand on the report.
PROCESSED_CATEGORIES = frozenset({
    "penalty",  # penalty cases decided
    "compulsion",  # 查封、扣押 measures taken
    "inspection",  # inspections carried out, drawn at random or not
})

#: Outcomes of a 复议 or 诉讼 that the report counts; "other" is a concluded
#: remedy with none of them (withdrawn, terminated, dismissed on procedure).
REMEDY_OUTCOMES = ("maintained", "changed", "revoked", "unlawful", "other")
CORRECTED_OUTCOMES = ("changed", "revoked", "unlawful")
REMEDY_KINDS = ("reconsideration", "litigation")


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    date_from: date
    date_to: date
    due: date

    @property
    def code(self) -> str:
        """A stable code for the period, e.g. ``2026-H1`` or ``2026``."""
        return f"{self.year}-H1" if self.kind == HALF_YEAR else str(self.year)


def period(kind: str, year: int) -> Period:
    """The reporting period and its due date: January–June due 31 July of
    the same year; the year due 31 January of the next."""
    if kind == HALF_YEAR:
        return Period(kind, year, date(year, 1, 1), date(year, 6, 30), date(year, 7, 31))
    if kind == ANNUAL:
        return Period(kind, year, date(year, 1, 1), date(year, 12, 31), date(year + 1, 1, 31))
    raise ValueError(f"unknown statistics period {kind!r}; expected one of {PERIOD_KINDS}")


def period_due_on(on: date) -> Period:
    """The next report due on or after ``on`` (what a bureau prepares now)."""
    candidates = [period(HALF_YEAR, on.year), period(ANNUAL, on.year - 1), period(ANNUAL, on.year)]
    return min((p for p in candidates if p.due >= on), key=lambda p: p.due)


#: How each result of a reconsideration decision or judgment counts in the
#: report (the results recorded on a decision's remedy).
RESULT_OUTCOME = {
    "maintained": "maintained",
    "changed": "changed",
    "revoked": "revoked", "partly_revoked": "revoked",
    "unlawful": "unlawful", "invalid": "unlawful",
    "perform_duty": "other", "dismissed": "other", "withdrawn": "other",
}


@dataclass(frozen=True)
class RemedyFigures:
    """行政复议 or 行政诉讼 figures of one category in one period: the
    applications made in the period, and the results given in the period
    (a result may concern an application of an earlier period)."""

    applied: int = 0
    maintained: int = 0
    changed: int = 0
    revoked: int = 0
    unlawful: int = 0
    other: int = 0

    def __post_init__(self):
        for name in ("applied", *REMEDY_OUTCOMES):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")

    @classmethod
    def from_results(cls, counts: dict[str, int]) -> RemedyFigures:
        """From ``{"applied": n, <result>: n, ...}``; a result not in
        RESULT_OUTCOME is a concluded remedy of another kind ("other")."""
        values = {"applied": counts.get("applied", 0)}
        for result, number in counts.items():
            if result != "applied" and number:
                outcome = RESULT_OUTCOME.get(result, "other")
                values[outcome] = values.get(outcome, 0) + number
        return cls(**values)

    @property
    def concluded(self) -> int:
        return sum(getattr(self, name) for name in REMEDY_OUTCOMES)

    @property
    def corrected(self) -> int:
        """Changed, revoked or confirmed unlawful (纠错)."""
        return sum(getattr(self, name) for name in CORRECTED_OUTCOMES)

    @property
    def maintained_rate(self) -> Fraction | None:
        """Maintained among the concluded; None when none concluded (no rate, not 0 %)."""
        return Fraction(self.maintained, self.concluded) if self.concluded else None

    @property
    def corrected_rate(self) -> Fraction | None:
        """Changed, revoked or confirmed unlawful among the concluded (纠错率)."""
        return Fraction(self.corrected, self.concluded) if self.concluded else None

    def __add__(self, other: RemedyFigures) -> RemedyFigures:
        return RemedyFigures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True)
class CategoryFigures:
    """The figures of one category in one period."""

    category: str
    cases: int = 0
    fine_total: Decimal = Decimal("0.00")
    hearings: int = 0
    legal_reviews: int = 0
    collective_decisions: int = 0
    reconsideration: RemedyFigures = field(default_factory=RemedyFigures)
    litigation: RemedyFigures = field(default_factory=RemedyFigures)
    manual: bool = False

    def __post_init__(self):
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown statistics category {self.category!r}")
        for name in ("cases", "hearings", "legal_reviews", "collective_decisions"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")
        if self.fine_total < 0:
            raise ValueError("fine_total cannot be negative")

    @property
    def is_zero(self) -> bool:
        """No enforcement at all in the category (零执法): it needs a written reason."""
        return self.cases == 0


def totals(figures: list[CategoryFigures]) -> CategoryFigures:
    """One line summing every category (the report's 合计); its category is
    the first one's, only the sums matter."""
    return CategoryFigures(
        category=CATEGORIES[0],
        cases=sum(f.cases for f in figures),
        fine_total=sum((f.fine_total for f in figures), Decimal("0.00")),
        hearings=sum(f.hearings for f in figures),
        legal_reviews=sum(f.legal_reviews for f in figures),
        collective_decisions=sum(f.collective_decisions for f in figures),
        reconsideration=sum((f.reconsideration for f in figures), RemedyFigures()),
        litigation=sum((f.litigation for f in figures), RemedyFigures()),
    )


def zero_categories(figures: list[CategoryFigures]) -> list[str]:
    """The categories with no cases, in report order."""
    zero = {f.category for f in figures if f.is_zero}
    return [c for c in CATEGORIES if c in zero]


def missing_zero_reasons(figures: list[CategoryFigures], reasons: dict[str, str]) -> list[str]:
    """Zero categories without a written reason (blank text is no reason)."""
    return [c for c in zero_categories(figures) if not (reasons.get(c) or "").strip()]


def percent(rate: Fraction | None, places: int = 2) -> str:
    """A rate as a percentage, rounded half up at the end only; "—" when there is no rate."""
    if rate is None:
        return "—"
    scaled = rate * 100 * 10 ** places
    rounded = math.floor(scaled + Fraction(1, 2))  # half up, on the exact fraction
    return f"{Decimal(rounded).scaleb(-places):.{places}f}%"
