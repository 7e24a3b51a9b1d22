"""The public portal as anyone on the internet sees it: pages and exports
fetched over HTTP without logging in. Unredacted names and ID numbers (of
this fixture and of the demo decisions) appear nowhere; search parameters
carrying SQL or script are answered safely."""
import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from odoo.tests import HttpCase, tagged

from ..enforcement_core.china_clock import china_today
from .chinese import load_chinese
from .test_portal_publication import (
    PERSON, PERSON_ADDRESS, PERSON_ID, PERSON_MOBILE, WITNESS, person_decision_values, setup_portal_fixture,
)

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"
#: The demo decisions' real names and ID numbers (demo/publication_demo.xml).
DEMO_SECRETS = [
    "张建国", "330127198503124518", "13957112345", "解放路128号", "李秀英", "330127197208150021",
    "王丽华", "330127199107084426", "13867154321", "青云路16号", "陈志强", "330127199011203376",
    "孙浩然", "330127198812016617", "6222 0212 0300 4567 890",
]
SECRETS = [PERSON, PERSON_ID, PERSON_MOBILE, PERSON_ADDRESS, "解放路128号", WITNESS, "草稿当事人甲某", "草稿机密"]


@tagged("post_install", "-at_install")
class TestPortalPages(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        setup_portal_fixture(cls)
        Publication = cls.env["enforcement.publication"]
        cls.env["enforcement.publication.policy"].create({
            "company_id": cls.company.id, "decision_category": "penalty", "full_text": True,
        })
        cls.published = Publication.create(person_decision_values(cls))
        cls.withdrawn = Publication.create(person_decision_values(
            cls, decision_number="公示市监处罚〔2026〕0002号", conclusion="撤回测试：罚款人民币7000元。"))
        cls.draft = Publication.create(person_decision_values(
            cls, decision_number="公示市监处罚〔2026〕0003号", party_name="草稿当事人甲某",
            title="草稿机密案", conclusion="草稿机密结论。"))
        for publication in cls.published | cls.withdrawn:
            publication.action_confirm_redaction()
            publication.action_publish()
        cls.withdrawn.withdrawal_reason = "revoked"
        cls.withdrawn.action_withdraw()
        cls.env["enforcement.matter"].create({
            "code": "GS-009", "name": "对销售不合格电动自行车头盔的行政处罚", "category": "penalty",
            "agency_id": cls.agency.id, "effective_from": date(2020, 1, 1), "implementing_unit": "执法大队",
        })
        cls.env["enforcement.publication.list.version"]._publish_lists(cls.agency)
        cls.env["enforcement.process.definition"].record_deployment([
            {"bpmn_process_id": "enforcement_penalty_ordinary", "version": 1,
             "xml": (BPMN_DIR / "penalty_ordinary.bpmn").read_text(), "resource_name": "penalty_ordinary.bpmn"},
        ])
        officer = cls.env["enforcement.officer"].create({
            "name": "周志明", "agency_id": cls.agency.id, "unit": "执法一队", "post": "科员",
        })
        today = china_today()
        category = cls.env.ref("admin_enforcement.enforcement_category_market")
        cls.cert_valid, cls.cert_suspended = cls.env["enforcement.certificate"].create([
            {"number": f"GS-CERT-{n}", "officer_id": officer.id, "issuing_body": "公示测试县人民政府",
             "category_ids": [(6, 0, category.ids)], "valid_from": today - timedelta(days=100),
             "valid_to": today + timedelta(days=300)} for n in (1, 2)
        ])
        cls.cert_suspended.action_suspend(reason="年度考核不合格")

    def _get(self, url, status=200):
        response = self.url_open(url, allow_redirects=False)
        self.assertEqual(response.status_code, status, url)
        return response.text

    def _assert_no_secret(self, text, where):
        for secret in SECRETS + DEMO_SECRETS:
            self.assertNotIn(secret, text, f"{secret} is readable on {where}")

    def _public_urls(self):
        urls = ["/enforcement/public", f"/enforcement/public/agency/{self.agency.id}",
                "/enforcement/public/decisions", "/enforcement/public/decisions?category=penalty",
                "/enforcement/public/flowcharts", "/enforcement/public/flowchart/enforcement_penalty_ordinary",
                "/enforcement/public/decisions/export.json", "/enforcement/public/decisions/export.csv",
                "/enforcement/certificate"]
        urls += [f"/enforcement/public/agency/{self.agency.id}/list/{kind}" for kind in (
            "agency", "officers", "matters", "inspection_items", "discretion", "catalogue", "service_guides")]
        demo_agency = self.env.ref("admin_enforcement.agency_chengguan_amr", raise_if_not_found=False)
        if demo_agency:
            urls.append(f"/enforcement/public/agency/{demo_agency.id}/list/officers")
        return urls

    def test_pages_and_exports_never_show_unredacted_data(self):
        for url in self._public_urls():
            with self.subTest(url=url):
                self._assert_no_secret(self._get(url), url)
        # Every decision page the listing links to, the demo decisions' included.
        listing = self._get("/enforcement/public/decisions/export.json")
        for row in json.loads(listing)["decisions"]:
            self.assertNotIn("party_name", row)
        ids = re.findall(r"/enforcement/public/decisions/(\d+)", self._get("/enforcement/public/decisions"))
        self.assertIn(str(self.published.id), ids)
        all_ids = self.env["enforcement.publication"].sudo().search([]).ids
        for publication_id in all_ids:
            response = self.url_open(f"/enforcement/public/decisions/{publication_id}")
            self.assertIn(response.status_code, (200, 404, 410))
            self._assert_no_secret(response.text, f"decision {publication_id}")

    def test_published_decision_shows_the_redacted_text_in_chinese(self):
        page = self._get(f"/enforcement/public/decisions/{self.published.id}")
        self.assertIn("张某某", page)
        self.assertIn("欧阳某某", page)
        self.assertIn("公示市监处罚〔2026〕0001号", page)
        self.assertIn("决定书全文", page)
        self.assertIn("当事人", page)

    def test_withdrawn_decision_says_so_without_its_content(self):
        page = self._get(f"/enforcement/public/decisions/{self.withdrawn.id}", status=410)
        self.assertIn("已撤回", page)
        self.assertIn("公示市监处罚〔2026〕0002号", page)
        self.assertNotIn("7000", page)
        self.assertNotIn("0002号", self._get("/enforcement/public/decisions/export.json"))

    def test_draft_decision_is_not_public(self):
        self._get(f"/enforcement/public/decisions/{self.draft.id}", status=404)
        self.assertNotIn("0003号", self._get("/enforcement/public/decisions?number=0003"))

    def test_search_by_party_category_date_and_number(self):
        def found(query):
            return [row["decision_number"] for row in json.loads(
                self._get(f"/enforcement/public/decisions/export.json?{query}"))["decisions"]]

        number = self.published.decision_number
        self.assertIn(number, found("party=张某某"))
        self.assertNotIn(number, found("party=" + PERSON), "the real name is not a search key")
        self.assertIn(number, found("number=公示市监处罚"))
        self.assertIn(number, found("category=penalty&date_from=2026-11-01&date_to=2026-11-02"))
        self.assertNotIn(number, found("category=licence"))
        self.assertNotIn(number, found("date_from=2026-11-03"))
        page = self._get("/enforcement/public/decisions?party=张某某")
        self.assertIn(number, page)

    def test_csv_export_is_readable_and_formula_safe(self):
        self.env["enforcement.publication"].create(person_decision_values(
            self, decision_number="=HYPERLINK(\"http://x\")", party_type="organisation",
            party_name="=1+2公司", title="公式注入测试案")).action_confirm_redaction()
        publication = self.env["enforcement.publication"].search([("decision_number", "=like", "=HYPERLINK%")])
        publication.action_publish()
        text = self._get("/enforcement/public/decisions/export.csv")
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        self.assertEqual(rows[0][0], "决定书文号")
        cells = [cell for row in rows[1:] for cell in row]
        self.assertIn("'=HYPERLINK(\"http://x\")", cells)
        self.assertIn("'=1+2公司", cells)
        self.assertFalse([cell for cell in cells if cell[:1] in "=+-@" and cell], "no cell starts a formula")

    def test_sql_injection_in_search_parameters_is_answered_safely(self):
        before = self.env["enforcement.publication"].sudo().search_count([])
        for value in ("' OR 1=1 --", "%' OR '1'='1", "1); DROP TABLE enforcement_publication; --",
                      "公示' UNION SELECT party_name, party_id_number FROM enforcement_publication --", "\x00"):
            for param in ("party", "number", "category", "date_from", "agency", "page"):
                with self.subTest(param=param, value=value):
                    response = self.url_open("/enforcement/public/decisions/export.json?" + urlencode({param: value}))
                    self.assertEqual(response.status_code, 200)
                    body = response.json()
                    self._assert_no_secret(response.text, f"{param}={value!r}")
                    if param in ("party", "number") and value != "\x00":
                        self.assertEqual(body["count"], 0, "an injected condition matches nothing")
                    page = self.url_open("/enforcement/public/decisions?" + urlencode({param: value}))
                    self.assertEqual(page.status_code, 200)
        self.assertEqual(self.env["enforcement.publication"].sudo().search_count([]), before)

    def test_script_injection_in_search_parameters_is_escaped(self):
        payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
        for url, params in (("/enforcement/public/decisions", {"party": payload, "number": payload}),
                            ("/enforcement/certificate", {"number": payload})):
            with self.subTest(url=url):
                response = self.url_open(f"{url}?{urlencode(params)}")
                self.assertIn(response.status_code, (200, 404))
                self.assertNotIn("<script>alert(1)", response.text)
                self.assertNotIn("<img src=x", response.text)
                self.assertIn("&lt;script&gt;", response.text)
                self.assertIn("default-src 'none'", response.headers["Content-Security-Policy"])

    def test_certificate_check(self):
        valid = self._get(f"/enforcement/certificate/{self.cert_valid.number}")
        self.assertIn("周志明", valid)
        self.assertIn("该执法证有效", valid)
        suspended = self._get(f"/enforcement/certificate?number={self.cert_suspended.number}")
        self.assertIn("暂扣", suspended)
        self.assertNotIn("该执法证有效", suspended)
        self._get("/enforcement/certificate/NO-SUCH-CERT", status=404)
        token = self.cert_valid.sudo().verification_token
        self.assertIn(self.cert_valid.number, self._get(f"/enforcement/certificate/qr/{token}"))

    def test_lists_show_the_version_in_force_and_keep_history(self):
        url = f"/enforcement/public/agency/{self.agency.id}/list/matters"
        self.assertIn("GS-009", self._get(url))
        self.env["enforcement.matter"].create({
            "code": "GS-010", "name": "对未按规定明码标价的行政处罚", "category": "penalty",
            "agency_id": self.agency.id, "effective_from": date(2020, 1, 1),
        })
        self.env["enforcement.publication.list.version"]._publish_lists(self.agency, ["matters"])
        current = self._get(url)
        self.assertIn("GS-010", current)
        first = self._get(url + "?version=1")
        self.assertIn("GS-009", first)
        self.assertNotIn("GS-010", first)
        self._get(url + "?version=99", status=404)
        self._get(f"/enforcement/public/agency/{self.agency.id}/list/unknown", status=404)

    def test_flowchart_is_an_svg_of_the_deployed_process(self):
        page = self._get("/enforcement/public/flowchart/enforcement_penalty_ordinary")
        self.assertIn("<svg", page)
        self.assertIn("Task_CreatePublication", page)
        # fits a phone's width and zooms with no script
        self.assertRegex(page, r'<svg[^>]* viewBox="[-\d. ]+"[^>]* width="100%"')
        self.assertEqual(page.count('type="radio" class="fc-v'), 3)
        self.assertNotIn("<script", page)
        self._get("/enforcement/public/flowchart/not_deployed", status=404)
