"""Random inspection (双随机、一公开) on the real stack: a plan approved by a
leader, published with its register snapshot, drawn on the server after the
published draw time with a public value, one inspection per drawn party run
by its two inspectors through the engine, one party transferred to a penalty
case that starts its own procedure, the results published and the plan
closed. The draw is then checked by scripts/verify-draw from the published
JSON alone."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
import xmlrpc.client
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from stdnum.cn import uscc

from penalty_flow import Actors, setup_penalty_bureau

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "inspection"


def make_uscc(serial: int) -> str:
    base = f"91620102MA{serial:07d}"[:17]
    return base + uscc.calc_check_digit(base)


def odoo_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture(scope="module")
def actors(stack):
    # A Chinese bureau (the agency's company in zh_CN): the records the
    # inspectors write are kept in the agency's language, and the
    # supervisor's screens read them later.
    install_chinese(stack)
    admin = stack.rpc()
    bureau = setup_penalty_bureau(admin, "insp")
    partner = admin("res.company", "read", [bureau["company_id"]], ["partner_id"])[0]["partner_id"][0]
    admin("res.partner", "write", [partner], {"lang": "zh_CN"})
    bureau["party_ids"] = [admin("enforcement.inspection.party", "create", {
        "name": f"城关县第{n}食品经营部有限公司", "party_type": "organisation", "uscc": make_uscc(7000 + n),
        "agency_id": bureau["agency_id"], "area_id": bureau["area_id"], "industry": "5221", "risk_grade": "C",
    }) for n in range(1, 7)]
    return Actors(stack.rpc, bureau)


def new_plan(actors, title="2027年食品经营者双随机抽查", draw_in_s=40, **vals) -> int:
    b = actors.bureau
    today = datetime.now(UTC).date()
    return actors.rpc("officer1")("enforcement.inspection.plan", "create", {
        "title": title, "agency_id": b["agency_id"], "category_id": b["category_id"],
        "area_ids": [(6, 0, [b["area_id"]])], "ratio_percent": 34.0, "inspectors_per_party": 2,
        "date_start": str(today), "date_end": str(today + timedelta(days=90)),
        "draw_at": odoo_datetime(datetime.now(UTC) + timedelta(seconds=draw_in_s)), **vals,
    })


def wait_task(actors, role, domain, timeout=90) -> dict:
    rpc = actors.rpc(role)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = rpc("enforcement.task", "search_read", [("state", "=", "open"), *domain],
                    fields=["id", "step_code", "subject_model", "subject_id", "date_deadline", "case_id"])
        if found:
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"no open task {domain} for {role} after {timeout}s")


def complete(actors, role, task, **values):
    rpc = actors.rpc(role)
    if values:
        rpc("enforcement.task", "write", [task["id"]], values)
    rpc("enforcement.task", "action_complete", [task["id"]])


def plan(actors, plan_id, *fields):
    return actors.rpc("leader")("enforcement.inspection.plan", "read", [plan_id], list(fields))[0]


def wait_plan(stack, actors, plan_id, state, timeout=90):
    stack.wait_for(lambda: plan(actors, plan_id, "state")["state"] == state, timeout=timeout,
                   what=f"plan {plan_id} to be {state}")


def inspector_role(actors, inspection):
    """The bureau role of the first of the inspection's drawn inspectors."""
    by_officer = {officer_id: role for role, officer_id in actors.bureau["officers"].items()}
    return by_officer[sorted(inspection["inspector_ids"])[0]]


def test_a_plan_is_drawn_inspected_transferred_and_closed(stack, actors):
    b = actors.bureau
    plan_id = new_plan(actors)
    actors.rpc("officer1")("enforcement.inspection.plan", "action_submit", [plan_id])

    approval = wait_task(actors, "leader", [("subject_model", "=", "enforcement.inspection.plan"),
                                            ("subject_id", "=", plan_id), ("step_code", "=", "inspection_plan_approval")])
    assert not approval["case_id"]
    # Only a leader approves (the officer's attempt is refused and changes nothing).
    with pytest.raises(xmlrpc.client.Fault, match="(?i)leader|负责人"):
        complete(actors, "officer1", approval, plan_approved=True)
    complete(actors, "leader", approval, plan_approved=True, approval_comment="同意按计划抽查")

    public_value = wait_task(actors, "leader", [("subject_id", "=", plan_id),
                                                ("step_code", "=", "inspection_public_value")])
    published = plan(actors, plan_id, "state", "published_at", "snapshot_hash", "party_count", "draw_at")
    # Nothing drawn before the public value: the published plan has no inspection yet.
    assert not actors.rpc("leader")("enforcement.inspection", "search", [("plan_id", "=", plan_id)])
    assert published["state"] == "published" and len(published["snapshot_hash"]) == 64
    assert published["party_count"] == 6 and published["published_at"] <= published["draw_at"]
    complete(actors, "leader", public_value, inspection_public_value="0471",
             inspection_public_value_source="中国福利彩票3D 抽取时间当晚开奖号码")

    wait_plan(stack, actors, plan_id, "drawn")
    inspections = actors.rpc("leader")("enforcement.inspection", "search_read", [("plan_id", "=", plan_id)],
                                       fields=["id", "name", "party_id", "inspector_ids", "draw_index"],
                                       order="draw_index")
    assert len(inspections) == 3  # ceil(34% of 6)
    assert all(len(i["inspector_ids"]) == 2 for i in inspections)

    results = {0: dict(inspection_result="violation", inspection_findings="销售超过保质期的食品（牛奶12盒）"),
               1: dict(inspection_result="correct", inspection_findings="进货查验记录不全",
                       inspection_rectify_due=str(datetime.now(UTC).date())),
               2: dict(inspection_result="no_problem")}
    for inspection in inspections:
        role = inspector_role(actors, inspection)
        task = wait_task(actors, role, [("subject_model", "=", "enforcement.inspection"),
                                        ("subject_id", "=", inspection["id"]), ("step_code", "=", "inspection_onsite")])
        complete(actors, role, task, inspection_notice_shown=True, inspection_certificate_shown=True,
                 inspection_record=f"检查{inspection['party_id'][1]}经营场所、进货台账", **results[inspection["draw_index"]])
    # Each on-site step wrote its notice/certificates and 现场笔录 as full-process records of the inspection.
    for inspection in inspections:
        records = actors.rpc("leader")("enforcement.record", "search_read", [("inspection_id", "=", inspection["id"])],
                                       fields=["step_code", "proves"])
        assert len(records) == 2 and {r["step_code"] for r in records} == {"inspection_onsite"}
        assert any(f"检查{inspection['party_id'][1]}经营场所" in r["proves"] for r in records)

    # The one ordered to correct is checked again.
    corrected = inspections[1]
    role = inspector_role(actors, corrected)
    followup = wait_task(actors, role, [("subject_id", "=", corrected["id"]), ("step_code", "=", "inspection_followup")])
    complete(actors, role, followup, inspection_followup_result="corrected", inspection_followup_note="已补齐进货查验记录")

    # The suspected violation became a penalty case, which runs its own procedure.
    violation = inspections[0]
    stack.wait_for(lambda: actors.rpc("leader")("enforcement.inspection", "read", [violation["id"]],
                                                ["case_id"])[0]["case_id"], what="the penalty case")
    case_id = actors.rpc("leader")("enforcement.inspection", "read", [violation["id"]], ["case_id"])[0]["case_id"][0]
    case = actors.case(case_id, "party_name", "state")
    assert case["party_name"] == violation["party_id"][1]
    filing = actors.wait_task(case_id, "filing_approval", "leader", timeout=90)
    assert filing

    # Results published (deadline: 20 working days after the inspection), then the plan closes.
    for inspection in inspections:
        task = wait_task(actors, "leader", [("subject_id", "=", inspection["id"]),
                                            ("step_code", "=", "inspection_result_publication")])
        assert task["date_deadline"], "the publication task has its 20-working-day deadline"
        complete(actors, "leader", task)
    wait_plan(stack, actors, plan_id, "closed")
    assert plan(actors, plan_id, "completion_rate")["completion_rate"] == 100.0

    # Anyone re-runs the draw from the published JSON alone.
    reference = plan(actors, plan_id, "name")["name"]
    with urllib.request.urlopen(f"{stack.odoo.url}/enforcement/public/inspection/{reference}/draw.json") as resp:
        document = resp.read()
    path = Path(stack.odoo.rundir if hasattr(stack.odoo, "rundir") else "/tmp") / f"{reference}.json"
    path.write_bytes(document)
    hashes = plan(actors, plan_id, "snapshot_hash", "inspector_snapshot_hash")
    checked = subprocess.run([str(ROOT / "scripts" / "verify-draw"), str(path),
                              "--party-snapshot", hashes["snapshot_hash"],
                              "--inspector-snapshot", hashes["inspector_snapshot_hash"]],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    path.write_bytes(document.replace(b'"0471"', b'"0472"'))
    forged = subprocess.run([str(ROOT / "scripts" / "verify-draw"), str(path)], capture_output=True, text=True,
                            timeout=120)
    assert forged.returncode != 0

    # The draw and every inspection's records verify in their chains.
    for model, record_id in [("enforcement.inspection.plan", plan_id)] + \
            [("enforcement.inspection", i["id"]) for i in inspections]:
        verified = actors.rpc("leader")(model, "action_verify_chain", [record_id])
        assert verified["params"]["type"] == "success", verified["params"]["message"]

    _screenshots(stack, actors, plan_id, reference, b, inspections[0]["id"])


def test_a_recused_inspector_is_never_drawn_for_that_party(stack, actors):
    b = actors.bureau
    admin = stack.rpc()
    recused = b["officers"]["officer1"]
    party = b["party_ids"][0]
    admin("enforcement.inspection.recusal", "create", {"party_id": party, "officer_id": recused,
                                                      "reason": "kinship", "note": "近亲属在该公司任职"})
    plan_id = new_plan(actors, title="回避测试抽查", ratio_percent=100.0, draw_in_s=30)
    actors.rpc("officer1")("enforcement.inspection.plan", "action_submit", [plan_id])
    complete(actors, "leader", wait_task(actors, "leader", [("subject_id", "=", plan_id),
                                                            ("step_code", "=", "inspection_plan_approval")]),
             plan_approved=True)
    complete(actors, "leader", wait_task(actors, "leader", [("subject_id", "=", plan_id),
                                                            ("step_code", "=", "inspection_public_value")]),
             inspection_public_value="8812", inspection_public_value_source="测试公开数")
    wait_plan(stack, actors, plan_id, "drawn")
    drawn = actors.rpc("leader")("enforcement.inspection", "search_read",
                                 [("plan_id", "=", plan_id), ("party_id", "=", party)], fields=["inspector_ids"])
    assert len(drawn) == 1 and recused not in drawn[0]["inspector_ids"]
    assert len(drawn[0]["inspector_ids"]) == 2


def install_chinese(stack):
    admin = stack.rpc()
    zh = admin("res.lang", "search", [("code", "=", "zh_CN"), ("active", "in", [True, False])])
    wizard = admin("base.language.install", "create", {"lang_ids": [(6, 0, zh)]})
    admin("base.language.install", "lang_install", [wizard])


def test_a_register_too_small_is_refused_in_chinese(stack, actors):
    install_chinese(stack)
    plan_id = new_plan(actors, title="人员不足的抽查", inspectors_per_party=4)
    with pytest.raises(xmlrpc.client.Fault) as refused:
        actors.rpc("officer1")("enforcement.inspection.plan", "action_submit", [plan_id],
                               context={"lang": "zh_CN"})
    assert "检查人员" in refused.value.faultString, refused.value.faultString
    assert plan(actors, plan_id, "state")["state"] == "draft"


def _screenshots(stack, actors, plan_id, reference, bureau, inspection_id):
    """Plan form, an inspection task form, an inspection with its records and the public page, in zh_CN."""
    import json  # noqa: PLC0415

    from cdp_browser import Browser  # noqa: PLC0415 - only this test needs a browser
    from test_screens_chinese import WEB_CLIENT_READY  # noqa: PLC0415

    SHOTS.mkdir(parents=True, exist_ok=True)
    admin = stack.rpc()
    install_chinese(stack)
    login = bureau["logins"]["leader"]
    admin("res.users", "write", [bureau["users"]["leader"]], {"lang": "zh_CN", "tz": "Asia/Shanghai"})
    task = admin("enforcement.task", "search", [("subject_model", "=", "enforcement.inspection"),
                                                ("step_code", "=", "inspection_onsite")], limit=1)
    browser = Browser(lang="zh-CN")
    try:
        url = stack.odoo.url
        browser.goto(f"{url}/web/login")
        browser.wait_for("!!document.querySelector('form.oe_login_form input[name=login]')", 30, "the login form")
        browser.evaluate(f"""(() => {{
            document.querySelector('input[name=login]').value = {json.dumps(login)};
            document.querySelector('input[name=password]').value = {json.dumps(login)};
            document.querySelector('form.oe_login_form').submit(); }})()""")
        browser.wait_for("location.pathname.startsWith('/odoo') && document.readyState === 'complete'", 60, "login")
        for name, path in (
                ("plan_form", f"/odoo/action-admin_enforcement.action_enforcement_inspection_plan/{plan_id}"),
                ("inspection_task_form", f"/odoo/action-admin_enforcement.action_enforcement_task/{task[0]}"),
                ("inspection_form_records",
                 f"/odoo/action-admin_enforcement.action_enforcement_inspection/{inspection_id}")):
            browser.goto(url + path)
            browser.wait_for(WEB_CLIENT_READY, 60, name)
            time.sleep(1.5)
            browser.screenshot(SHOTS / f"{name}.png", full_page=True)
        browser.goto(f"{url}/enforcement/public/inspection/{reference}")
        time.sleep(1.0)
        browser.screenshot(SHOTS / "public_page.png", full_page=True)
    finally:
        browser.close()


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-v"]))
