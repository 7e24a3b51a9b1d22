import xmlrpc.client

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from .master_data_common import MasterDataCommon

# Every agency-owned master-data model, with a field to write.
AGENCY_MODELS = [
    ("enforcement.agency", "agency", "short_name"),
    ("enforcement.officer", "officer", "post"),
    ("enforcement.certificate", "cert", "issuing_body"),
    ("enforcement.matter", "matter", "name"),
]


@tagged("post_install", "-at_install")
class TestMasterDataIsolation(MasterDataCommon):
    """Agencies are isolated by company record rules; the supervisor reads all, writes nothing."""

    def _records(self, suffix):
        return {
            "agency": getattr(self, f"agency_{suffix}"),
            "officer": getattr(self, f"officer_{suffix}"),
            "cert": getattr(self, f"cert_{suffix}"),
            "matter": getattr(self, f"matter_{suffix}"),
        }

    def test_officer_reads_only_own_agency(self):
        """An officer of agency A sees A's master data and nothing of B's."""
        own, other = self._records("a"), self._records("b")
        for model, key, _field in AGENCY_MODELS:
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.user_officer_a)
                found = Model.search([("id", "in", [own[key].id, other[key].id])])
                self.assertEqual(found.ids, own[key].ids)
                own[key].with_user(self.user_officer_a).read(["display_name"])
                with self.assertRaises(AccessError):
                    other[key].with_user(self.user_officer_a).read(["display_name"])

    def test_officer_cannot_write_master_data(self):
        """Officers read master data; they write neither their own agency's nor another's."""
        own, other = self._records("a"), self._records("b")
        for model, key, field in AGENCY_MODELS:
            for record in (own[key], other[key]):
                with self.subTest(model=model, record=record.display_name), self.assertRaises(AccessError):
                    record.with_user(self.user_officer_a).write({field: "x"})

    def test_admin_writes_own_agency_only(self):
        """The bureau administrator of A edits A's master data and cannot touch B's."""
        own, other = self._records("a"), self._records("b")
        for model, key, field in AGENCY_MODELS:
            with self.subTest(model=model):
                own[key].with_user(self.user_admin_a).write({field: "改"})
                with self.assertRaises(AccessError):
                    other[key].with_user(self.user_admin_a).write({field: "改"})
        with self.assertRaises(AccessError):
            self.env["enforcement.matter"].with_user(self.user_admin_a).create({
                "code": "X", "name": "越权", "agency_id": self.agency_b.id,
            })
        with self.assertRaises(AccessError):
            self.officer_b.with_user(self.user_admin_a).unlink()

    def test_child_records_isolated(self):
        """Lines, reviews, tiers, reviewers and catalogue rules follow their agency."""
        review_b = self.env["enforcement.certificate.review"].create({
            "certificate_id": self.cert_b.id, "year": 2025, "training_hours": 40,
        })
        reviewer_b = self.env["enforcement.legal.reviewer"].create({
            "name": "B 审核员", "agency_id": self.agency_b.id, "first_time": False,
        })
        rule_b = self.env["enforcement.major.catalogue.rule"].create({
            "name": "B 规则", "agency_id": self.agency_b.id, "kind": "hearing_held",
        })
        for record in (review_b, reviewer_b, rule_b, self.matter_b):
            with self.subTest(model=record._name):
                self.assertFalse(self.env[record._name].with_user(self.user_officer_a).search(
                    [("id", "=", record.id)]))
                self.assertEqual(record.company_id, self.company_b)

    def test_supervisor_reads_all_writes_nothing(self):
        """The supervisor (司法局) reads every agency's master data and cannot change it."""
        for model, key, field in AGENCY_MODELS:
            records = self._records("a")[key] | self._records("b")[key]
            with self.subTest(model=model):
                found = self.env[model].with_user(self.user_supervisor).search([("id", "in", records.ids)])
                self.assertEqual(found, records)
                with self.assertRaises(AccessError):
                    records[1].with_user(self.user_supervisor).write({field: "x"})

    def test_screens_open_for_each_role(self):
        """Every master-data screen loads, and its records read, for an officer and the supervisor."""
        models = [
            "enforcement.agency", "enforcement.officer", "enforcement.certificate", "enforcement.matter",
            "enforcement.discretion.standard", "enforcement.major.catalogue.rule",
            "enforcement.legal.reviewer", "enforcement.review.committee",
        ]
        for user in (self.user_officer_a, self.user_supervisor, self.user_admin_a):
            for model in models:
                with self.subTest(user=user.login, model=model):
                    Model = self.env[model].with_user(user)
                    view_types = ["list", "form", "search"] + (["kanban"] if model == "enforcement.officer" else [])
                    result = Model.get_views([(False, vt) for vt in view_types])
                    form_fields = result["models"][model]["fields"]
                    spec = {name: {} for name in form_fields if name in Model._fields
                            and Model._fields[name].type not in ("one2many", "many2many")}
                    Model.web_search_read([], spec, limit=5)

    def test_verification_token_hidden_from_officers(self):
        """The QR token is readable by administrators and the supervisor only."""
        with self.assertRaises(AccessError):
            self.cert_a.with_user(self.user_officer_a).read(["verification_token"])
        self.cert_a.with_user(self.user_admin_a).read(["verification_token"])


@tagged("post_install", "-at_install")
class TestMasterDataIsolationRpc(HttpCase, MasterDataCommon):
    """The same isolation holds through the external APIs (JSON-RPC and XML-RPC)."""

    def _call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": model, "method": method, "args": args, "kwargs": kwargs or {},
        })

    def test_jsonrpc_officer_sees_only_own_agency(self):
        self.authenticate("officer_a", "officer_a")
        for model, key, field in AGENCY_MODELS:
            own = getattr(self, f"{key}_a")
            other = getattr(self, f"{key}_b")
            with self.subTest(model=model):
                rows = self._call_kw(model, "search_read", [[("id", "in", [own.id, other.id])]],
                                     {"fields": ["display_name"]})
                self.assertEqual([r["id"] for r in rows], [own.id])
                with self.assertRaises(JsonRpcException) as caught:
                    self._call_kw(model, "read", [[other.id], ["display_name"]])
                self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
                with self.assertRaises(JsonRpcException):
                    self._call_kw(model, "write", [[other.id], {field: "x"}])
                with self.assertRaises(JsonRpcException):
                    self._call_kw(model, "write", [[own.id], {field: "x"}])
        self.assertNotEqual(self.cert_b.issuing_body, "x")

    def test_jsonrpc_admin_cannot_write_other_agency(self):
        self.authenticate("bureau_admin_a", "bureau_admin_a")
        self._call_kw("enforcement.certificate", "write", [[self.cert_a.id], {"issuing_body": "省政府"}])
        with self.assertRaises(JsonRpcException) as caught:
            self._call_kw("enforcement.certificate", "write", [[self.cert_b.id], {"issuing_body": "省政府"}])
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
        self.cert_b.invalidate_recordset()
        self.assertEqual(self.cert_b.issuing_body, "测试县人民政府")

    def test_xmlrpc_officer_isolation(self):
        db = self.env.cr.dbname
        uid = self.user_officer_a.id
        ids = self.xmlrpc_object.execute_kw(
            db, uid, "officer_a", "enforcement.officer", "search",
            [[("id", "in", [self.officer_a.id, self.officer_b.id])]],
        )
        self.assertEqual(ids, [self.officer_a.id])
        with self.assertRaises(xmlrpc.client.Fault) as caught:
            self.xmlrpc_object.execute_kw(
                db, uid, "officer_a", "enforcement.officer", "read", [[self.officer_b.id], ["name"]],
            )
        self.assertIn("may not open", caught.exception.faultString)
        self.assertIn("another agency", caught.exception.faultString)
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                db, uid, "officer_a", "enforcement.matter", "write", [[self.matter_b.id], {"name": "x"}],
            )
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                db, uid, "officer_a", "enforcement.matter", "create",
                [{"code": "X", "name": "x", "agency_id": self.agency_b.id}],
            )

    def test_public_certificate_verification(self):
        """Anyone can verify a certificate by its QR token or its number, and sees only public fields."""
        self.cert_b.action_suspend(reason="调查中")
        token = self.cert_b.sudo().verification_token
        for url in (f"/enforcement/certificate/verify/{token}",
                    f"/enforcement/certificate/verify?number={self.cert_b.number}"):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                data = response.json()
                self.assertEqual(data["number"], "T-B-0001")
                self.assertEqual(data["holder"], "刘洋")
                self.assertEqual(data["state"], "suspended")
                self.assertEqual(data["agency"], "测试县生态环境局")
                self.assertNotIn("verification_token", data)
                self.assertNotIn("state_reason", data)
        response = self.url_open("/enforcement/certificate/verify/not-a-token")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"found": False})
