"""Every role's main screens, and the public pages, are Chinese: each user
logs in through the real /web/login of a zh_CN browser, the web client
loads, and the test opens the screens that role works on (home 我的待办,
cases and a case mid-procedure, a task, legal review, master data,
incidents, engine commands, dashboards). On every screen it reads what a
person sees (the page's text, the title, placeholder and aria-label of
visible elements, the values of visible inputs, the fields' help tooltips)
and fails with the English words it found, screen by screen. A screenshot
of every screen is kept under test-output/<role>/<screen>.png.

Not English, and therefore not reported (ALLOWED and is_code):
- identifiers: a token of letters and digits together (案号 AJ2026-000001,
  certificate and matter codes, v1, 10MB), a snake_case key (the BPMN
  process keys on the engine's screens), an e-mail address, a URL or path,
  a file name (keys.pem, anchors.json);
- the few Latin abbreviations a Chinese clerk reads as they are (ALLOWED).
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from cdp_browser import CHROMIUM, Browser
from deploy import deploy_processes, record_in_odoo
from penalty_flow import Actors, setup_penalty_bureau

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"

pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (scripts/setup installs it)")

# Latin words a Chinese screen may show, each for a reason:
ALLOWED = {
    "PDF", "SVG", "PNG", "CSV", "JSON", "XLSX", "PEM",  # file formats, named so on Chinese office screens
    "ID",  # 身份证 ID / record ID, as Chinese government forms write it
    "IP",  # IP 地址, the Chinese term
    "USCC",  # 统一社会信用代码 (Unified Social Credit Code), the product's own abbreviation beside the field
    "KB", "MB", "GB",  # units of file size
    "BPMN",  # the standard's name on the flowchart pages: the published process is a BPMN 2.0 file
    "Odoo",  # the brand in Odoo's footer "由 Odoo 提供支持" on the login page
    "LOGO",  # the login page's logo image: alt="Logo", which Odoo's own zh_CN translation keeps as "Logo"
}
WORD = re.compile(r"[A-Za-z]{2,}")
TOKEN = re.compile(r"[A-Za-z0-9_@][A-Za-z0-9_@.\-/:%#?=&〔〕]*")

VISIBLE_TEXT = r"""
(() => {
  const seen = [];
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  seen.push(['title', document.title]);
  seen.push(['text', document.body.innerText]);
  for (const el of document.querySelectorAll('[title], [placeholder], [aria-label], [data-tooltip], [alt]')) {
    if (!visible(el)) continue;
    for (const name of ['title', 'placeholder', 'aria-label', 'data-tooltip', 'alt']) {
      const value = el.getAttribute(name);
      if (value) seen.push([name, value]);
    }
  }
  for (const el of document.querySelectorAll('svg text, svg title')) {  // a flowchart's step names and tooltips
    if (el.closest('svg').getClientRects().length && el.textContent.trim()) seen.push(['svg', el.textContent]);
  }
  for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=password]), textarea')) {
    if (visible(el) && el.value && !['checkbox', 'radio'].includes(el.type)) seen.push(['value', el.value]);
  }
  for (const el of document.querySelectorAll('[data-tooltip-info]')) {
    if (!visible(el)) continue;
    try {
      const info = JSON.parse(el.getAttribute('data-tooltip-info'));
      const help = info.field && info.field.help;
      if (help) seen.push(['tooltip', help]);
    } catch (e) { /* not JSON */ }
  }
  return seen;
})()
"""

# The web client has shown a view: an action's controller (or a wizard's
# dialog) is mounted and nothing is loading.
WEB_CLIENT_READY = """
!!document.querySelector('.o_action_manager .o_view_controller, .o_action_manager .o_action, .o_dialog .o_form_view')
  && !document.querySelector('.o_loading_indicator, .o_blockUI')
"""
ERROR_DIALOG = """
(() => { const d = document.querySelector('.o_error_dialog, .o_dialog .modal-body .alert-danger');
  return d ? d.innerText : ''; })()
"""


def is_code(token: str) -> bool:
    """An identifier, an address or a file name rather than a word."""
    if re.search(r"\d", token) and re.search(r"[A-Za-z]", token):
        return True  # AJ2026-000001, ZH-62-0001, v1, 20MB
    if "_" in token:
        return True  # enforcement_penalty_ordinary: a process key on the engine's screens
    if "@" in token or "://" in token or token.startswith("/"):
        return True
    return bool(re.fullmatch(r"[\w\-]+\.(pem|json|csv|pdf|zip|png|svg|xlsx|bpmn|txt)", token, re.I))


def english_words(texts, data_words=frozenset()) -> dict[str, str]:
    """The English words in what was seen, each with a snippet around it."""
    found = {}
    allowed = {a.upper() for a in ALLOWED}
    for source, text in texts:
        for token in TOKEN.finditer(text or ""):
            if is_code(token.group().strip(".:/-?")):
                continue
            for word in WORD.findall(token.group()):
                if word.upper() not in allowed and word not in data_words and word not in found:
                    start = max(token.start() - 25, 0)
                    found[word] = f"{source}: …{text[start:token.end() + 25]}…".replace("\n", " ⏎ ")
    return found


# What other e2e tests of the session entered for their own bureaus (test
# prefixes such as "（pen）", logins such as e2e_officer): the supervisor reads
# every agency and the portal lists them all. Their Latin words are data, not
# the product's text, and are not reported.
OTHER_BUREAUS_DATA = (
    ("res.company", ["name"]), ("enforcement.agency", ["name", "short_name"]),
    ("res.users", ["name", "login"]), ("enforcement.officer", ["name"]),
    ("enforcement.legal.reviewer", ["name"]), ("enforcement.matter", ["name"]),
    ("enforcement.case", ["title", "party_name"]), ("enforcement.publication", ["title"]),
    # the access log keeps a printed document's name in its agency's language,
    # which is English for the bureaus other tests create through RPC
    ("enforcement.access.log", ["detail"]),
)


def other_bureaus_words(rpc, company_id: int) -> set[str]:
    words = set()
    every_company = {"allowed_company_ids": rpc("res.company", "search", [])}
    for model, fields in OTHER_BUREAUS_DATA:
        domain = [("id" if model == "res.company" else "company_id", "!=", company_id)]
        if model == "res.users":
            domain.append(("share", "=", False))  # staff, not the portal's public user
        for record in rpc(model, "search_read", domain, fields=fields, context=every_company):
            for field in fields:
                words.update(WORD.findall(str(record.get(field) or "")))
    return words


class Screens:
    """One browser for the module; a user's session at a time."""

    def __init__(self, stack, data_words=frozenset()):
        self.stack = stack
        self.data_words = data_words
        self.browser = Browser(lang="zh-CN")
        self.findings: dict[str, dict[str, dict[str, str]]] = {}
        self.visited: dict[str, list[str]] = {}

    def login(self, role: str, login: str, password: str) -> None:
        b = self.browser
        b.clear_site_data(self.stack.odoo.url)  # cookies, and the login page's remembered users
        b.goto(f"{self.stack.odoo.url}/web/login")
        b.wait_for("!!document.querySelector('form.oe_login_form:not(.d-none) input[name=login]')", 30,
                   "the login form")
        self.look(role, "login", backend=False)
        b.evaluate(f"""(() => {{
            document.querySelector('input[name=login]').value = {json.dumps(login)};
            document.querySelector('input[name=password]').value = {json.dumps(password)};
            document.querySelector('form.oe_login_form').submit(); }})()""")
        b.wait_for("location.pathname.startsWith('/odoo') && document.readyState === 'complete'", 60,
                   f"{login} to be logged in")
        self.ready()

    def ready(self, timeout: float = 60) -> None:
        b = self.browser
        b.wait_for(WEB_CLIENT_READY, timeout, "the web client to show a view")
        # The text settles once the view's records are rendered.
        last, stable_since = None, time.monotonic()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = b.evaluate("document.body.innerText")
            if text != last:
                last, stable_since = text, time.monotonic()
            elif time.monotonic() - stable_since > 0.6 and b.evaluate(WEB_CLIENT_READY):
                break
            time.sleep(0.2)
        error = b.evaluate(ERROR_DIALOG)
        assert not error, f"{b.url()} shows an error:\n{error[:2000]}"

    def open(self, role: str, screen: str, path: str, expect: str | None = None) -> str:
        """Opens a web-client URL (/odoo/action-…), waits for it, and looks."""
        self.browser.goto(self.stack.odoo.url + path)
        self.ready()
        return self.look(role, screen, expect=expect)

    def public(self, screen: str, path: str, expect: str | None = None) -> str:
        self.browser.goto(self.stack.odoo.url + path)
        time.sleep(0.3)
        return self.look("public", screen, expect=expect, backend=False)

    def look(self, role: str, screen: str, expect: str | None = None, backend: bool = True) -> str:
        b = self.browser
        seen = b.evaluate(VISIBLE_TEXT)
        text = "\n".join(value for _, value in seen)
        b.screenshot(OUTPUT / role / f"{screen}.png", full_page=not backend)
        self.visited.setdefault(role, []).append(screen)
        least = 5 if screen == "login" else 20
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > least, f"{role}/{screen}: hardly any Chinese on {b.url()}"
        if expect:
            assert expect in text, f"{role}/{screen}: {expect!r} not shown on {b.url()}"
        words = english_words(seen, self.data_words)
        if words:
            self.findings.setdefault(role, {})[screen] = words
        return text

    def assert_chinese(self, role: str) -> None:
        found = self.findings.get(role, {})
        report = "\n".join(
            f"  {role}/{screen}: {word}   [{where}]"
            for screen, words in found.items() for word, where in sorted(words.items()))
        assert not found, (f"English on {sum(len(w) for w in found.values())} places of {role}'s screens "
                           f"({', '.join(self.visited.get(role, []))}):\n{report}")


def action(xmlid: str, record_id: int | None = None) -> str:
    return f"/odoo/action-admin_enforcement.{xmlid}" + (f"/{record_id}" if record_id else "")


CN_DIGITS = "〇一二三四五六七八九"


@pytest.fixture(scope="module")
def bureau_zh(stack):
    """A bureau whose staff work in Chinese: every role's user (zh_CN,
    Beijing time), three cases at different steps and a published decision."""
    rpc = stack.rpc()

    def admin(model, method, *args, **kw):
        """The administrator, working in the web client in Chinese."""
        kw["context"] = dict(kw.get("context", {}), lang="zh_CN", tz="Asia/Shanghai")
        return rpc(model, method, *args, **kw)

    zh = rpc("res.lang", "search", [("code", "=", "zh_CN"), ("active", "in", [True, False])])
    wizard = rpc("base.language.install", "create", {"lang_ids": [(6, 0, zh)]})
    rpc("base.language.install", "lang_install", [wizard])
    admin("res.users", "write", [2], {"name": "系统管理员", "lang": "zh_CN"})
    processes = deploy_processes(stack.engine.rest_url, credentials=stack.engine.credentials)
    record_in_odoo(stack.odoo.url, stack.odoo.db, "admin", "admin", processes)

    # A database installed in Chinese (scripts/run: --load-language=zh_CN)
    # gives new partners, a new agency's company among them, zh_CN: the
    # language the agency keeps its records in. This one was installed in
    # English, so it is set for the setup, and set back after it.
    scope = [("field_id.model", "=", "res.partner"), ("field_id.name", "=", "lang"),
             ("company_id", "=", False), ("user_id", "=", False)]
    default = rpc("ir.default", "search_read", scope, fields=["json_value"])
    rpc("ir.default", "set", "res.partner", "lang", "zh_CN")
    stamp = str(int(time.time()) % 100000)
    prefix = f"zh{stamp}"
    try:
        b = setup_penalty_bureau(admin, prefix)
    finally:
        if default:
            rpc("ir.default", "write", [default[0]["id"]], {"json_value": default[0]["json_value"]})
        else:
            rpc("ir.default", "unlink", rpc("ir.default", "search", scope))
    # What a bureau enters: Chinese names, no test prefixes on screen. The
    # agency keeps its records in its company's language: zh_CN, as the
    # administrator created it in Chinese.
    name = "城关县综合行政执法局（" + "".join(CN_DIGITS[int(d)] for d in stamp) + "）"
    admin("res.company", "write", [b["company_id"]], {"name": name})
    admin("enforcement.agency", "write", [b["agency_id"]], {"name": name, "review_all_ordinary_penalties": True})
    people = {"leader": "刘建华", "leader2": "孙立平", "leader3": "周晓东", "officer1": "王建国",
              "officer2": "李晓梅", "officer3": "赵志强", "reviewer": "陈静", "reviewer2": "杨帆"}
    for key, person in people.items():
        admin("res.users", "write", [b["users"][key]], {"name": person, "lang": "zh_CN"})
    for key, officer_id in b["officers"].items():
        admin("enforcement.officer", "write", [officer_id], {"name": people[key]})
    reviewer_ids = admin("enforcement.legal.reviewer", "search", [("agency_id", "=", b["agency_id"])])
    admin("enforcement.legal.reviewer", "write", reviewer_ids, {"name": people["reviewer"]})

    def group(xmlid):
        return admin("ir.model.data", "check_object_reference", "admin_enforcement", xmlid)[1]

    for key, person, groups in (("admin", "黄振宇", ["group_enforcement_admin"]),
                                ("supervisor", "陈思远", ["group_enforcement_supervisor"])):
        login = f"{prefix}_{key}"
        b["users"][key] = admin("res.users", "create", {
            "name": person, "login": login, "password": login, "tz": "Asia/Shanghai", "lang": "zh_CN",
            "company_id": b["company_id"], "company_ids": [(6, 0, [b["company_id"]])],
            "groups_id": [(6, 0, [group(g) for g in groups])]})
        b["logins"][key] = login

    actors = Actors(stack.rpc, b)
    # A case waiting for the leader's filing approval.
    filing = actors.create_case(title="城关县惠民超市销售过期食品案")
    # A case mid-procedure: filed and investigated, the report is due.
    investigating = actors.create_case(title="城关县好运来便利店销售过期食品案")
    actors.approve_filing(investigating)
    actors.investigate(investigating)
    report_task = actors.wait_task(investigating, "investigation_report", "officer1")
    # A case at legal review.
    reviewed = actors.create_case(title="城关县鲜果坊销售过期食品案")
    actors.rpc("officer1")("enforcement.case", "action_request_review", [reviewed])
    review = stack.wait_for(lambda: admin("enforcement.review", "search", [("case_id", "=", reviewed)]),
                            what="the review file")[0]
    review_task = actors.wait_task(reviewed, "legal_review", "reviewer")
    filing_task = actors.wait_task(filing, "filing_approval", "leader")

    # A published decision and a certificate, for the public pages; the
    # bureau administrator publishes.
    bureau_admin = stack.rpc(b["logins"]["admin"])
    ctx = {"context": {"allowed_company_ids": [b["company_id"]]}}
    admin("enforcement.matter", "write", [b["matter_id"]], {
        "effective_from": "2020-01-01", "implementing_unit": "综合执法大队",
        "basis_line_ids": [(0, 0, {"law": "《中华人民共和国食品安全法》", "article": "第一百二十四条"})]})
    admin("enforcement.publication.list.version", "action_publish_all", [], **ctx)
    policy = admin("enforcement.publication.policy", "search", [("company_id", "=", b["company_id"]),
                                                                ("decision_category", "=", "penalty")])
    if not policy:
        admin("enforcement.publication.policy", "create", {
            "company_id": b["company_id"], "decision_category": "penalty", "full_text": True}, **ctx)
    publication = bureau_admin("enforcement.publication", "create", {
        "agency_id": b["agency_id"], "title": "钱卫东销售超过保质期食品案",
        "decision_number": f"城关综执罚〔2026〕{stamp}号", "decision_category": "penalty",
        "decided_on": "2026-11-02", "party_type": "person", "party_name": "钱卫东",
        "party_id_number": "330127198001014513", "conclusion": "没收超过保质期的酸奶12盒，并处罚款人民币5000元。",
        "full_text": "当事人钱卫东销售超过保质期的酸奶12盒，违反《中华人民共和国食品安全法》第三十四条。",
    }, **ctx)
    bureau_admin("enforcement.publication", "action_confirm_redaction", [publication])
    bureau_admin("enforcement.publication", "action_publish", [publication])
    certificate = admin("enforcement.certificate", "search_read", [("officer_id", "=", b["officers"]["officer1"])],
                        fields=["number"])[0]
    return dict(b, cases={"filing": filing, "investigating": investigating, "reviewed": reviewed},
                tasks={"report": report_task["id"], "review": review_task["id"], "filing": filing_task["id"]},
                review_id=review, publication=publication, certificate=certificate["number"])


@pytest.fixture(scope="module")
def screens(stack, bureau_zh):
    running = Screens(stack, other_bureaus_words(stack.rpc(), bureau_zh["company_id"]))
    yield running
    running.browser.close()


def login(screens, bureau, role, key=None):
    login = bureau["logins"][key or role]
    screens.login(role, login, login)
    home = screens.look(role, "home")
    assert "我的待办" in home, f"{role} does not start on 我的待办"


def test_officer_screens_are_chinese(screens, bureau_zh):
    b = bureau_zh
    role = "officer"
    login(screens, b, role, "officer1")
    screens.open(role, "task-form-report", action("action_enforcement_task", b["tasks"]["report"]))
    screens.open(role, "cases", action("action_enforcement_case"), expect="好运来便利店")
    screens.open(role, "case-form-investigating", action("action_enforcement_case", b["cases"]["investigating"]),
                 expect="好运来便利店")
    screens.open(role, "records", action("action_enforcement_record"))
    screens.open(role, "reviews", action("action_enforcement_review"))
    screens.open(role, "publications", action("action_enforcement_publication"))
    screens.assert_chinese(role)


def test_leader_screens_are_chinese(screens, bureau_zh):
    b = bureau_zh
    role = "leader"
    login(screens, b, role)
    screens.open(role, "task-form-filing-approval", action("action_enforcement_task", b["tasks"]["filing"]),
                 expect="惠民超市")
    screens.open(role, "cases", action("action_enforcement_case"))
    screens.open(role, "case-form-filing", action("action_enforcement_case", b["cases"]["filing"]))
    screens.open(role, "case-form-investigating", action("action_enforcement_case", b["cases"]["investigating"]))
    screens.open(role, "records-late", action("action_enforcement_record_late"))
    screens.open(role, "access-log", action("action_enforcement_access_log"))
    screens.open(role, "collective-discussions", action("action_enforcement_collective_decision"))
    screens.open(role, "publications", action("action_enforcement_publication"))
    screens.open(role, "publication-form", action("action_enforcement_publication", b["publication"]))
    screens.assert_chinese(role)


def test_reviewer_screens_are_chinese(screens, bureau_zh):
    b = bureau_zh
    role = "reviewer"
    login(screens, b, role)
    screens.open(role, "task-form-legal-review", action("action_enforcement_task", b["tasks"]["review"]))
    screens.open(role, "reviews", action("action_enforcement_review"))
    screens.open(role, "review-form", action("action_enforcement_review", b["review_id"]))
    screens.open(role, "review-dashboard", action("action_enforcement_review_dashboard"))
    screens.assert_chinese(role)


def test_supervisor_screens_are_chinese(screens, bureau_zh):
    b = bureau_zh
    role = "supervisor"
    login(screens, b, role)
    screens.open(role, "cases", action("action_enforcement_case"), expect="好运来便利店")
    screens.open(role, "case-form-investigating", action("action_enforcement_case", b["cases"]["investigating"]))
    screens.open(role, "review-dashboard", action("action_enforcement_review_dashboard"))
    screens.open(role, "records", action("action_enforcement_record"))
    screens.open(role, "records-late", action("action_enforcement_record_late"))
    screens.open(role, "access-log", action("action_enforcement_access_log"))
    screens.open(role, "daily-anchors", action("action_enforcement_chain_anchor"))
    screens.open(role, "publications", action("action_enforcement_publication"))
    screens.open(role, "process-incidents", action("action_enforcement_process_incident"))
    screens.open(role, "failed-steps", action("action_enforcement_job_incident"))
    screens.open(role, "engine-commands", action("action_enforcement_outbox"))
    # supervision desk: the desk, its deadlines, charts and 案卷评查
    for name, xmlid in (("supervision-desk", "action_enforcement_desk_agency"),
                        ("desk-deadlines", "action_enforcement_desk_deadline"),
                        ("desk-cases-pivot", "action_enforcement_desk_case"),
                        ("desk-record-issues", "action_enforcement_desk_record_issue"),
                        ("warnings", "action_enforcement_warning"), ("warning-rules", "action_enforcement_warning_rule"),
                        ("file-reviews", "action_enforcement_file_review"),
                        ("file-review-results", "action_enforcement_file_review_results"),
                        ("corrections", "action_enforcement_file_review_correction"),
                        ("review-checklists", "action_enforcement_file_review_checklist")):
        screens.open(role, name, action(xmlid))
    screens.assert_chinese(role)


ADMIN_LISTS = (
    ("agencies", "enforcement_agency_action"), ("officers", "enforcement_officer_action"),
    ("certificates", "enforcement_certificate_action"), ("matters", "enforcement_matter_action"),
    ("random-inspection-items", "enforcement_matter_random_inspection_action"),
    ("discretion-standards", "enforcement_discretion_standard_action"),
    ("major-decision-catalogue", "enforcement_major_catalogue_rule_action"),
    ("legal-reviewers", "enforcement_legal_reviewer_action"), ("committees", "enforcement_review_committee_action"),
    ("categories", "enforcement_category_action"), ("areas", "enforcement_area_action"),
    ("penalty-types", "enforcement_penalty_type_action"), ("holiday-calendar", "action_enforcement_holiday_override"),
    ("holiday-notices", "action_enforcement_holiday_year"), ("statutory-periods", "action_enforcement_period_override"),
    ("av-recording-list", "action_enforcement_av_requirement"),
    ("publication-policies", "action_enforcement_publication_policy"),
    ("process-incidents", "action_enforcement_process_incident"), ("failed-steps", "action_enforcement_job_incident"),
    ("engine-commands", "action_enforcement_outbox"),
    ("job-workers", "action_enforcement_worker_status"), ("deployed-processes", "action_enforcement_process_definition"),
)


def test_bureau_administrator_screens_are_chinese(screens, bureau_zh):
    b = bureau_zh
    role = "admin"
    login(screens, b, role)
    for screen, xmlid in ADMIN_LISTS:
        screens.open(role, screen, action(xmlid))
    screens.open(role, "agency-form", action("enforcement_agency_action", b["agency_id"]))
    screens.open(role, "officer-form", action("enforcement_officer_action", b["officers"]["officer1"]))
    screens.open(role, "matter-form", action("enforcement_matter_action", b["matter_id"]))
    screens.open(role, "discretion-standard-form", action("enforcement_discretion_standard_action", b["standard_id"]))
    screens.open(role, "holiday-notice-wizard", action("action_enforcement_holiday_notice_wizard"))
    screens.assert_chinese(role)


def test_public_pages_are_chinese(screens, bureau_zh):
    b = bureau_zh
    screens.browser.clear_site_data(screens.stack.odoo.url)
    agency = b["agency_id"]
    screens.public("home", "/enforcement/public", expect="行政执法公示平台")
    screens.public("agency", f"/enforcement/public/agency/{agency}")
    screens.public("officers", f"/enforcement/public/agency/{agency}/list/officers", expect="王建国")
    screens.public("matters", f"/enforcement/public/agency/{agency}/list/matters", expect="第一百二十四条")
    screens.public("decisions", "/enforcement/public/decisions", expect="钱某某")
    screens.public("decision", f"/enforcement/public/decisions/{b['publication']}", expect="钱某某")
    screens.public("flowcharts", "/enforcement/public/flowcharts")
    screens.public("flowchart-penalty", "/enforcement/public/flowchart/enforcement_penalty_ordinary",
                   expect="调查取证")
    screens.public("certificate-search", "/enforcement/certificate")
    screens.public("certificate", f"/enforcement/certificate?number={b['certificate']}", expect="王建国")
    screens.public("anchors", "/enforcement/public/anchors")
    screens.assert_chinese("public")
