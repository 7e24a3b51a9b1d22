"""Hearing eligibility (行政处罚法 art. 63) with configurable thresholds."""

from decimal import Decimal

import pytest

from enforcement_core.hearing import HearingThresholds, hearing_eligibility


@pytest.mark.parametrize(
    ("party", "types", "fine", "confiscation", "eligible"),
    [
        ("person", {"fine"}, "10000", "0", True),  # threshold reached exactly
        ("person", {"fine"}, "9999.99", "0", False),
        ("organisation", {"fine"}, "99999.99", "0", False),
        ("organisation", {"fine"}, "100000", "0", True),
        ("person", {"confiscation_large"}, "0", "0", True),
        ("person", {"confiscation"}, "0", "10000", True),
        ("person", {"licence_revocation"}, "0", "0", True),
        ("organisation", {"qualification_lowering"}, "0", "0", True),
        ("organisation", {"stop_production"}, "0", "0", True),
        ("organisation", {"closure"}, "0", "0", True),
        ("person", {"restrict_practice"}, "0", "0", True),
        ("person", {"warning"}, "0", "0", False),
        ("organisation", {"licence_suspension", "fine"}, "5000", "0", False),
    ],
)
def test_default_thresholds(party, types, fine, confiscation, eligible):
    assert hearing_eligibility(party, types, fine, confiscation).eligible is eligible


def test_reasons_name_amount_and_threshold():
    result = hearing_eligibility("organisation", {"fine", "closure"}, "150000")
    assert result.reasons == [
        "fine 150000.00 yuan reaches the organisation threshold 100000.00 yuan",
        "penalty type 'closure' always allows a hearing",
    ]


def test_thresholds_are_configurable():
    province = HearingThresholds(fine_person=Decimal("5000"), fine_organisation=Decimal("50000"))
    assert hearing_eligibility("person", {"fine"}, "5000", thresholds=province).eligible
    assert not hearing_eligibility("person", {"fine"}, "5000").eligible


@pytest.mark.parametrize(
    ("party", "types", "message"),
    [
        ("company", {"fine"}, "unknown party type 'company'"),
        ("person", {"fines"}, r"unknown penalty type\(s\) \['fines'\]"),
    ],
)
def test_unknown_codes_are_refused(party, types, message):
    with pytest.raises(ValueError, match=message):
        hearing_eligibility(party, types, "100")
