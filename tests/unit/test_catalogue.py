"""Major-decision catalogue: every rule that fires, with its reason."""

from decimal import Decimal

import pytest

from enforcement_core.catalogue import Catalogue, CaseFacts, CatalogueRule, evaluate, is_major

RULES = [
    CatalogueRule("R01", "fine_threshold", "较大数额罚款", person_threshold=Decimal("10000"), organisation_threshold=Decimal("100000")),
    CatalogueRule("R02", "fine_threshold", "巨额罚款 (单位)", organisation_threshold=Decimal("1000000")),
    CatalogueRule("R03", "penalty_type", "吊销许可证件、责令停产停业、责令关闭", frozenset({"licence_revocation", "stop_production", "closure"})),
    CatalogueRule("R04", "hearing_held", "经过听证程序"),
    CatalogueRule("R05", "complex", "案情复杂、涉及多个法律关系"),
    CatalogueRule("R06", "matter", "食品安全重大事项", frozenset({"330217001000", "330217002000"})),
    CatalogueRule("R07", "category", "行政强制", frozenset({"compulsion"})),
]
CATALOGUE = Catalogue(RULES)


def case(**kwargs):
    defaults = dict(category="penalty", procedure="ordinary", party_type="organisation")
    return CaseFacts(**{**defaults, **kwargs})


def test_several_rules_fire_in_catalogue_order_with_reasons():
    facts = case(
        fine_amount=Decimal("1500000"),
        penalty_types=frozenset({"fine", "closure", "stop_production"}),
        hearing_held=True,
        matter_code="330217001000",
    )
    fired = evaluate(CATALOGUE, facts)
    assert [f.rule_code for f in fired] == ["R01", "R02", "R03", "R04", "R06"]
    reasons = {f.rule_code: f.reason_text for f in fired}
    assert reasons["R01"] == "较大数额罚款: fine 1500000.00 yuan reaches the organisation threshold 100000.00 yuan"
    assert reasons["R02"] == "巨额罚款 (单位): fine 1500000.00 yuan reaches the organisation threshold 1000000.00 yuan"
    assert reasons["R04"] == "经过听证程序: a hearing was held"
    assert reasons["R06"] == "食品安全重大事项: enforcement matter '330217001000' is listed"
    assert "penalty type" in reasons["R03"]


@pytest.mark.parametrize(
    ("facts", "codes"),
    [
        (case(party_type="person", fine_amount=Decimal("10000")), ["R01"]),  # threshold reached exactly
        (case(party_type="person", fine_amount=Decimal("9999.99")), []),
        (case(fine_amount=Decimal("99999")), []),  # organisation below its threshold
        (case(party_type="person", fine_amount=Decimal("2000000")), ["R01"]),  # R02 has no person threshold
        (case(complex_case=True), ["R05"]),
        (case(category="compulsion"), ["R07"]),
        (case(matter_code="330217009000"), []),
        (case(penalty_types=frozenset({"warning"})), []),
        (case(procedure="simple", fine_amount=Decimal("200"), party_type="person"), []),
    ],
)
def test_single_rules(facts, codes):
    assert [f.rule_code for f in CATALOGUE.evaluate(facts)] == codes
    assert is_major(CATALOGUE, facts) is bool(codes)


def test_all_ordinary_switch_covers_every_ordinary_penalty():
    catalogue = Catalogue([*RULES, CatalogueRule("R08", "all_ordinary", "普通程序行政处罚", frozenset({"penalty"}))])
    assert [f.rule_code for f in catalogue.evaluate(case())] == ["R08"]
    assert catalogue.evaluate(case(procedure="simple")) == []
    assert [f.rule_code for f in catalogue.evaluate(case(category="compulsion"))] == ["R07"]


def test_plain_rule_list_is_accepted():
    assert is_major(RULES, case(hearing_held=True))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: CatalogueRule("X", "amount", "x"), "unknown kind 'amount'"),
        (lambda: CatalogueRule("X", "category", "x"), "lists no values"),
        (lambda: CatalogueRule("X", "fine_threshold", "x"), "without any threshold"),
        (lambda: CatalogueRule("X", "penalty_type", "x", frozenset({"closing"})), "unknown penalty type"),
        (lambda: Catalogue([RULES[0], RULES[0]]), "repeats rule code 'R01'"),
        (lambda: CATALOGUE.evaluate(case(party_type="company", fine_amount=Decimal(1))), "unknown party type 'company'"),
        (lambda: CATALOGUE.evaluate(case(procedure="summary")), "unknown procedure 'summary'"),
    ],
)
def test_malformed_rules_and_facts_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()
