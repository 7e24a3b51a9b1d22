"""The simple procedure (简易程序, 当场处罚) on the real stack: the officer
decides on the spot through the task form, the worker numbers the standard
decision form, service and payment go through the engine like any other
step; an ineligible case is refused and converted, and the ordinary
procedure then starts at its first task. Screens are looked at in headless
Chromium at a phone's width (375 px), in Chinese."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from cdp_browser import CHROMIUM
from penalty_flow import Actors, odoo_now, setup_penalty_bureau

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "simple"
BASIS = "违反《食品安全法》第三十三条第一款，依据《食品安全法》第一百三十二条"


@pytest.fixture(scope="module")
def actors(stack):
    return Actors(stack.rpc, setup_penalty_bureau(stack.rpc(), "spl"))


def history(stack, case_id) -> list[str]:
    return stack.sql(
        f"SELECT string_agg(kind || ':' || CASE WHEN kind = 'service_task' THEN step "
        f"ELSE coalesce(step_name, '') END, '|' ORDER BY id) "
        f"FROM enforcement_process_event WHERE case_id = {case_id}").split("|")


def simple_case(actors, title="张某无证摆摊销售散装食品案", **vals) -> int:
    return actors.create_case(title=title, party_type="person", procedure="simple",
                              facts="2026年12月1日在城关县人民路摆摊销售无标签散装熟食", **vals)


def onsite_values(actors, fine):
    return dict(certificate_shown=True, facts_certain=True, legal_basis=BASIS,
                party_statement="当事人对违法事实无异议，表示立即整改",
                penalty_type_ids=[(6, 0, [actors.bureau["fine_type_id"]])], fine_amount=fine)


def test_an_eligible_fine_from_the_spot_to_payment(stack, actors):
    """A 150 yuan fine for a person: decided on the spot, the form numbered,
    handed over and signed, filed with the agency, paid at the bank within
    the 15 days (too much to collect on the spot), closed and archived."""
    case_id = simple_case(actors)
    ref = stack.case_ref(case_id)
    actors.complete(case_id, "simple_onsite", "officer1", **onsite_values(actors, 150.0))
    actors.wait_case(case_id, lambda c: c["decision_number"], "the decision form number")
    actors.complete(case_id, "simple_service", "officer1", party_signature="signed", served_at=odoo_now(),
                    collection_ground="bank")
    filing = actors.wait_task(case_id, "simple_filing", "leader")
    assert filing["date_deadline"], "the filing task carries its deadline"
    actors.complete(case_id, "simple_filing", "leader")
    actors.pay(case_id, 150.0, reference="ICBC-20261201-0150")
    actors.complete(case_id, "closing", "leader")
    case = actors.wait_case(case_id, lambda c: c["state"] == "archived", "the archive seal")

    case = actors.case(case_id, "decision_number", "paid_amount", "payment_reference", "simple_filed_at",
                       "certificate_shown_numbers", "party_signature", "procedure", "payment_due")
    assert re.fullmatch(r"城关市监当罚〔\d{4}〕\d{5}号", case["decision_number"]), case
    assert case["paid_amount"] == 150 and case["payment_due"] and case["simple_filed_at"]
    assert set(case["certificate_shown_numbers"].split("、")) == {"SPL-62-0001", "SPL-62-0002"}
    assert case["party_signature"] == "signed"
    steps = [s for s in history(stack, case_id) if s.startswith(("service_task", "task_completed"))]
    for expected in ("task_completed:On-the-Spot Decision", "service_task:Task_SimpleIssueDecision",
                     "task_completed:On-the-Spot Service", "service_task:Task_SimpleCreatePublication",
                     "task_completed:Filing of the On-the-Spot Decision", "service_task:Task_SimpleComputePaymentDue",
                     "task_completed:Closing", "service_task:Task_SimpleArchiveSeal"):
        assert expected in steps, (expected, steps)
    assert not any("Task_AssignNumber" in s or "Filing Approval" in s for s in steps), "no 立案 on the spot"
    [instance] = stack.rest.started_instances(ref, "enforcement_penalty_simple")
    assert not stack.rest.started_instances(ref, "enforcement_penalty_ordinary")
    assert not stack.instance_is_active(instance["id"])
    assert stack.sql(f"SELECT count(*) FROM enforcement_job_log WHERE case_id = {case_id} AND state = 'failed'") == "0"


def test_a_small_fine_collected_on_the_spot_skips_the_bank(stack, actors):
    """50 yuan (art. 68): collected with a receipt when the form is handed over."""
    case_id = simple_case(actors, title="李某占道经营案")
    actors.complete(case_id, "simple_onsite", "officer1", **onsite_values(actors, 50.0))
    actors.complete(case_id, "simple_service", "officer1", party_signature="refused", served_at=odoo_now(),
                    signature_refusal_note="当事人拒绝签名，执法人员二人在场见证，全程录像",
                    collection_ground="small_fine", receipt_number="财政票据No.00012345")
    actors.complete(case_id, "simple_filing", "leader")
    actors.complete(case_id, "closing", "leader")
    actors.wait_case(case_id, lambda c: c["state"] == "archived", "the archive seal")
    case = actors.case(case_id, "paid_amount", "payment_reference", "payment_due")
    assert (case["paid_amount"], case["payment_reference"], case["payment_due"]) == (50, "财政票据No.00012345", False)
    assert "service_task:Task_SimpleComputePaymentDue" not in history(stack, case_id)


def test_an_ineligible_case_is_refused_and_converted_to_the_ordinary_procedure(stack, actors):
    """2,000 yuan for a person is above the 200 yuan of art. 51: the officer's
    submission is refused with the reason; the officer converts, the simple
    instance ends, and the ordinary procedure starts at filing approval with
    the case's facts, team and records."""
    case_id = simple_case(actors, title="王某销售过期食品案")
    ref = stack.case_ref(case_id)
    officer = actors.rpc("officer1")
    task = actors.wait_task(case_id, "simple_onsite", "officer1")
    officer("enforcement.task", "write", [task["id"]], onsite_values(actors, 2000.0))
    with pytest.raises(Exception, match=r"2000\.00.*200\.00"):
        officer("enforcement.task", "action_complete", [task["id"]])
    record_id = officer("enforcement.record", "create", {
        "case_id": case_id, "name": "现场检查笔录", "kind": "written", "stage": "investigation",
        "captured_at": odoo_now(), "collector_ids": [(6, 0, [actors.bureau["users"]["officer1"]])]})
    officer("enforcement.case", "action_convert_to_ordinary", [case_id])

    actors.wait_task(case_id, "filing_approval", "leader")
    case = actors.case(case_id, "procedure", "converted_from_simple", "facts", "officer_ids", "record_ids",
                       "conversion_reason")
    assert (case["procedure"], case["converted_from_simple"]) == ("ordinary", True)
    assert record_id in case["record_ids"] and len(case["officer_ids"]) == 2 and "散装熟食" in case["facts"]
    assert "200.00" in case["conversion_reason"]
    [simple] = stack.rest.started_instances(ref, "enforcement_penalty_simple")
    stack.wait_for(lambda: not stack.instance_is_active(simple["id"]), what="the simple instance to end")
    ended = stack.rest.get("/history/activity-instance", processInstanceId=simple["id"],
                           activityId="EndEvent_SimpleConverted")
    assert ended, "the simple process ended as converted"
    assert stack.rest.started_instances(ref, "enforcement_penalty_ordinary")
    assert not stack.rest.incidents(ref)


@pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (scripts/setup installs it)")
def test_the_officer_works_on_a_phone_in_chinese(stack, actors):
    """The on-the-spot steps at 375 px in zh_CN, saved under test-output/simple/."""
    from test_screens_chinese import Screens

    admin = stack.rpc()
    zh = admin("res.lang", "search", [("code", "=", "zh_CN"), ("active", "in", [True, False])])
    admin("base.language.install", "lang_install", [admin("base.language.install", "create",
                                                          {"lang_ids": [(6, 0, zh)]})])
    admin("res.users", "write", [actors.bureau["users"][u] for u in ("officer1", "leader")], {"lang": "zh_CN"})
    # The agency keeps its records (the case's history) in Chinese.
    partner = admin("res.company", "read", [actors.bureau["company_id"]], ["partner_id"])[0]["partner_id"][0]
    admin("res.partner", "write", [partner], {"lang": "zh_CN"})
    case_id = simple_case(actors, title="赵某流动摊贩销售无证食品案")
    task = actors.wait_task(case_id, "simple_onsite", "officer1")
    actors.rpc("officer1")("enforcement.task", "write", [task["id"]], onsite_values(actors, 500.0))
    screens = Screens(stack, data_words={"spl", "SPL"})  # the test bureau's own names
    try:
        screens.login("officer", actors.bureau["logins"]["officer1"], actors.bureau["logins"]["officer1"])
        # A phone's width; tall enough that one screenshot shows the whole step.
        screens.browser.set_width(375, 2400, mobile=True)
        for name, path, expect in (
                ("onsite_refused", f"/odoo/action-admin_enforcement.action_enforcement_task/{task['id']}",
                 "不适用简易程序"),):
            screens.browser.goto(stack.odoo.url + path)
            screens.ready()
            text = screens.look("officer", name, expect=expect)
            screens.browser.screenshot(SHOTS / f"{name}.png", full_page=True)
            assert "200.00" in text
        actors.rpc("officer1")("enforcement.task", "write", [task["id"]], {"fine_amount": 150.0})
        shots = [("onsite", task["id"], "当场")]
        actors.rpc("officer1")("enforcement.task", "action_complete", [task["id"]])
        service = actors.wait_task(case_id, "simple_service", "officer1")
        shots.append(("service", service["id"], "签名"))
        for name, task_id, expect in shots:
            screens.browser.goto(f"{stack.odoo.url}/odoo/action-admin_enforcement.action_enforcement_task/{task_id}")
            screens.ready()
            screens.look("officer", name, expect=expect)
            screens.browser.screenshot(SHOTS / f"{name}.png", full_page=True)
        screens.browser.goto(f"{stack.odoo.url}/odoo/action-admin_enforcement.action_enforcement_case/{case_id}")
        screens.ready()
        screens.look("officer", "case", expect="当场")
        screens.browser.screenshot(SHOTS / "case.png", full_page=True)
        screens.assert_chinese("officer")
    finally:
        screens.browser.close()
