"""The register of inspected parties (检查对象名录库): validated codes, one row
per code and agency, and who may read or write it."""

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .master_data_common import MasterDataCommon

USCC_PARTY = "91330106MA2B0AXM1H"
ID_PERSON = "11010519491231002X"


@tagged("post_install", "-at_install")
class TestInspectionParty(MasterDataCommon):
    def _party(self, **vals):
        return self.env["enforcement.inspection.party"].create({
            "name": "城关县示范食品有限公司", "party_type": "organisation", "uscc": USCC_PARTY,
            "agency_id": self.agency_a.id, "area_id": self.area_town.id, "risk_grade": "B", **vals,
        })

    def test_codes_are_stored_compact(self):
        """A code typed with blanks and lower case is kept in its one official form."""
        party = self._party(uscc=" 91330106ma2b0axm1h ")
        self.assertEqual(party.uscc, USCC_PARTY)
        person = self._party(name="王小明", party_type="person", uscc=False, id_number="11010519491231002x")
        self.assertEqual(person.id_number, ID_PERSON)

    def test_wrong_codes_are_refused_with_the_reason(self):
        """A mistyped USCC or resident ID number never enters the register, and the message says why."""
        with self.assertRaisesRegex(ValidationError, "check character"):
            self._party(uscc="91330106MA2B0AXM1A")
        with self.assertRaisesRegex(ValidationError, "17 characters"):
            self._party(uscc="91330106MA2B0AXM1")
        with self.assertRaisesRegex(ValidationError, "check character"):
            self._party(name="王小明", party_type="person", uscc=False, id_number="110105194912310021")
        with self.assertRaisesRegex(ValidationError, "birth date"):
            self._party(name="王小明", party_type="person", uscc=False, id_number="110105194913310013")

    def test_identifier_required_by_type(self):
        """An organisation needs its USCC, a natural person a resident ID number."""
        with self.assertRaisesRegex(ValidationError, "unified social credit code"):
            self._party(uscc=False)
        with self.assertRaisesRegex(ValidationError, "resident ID number"):
            self._party(name="王小明", party_type="person", uscc=False)

    def test_one_row_per_code_and_agency(self):
        """The same party twice in one agency's register is refused, naming the row that has the code;
        another agency keeps its own row."""
        self._party()
        self._party(agency_id=self.agency_b.id)
        with self.assertRaisesRegex(ValidationError, "城关县示范食品有限公司"):
            self._party(name="重复录入")
        person = self._party(name="王小明", party_type="person", uscc=False, id_number=ID_PERSON)
        with self.assertRaisesRegex(ValidationError, "王小明"):
            self._party(name="王小明", party_type="person", uscc=False, id_number=ID_PERSON.lower())
        other = self._party(name="另一家公司", uscc="91110000802100433B")
        with self.assertRaisesRegex(ValidationError, "城关县示范食品有限公司"):
            other.write({"uscc": USCC_PARTY})
        person.write({"name": "王小明（个体）", "id_number": ID_PERSON})  # its own code is no duplicate
        # Two rows with one code in a single call: the database's constraint refuses the second.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["enforcement.inspection.party"].create([
                {"name": "甲", "uscc": "91330127000000001G", "agency_id": self.agency_a.id},
                {"name": "乙", "uscc": "91330127000000001G", "agency_id": self.agency_a.id},
            ])

    def test_officer_reads_only_the_admin_writes(self):
        """An officer reads the agency's register but cannot change it; the bureau administrator can;
        another agency's officer does not see it."""
        party = self._party()
        self.assertEqual(party.with_user(self.user_officer_a).read(["name"])[0]["name"], party.name)
        with self.assertRaises(AccessError):
            party.with_user(self.user_officer_a).write({"risk_grade": "D"})
        with self.assertRaises(AccessError):
            self.env["enforcement.inspection.party"].with_user(self.user_officer_a).create({
                "name": "新公司", "uscc": "91110000802100433B", "agency_id": self.agency_a.id,
            })
        party.with_user(self.user_admin_a).write({"risk_grade": "D"})
        self.assertEqual(party.risk_grade, "D")
        self.assertFalse(self.env["enforcement.inspection.party"].with_user(self.user_officer_b).search(
            [("id", "=", party.id)]))
        with self.assertRaises(AccessError):
            party.with_user(self.user_supervisor).write({"risk_grade": "A"})
        self.assertTrue(party.with_user(self.user_supervisor).read(["name"]))
