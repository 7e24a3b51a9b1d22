"""The register of inspected parties comes from the market-entity register
through Odoo's import with the shipped template: a large file is imported as
a whole, and a file with bad rows names each of them (row, column, reason, in
Chinese) and imports nothing."""

import csv
import io

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.misc import file_path

from .chinese import load_chinese
from .master_data_common import MasterDataCommon

OPTIONS = {
    "quoting": '"', "separator": ",", "has_headers": True, "encoding": "utf-8",
    "date_format": "%Y-%m-%d", "float_decimal_separator": ".", "float_thousand_separator": ",",
}
HEADER = ["name", "party_type", "uscc", "id_number", "agency_id", "area_id", "industry", "risk_grade"]


def uscc(serial):
    """A valid unified social credit code for a test company numbered ``serial``."""
    from stdnum.cn import uscc as stdnum_uscc

    body = f"91330127{serial:09d}"
    return body + stdnum_uscc.calc_check_digit(body + "0")


@tagged("post_install", "-at_install")
class TestInspectionPartyImport(MasterDataCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.user_admin_a.lang = "zh_CN"
        Area = cls.env["enforcement.area"].with_context(active_test=False)
        for code, name in (("330127001", "城关镇"), ("330127101", "青山镇")):
            if not Area.search([("code", "=", code)]):
                Area.create({"code": code, "name": name})

    def _import(self, rows, dryrun=False, user=None, **options):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        user = user or self.user_admin_a
        # As the import dialog calls it: in the user's language (the administrator works in Chinese).
        importer = self.env["base_import.import"].with_user(user).with_context(lang=user.lang).create({
            "res_model": "enforcement.inspection.party", "file": buffer.getvalue().encode(),
            "file_type": "text/csv", "file_name": "名录.csv",
        })
        return importer.execute_import(rows[0], rows[0], dict(OPTIONS, **options), dryrun=dryrun)

    def _company(self, serial):
        return [f"测试企业{serial}有限公司", "organisation", uscc(serial), "", self.agency_a.name, "T00001001",
                "F5221", "B"]

    def test_template_imports(self):
        """The shipped template imports as is: an organisation by USCC and a person by resident ID."""
        with open(file_path("admin_enforcement/static/templates/enforcement_inspection_parties.csv"),
                  encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        col = rows[0].index("agency_id")
        for row in rows[1:]:
            row[col] = self.agency_a.name
        result = self._import(rows)
        self.assertFalse(result["messages"], result["messages"])
        parties = self.env["enforcement.inspection.party"].browse(result["ids"])
        self.assertEqual(parties.mapped("party_type"), ["organisation", "person"])
        self.assertEqual(parties[0].area_id.code, "330127001")
        self.assertEqual(parties[1].id_number, "11010519491231002X")
        self.assertEqual(parties.agency_id, self.agency_a)
        self.assertEqual(self.env["enforcement.inspection.party"].get_import_templates()[1]["template"][-5:],
                         ".xlsx")

    @mute_logger("odoo.sql_db", "odoo.addons.base_import.models.base_import")
    def test_bad_rows_named_nothing_imported(self):
        """2,500 rows, sent as the import dialog sends them (batches of 2,000): four bad rows, two of
        them past the first batch, are each named with their row, column and reason in Chinese,
        and not one party is imported."""
        rows = [HEADER] + [self._company(serial) for serial in range(2500)]
        rows[1 + 3][2] = rows[1 + 3][2][:-1] + ("0" if rows[1 + 3][2][-1] != "0" else "1")  # check character
        rows[1 + 7] = ["张三", "person", "", "", self.agency_a.name, "T00001001", "", "C"]  # no ID number
        rows[1 + 2400][2] = rows[1][2]  # the USCC of the first row again
        rows[1 + 2450][5] = "不存在的区域"
        Party = self.env["enforcement.inspection.party"]
        before = Party.search_count([])
        result = self._import(rows, limit=2000)
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertFalse(result["ids"])
        self.assertFalse(result.get("nextrow"))
        self.assertEqual(Party.search_count([]), before)
        self.assertEqual(sorted(m["rows"]["from"] for m in errors), [3, 7, 2400, 2450], errors)
        by_row = {m["rows"]["from"]: m for m in errors}
        # Rows are the spreadsheet's: the header is row 1.
        self.assertIn("第 5 行，统一社会信用代码列", by_row[3]["message"])
        self.assertIn("校验位", by_row[3]["message"])
        self.assertEqual(by_row[3]["field"], "uscc")
        self.assertIn("第 9 行，居民身份证号码列", by_row[7]["message"])
        self.assertIn("张三", by_row[7]["message"])
        self.assertIn("第 2402 行，统一社会信用代码列", by_row[2400]["message"])
        self.assertIn("名录库中已有", by_row[2400]["message"])
        self.assertIn("测试企业0有限公司", by_row[2400]["message"])
        self.assertIn("第 2452 行，区域列", by_row[2450]["message"])
        self.assertIn("不存在的区域", by_row[2450]["message"])

    @mute_logger("odoo.sql_db", "odoo.addons.base_import.models.base_import")
    def test_many_bad_rows_no_good_row_blamed(self):
        """When more than one row in ten is bad, Odoo's import stops after ten errors: the errors
        reported are all about bad rows, never about a good one (the first row is good here)."""
        rows = [HEADER] + [self._company(serial) for serial in range(100, 130)]
        for index in range(2, 22, 2):
            rows[1 + index][1:4] = ["person", "", ""]  # natural persons without an ID number
        # Found first by the all-rows attempt, but past the row where the row-by-row retry stops.
        rows[1 + 28][2] = rows[1 + 28][2][:-1] + ("0" if rows[1 + 28][2][-1] != "0" else "1")
        result = self._import(rows)
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertFalse(result["ids"])
        self.assertGreaterEqual(len(errors), 10)
        bad = {28} | set(range(2, 22, 2))
        self.assertLessEqual({m["rows"]["from"] for m in errors}, bad, errors)
        self.assertFalse(self.env["enforcement.inspection.party"].search([("uscc", "=", uscc(100))]))

    def test_first_row_bad_is_reported(self):
        """A bad first row is reported at its row, once."""
        rows = [HEADER] + [self._company(serial) for serial in range(200, 205)]
        rows[1][2] = rows[1][2][:-1] + ("0" if rows[1][2][-1] != "0" else "1")
        errors = [m for m in self._import(rows)["messages"] if m["type"] == "error"]
        self.assertEqual([m["rows"]["from"] for m in errors], [0], errors)
        self.assertIn("第 2 行，统一社会信用代码列", errors[0]["message"])

    def test_whole_file_in_one_go(self):
        """A clean file larger than the dialog's batch is imported by its first call, completely."""
        rows = [HEADER] + [self._company(serial) for serial in range(10_000, 12_500)]
        result = self._import(rows, limit=2000)
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(len(result["ids"]), 2500)
        self.assertFalse(result.get("nextrow"))

    def test_validation_messages_in_chinese(self):
        """A bureau administrator working in Chinese reads why a code is refused, in Chinese."""
        Party = self.env["enforcement.inspection.party"].with_user(self.user_admin_a).with_context(lang="zh_CN")
        cases = [
            ({"uscc": "91330106MA2B0AXM1A"}, "统一社会信用代码 91330106MA2B0AXM1A 无效：校验位（最后一位）不正确"),
            ({"uscc": "91330106MA2B0AXM1"}, "统一社会信用代码 91330106MA2B0AXM1 无效：共 17 位，应为 18 位"),
            ({"uscc": "9133010IMA2B0AXM1H"}, "前 8 位须为数字"),
            ({"uscc": False}, "法人或其他组织 甲公司 须填写统一社会信用代码。"),
            ({"party_type": "person", "uscc": False, "id_number": "110105194912310021"},
             "居民身份证号码无效：校验位（最后一位）不正确"),
            ({"party_type": "person", "uscc": False, "id_number": "110105194913310013"}, "第 7 至 14 位不是有效的出生日期"),
            ({"party_type": "person", "uscc": False, "id_number": "110105491231002"}, "第一代号码"),
            ({"party_type": "person", "uscc": False, "id_number": "1101051949123100"}, "共 16 位，应为 18 位"),
            ({"party_type": "person", "uscc": False, "id_number": "11010A19491231002X"}, "前 17 位须为数字"),
            ({"party_type": "person", "uscc": False, "id_number": "11010519491231002Y"}, "须为数字或 X"),
            ({"party_type": "person", "uscc": False, "id_number": "110105209912310028"}, "晚于今天"),
            ({"party_type": "person", "uscc": False}, "自然人 甲公司 须填写居民身份证号码。"),
        ]
        for vals, expected in cases:
            with self.subTest(vals=vals), self.assertRaises(ValidationError) as caught:
                Party.create({"name": "甲公司", "agency_id": self.agency_a.id, **vals})
            self.assertIn(expected, str(caught.exception))
            if vals.get("id_number"):  # personal data: the message does not repeat the number
                self.assertNotIn(vals["id_number"], str(caught.exception))

    def test_officer_cannot_import(self):
        """Officers only read the register: their import fails and creates nothing."""
        result = self._import([HEADER, self._company(1)], user=self.user_officer_a)
        self.assertTrue(result["messages"])
        self.assertFalse(self.env["enforcement.inspection.party"].search([("uscc", "=", uscc(1))]))
