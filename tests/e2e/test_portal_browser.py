"""The public portal in a real browser (headless Chromium) against the real
stack: the BPMN deployed to the engine is recorded in Odoo and drawn as the
flowchart, with its Chinese step names; lists, a decision search and certificate checks are opened
without logging in, at a phone's width. A screenshot of every page is kept
in test-output/portal/ for a person to look at."""
from __future__ import annotations

import shutil
import subprocess
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

import pytest

from cdp_browser import Browser
from deploy import deploy_processes, record_in_odoo

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "portal"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = "390,1600"

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (scripts/setup installs it)")


def chromium(*args: str, timeout: int = 60) -> str:
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--lang=zh-CN",
         f"--window-size={PHONE}", *args],
        capture_output=True, text=True, timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def visit(stack, path: str, name: str) -> str:
    """The page's DOM after rendering, with a screenshot saved as test-output/portal/<name>.png."""
    url = stack.odoo.url + path
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chromium(f"--screenshot={SCREENSHOTS / name}.png", url)
    assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000, f"empty screenshot of {url}"
    return chromium("--dump-dom", url)


@pytest.fixture(scope="module")
def portal(stack, bureau):
    """Chinese installed, the deployment recorded, and published data of the test bureau."""
    admin = stack.rpc()
    zh = admin("res.lang", "search", [("code", "=", "zh_CN"), ("active", "in", [True, False])])
    wizard = admin("base.language.install", "create", {"lang_ids": [(6, 0, zh)]})
    admin("base.language.install", "lang_install", [wizard])
    # Deploying again what the stack deployed keeps every version (duplicate
    # filtering): what Odoo records is what the engine runs.
    processes = deploy_processes(stack.engine.rest_url, credentials=stack.engine.credentials)
    assert {"enforcement_penalty_ordinary", "enforcement_case_filing"} <= {p["bpmn_process_id"] for p in processes}
    assert {(p["bpmn_process_id"], p["version"]) for p in processes} == {
        (p["bpmn_process_id"], p["version"]) for p in stack.engine.deployed}
    assert record_in_odoo(stack.odoo.url, stack.odoo.db, "admin", "admin", processes) == len(processes)

    agency, company = bureau["agency_id"], bureau["company_id"]
    ctx = {"context": {"allowed_company_ids": [company]}}  # act in the test bureau
    market = admin("ir.model.data", "check_object_reference", "admin_enforcement", "enforcement_category_market")[1]
    area = admin("enforcement.area", "create", {"code": "E2E001", "name": "城关县"})
    officer = admin("enforcement.officer", "create", {
        "name": "周志明", "agency_id": agency, "unit": "综合执法大队", "post": "科员",
    }, **ctx)
    today = date.today()
    certificates = {}
    for number in ("E2E-33012700101", "E2E-33012700102"):
        certificates[number] = admin("enforcement.certificate", "create", {
            "number": number, "officer_id": officer, "issuing_body": "城关县人民政府",
            "category_ids": [(6, 0, [market])], "area_ids": [(6, 0, [area])],
            "valid_from": str(today - timedelta(days=200)), "valid_to": str(today + timedelta(days=500)),
        }, **ctx)
    admin("enforcement.certificate", "action_suspend", [certificates["E2E-33012700102"]], reason="年度考核不合格", **ctx)
    admin("enforcement.matter", "create", {
        "code": "E2E-PUB-001", "name": "对经营超过保质期食品的行政处罚", "category": "penalty", "agency_id": agency,
        "effective_from": "2020-01-01", "implementing_unit": "综合执法大队",
        "basis_line_ids": [(0, 0, {"law": "《中华人民共和国食品安全法》", "article": "第一百二十四条"})],
    }, **ctx)
    admin("enforcement.publication.list.version", "action_publish_all", [], **ctx)
    admin("enforcement.publication.policy", "create", {
        "company_id": company, "decision_category": "penalty", "full_text": True,
    }, **ctx)
    publication = admin("enforcement.publication", "create", {
        "agency_id": agency, "title": "赵建平销售超过保质期食品案", "decision_number": "城关市监处罚〔2026〕0101号",
        "decision_category": "penalty", "decided_on": "2026-11-02", "party_type": "person",
        "party_name": "赵建平", "party_id_number": "330127198001014513",
        "conclusion": "没收超过保质期的酸奶12盒，并处罚款人民币5000元。",
        "full_text": "当事人赵建平（身份证号码330127198001014513，电话13805712345）销售超过保质期的酸奶12盒。",
    }, **ctx)
    admin("enforcement.publication", "action_confirm_redaction", [publication], **ctx)
    admin("enforcement.publication", "action_publish", [publication], **ctx)
    return {"agency": agency, "publication": publication}


SECRETS = ("赵建平", "330127198001014513", "13805712345")


def test_browse_the_lists(stack, portal):
    home = visit(stack, "/enforcement/public", "01-home")
    assert "行政执法公示平台" in home and "城关县市场监督管理局（测试）" in home
    agency = visit(stack, f"/enforcement/public/agency/{portal['agency']}", "02-agency")
    assert "执法人员清单" in agency and "v1" in agency
    officers = visit(stack, f"/enforcement/public/agency/{portal['agency']}/list/officers", "03-officers")
    assert "周志明" in officers and "E2E-33012700101" in officers
    assert "E2E-33012700102" not in officers, "a suspended certificate is not on the list of certified officers"
    matters = visit(stack, f"/enforcement/public/agency/{portal['agency']}/list/matters", "04-matters")
    assert "对经营超过保质期食品的行政处罚" in matters and "第一百二十四条" in matters


def test_open_a_flowchart_of_the_deployed_process(stack, portal):
    charts = visit(stack, "/enforcement/public/flowcharts", "05-flowcharts")
    assert "enforcement_penalty_ordinary" in charts
    chart = visit(stack, "/enforcement/public/flowchart/enforcement_penalty_ordinary", "06-flowchart")
    assert "<svg" in chart and 'data-id="Task_CreatePublication"' in chart
    for step in ("立案", "调查取证", "事先告知", "作出处罚决定", "启动决定公示", "结案"):
        assert step in chart, step


def test_search_a_decision(stack, portal):
    query = urllib.parse.urlencode({"party": "赵某某", "category": "penalty", "date_from": "2026-11-01"})
    results = visit(stack, f"/enforcement/public/decisions?{query}", "07-decision-search")
    assert "城关市监处罚〔2026〕0101号" in results and "赵某某" in results
    detail = visit(stack, f"/enforcement/public/decisions/{portal['publication']}", "08-decision")
    assert "决定书全文" in detail and "赵某某" in detail
    for page in (results, detail):
        for secret in SECRETS:
            assert secret not in page


def test_verify_a_valid_and_a_suspended_certificate(stack, portal):
    valid = visit(stack, "/enforcement/certificate?number=E2E-33012700101", "09-certificate-valid")
    assert "该执法证有效" in valid and "周志明" in valid
    suspended = visit(stack, "/enforcement/certificate/E2E-33012700102", "10-certificate-suspended")
    assert "已被暂扣" in suspended and "该执法证有效" not in suspended


def test_tables_read_as_cards_on_a_phone(stack, portal):
    """At a phone's width no table scrolls sideways: each row is a card and
    each cell is headed by its column's name in Chinese."""
    browser = Browser(lang="zh-CN", width=375, height=800)
    try:
        browser.set_width(375, 800, mobile=True)
        pages = {
            "decisions": ("/enforcement/public/decisions", "当事人"),
            "officers": (f"/enforcement/public/agency/{portal['agency']}/list/officers", "姓名"),
            "anchors": ("/enforcement/public/anchors", None),
        }
        for name, (path, label) in pages.items():
            browser.goto(stack.odoo.url + path)
            browser.screenshot(SCREENSHOTS / f"phone-cards-{name}.png", full_page=True)
            layout = browser.evaluate("""(() => {
                const table = document.querySelector('table');
                return {
                    overflow: document.documentElement.scrollWidth - window.innerWidth,
                    head: table ? getComputedStyle(table.querySelector('thead')).display : null,
                    labels: table ? [...table.querySelectorAll('tbody tr:first-child td')].map(
                        td => getComputedStyle(td, '::before').content) : [],
                };
            })()""")
            assert layout["overflow"] <= 0, f"{name}: the page is {layout['overflow']} px wider than the phone"
            if layout["head"] is not None:
                assert layout["head"] == "none", f"{name}: the table keeps its header row on a phone"
                assert all(len(content) > 2 for content in layout["labels"]), (name, layout["labels"])
            if label:
                assert any(label in content for content in layout["labels"]), (name, layout["labels"])
        # The search form's date fields say what they filter.
        browser.goto(stack.odoo.url + "/enforcement/public/decisions")
        dates = browser.evaluate("[...document.querySelectorAll('input[type=date]')].map("
                                 "input => (input.closest('label') || {}).innerText || '')")
        assert len(dates) == 2 and all("决定" in text for text in dates), dates
    finally:
        browser.close()
