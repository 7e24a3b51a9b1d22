"""The register of inspectors (执法检查人员名录库): who a random draw may pick,
worked out on the Beijing date with the certificate rule of every case step;
and standing recusals in the register of parties."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .master_data_common import MasterDataCommon


@tagged("post_install", "-at_install")
class TestInspectorRegister(MasterDataCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Officer = cls.env["enforcement.officer"]
        cls.officer_town = cls._officer(cls.agency_a, "李娜")
        cls.cert_town = cls._certificate(cls.officer_town, "T-A-0002", area=cls.area_town)
        cls.officer_env = cls._officer(cls.agency_a, "王强")
        cls._certificate(cls.officer_env, "T-A-0003", category=cls.category_env)
        cls.officer_lapsed = cls._officer(cls.agency_a, "赵敏")
        cls._certificate(cls.officer_lapsed, "T-A-0004", valid_from=cls.today - timedelta(days=800),
                         valid_to=cls.today - timedelta(days=1))
        cls.officer_none = cls._officer(cls.agency_a, "陈静")
        cls.Officer = Officer

    def eligible(self, agencies, category=None, area=None):
        return self.Officer._inspectors_eligible(agencies.ids, category or self.category_market, area)

    def test_certified_for_category_and_area(self):
        """Only officers whose certificate valid today covers the category and the party's area are eligible;
        a county certificate covers its towns, a town certificate not the county."""
        self.assertEqual(self.eligible(self.agency_a, area=self.area_town), self.officer_a | self.officer_town)
        self.assertEqual(self.eligible(self.agency_a, area=self.area_county), self.officer_a)
        self.assertEqual(self.eligible(self.agency_a, area=self.area_other), self.Officer)
        self.assertEqual(self.eligible(self.agency_a, category=self.category_env, area="T00001001"),
                         self.officer_env)
        self.assertEqual(self.eligible(self.agency_a, category="market"), self.officer_a | self.officer_town)

    def test_suspended_certificate_drops_out_at_once(self):
        """Suspending the certificate takes the officer out of the next draw, and out of the register's
        eligible list; reinstating it brings them back."""
        self.assertIn(self.officer_town, self.eligible(self.agency_a, area=self.area_town))
        self.cert_town.action_suspend(reason="年度考核不合格")
        self.assertNotIn(self.officer_town, self.eligible(self.agency_a, area=self.area_town))
        self.assertFalse(self.officer_town.inspection_eligible)
        self.assertNotIn(self.officer_town, self.Officer.search([("inspection_eligible", "=", True)]))
        self.cert_town.action_reinstate(reason="复查合格")
        self.assertIn(self.officer_town, self.eligible(self.agency_a, area=self.area_town))

    def test_revoked_archived_or_expired_drop_out(self):
        """A revoked certificate, an archived officer or a certificate past its last day: not eligible."""
        self.cert_town.action_revoke(reason="违法执法")
        self.officer_a.active = False
        self.assertEqual(self.eligible(self.agency_a, area=self.area_town), self.Officer)
        self.assertFalse(self.officer_lapsed.inspection_eligible)
        self.assertTrue(self.officer_env.inspection_eligible)

    def test_beijing_date_decides(self):
        """A certificate whose last day is today in Beijing still counts at 23:30 Beijing time (15:30 UTC),
        and no longer at 00:30 Beijing time the next day (16:30 UTC), whatever the user's time zone."""
        beijing_today = self.Officer._inspection_today()
        self.cert_town.valid_to = beijing_today
        utc_late = datetime.combine(beijing_today, datetime.min.time()) + timedelta(hours=15, minutes=30)
        officer = self.officer_town.with_user(self.user_admin_a).with_context(tz="America/New_York")
        with freeze_time(utc_late):
            self.assertIn(self.officer_town, self.eligible(self.agency_a, area=self.area_town))
            officer.invalidate_recordset(["inspection_eligible"])
            self.assertTrue(officer.inspection_eligible)
        with freeze_time(utc_late + timedelta(hours=1)):
            self.assertNotIn(self.officer_town, self.eligible(self.agency_a, area=self.area_town))
            officer.invalidate_recordset(["inspection_eligible"])
            self.assertFalse(officer.inspection_eligible)

    def test_joint_plan_across_agencies(self):
        """A joint plan (部门联合抽查) draws from every agency named; each agency's officers only for what
        their certificates cover."""
        self._certificate(self.officer_b, "T-B-0002")  # the environment officer also holds a market one
        both = self.agency_a | self.agency_b
        self.assertEqual(self.eligible(both, area=self.area_town), self.officer_a | self.officer_town | self.officer_b)
        self.assertEqual(self.eligible(self.agency_b, area=self.area_town), self.officer_b)

    def test_register_lists_coverage(self):
        """The register shows each officer's categories and areas from certificates valid today."""
        self.assertEqual(self.officer_town.inspection_category_ids, self.category_market)
        self.assertEqual(self.officer_town.inspection_area_ids, self.area_town)
        self.assertFalse(self.officer_none.inspection_eligible)
        self.assertFalse(self.officer_lapsed.inspection_area_ids)

    def test_recusal_in_party_register(self):
        """The bureau administrator records that an inspector is a close relative of a party; the draw reads
        it from the party; an officer reads but cannot add or remove it."""
        party = self.env["enforcement.inspection.party"].create({
            "name": "城关县示范食品有限公司", "uscc": "91330106MA2B0AXM1H", "agency_id": self.agency_a.id,
            "area_id": self.area_town.id,
        })
        party_admin = party.with_user(self.user_admin_a)
        party_admin.write({"recusal_ids": [fields.Command.create({
            "officer_id": self.officer_town.id, "reason": "kinship", "note": "法定代表人之子"})]})
        self.assertEqual(party.recusal_ids.officer_id, self.officer_town)
        as_officer = party.with_user(self.user_officer_a)
        self.assertEqual(as_officer.recusal_ids.mapped("reason"), ["kinship"])
        with self.assertRaises(AccessError):
            as_officer.write({"recusal_ids": [fields.Command.create({"officer_id": self.officer_a.id})]})
        with self.assertRaises(AccessError):
            as_officer.recusal_ids.unlink()
