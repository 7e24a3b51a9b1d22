import csv
import io

from odoo.tests import tagged
from odoo.tools.misc import file_path

from .master_data_common import MasterDataCommon

OPTIONS = {
    "quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8",
    "date_format": "%Y-%m-%d", "float_decimal_separator": ".", "float_thousand_separator": ",",
}


@tagged("post_install", "-at_install")
class TestMasterDataImport(MasterDataCommon):
    """Officers with their certificates, and matters with their legal basis, come in through
    Odoo's standard import (base_import); a sheet with bad rows reports them and imports nothing."""

    def _import(self, model, rows, dryrun=False, user=None):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        importer = self.env["base_import.import"].with_user(user or self.user_admin_a).create({
            "res_model": model, "file": buffer.getvalue().encode(), "file_type": "text/csv",
            "file_name": "sheet.csv",
        })
        header = rows[0]
        return importer.execute_import(header, header, dict(OPTIONS), dryrun=dryrun)

    def _template_rows(self, name):
        path = file_path(f"admin_enforcement/static/templates/{name}")
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        # The templates name the demo agency; import into this test's agency A instead.
        col = rows[0].index("agency_id")
        for row in rows[1:]:
            if row[col]:
                row[col] = self.agency_a.name
        return rows

    def test_officer_template_imports(self):
        """The shipped officers/certificates template imports as is (dry run, then for real)."""
        Area = self.env["enforcement.area"].with_context(active_test=False)
        if not Area.search([("code", "=", "330127")]):
            Area.create({"code": "330127", "name": "城关县"})
        rows = self._template_rows("enforcement_officers_certificates.csv")
        Officer = self.env["enforcement.officer"]
        before = Officer.search_count([])
        result = self._import("enforcement.officer", rows, dryrun=True)
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(Officer.search_count([]), before)
        result = self._import("enforcement.officer", rows)
        self.assertFalse(result["messages"], result["messages"])
        officers = Officer.browse(result["ids"])
        self.assertEqual(officers.mapped("name"), ["张三", "李四"])
        self.assertEqual(officers.agency_id, self.agency_a)
        self.assertEqual(len(officers[1].certificate_ids), 2)
        self.assertEqual(officers.certificate_ids.company_id, self.company_a)
        self.assertIn(self.category_market, officers[0].certificate_ids.category_ids)
        self.assertTrue(all(officers.mapped("is_certified")))

    def test_matter_template_imports(self):
        """The shipped matters template imports with its legal basis lines and inspection item."""
        rows = self._template_rows("enforcement_matters.csv")
        result = self._import("enforcement.matter", rows)
        self.assertFalse(result["messages"], result["messages"])
        matters = self.env["enforcement.matter"].browse(result["ids"])
        self.assertEqual(len(matters), 2)
        self.assertEqual(len(matters[0].basis_line_ids), 2)
        self.assertTrue(matters[1].is_random_inspection)
        self.assertEqual(matters[1].inspection_ratio, 5)

    def test_bad_rows_reported_nothing_imported(self):
        """Every bad row is reported with its row; the good rows are not half-imported."""
        header = ["name", "agency_id", "certificate_ids/number", "certificate_ids/issuing_body",
                  "certificate_ids/category_ids", "certificate_ids/area_ids",
                  "certificate_ids/valid_from", "certificate_ids/valid_to"]
        rows = [
            header,
            ["王五", self.agency_a.name, "T-I-001", "测试县人民政府", "market", "T00001", "2025-01-01", "2029-12-31"],
            ["赵六", self.agency_a.name, self.cert_a.number, "测试县人民政府", "market", "T00001",
             "2025-01-01", "2029-12-31"],  # duplicate certificate number
            ["钱七", "不存在的执法局", "T-I-003", "测试县人民政府", "market", "T00001",
             "2025-01-01", "2029-12-31"],  # unknown agency
            ["孙八", self.agency_a.name, "T-I-004", "测试县人民政府", "no_such_category", "T00001",
             "2025-01-01", "2029-12-31"],  # unknown category
            ["周九", self.agency_a.name, "T-I-005", "测试县人民政府", "market", "T00001",
             "2025-01-01", "2024-12-31"],  # ends before it starts
        ]
        Officer = self.env["enforcement.officer"]
        before = Officer.search_count([]), self.env["enforcement.certificate"].search_count([])
        for dryrun in (True, False):
            with self.subTest(dryrun=dryrun):
                result = self._import("enforcement.officer", rows, dryrun=dryrun)
                errors = [m for m in result["messages"] if m["type"] == "error"]
                self.assertTrue(errors)
                self.assertFalse(result["ids"])
                text = " ".join(m["message"] for m in errors)
                self.assertIn("不存在的执法局", text)
                self.assertIn("no_such_category", text)
                self.assertEqual(
                    (Officer.search_count([]), self.env["enforcement.certificate"].search_count([])), before)
        self.assertFalse(Officer.search([("name", "=", "王五")]))

    def test_bad_matter_rows_reported(self):
        """A random-inspection item without ratio and an unknown category are refused."""
        header = ["code", "name", "category", "agency_id", "is_random_inspection", "inspection_ratio"]
        rows = [
            header,
            ["I-001", "好事项", "penalty", self.agency_a.name, "0", ""],
            ["I-002", "坏类别", "no_such_category", self.agency_a.name, "0", ""],
            ["I-003", "无比例抽查", "inspection", self.agency_a.name, "1", ""],
        ]
        result = self._import("enforcement.matter", rows)
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertGreaterEqual(len(errors), 2, result["messages"])
        self.assertFalse(self.env["enforcement.matter"].search([("code", "like", "I-00")]))

    def test_officer_cannot_import(self):
        """Officers only read master data: an import by an officer fails and creates nothing."""
        rows = [["name", "agency_id"], ["吴十", self.agency_a.name]]
        result = self._import("enforcement.officer", rows, user=self.user_officer_a)
        self.assertTrue(result["messages"])
        self.assertFalse(self.env["enforcement.officer"].search([("name", "=", "吴十")]))

    def test_import_templates_offered(self):
        """The import dialog offers the templates for download."""
        for model in ("enforcement.officer", "enforcement.matter"):
            templates = self.env[model].get_import_templates()
            self.assertTrue(file_path(templates[0]["template"].lstrip("/")))
