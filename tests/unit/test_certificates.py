"""持证上岗: who may act on a case, and the annual review."""

from datetime import date

import pytest

from enforcement_core.certificates import (
    CertificateFacts,
    CertState,
    annual_review_outcome,
    check_case_team,
    check_officer_eligible,
)


def cert(number="33010020260001", state="valid", valid_to=date(2026, 6, 30), categories=("market",), areas=("330106",)):
    return CertificateFacts(
        number=number,
        state=state,
        valid_from=date(2024, 7, 1),
        valid_to=valid_to,
        categories=frozenset(categories),
        areas=frozenset(areas),
    )


ON = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("certificate", "on_date", "expected_reasons"),
    [
        (cert(), ON, []),
        (cert(), date(2026, 6, 30), []),  # valid on its last day
        (cert(), date(2026, 7, 1), ["certificate 33010020260001 expired on 2026-06-30"]),  # the day after
        (cert(), date(2024, 6, 30), ["certificate 33010020260001 is valid only from 2024-07-01"]),
        (cert(state="suspended"), ON, ["certificate 33010020260001 is suspended"]),
        (cert(state=CertState.REVOKED), ON, ["certificate 33010020260001 is revoked"]),
        (cert(categories=("transport",)), ON, ["certificate 33010020260001 does not cover enforcement category 'market'"]),
        (cert(areas=("330105",)), ON, ["certificate 33010020260001 does not cover area '330106'"]),
        (None, ON, ["officer holds no enforcement certificate"]),
        (
            cert(state="expired", areas=("330105",)),
            date(2026, 7, 2),
            [
                "certificate 33010020260001 is expired",
                "certificate 33010020260001 expired on 2026-06-30",
                "certificate 33010020260001 does not cover area '330106'",
            ],
        ),
    ],
)
def test_check_officer_eligible(certificate, on_date, expected_reasons):
    assert check_officer_eligible(certificate, "market", "330106", on_date) == expected_reasons


def test_team_of_two_eligible_officers_is_ok():
    result = check_case_team({1: cert("A"), 2: cert("B")}, "market", "330106", ON)
    assert result.ok and result.reasons == [] and result.eligible_officer_ids == [1, 2]


@pytest.mark.parametrize(
    ("team", "conflicted", "expected_fragment"),
    [
        ({1: cert("A")}, (), "1 eligible officer(s) assigned, at least 2 required"),
        ({}, (), "0 eligible officer(s) assigned, at least 2 required"),
        ({1: cert("A"), 2: cert("B", state="suspended")}, (), "officer 2: certificate B is suspended"),
        ({1: cert("A"), 2: cert("B"), 3: cert("C")}, (3,), "officer 3: officer has a conflict of interest"),
        ({1: cert("A"), 2: cert("B"), 3: None}, (), "officer 3: officer holds no enforcement certificate"),
    ],
)
def test_team_refused(team, conflicted, expected_fragment):
    result = check_case_team(team, "market", "330106", ON, conflicted_officer_ids=conflicted)
    assert not result.ok
    assert any(expected_fragment in reason for reason in result.reasons), result.reasons


def test_refused_officers_are_listed_with_their_reasons():
    result = check_case_team({1: cert("A"), 2: cert("B"), 3: cert("C")}, "market", "330106", ON, {3})
    assert result.eligible_officer_ids == [1, 2]
    assert list(result.refused) == [3]


def test_minimum_is_configurable():
    result = check_case_team({1: cert("A"), 2: cert("B")}, "market", "330106", ON, minimum=3)
    assert not result.ok


def test_certificate_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="valid_to 2024-01-01 is before valid_from 2024-07-01"):
        cert(valid_to=date(2024, 1, 1))


def test_unknown_state_is_refused():
    with pytest.raises(ValueError, match="'lost'"):
        cert(state="lost")


@pytest.mark.parametrize(
    ("hours", "required", "faults", "passed", "reasons"),
    [
        (40, 40, 0, True, []),
        (39.5, 40, 0, False, ["39.5 training hours, 40 required"]),
        (60, 40, 1, False, ["1 enforcement fault(s) recorded this year"]),
        (30, 30, 0, True, []),  # province requiring 30 hours
        (10, 40, 2, False, ["10 training hours, 40 required", "2 enforcement fault(s) recorded this year"]),
    ],
)
def test_annual_review(hours, required, faults, passed, reasons):
    outcome = annual_review_outcome(hours, required, faults)
    assert (outcome.passed, outcome.reasons) == (passed, reasons)


def test_annual_review_refuses_negative_figures():
    with pytest.raises(ValueError, match="must not be negative"):
        annual_review_outcome(-1)


def test_reasons_carry_a_code_and_the_facts_they_name():
    """The Odoo layer writes each reason in the reader's language from code and params."""
    expired, area = check_officer_eligible(cert(areas=("330105",)), "market", "330106", date(2026, 7, 1))
    assert (expired.code, dict(expired.params)) == (
        "certificate_expired", {"number": "33010020260001", "valid_to": date(2026, 6, 30)})
    assert (area.code, dict(area.params)) == ("area_not_covered", {"number": "33010020260001", "area": "330106"})
    team = check_case_team({1: cert("A")}, "market", "330106", ON)
    assert [(r.code, dict(r.params)) for r in team.reasons] == [("team_too_small", {"eligible": 1, "minimum": 2})]
