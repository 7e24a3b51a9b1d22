"""Discretion standards: a proposal outside its tier needs a written reason."""

from decimal import Decimal

import pytest

from enforcement_core.discretion import (
    DiscretionStandard,
    FineRange,
    Proposal,
    RangeKind,
    Tier,
    check_proposed_penalty,
)

# Modelled on a market-regulation standard for selling expired food.
STANDARD = DiscretionStandard(
    code="SC-124-1",
    name="经营超过保质期的食品",
    tiers=(
        Tier("exempt", "首次违法、危害后果轻微并及时改正 (首违不罚)"),
        Tier("lighter", "货值较小、及时改正", frozenset({"warning", "fine"}), FineRange("fixed", "1000", "10000")),
        Tier(
            "ordinary",
            "一般情形",
            frozenset({"fine", "confiscation"}),
            FineRange(RangeKind.FIXED, Decimal("10000"), Decimal("50000")),
            fine_required=True,
        ),
        Tier(
            "heavier",
            "货值一万元以上",
            frozenset({"fine", "confiscation", "licence_revocation"}),
            FineRange(RangeKind.GOODS_VALUE_MULTIPLE, Decimal("15"), Decimal("30")),
            fine_required=True,
        ),
        Tier(
            "gains",
            "有违法所得",
            frozenset({"fine", "confiscation"}),
            FineRange(RangeKind.ILLEGAL_GAINS_MULTIPLE, Decimal("1"), Decimal("5")),
        ),
    ),
)


def fine(amount, *others, **bases):
    return Proposal(frozenset({"fine", *others}), Decimal(amount), **bases)


@pytest.mark.parametrize(
    ("tier", "proposal", "allowed"),
    [
        ("ordinary", fine("50000"), ("10000", "50000")),  # maximum itself
        ("ordinary", fine("10000", "confiscation"), ("10000", "50000")),
        ("lighter", Proposal(frozenset({"warning"})), ("1000", "10000")),  # optional fine
        ("heavier", fine("300000", goods_value=Decimal("12000")), ("180000", "360000")),
        ("gains", fine("8000", illegal_gains=Decimal("2000")), ("2000", "10000")),
        ("exempt", Proposal(frozenset()), None),
    ],
)
def test_within_tier(tier, proposal, allowed):
    result = check_proposed_penalty(STANDARD, tier, proposal)
    assert result.ok and result.reasons == [] and not result.needs_written_reason
    assert result.allowed_range == (None if allowed is None else tuple(Decimal(a) for a in allowed))


@pytest.mark.parametrize(
    ("tier", "proposal", "reason"),
    [
        ("ordinary", fine("60000"), "fine 60000.00 yuan exceeds the 'ordinary' tier maximum 50000.00 yuan"),
        ("ordinary", fine("9999.99"), "fine 9999.99 yuan is below the 'ordinary' tier minimum 10000.00 yuan"),
        ("exempt", fine("500"), "fine 500.00 yuan proposed, but the 'exempt' tier allows no fine"),
        ("exempt", Proposal(frozenset({"warning"})), "penalty type 'warning' is not allowed in the 'exempt' tier"),
        ("lighter", fine("2000", "licence_revocation"), "penalty type 'licence_revocation' is not allowed in the 'lighter' tier"),
        ("ordinary", Proposal(frozenset({"confiscation"})), "the 'ordinary' tier requires a fine, none proposed"),
        ("heavier", fine("400000", goods_value=Decimal("12000")), "fine 400000.00 yuan exceeds the 'heavier' tier maximum 360000.00 yuan"),
        ("heavier", fine("100000"), "tier 'heavier' sets the fine as a multiple of goods value, which is missing"),
        ("gains", fine("1000", illegal_gains=Decimal("2000")), "fine 1000.00 yuan is below the 'gains' tier minimum 2000.00 yuan"),
    ],
)
def test_outside_tier_is_refused_with_reason(tier, proposal, reason):
    result = check_proposed_penalty(STANDARD, tier, proposal)
    assert not result.ok
    assert reason in result.reasons
    assert result.needs_written_reason


def test_written_reason_satisfies_but_does_not_hide_the_deviation():
    result = check_proposed_penalty(STANDARD, "ordinary", fine("60000"), written_reason="屡教不改，社会影响恶劣")
    assert not result.ok and not result.needs_written_reason and result.reasons


def test_blank_written_reason_does_not_count():
    result = check_proposed_penalty(STANDARD, "ordinary", fine("60000"), written_reason="   ")
    assert result.needs_written_reason


def test_unknown_tier_names_the_tiers():
    with pytest.raises(KeyError, match="has no tier 'severe'; tiers: exempt, lighter, ordinary, heavier, gains"):
        check_proposed_penalty(STANDARD, "severe", fine("100"))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: FineRange("fixed", "5000", "1000"), "0 <= minimum <= maximum"),
        (lambda: FineRange("percent", "1", "2"), "'percent' is not a valid RangeKind"),
        (lambda: Tier("x", "", frozenset({"warning"}), FineRange("fixed", "1", "2")), "a fine range goes with penalty type 'fine'"),
        (lambda: Tier("x", "", frozenset({"fine"})), "a fine range goes with penalty type 'fine'"),
        (lambda: Tier("x", "", frozenset({"finee"})), "unknown penalty type"),
        (lambda: Proposal(frozenset({"warning"}), Decimal("100")), "a positive amount goes with type 'fine'"),
        (lambda: DiscretionStandard("S", "s", (Tier("a", ""), Tier("a", ""))), r"repeats tier code\(s\) \['a'\]"),
    ],
)
def test_malformed_standards_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()
