import csv
import io

from odoo.tests import tagged
from odoo.tools import mute_logger
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

    @mute_logger("odoo.sql_db")
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


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestMasterDataImportXlsx(MasterDataCommon):
    """The Excel templates (written by scripts/make_import_templates.py) and bureaus' own
    .xlsx sheets go through the same import: real date and number cells are understood,
    and a sheet with bad rows reports each of them and imports nothing."""

    def _import_xlsx(self, model, content, dryrun=False):
        importer = self.env["base_import.import"].with_user(self.user_admin_a).create({
            "res_model": model, "file": content, "file_type": XLSX_MIMETYPE, "file_name": "sheet.xlsx",
        })
        preview = importer.parse_preview(dict(OPTIONS))
        self.assertNotIn("error", preview, preview.get("error"))
        header = preview["headers"]
        return importer.execute_import(header, header, dict(OPTIONS), dryrun=dryrun)

    def _template_for_agency_a(self, name):
        """The shipped .xlsx template with the demo agency replaced by this test's agency A."""
        import openpyxl

        book = openpyxl.load_workbook(file_path(f"admin_enforcement/static/templates/{name}"))
        sheet = book.worksheets[0]
        col = [cell.value for cell in sheet[1]].index("agency_id") + 1
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, col).value:
                sheet.cell(row, col).value = self.agency_a.name
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def _sheet(self, rows):
        """An .xlsx sheet as a bureau keeps it: dates as date cells, phone numbers as numbers."""
        import datetime

        import xlsxwriter

        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        date_format = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet = book.add_worksheet("执法人员")
        for rowx, row in enumerate(rows):
            for col, value in enumerate(row):
                if isinstance(value, datetime.date):
                    sheet.write_datetime(rowx, col, datetime.datetime.combine(value, datetime.time()), date_format)
                elif value != "":
                    sheet.write(rowx, col, value)
        book.close()
        return buffer.getvalue()

    def test_excel_templates_offered(self):
        """Each model's import dialog offers the CSV and the Excel template, and both files ship."""
        for model in ("enforcement.officer", "enforcement.matter"):
            paths = [t["template"] for t in self.env[model].get_import_templates()]
            self.assertEqual([p.rsplit(".", 1)[1] for p in paths], ["csv", "xlsx"])
            for path in paths:
                self.assertTrue(file_path(path.lstrip("/")))

    def test_officer_excel_template_imports(self):
        """The shipped officers/certificates .xlsx imports like its CSV twin, dates and codes included."""
        Area = self.env["enforcement.area"].with_context(active_test=False)
        if not Area.search([("code", "=", "330127")]):
            Area.create({"code": "330127", "name": "城关县"})
        content = self._template_for_agency_a("enforcement_officers_certificates.xlsx")
        result = self._import_xlsx("enforcement.officer", content)
        self.assertFalse(result["messages"], result["messages"])
        officers = self.env["enforcement.officer"].browse(result["ids"])
        self.assertEqual(officers.mapped("name"), ["张三", "李四"])
        self.assertEqual(officers.mapped("mobile"), ["13800000001", "13800000002"])
        self.assertEqual(officers.agency_id, self.agency_a)
        certificates = officers[1].certificate_ids.sorted("number")
        self.assertEqual(certificates.mapped("number"), ["33012799002", "33012799003"])
        self.assertEqual(certificates[1].issuing_body, "浙江省人民政府")
        self.assertEqual(str(certificates[1].valid_from), "2024-01-01")
        self.assertEqual(str(certificates[1].valid_to), "2028-12-31")
        self.assertEqual(certificates[1].area_ids.code, "330127")
        self.assertEqual(officers[0].certificate_ids.category_ids.mapped("code"), ["market", "food_drug"])

    def test_matter_excel_template_imports(self):
        """The shipped matters .xlsx imports with its legal basis lines and its numeric inspection ratio."""
        content = self._template_for_agency_a("enforcement_matters.xlsx")
        result = self._import_xlsx("enforcement.matter", content)
        self.assertFalse(result["messages"], result["messages"])
        matters = self.env["enforcement.matter"].browse(result["ids"])
        self.assertEqual(matters.mapped("code"), ["330127-CF-901", "330127-JC-901"])
        self.assertEqual(len(matters[0].basis_line_ids), 2)
        self.assertEqual(str(matters[0].effective_from), "2026-01-01")
        self.assertTrue(matters[1].is_random_inspection)
        self.assertEqual(matters[1].inspection_ratio, 5)

    @mute_logger("odoo.sql_db")
    def test_excel_sheet_bad_rows_reported_nothing_imported(self):
        """Each bad officer of an .xlsx sheet is reported at its row; the good ones are not
        half-imported, and import once the bad rows are removed."""
        from datetime import date

        header = ["name", "agency_id", "unit", "post", "mobile", "certificate_ids/number",
                  "certificate_ids/issuing_body", "certificate_ids/category_ids", "certificate_ids/area_ids",
                  "certificate_ids/valid_from", "certificate_ids/valid_to"]
        agency = self.agency_a.name
        start, end = date(2025, 1, 1), date(2029, 12, 31)
        good = [
            ["王五", agency, "食品安全监管科", "科员", 13900000001, "T-X-001", "测试县人民政府", "market,food_drug",
             "T00001", start, end],
            ["", "", "", "", "", "T-X-002", "浙江省人民政府", "market", "T00001001", date(2024, 3, 1),
             date(2028, 2, 29)],
            ["吴十", agency, "价格监督检查科", "副科长", 13900000007, "T-X-007", "测试县人民政府", "market,price",
             "T00001", start, end],
        ]
        bad = {
            "duplicate certificate number": ["赵六", agency, "执法大队", "科员", 13900000003, self.cert_a.number,
                                             "测试县人民政府", "market", "T00001", start, end],
            "unknown agency": ["钱七", "不存在的执法局", "执法大队", "科员", 13900000004, "T-X-004",
                               "测试县人民政府", "market", "T00001", start, end],
            "unknown category": ["孙八", agency, "执法大队", "科员", 13900000005, "T-X-005", "测试县人民政府",
                                 "no_such_category", "T00001", start, end],
            "ends before it starts": ["周九", agency, "执法大队", "科员", 13900000006, "T-X-006",
                                      "测试县人民政府", "market", "T00001", start, date(2024, 12, 31)],
        }
        # Bad officers between the good ones; data rows are counted from 0 below the header.
        rows = good[:2] + list(bad.values()) + good[2:]
        bad_rows = {2, 3, 4, 5}
        Officer, Certificate = self.env["enforcement.officer"], self.env["enforcement.certificate"]
        before = Officer.search_count([]), Certificate.search_count([])
        content = self._sheet([header, *rows])
        for dryrun in (True, False):
            with self.subTest(dryrun=dryrun):
                result = self._import_xlsx("enforcement.officer", content, dryrun=dryrun)
                errors = [m for m in result["messages"] if m["type"] == "error"]
                self.assertEqual({m["rows"]["from"] for m in errors}, bad_rows, errors)
                text = " ".join(m["message"] for m in errors)
                self.assertIn("不存在的执法局", text)
                self.assertIn("no_such_category", text)
                self.assertFalse(result["ids"])
                self.assertEqual((Officer.search_count([]), Certificate.search_count([])), before)

        result = self._import_xlsx("enforcement.officer", self._sheet([header, *good]))
        self.assertFalse(result["messages"], result["messages"])
        officers = Officer.browse(result["ids"])
        self.assertEqual(officers.mapped("name"), ["王五", "吴十"])
        self.assertEqual(officers[0].mobile, "13900000001")
        second = officers[0].certificate_ids.filtered(lambda c: c.number == "T-X-002")
        self.assertEqual((str(second.valid_from), str(second.valid_to)), ("2024-03-01", "2028-02-29"))
        self.assertEqual(second.area_ids, self.area_town)
        self.assertTrue(officers[0]._check_certified_for("food_drug", "T00001001"))
