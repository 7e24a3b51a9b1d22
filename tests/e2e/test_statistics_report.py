"""The half-year statistics report (执法数据报送) on the real engine: creating
it starts its process, each step opens a task due on the report's due date
in 我的待办, the legal office's review is refused (in Chinese) while a
category without cases has no reason, then the report is reviewed, approved,
submitted into the signed chain, and the engine's instance ends."""
from __future__ import annotations

import json
import time
import xmlrpc.client
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cdp_browser import CHROMIUM, Browser
from penalty_flow import setup_penalty_bureau

TIMEOUT = 90
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "statistics"
WEB_CLIENT_READY = """
!!document.querySelector('.o_action_manager .o_form_view')
  && !document.querySelector('.o_loading_indicator, .o_blockUI')
"""


@pytest.fixture(scope="module")
def bureau(stack):
    admin = stack.rpc()
    zh = admin("res.lang", "search", [("code", "=", "zh_CN"), ("active", "in", [True, False])])
    admin("base.language.install", "lang_install", [admin("base.language.install", "create", {
        "lang_ids": [(6, 0, zh)]})])
    bureau = setup_penalty_bureau(admin, "stat")
    admin("res.users", "write", list(bureau["users"].values()), {"lang": "zh_CN"})
    return bureau


def wait_task(stack, role, report_id, step_code):
    rpc = stack.rpc(role)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        found = rpc("enforcement.task", "search_read", [
            ("subject_model", "=", "enforcement.statistics.report"), ("subject_id", "=", report_id),
            ("step_code", "=", step_code), ("state", "=", "open")], fields=["id", "date_deadline", "name"])
        if found:
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"no open {step_code} task of report {report_id} for {role}")


def test_half_year_report_refused_without_zero_reasons_then_submitted_on_the_engine(stack, bureau):
    year = datetime.now(UTC).year
    reviewer, leader, leader2 = (stack.rpc(f"stat_{role}") for role in ("reviewer", "leader", "leader2"))
    report_id = reviewer("enforcement.statistics.report", "create", {
        "agency_id": bureau["agency_id"], "period_kind": "half_year", "year": year})

    task = wait_task(stack, "stat_reviewer", report_id, "statistics_review")
    assert task["date_deadline"].startswith(f"{year}-07-31"), task
    with pytest.raises(xmlrpc.client.Fault, match="没有案件.*行政处罚"):
        reviewer("enforcement.task", "action_complete", [task["id"]], context={"lang": "zh_CN"})

    lines = reviewer("enforcement.statistics.line", "search_read", [("report_id", "=", report_id)],
                     fields=["id", "category", "is_zero", "source"])
    assert len(lines) == 10 and {line["category"] for line in lines if line["source"] == "computed"} == {
        "penalty", "compulsion", "inspection"}
    for line in lines:
        if line["is_zero"]:
            reviewer("enforcement.statistics.line", "write", [line["id"]], {"zero_reason": "本期间未发生此类执法行为"})
    reviewer("enforcement.statistics.report", "action_review", [report_id])  # completes the open task

    approval = wait_task(stack, "stat_leader", report_id, "statistics_approval")
    leader("enforcement.task", "action_complete", [approval["id"]])
    submission = wait_task(stack, "stat_leader2", report_id, "statistics_submission")
    leader2("enforcement.task", "action_complete", [submission["id"]])

    report = leader("enforcement.statistics.report", "read", [report_id],
                    ["state", "chain_seq", "entry_hash", "reviewed_by_id", "approved_by_id", "submitted_by_id"])[0]
    assert (report["state"], report["chain_seq"]) == ("submitted", 1)
    assert (report["reviewed_by_id"][0], report["approved_by_id"][0], report["submitted_by_id"][0]) == (
        bureau["users"]["reviewer"], bureau["users"]["leader"], bureau["users"]["leader2"])
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        history = stack.rest.get("/history/process-instance", processInstanceBusinessKey=f"statistics-{report_id}")
        if history and history[0].get("state") == "COMPLETED":
            break
        time.sleep(0.5)
    else:
        raise AssertionError(f"the engine's instance of report {report_id} did not end: {history}")


def submit_directly(stack, report_id):
    """The report's buttons, before the engine has opened its tasks: the same checks, then the step."""
    reviewer = stack.rpc("stat_reviewer")
    for line in reviewer("enforcement.statistics.line", "search_read", [("report_id", "=", report_id)],
                         fields=["id", "is_zero"]):
        if line["is_zero"]:
            reviewer("enforcement.statistics.line", "write", [line["id"]], {"zero_reason": "本年度未发生此类执法行为"})
    reviewer("enforcement.statistics.report", "action_review", [report_id])
    stack.rpc("stat_leader")("enforcement.statistics.report", "action_approve", [report_id])
    stack.rpc("stat_leader2")("enforcement.statistics.report", "action_submit", [report_id])


@pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (scripts/setup installs it)")
def test_report_form_and_the_annual_figures_on_the_portal_in_chinese(stack, bureau):
    """The leader's report form and the public page of a submitted annual report, in zh_CN, with screenshots."""
    year = datetime.now(UTC).year - 1
    report_id = stack.rpc("stat_reviewer")("enforcement.statistics.report", "create", {
        "agency_id": bureau["agency_id"], "period_kind": "annual", "year": year})
    submit_directly(stack, report_id)
    browser = Browser(lang="zh-CN")
    try:
        browser.goto(f"{stack.odoo.url}/web/login")
        browser.wait_for("!!document.querySelector('form.oe_login_form input[name=login]')", 30, "the login form")
        browser.evaluate(f"""(() => {{
            document.querySelector('input[name=login]').value = {json.dumps("stat_leader")};
            document.querySelector('input[name=password]').value = {json.dumps("stat_leader")};
            document.querySelector('form.oe_login_form').submit(); }})()""")
        browser.wait_for("location.pathname.startsWith('/odoo') && document.readyState === 'complete'", 60, "login")
        browser.goto(f"{stack.odoo.url}/odoo/action-admin_enforcement.action_enforcement_statistics_report/{report_id}")
        browser.wait_for(WEB_CLIENT_READY, 60, "the report form")
        time.sleep(1.5)
        text = browser.evaluate("document.body.innerText")
        browser.screenshot(SHOTS / "report_form.png")
        for shown in ("行政处罚", "行政收费", "已报送", "系统统计", "手工填报"):
            assert shown in text, f"{shown} not on the report form"

        browser.goto(f"{stack.odoo.url}/enforcement/public/statistics")
        time.sleep(0.5)
        listing = browser.evaluate("document.body.innerText")
        browser.screenshot(SHOTS / "portal_statistics.png", full_page=True)
        assert "城关县市场监督管理局（stat）" in listing and str(year) in listing
        browser.goto(f"{stack.odoo.url}/enforcement/public/statistics/{report_id}")
        time.sleep(0.5)
        page = browser.evaluate("document.body.innerText")
        browser.screenshot(SHOTS / "portal_statistics_report.png", full_page=True)
        for shown in ("行政复议", "行政诉讼", "合计", "本年度未发生此类执法行为"):
            assert shown in page, f"{shown} not on the public page"
    finally:
        browser.close()
