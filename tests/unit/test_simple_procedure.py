"""The simple procedure (当场处罚, 行政处罚法 arts. 51, 68, 69): who may be
penalised on the spot, and when the fine may be collected there."""

from decimal import Decimal

import pytest

from enforcement_core.deadlines import DEFAULT_RULES
from enforcement_core.simple_procedure import (
    HARD_TO_ENFORCE, REMOTE_AREA, SMALL_FINE, SimpleLimits, onsite_collection_problems, simple_eligibility,
)

BASIS = "《食品安全法》第一百三十二条"


def codes(result):
    return [reason.code for reason in result.reasons]


@pytest.mark.parametrize(
    ("party", "types", "fine", "eligible"),
    [
        ("person", {"fine"}, "200", True),  # the statute's limit itself
        ("person", {"fine"}, "200.01", False),
        ("organisation", {"fine"}, "3000", True),
        ("organisation", {"fine"}, "3000.01", False),
        ("person", {"warning"}, "0", True),
        ("organisation", {"warning", "fine"}, "500", True),
        ("person", set(), "50", True),  # a fine amount alone names the fine
        ("organisation", {"confiscation"}, "0", False),
        ("person", {"licence_suspension", "fine"}, "100", False),
    ],
)
def test_statutory_limits(party, types, fine, eligible):
    result = simple_eligibility(party, types, fine, facts_certain=True, legal_basis=BASIS)
    assert result.eligible is eligible, result.reasons


def test_uncertain_facts_and_no_basis_are_each_a_reason():
    result = simple_eligibility("person", {"fine"}, "50", facts_certain=False, legal_basis="  ")
    assert not result.eligible
    assert codes(result) == ["simple_facts_uncertain", "simple_no_basis"]


def test_a_fine_above_the_limit_says_the_limit_and_the_party_type():
    result = simple_eligibility("person", {"fine"}, "500", facts_certain=True, legal_basis=BASIS)
    [reason] = result.reasons
    assert reason.code == "simple_fine_above_limit"
    assert reason.params["limit"] == Decimal("200") and reason.params["party_type"] == "person"


def test_nothing_to_impose_or_a_fine_without_amount_is_refused():
    assert codes(simple_eligibility("person", set(), "0", facts_certain=True, legal_basis=BASIS)) == [
        "simple_no_penalty"]
    assert codes(simple_eligibility("person", {"fine"}, "0", facts_certain=True, legal_basis=BASIS)) == [
        "simple_fine_missing"]


def test_sector_law_lowers_the_limits():
    lower = SimpleLimits(fine_person=Decimal("50"), fine_organisation=Decimal("1000"))
    assert not simple_eligibility("person", {"fine"}, "100", facts_certain=True, legal_basis=BASIS,
                                  limits=lower).eligible
    assert simple_eligibility("organisation", {"fine"}, "1000", facts_certain=True, legal_basis=BASIS,
                              limits=lower).eligible


@pytest.mark.parametrize("limits", [dict(fine_person="201"), dict(fine_organisation="5000"),
                                    dict(onsite_collection="150"), dict(officers_required=0)])
def test_limits_cannot_go_above_the_statute(limits):
    with pytest.raises(ValueError):
        SimpleLimits(**limits)


def test_unknown_penalty_type_is_an_error_not_a_refusal():
    with pytest.raises(ValueError, match="unknown penalty type"):
        simple_eligibility("person", {"fines"}, "50", facts_certain=True, legal_basis=BASIS)


@pytest.mark.parametrize(
    ("fine", "ground", "asked", "problem"),
    [
        ("100", SMALL_FINE, False, None),  # art. 68 (1)
        ("100.50", SMALL_FINE, False, "collection_above_limit"),
        ("180", HARD_TO_ENFORCE, False, None),  # art. 68 (2)
        ("2000", REMOTE_AREA, True, None),  # art. 69, the party asks
        ("2000", REMOTE_AREA, False, "collection_not_asked"),
        ("0", SMALL_FINE, False, "collection_no_fine"),
    ],
)
def test_onsite_collection(fine, ground, asked, problem):
    problems = onsite_collection_problems(fine, ground, party_asked=asked)
    assert [p.code for p in problems] == ([problem] if problem else [])


def test_a_lower_collection_limit_applies():
    assert onsite_collection_problems("80", SMALL_FINE, limits=SimpleLimits(onsite_collection=Decimal("50")))


def test_filing_with_the_agency_has_a_default_period():
    rule = DEFAULT_RULES["simple_filing"]
    assert (rule.amount, rule.unit) == (2, "working")
