"""查封、扣押 (行政强制法 arts. 18-28) on the real stack: PostgreSQL, the
Operaton engine running bpmn/coercive_seizure.bpmn, Odoo and the worker,
driven through XML-RPC as the bureau's staff would, in Chinese.

- an emergency detention: the measure first, approved by the agency head
  within 24 hours, extended once by 30 days (the reminder timer), then
  released and the items returned;
- an on-site step refused without its audio/video record, in Chinese;
- an emergency detention whose approval never comes: the timer releases it.

The engine's clock is not controlled: the extension reminder (due weeks
later) is made due through the engine's REST API, and the approval window
is the agency's setting, set to seconds for the last test."""
from __future__ import annotations

import shutil
import time
import xmlrpc.client
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from penalty_flow import Actors, odoo_now, setup_penalty_bureau
from test_record_full_process import CHUNK, session, upload
from test_screens_chinese import OUTPUT, Screens, action

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "seizure"
WINDOW_PARAM = "admin_enforcement.seizure_emergency_approval_window"
ON_SITE = ("seizure_notify", "seizure_inform", "seizure_statement", "seizure_record", "seizure_handover")


@pytest.fixture(scope="module")
def seizure_bureau(stack):
    """A bureau working in Chinese: the leader, three certified officers."""
    admin = stack.rpc()
    zh = admin("res.lang", "search", [("code", "=", "zh_CN"), ("active", "in", [True, False])])
    admin("base.language.install", "lang_install", [admin("base.language.install", "create",
                                                          {"lang_ids": [(6, 0, zh)]})])
    b = setup_penalty_bureau(admin, f"sz{int(time.time()) % 100000}")
    for key, person in {"leader": "刘建华", "officer1": "王建国", "officer2": "李晓梅"}.items():
        admin("res.users", "write", [b["users"][key]], {"name": person, "lang": "zh_CN"})
    # The agency keeps its records (the measure's history, release reasons) in its company's language.
    partner = admin("res.company", "read", [b["company_id"]], ["partner_id"])[0]["partner_id"][0]
    admin("res.partner", "write", [partner], {"lang": "zh_CN"})
    admin("ir.config_parameter", "set_param", WINDOW_PARAM, "PT24H")
    return b


@pytest.fixture()
def actors(stack, seizure_bureau):
    return Actors(stack.rpc, seizure_bureau, timeout=90)


def start_seizure(actors, emergency, title):
    case_id = actors.create_case(title=title)
    seizure_id = actors.rpc("officer1")("enforcement.seizure", "create", {
        "case_id": case_id, "kind": "detention", "emergency": emergency,
        "place": "城关县解放路88号惠民超市仓库",
        "reason": "当事人涉嫌销售超过保质期的食品，有转移、销毁证据的可能",
        "legal_basis": "《中华人民共和国食品安全法》第一百一十条第（四）项",
        "item_ids": [(0, 0, {"description": "超过保质期的酸奶（250毫升/盒）", "quantity": 12, "unit": "盒",
                             "custody_place": "城关县市场监管局涉案财物保管室"}),
                     (0, 0, {"description": "进货单据", "quantity": 3, "unit": "张"})],
    })
    actors.rpc("officer1")("enforcement.seizure", "action_start", [seizure_id])
    return case_id, seizure_id, seizure(actors, seizure_id)["name"]


def seizure(actors, seizure_id):
    return actors.rpc("leader")("enforcement.seizure", "read", [seizure_id], [
        "name", "state", "approved", "measure_date", "end_date", "extension_days", "release_reason",
        "return_record", "item_ids"])[0]


def wait_seizure(stack, actors, seizure_id, check, what):
    return stack.wait_for(lambda: (lambda s: s if check(s) else None)(seizure(actors, seizure_id)), timeout=90,
                          what=what)


def film(stack, actors, case_id, step_code):
    """The officer's body camera recording of the step, uploaded and recorded."""
    b = actors.bureau
    stored = upload(session(stack, b["logins"]["officer1"]), stack, f"{step_code}_执法记录仪.mp4", [CHUNK])
    actors.rpc("officer1")("enforcement.record", "create", {
        "case_id": case_id, "name": "查封扣押现场全程录像", "kind": "video", "stage": "investigation",
        "step_code": step_code, "captured_at": odoo_now(), "capture_place": "城关县解放路88号惠民超市仓库",
        "collector_ids": [(6, 0, [b["users"]["officer1"], b["users"]["officer2"]])],
        "proves": "扣押现场全过程", "upload_ids": [stored["id"]],
    })


STEP_VALUES = {
    "seizure_notify": dict(seizure_party_present=True),
    "seizure_inform": dict(seizure_rights_told="告知扣押的理由、依据，当事人享有陈述、申辩、申请行政复议和提起行政诉讼的权利"),
    "seizure_statement": dict(seizure_statement="当事人称酸奶系昨日到货，尚未上架"),
    "seizure_record": dict(seizure_onsite_record="现场笔录：在仓库货架发现超过保质期的酸奶12盒，当场扣押并制作清单",
                           seizure_record_signed=True),
}


def on_site(stack, actors, case_id):
    for step in ON_SITE:
        actors.wait_task(case_id, step, "officer1")  # the step is open: its recording starts
        film(stack, actors, case_id, step)
        values = STEP_VALUES.get(step) or dict(seizure_handed_over_at=odoo_now())
        actors.complete(case_id, step, "officer1", **values)


def test_emergency_detention_approved_within_24_hours_extended_once_then_released(stack, actors):
    case_id, seizure_id, name = start_seizure(actors, True, "城关县惠民超市销售过期酸奶案（扣押）")
    assert seizure(actors, seizure_id)["state"] == "on_site", "an emergency measure is taken first"
    on_site(stack, actors, case_id)
    actors.complete(case_id, "seizure_emergency_approval", "leader", seizure_approved=True,
                    approval_comment="情况紧急，同意扣押")
    taken = wait_seizure(stack, actors, seizure_id, lambda s: s["end_date"], "the period of the measure")
    measure = datetime.strptime(taken["measure_date"], "%Y-%m-%d").date()
    assert taken["approved"] and taken["state"] == "holding"
    assert taken["end_date"] == str(measure + timedelta(days=30)), taken

    # The reminder before the end opens the leader's extension task.
    stack.rest.make_timer_due(name, "Event_ExtensionDue")
    actors.complete(case_id, "seizure_extension", "leader", seizure_extension_approved=True,
                    seizure_extension_days=30, seizure_extension_reason="需对扣押的酸奶进行检验，情况复杂")
    extended = wait_seizure(stack, actors, seizure_id, lambda s: s["end_date"] == str(measure + timedelta(days=60)),
                            "the extended period")
    assert extended["extension_days"] == 30
    # Extended once: the process now waits only for the end or a decision.
    stack.wait_for(lambda: stack.rest.timer_jobs(name, "Event_PeriodEnded"), what="the end-of-period timer")
    assert not stack.rest.timer_jobs(name, "Event_ExtensionDue")

    phone_screens(stack, actors, seizure_id, case_id)

    actors.rpc("leader")("enforcement.seizure", "action_release", [seizure_id], "经检验，扣押的酸奶未超过保质期")
    actors.complete(case_id, "seizure_return", "officer1",
                    seizure_return_record="酸奶12盒、进货单据3张已当场退还当事人，当事人签收")
    released = wait_seizure(stack, actors, seizure_id, lambda s: s["state"] == "released", "the release")
    assert released["release_reason"] == "经检验，扣押的酸奶未超过保质期"
    items = actors.rpc("leader")("enforcement.seizure.item", "read", released["item_ids"], ["state"])
    assert {item["state"] for item in items} == {"returned"}
    stack.wait_for(lambda: not stack.rest.running_instances(name), what="the seizure process to end")
    ended = [a["activityId"] for a in stack.rest.activities(name) if a["activityType"] == "noneEndEvent"]
    assert ended == ["EndEvent_Released"], ended
    # The case's own procedure goes on beside it, under the case's reference.
    assert stack.rest.running_instances(stack.case_ref(case_id))


def test_on_site_step_is_refused_without_its_audio_video_record(stack, actors):
    case_id, seizure_id, _name = start_seizure(actors, False, "城关县好运来便利店销售过期食品案（扣押）")
    assert seizure(actors, seizure_id)["state"] == "approval", "without an emergency the head approves first"
    actors.complete(case_id, "seizure_approval", "leader", seizure_approved=True, approval_comment="同意扣押")
    task = actors.wait_task(case_id, "seizure_notify", "officer1")
    officer = actors.rpc("officer1")
    officer("enforcement.task", "write", [task["id"]], {"seizure_party_present": True})
    with pytest.raises(xmlrpc.client.Fault) as refused:
        officer("enforcement.task", "action_complete", [task["id"]], context={"lang": "zh_CN"})
    assert "必须全程音像记录" in refused.value.faultString, refused.value.faultString
    assert "通知当事人到场" in refused.value.faultString, refused.value.faultString
    assert officer("enforcement.task", "read", [task["id"]], ["state"])[0]["state"] == "open"
    film(stack, actors, case_id, "seizure_notify")
    officer("enforcement.task", "action_complete", [task["id"]], context={"lang": "zh_CN"})
    actors.wait_task(case_id, "seizure_inform", "officer1")


def test_emergency_detention_without_approval_is_released_by_the_timer(stack, actors):
    admin = stack.rpc()
    admin("ir.config_parameter", "set_param", WINDOW_PARAM, "PT20S")
    try:
        case_id, seizure_id, name = start_seizure(actors, True, "城关县鲜果坊销售过期水果案（扣押）")
    finally:
        admin("ir.config_parameter", "set_param", WINDOW_PARAM, "PT24H")
    on_site(stack, actors, case_id)
    # Nobody approves: the boundary timer at the end of the window releases the measure.
    released = wait_seizure(stack, actors, seizure_id, lambda s: s["state"] == "releasing", "the release by the timer")
    assert "未在" in released["release_reason"] and not released["approved"], released
    fired = [a for a in stack.rest.activities(name, "Event_ApprovalMissing") if a.get("endTime")]
    assert fired, "the approval window's timer released the measure"
    # A leader who comes too late is refused, in Chinese.
    late = actors.rpc("leader")("enforcement.task", "search_read", [
        ("case_id", "=", case_id), ("step_code", "=", "seizure_emergency_approval"), ("state", "=", "open")],
        fields=["id"])
    for task in late:
        with pytest.raises(xmlrpc.client.Fault, match="批准期限"):
            actors.rpc("leader")("enforcement.task", "write", [task["id"]], {"seizure_approved": True})
            actors.rpc("leader")("enforcement.task", "action_complete", [task["id"]], context={"lang": "zh_CN"})
    actors.complete(case_id, "seizure_return", "officer1", seizure_return_record="扣押的水果已退还当事人")
    wait_seizure(stack, actors, seizure_id, lambda s: s["state"] == "released", "the items returned")
    stack.wait_for(lambda: not stack.rest.running_instances(name), what="the seizure process to end")


def phone_screens(stack, actors, seizure_id, case_id):
    """The officer's screens at a phone's width, in Chinese: the measure and
    an on-site step's task (screenshots under test-output/seizure)."""
    b = actors.bureau
    screens = Screens(stack)
    try:
        screens.browser.set_width(375, 800, mobile=True)
        screens.login("sz_officer", b["logins"]["officer1"], b["logins"]["officer1"])
        screens.open("sz_officer", "seizure-form", action("action_enforcement_seizure", seizure_id),
                     expect="扣押")
        task = actors.rpc("officer1")("enforcement.task", "search_read", [
            ("case_id", "=", case_id), ("step_code", "=", "seizure_record")], fields=["id"])[0]
        screens.open("sz_officer", "seizure-record-task", action("action_enforcement_task", task["id"]),
                     expect="现场笔录")
        # The step's own part of the form (the list of items, the record), below the case summary.
        # The step's own part of the form (the list of items, the record), below the case summary.
        screens.browser.evaluate("""(() => {
            for (const el of document.querySelectorAll('*')) {
                if (el.scrollHeight > el.clientHeight + 10 && /auto|scroll/.test(getComputedStyle(el).overflowY)) {
                    el.scrollTop = el.scrollHeight;
                }
            }
            window.scrollTo(0, document.body.scrollHeight); })()""")
        time.sleep(0.5)
        SHOTS.mkdir(parents=True, exist_ok=True)
        screens.browser.screenshot(SHOTS / "phone-seizure-record-task-step.png")
        screens.open("sz_officer", "seizure-list", action("action_enforcement_seizure"), expect="扣押")
        SHOTS.mkdir(parents=True, exist_ok=True)
        for shot in (OUTPUT / "sz_officer").glob("seizure-*.png"):
            shutil.copy(shot, SHOTS / f"phone-{shot.name}")
        screens.assert_chinese("sz_officer")
    finally:
        screens.browser.close()
