"""Dated duties after a decision, on the real stack (PostgreSQL, Operaton,
Odoo, the worker): a major fine opens its 备案 task, a decision revoked on
reconsideration is taken off the portal within its deadline, a lost lawsuit
opens its report task, and a case with a suspected crime is transferred to
public security, suspended, resumed when the organ declines and closed when
it files the case."""
from __future__ import annotations

import base64
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from cdp_browser import Browser

from penalty_flow import Actors, setup_penalty_bureau

BEIJING = timezone(timedelta(hours=8))
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "duties"
#: What the scenarios leave behind for the screenshots at the end.
SEEN: dict[str, int] = {}


@pytest.fixture(scope="module")
def actors(stack):
    bureau = setup_penalty_bureau(stack.rpc(), "duty")
    # The agency's own large-fine amount (data): 20,000 yuan for an organisation is major here.
    stack.rpc()("enforcement.agency", "write", [bureau["agency_id"]], {"major_fine_organisation": 20000})
    return Actors(stack.rpc, bureau)


def beijing_today() -> date:
    """The day the bureau's records carry: Beijing's, not the test machine's."""
    return datetime.now(BEIJING).date()


def beijing_day(odoo_datetime: str) -> date:
    value = datetime.strptime(odoo_datetime, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc)
    return value.astimezone(BEIJING).date()


def decided(actors, title, fine=20000) -> int:
    case_id = actors.create_case(title=title)
    actors.approve_filing(case_id)
    actors.investigate_to_statements(case_id, fine)
    actors.decide(case_id, fine=fine)
    actors.wait_case(case_id, lambda c: c["decision_number"], "the decision number")
    return case_id


def remedy_in_effect(actors, case_id, kind, result, body) -> int:
    officer = actors.rpc("officer1")
    today = str(beijing_today())
    remedy = officer("enforcement.remedy", "create", {
        "case_id": case_id, "kind": kind, "body": body, "reference": "（2026）甘0102行初21号", "applied_on": today})
    officer("enforcement.remedy", "write", [remedy], {"result": result, "result_on": today})
    officer("enforcement.remedy", "action_record_result", [remedy])
    officer("enforcement.remedy", "write", [remedy], {"effective_on": today})
    officer("enforcement.remedy", "action_take_effect", [remedy])
    return remedy


def test_major_fine_opens_its_filing_task_and_a_lost_lawsuit_its_report(stack, actors):
    case_id = decided(actors, "某食品公司销售过期食品案（重大罚款）")
    case = actors.case(case_id, "decision_date", "major_filing_required", "major_filing_due")
    assert case["major_filing_required"]
    due = date.fromisoformat(case["decision_date"]) + timedelta(days=15)
    assert case["major_filing_due"] == str(due)

    task = actors.wait_task(case_id, "major_filing", "leader")
    assert beijing_day(task["date_deadline"]) == due, task
    actors.complete(case_id, "major_filing", "leader", filing_filed_to="城关县人民政府依法行政工作领导小组办公室",
                    filing_filed_on=str(beijing_today()), filing_attachment=base64.b64encode(b"%PDF-1.4").decode(),
                    filing_attachment_name="重大行政处罚决定备案报告.pdf")
    filed = actors.case(case_id, "major_filed_on", "major_filing_number")
    assert filed["major_filed_on"] == str(beijing_today())
    assert filed["major_filing_number"].startswith("城关市监处罚备〔")

    # The court holds the decision unlawful: a lost case (item 三十二) reported within 30 days.
    actors.serve(case_id)
    remedy = remedy_in_effect(actors, case_id, "litigation", "unlawful", "城关县人民法院")
    report = actors.wait_task(case_id, "lost_case_report", "leader")
    assert beijing_day(report["date_deadline"]) == beijing_today() + timedelta(days=30), report
    actors.complete(case_id, "lost_case_report", "leader", report_to="城关县人民政府、上一级主管部门",
                    report_original="当事人销售过期食品，处罚款二万元。",
                    report_court="法院认为现场检查笔录未经当事人签字确认，判决确认违法。",
                    report_lessons="现场笔录须当场签字确认。")
    SEEN.update(major_case=case_id, lost_remedy=remedy, filing_task=task["id"])
    done = actors.rpc("leader")("enforcement.remedy", "read", [remedy], ["report_submitted_on", "lost_case"])[0]
    assert done["lost_case"] and done["report_submitted_on"] == str(beijing_today())


def test_revoked_decision_is_withdrawn_from_the_portal_within_the_deadline(stack, actors):
    case_id = decided(actors, "某超市销售过期食品案（复议撤销）", fine=8000)
    actors.serve(case_id)
    actors.wait_task(case_id, "publication", "leader")
    leader = actors.rpc("leader")
    publication = leader("enforcement.publication", "search", [("case_id", "=", case_id)])
    leader("enforcement.publication", "action_confirm_redaction", publication)
    leader("enforcement.publication", "action_publish", publication)
    actors.complete(case_id, "publication", "leader")
    url = f"{stack.odoo.url}/enforcement/public/decisions/{publication[0]}"
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200

    remedy_in_effect(actors, case_id, "reconsideration", "revoked", "城关县人民政府")
    task = actors.wait_task(case_id, "publication_withdrawal", "leader")
    pub = leader("enforcement.publication", "read", publication, ["withdrawal_due", "withdrawal_reason", "state"])[0]
    assert pub["state"] == "published" and pub["withdrawal_reason"] == "revoked"
    assert beijing_day(task["date_deadline"]) == date.fromisoformat(pub["withdrawal_due"]), (task, pub)
    assert date.fromisoformat(pub["withdrawal_due"]) > beijing_today()  # three working days
    assert not actors.rpc("officer1")("enforcement.task", "search", [
        ("case_id", "=", case_id), ("step_code", "=", "lost_case_report")]), "a reconsideration is no lawsuit"
    actors.complete(case_id, "publication_withdrawal", "leader")
    pub = leader("enforcement.publication", "read", publication, ["state", "withdrawn_on", "withdrawal_due"])[0]
    assert pub["state"] == "withdrawn" and pub["withdrawn_on"] <= pub["withdrawal_due"]
    with pytest.raises(urllib.error.HTTPError) as gone:  # the portal says it was withdrawn, without its content
        urllib.request.urlopen(url, timeout=30)
    assert gone.value.code == 410
    listing = urllib.request.urlopen(f"{stack.odoo.url}/enforcement/public/decisions", timeout=30).read().decode()
    number = actors.case(case_id, "decision_number")["decision_number"]
    assert number not in listing


def test_suspected_crime_is_transferred_resumed_when_declined_and_closed_when_filed(stack, actors):
    case_id = actors.create_case(title="某食品公司销售过期食品案（涉嫌犯罪）")
    actors.approve_filing(case_id)

    def report_transfer():
        actors.investigate(case_id)
        actors.complete(case_id, "investigation_report", "officer1", investigation_conclusion="transfer",
                        transfer_reason="过期食品货值金额达二十万元，涉嫌销售不符合安全标准的食品罪。")
        actors.complete(case_id, "crime_transfer", "officer1", transfer_organ="城关县公安局",
                        transfer_sent_on=str(beijing_today()))
        assert actors.case(case_id, "state")["state"] == "transferred"

    report_transfer()
    actors.complete(case_id, "transfer_receipt", "officer1", transfer_accepted="declined",
                    transfer_receipt_on=str(beijing_today()), transfer_receipt_note="不予立案通知书")
    actors.wait_task(case_id, "investigation", "officer1")  # the administrative case goes on
    assert actors.case(case_id, "state")["state"] == "investigation"

    report_transfer()
    number = actors.rpc("officer1")("enforcement.case", "read", [case_id], ["transfer_number"])[0]["transfer_number"]
    assert number.startswith("城关市监移〔")
    actors.complete(case_id, "transfer_receipt", "officer1", transfer_accepted="accepted",
                    transfer_receipt_on=str(beijing_today()), transfer_receipt_note="立案告知书")
    actors.close(case_id)
    final = actors.wait_case(case_id, lambda c: c["state"] == "archived", "the archive seal")
    assert final["archive_number"] and not final["decision_number"]
    SEEN["transfer_case"] = case_id


def test_the_duty_screens_read_in_chinese(stack, actors):
    """The leader's screens of these duties, in zh_CN, kept as screenshots."""
    rpc = stack.rpc()
    zh = rpc("res.lang", "search", [("code", "=", "zh_CN"), ("active", "in", [True, False])])
    rpc("base.language.install", "lang_install", [rpc("base.language.install", "create", {"lang_ids": [(6, 0, zh)]})])
    leader = actors.bureau["users"]["leader"]
    rpc("res.users", "write", [leader], {"lang": "zh_CN"})
    browser = Browser(lang="zh-CN")
    try:
        url, login = stack.odoo.url, actors.bureau["logins"]["leader"]
        browser.goto(f"{url}/web/login")
        browser.wait_for("!!document.querySelector('form.oe_login_form input[name=login]')", 30, "the login form")
        browser.evaluate(f"""(() => {{
            document.querySelector('input[name=login]').value = '{login}';
            document.querySelector('input[name=password]').value = '{login}';
            document.querySelector('form.oe_login_form').submit(); }})()""")
        browser.wait_for("location.pathname.startsWith('/odoo') && document.readyState === 'complete'", 60, "login")

        def shot(name, path, expect):
            browser.goto(url + path)
            browser.wait_for(f"document.body.innerText.includes({expect!r})", 60, f"{expect} on {name}")
            time.sleep(1.0)
            browser.screenshot(SHOTS / f"{name}.png")

        act = "/odoo/action-admin_enforcement."
        shot("remedy-list", f"{act}action_enforcement_remedy", "行政复议与行政诉讼")
        shot("remedy-form-lost", f"{act}action_enforcement_remedy/{SEEN['lost_remedy']}", "败诉案件报告")
        shot("task-form-major-filing", f"{act}action_enforcement_task/{SEEN['filing_task']}", "重大行政处罚决定备案")
        shot("case-form-major", f"{act}action_enforcement_case/{SEEN['major_case']}", "复议诉讼")
        browser.evaluate("[...document.querySelectorAll('a.nav-link')].find(a => a.innerText.includes('备案与移送'))"
                         ".click()")
        time.sleep(1.0)
        browser.screenshot(SHOTS / "case-form-major-filing-page.png")
        shot("case-form-transferred", f"{act}action_enforcement_case/{SEEN['transfer_case']}", "打印涉嫌犯罪案件移送书")
        browser.evaluate("[...document.querySelectorAll('a.nav-link')].find(a => a.innerText.includes('备案与移送'))"
                         ".click()")
        time.sleep(1.0)
        browser.screenshot(SHOTS / "case-form-transfer-page.png")
        browser.goto(f"{url}/report/html/admin_enforcement.report_crime_transfer_document/{SEEN['transfer_case']}")
        browser.wait_for("document.body.innerText.includes('涉嫌犯罪案件移送书')", 60, "the transfer document")
        browser.screenshot(SHOTS / "crime-transfer-document.png", full_page=True)
    finally:
        browser.close()
