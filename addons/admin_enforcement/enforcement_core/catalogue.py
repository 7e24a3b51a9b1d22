"""Catalogue of major enforcement decisions (重大执法决定法制审核目录清单).

Each bureau publishes which decisions need legal review before they may be
made: certain categories or matters, fines above an amount (different for
persons and organisations), certain penalty types, decisions after a
hearing, complex cases, or, in some provinces, every ordinary-procedure
penalty. The rules are data; :func:`evaluate` reports every rule that fired
with a readable reason, because the review opinion cites them.

Rules are compiled once into lookup tables (dicts keyed by category, matter
and penalty type, thresholds sorted for bisection), so evaluating a case
costs a few dict lookups regardless of the catalogue's size.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .surcharge import to_money
from .vocabulary import ORGANISATION, PERSON, check_party_type, check_penalty_types

CATEGORY = "category"
MATTER = "matter"
FINE_THRESHOLD = "fine_threshold"
PENALTY_TYPE = "penalty_type"
HEARING_HELD = "hearing_held"
COMPLEX = "complex"
ALL_ORDINARY = "all_ordinary"
RULE_KINDS = frozenset(
    {CATEGORY, MATTER, FINE_THRESHOLD, PENALTY_TYPE, HEARING_HELD, COMPLEX, ALL_ORDINARY}
)
#: Rule kinds that match on ``values`` and are meaningless without them.
_VALUE_KINDS = frozenset({CATEGORY, MATTER, PENALTY_TYPE})

ORDINARY = "ordinary"
PROCEDURES = frozenset({"simple", ORDINARY})


@dataclass(frozen=True)
class CatalogueRule:
    """One line of the catalogue.

    ``values`` holds the categories / matter codes / penalty types the rule
    matches; for ``all_ordinary`` it optionally limits the rule to some
    categories (empty = every category). Thresholds are yuan and only used
    by ``fine_threshold`` rules; a missing threshold means the rule does not
    apply to that party type.
    """

    code: str
    kind: str
    label: str
    values: frozenset[str] = frozenset()
    person_threshold: Decimal | None = None
    organisation_threshold: Decimal | None = None

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(
                f"catalogue rule {self.code!r}: unknown kind {self.kind!r}; "
                f"expected one of {sorted(RULE_KINDS)}"
            )
        object.__setattr__(self, "values", frozenset(self.values))
        if self.kind in _VALUE_KINDS and not self.values:
            raise ValueError(f"catalogue rule {self.code!r} of kind {self.kind!r} lists no values")
        if self.kind == PENALTY_TYPE:
            check_penalty_types(self.values)
        for attribute in ("person_threshold", "organisation_threshold"):
            value = getattr(self, attribute)
            if value is not None:
                object.__setattr__(self, attribute, to_money(value, f"rule {self.code!r} {attribute}"))
        if self.kind == FINE_THRESHOLD and self.person_threshold is None and self.organisation_threshold is None:
            raise ValueError(f"catalogue rule {self.code!r} is a fine threshold without any threshold")


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the catalogue looks at in a case (validated by the caller's model)."""

    category: str
    procedure: str  # "simple" or "ordinary"
    party_type: str  # "person" or "organisation"
    matter_code: str = ""
    fine_amount: Decimal = Decimal(0)
    penalty_types: frozenset[str] = frozenset()
    hearing_held: bool = False
    complex_case: bool = False  # complex facts or several legal relations


@dataclass(frozen=True, slots=True)
class FiredRule:
    rule_code: str
    reason_text: str


class Catalogue:
    """Rules compiled into lookup tables; build once per catalogue version."""

    def __init__(self, rules: Iterable[CatalogueRule]):
        self.rules = tuple(rules)
        seen: set[str] = set()
        for rule in self.rules:
            if rule.code in seen:
                raise ValueError(f"catalogue repeats rule code {rule.code!r}")
            seen.add(rule.code)
        # Each table maps a key to (rule position, FiredRule) pairs; the
        # position restores catalogue order when several rules fire.
        self._by_category: dict[str, list[tuple[int, FiredRule]]] = {}
        self._by_matter: dict[str, list[tuple[int, FiredRule]]] = {}
        self._by_penalty: dict[str, list[tuple[int, FiredRule]]] = {}
        self._hearing: list[tuple[int, FiredRule]] = []
        self._complex: list[tuple[int, FiredRule]] = []
        self._ordinary: list[tuple[int, frozenset[str], FiredRule]] = []
        thresholds: dict[str, list[tuple[Decimal, int, CatalogueRule]]] = {
            PERSON: [],
            ORGANISATION: [],
        }
        for position, rule in enumerate(self.rules):
            if rule.kind == CATEGORY:
                self._index(self._by_category, position, rule, "category")
            elif rule.kind == MATTER:
                self._index(self._by_matter, position, rule, "enforcement matter")
            elif rule.kind == PENALTY_TYPE:
                self._index(self._by_penalty, position, rule, "penalty type")
            elif rule.kind == HEARING_HELD:
                self._hearing.append((position, FiredRule(rule.code, f"{rule.label}: a hearing was held")))
            elif rule.kind == COMPLEX:
                self._complex.append(
                    (position, FiredRule(rule.code, f"{rule.label}: complex case or several legal relations"))
                )
            elif rule.kind == ALL_ORDINARY:
                fired = FiredRule(rule.code, f"{rule.label}: ordinary-procedure case")
                self._ordinary.append((position, rule.values, fired))
            else:  # FINE_THRESHOLD
                if rule.person_threshold is not None:
                    thresholds[PERSON].append((rule.person_threshold, position, rule))
                if rule.organisation_threshold is not None:
                    thresholds[ORGANISATION].append((rule.organisation_threshold, position, rule))
        # Sorted ascending, so the rules a fine reaches are a prefix found by bisection.
        self._thresholds = {}
        for party_type, rows in thresholds.items():
            rows.sort(key=lambda row: (row[0], row[1]))
            self._thresholds[party_type] = ([row[0] for row in rows], rows)

    @staticmethod
    def _index(table: dict, position: int, rule: CatalogueRule, what: str) -> None:
        for value in sorted(rule.values):
            fired = FiredRule(rule.code, f"{rule.label}: {what} {value!r} is listed")
            table.setdefault(value, []).append((position, fired))

    def evaluate(self, case: CaseFacts) -> list[FiredRule]:
        """Every rule that fires for ``case``, in catalogue order."""
        hits: list[tuple[int, FiredRule]] = []
        found = self._by_category.get(case.category)
        if found:
            hits.extend(found)
        if case.matter_code:
            found = self._by_matter.get(case.matter_code)
            if found:
                hits.extend(found)
        if case.penalty_types:
            by_penalty = self._by_penalty
            for penalty_type in case.penalty_types:
                found = by_penalty.get(penalty_type)
                if found:
                    hits.extend(found)
        if case.fine_amount:
            keys, rows = self._thresholds[check_party_type(case.party_type)]
            reached = bisect_right(keys, case.fine_amount)
            for threshold, position, rule in rows[:reached]:
                hits.append(
                    (
                        position,
                        FiredRule(
                            rule.code,
                            f"{rule.label}: fine {case.fine_amount:.2f} yuan reaches the "
                            f"{case.party_type} threshold {threshold:.2f} yuan",
                        ),
                    )
                )
        if case.hearing_held:
            hits.extend(self._hearing)
        if case.complex_case:
            hits.extend(self._complex)
        if case.procedure == ORDINARY:
            for position, categories, fired in self._ordinary:
                if not categories or case.category in categories:
                    hits.append((position, fired))
        elif case.procedure not in PROCEDURES:
            raise ValueError(
                f"unknown procedure {case.procedure!r}; expected one of {sorted(PROCEDURES)}"
            )
        if len(hits) > 1:
            # A rule listing two of the case's penalty types fires once.
            unique = {position: fired for position, fired in hits}
            return [unique[position] for position in sorted(unique)]
        return [fired for _, fired in hits]

    def is_major(self, case: CaseFacts) -> bool:
        return bool(self.evaluate(case))


def evaluate(rules: Catalogue | Iterable[CatalogueRule], case: CaseFacts) -> list[FiredRule]:
    """Every rule that fires for ``case``; pass a :class:`Catalogue` to avoid recompiling."""
    catalogue = rules if isinstance(rules, Catalogue) else Catalogue(rules)
    return catalogue.evaluate(case)


def is_major(rules: Catalogue | Iterable[CatalogueRule], case: CaseFacts) -> bool:
    """A case is a major decision, needing legal review, if any catalogue rule fires."""
    return bool(evaluate(rules, case))
