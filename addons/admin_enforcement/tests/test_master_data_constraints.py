from datetime import timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .master_data_common import MasterDataCommon


@tagged("post_install", "-at_install")
class TestMasterDataConstraints(MasterDataCommon):
    """Constraints of the bureau master data that must refuse bad input."""

    def test_uscc_refused_with_code_in_message(self):
        """A bad unified social credit code is refused and the message names the code and the problem."""
        cases = [
            ("111101010000000198", "expected '7'"),  # wrong check character
            ("1111010100000001", "16 characters"),  # too short
            ("AB1101010000000197", "first 8 characters must be digits"),
            ("11110101000000019I", "does not allow"),  # I is not in the GB 32100 alphabet
        ]
        for code, problem in cases:
            with self.subTest(code=code), self.assertRaises(ValidationError) as caught:
                self.agency_a.uscc = code
                self.agency_a.flush_recordset()
            self.assertIn(code, str(caught.exception))
            self.assertIn(problem, str(caught.exception))

    def test_uscc_valid_codes_accepted(self):
        """Valid codes are stored; agencies without a code are allowed (filled in later)."""
        self.agency_a.uscc = False
        self.agency_a.uscc = "111101010000000197"
        self.assertEqual(self.agency_a.uscc, "111101010000000197")

    @mute_logger("odoo.sql_db")
    def test_duplicate_certificate_number_refused(self):
        """Certificate numbers are unique across all agencies (they are public)."""
        with self.assertRaises(IntegrityError):
            self._certificate(self.officer_b, self.cert_a.number)
            self.env.flush_all()

    def test_certificate_dates_and_number_checked(self):
        """A certificate cannot end before it starts, nor have a blank number."""
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._certificate(
                self.officer_a, "T-A-0099",
                valid_from=self.today, valid_to=self.today - timedelta(days=1),
            )
            self.env.flush_all()
        with self.assertRaises(ValidationError):
            self._certificate(self.officer_a, "   ")

    def test_first_time_reviewer_needs_qualification(self):
        """行政处罚法 art. 58: a first-time reviewer without the qualification cannot be activated."""
        Reviewer = self.env["enforcement.legal.reviewer"]
        cases = [
            # (first_time, number, date, may activate)
            (True, False, False, False),
            (True, "A20190001", False, False),
            (True, False, self.today, False),
            (True, "A20190001", self.today, True),
            (False, False, False, True),
        ]
        for first_time, number, qdate, allowed in cases:
            with self.subTest(first_time=first_time, number=number, date=qdate):
                reviewer = Reviewer.create({
                    "name": "赵敏", "agency_id": self.agency_a.id, "first_time": first_time,
                    "qualification_number": number, "qualification_date": qdate,
                })
                if allowed:
                    reviewer.action_activate()
                    self.assertEqual(reviewer.state, "active")
                else:
                    with self.assertRaises(ValidationError):
                        reviewer.action_activate()
                    with self.assertRaises(ValidationError):
                        reviewer.write({"state": "active"})
                    with self.assertRaises(ValidationError):
                        Reviewer.create({
                            "name": "钱七", "agency_id": self.agency_a.id, "first_time": first_time,
                            "qualification_number": number, "qualification_date": qdate, "state": "active",
                        })

    def test_active_reviewer_cannot_lose_qualification(self):
        """Removing the qualification of an active first-time reviewer is refused."""
        reviewer = self.env["enforcement.legal.reviewer"].create({
            "name": "赵敏", "agency_id": self.agency_a.id, "first_time": True,
            "qualification_number": "A20190001", "qualification_date": self.today, "state": "active",
        })
        with self.assertRaises(ValidationError):
            reviewer.qualification_number = False

    def test_uncertified_officer_refused(self):
        """Only an officer with a valid certificate covering category and area may act (持证上岗)."""
        officer_none = self._officer(self.agency_a, "无证")
        officer_suspended = self._officer(self.agency_a, "暂扣")
        self._certificate(officer_suspended, "T-A-0002", state="suspended", state_reason="调查中")
        officer_expired = self._officer(self.agency_a, "过期")
        self._certificate(
            officer_expired, "T-A-0003",
            valid_from=self.today - timedelta(days=800), valid_to=self.today - timedelta(days=1),
        )
        officer_future = self._officer(self.agency_a, "未生效")
        self._certificate(officer_future, "T-A-0004", valid_from=self.today + timedelta(days=5))
        cases = [
            (officer_none, "market", "T00001", "holds no enforcement certificate"),
            (officer_suspended, "market", "T00001", "is Suspended"),
            (officer_expired, "market", "T00001", "expired on"),
            (officer_future, "market", "T00001", "valid only from"),
            (self.officer_a, "environment", "T00001", "does not cover the enforcement category Ecology"),
            (self.officer_a, "market", "T00002", "does not cover the area 邻县"),
        ]
        for officer, category, area, reason in cases:
            with self.subTest(officer=officer.name, category=category, area=area):
                with self.assertRaises(ValidationError) as caught:
                    officer._check_certified_for(category, area)
                self.assertIn(reason, str(caught.exception))
                self.assertIn(officer.name, str(caught.exception))
        for officer in (officer_none, officer_suspended, officer_expired, officer_future):
            self.assertFalse(officer.is_certified)

    def test_certified_officer_allowed_in_sub_area(self):
        """A certificate for the county covers its towns; a second valid certificate also counts."""
        self.assertTrue(self.officer_a._check_certified_for("market", "T00001001"))
        self.assertTrue(self.officer_a.is_certified)
        self._certificate(self.officer_a, "T-A-0005", category=self.category_env, area=self.area_other)
        self.assertTrue(self.officer_a._check_certified_for("environment", "T00002"))
        certified = self.env["enforcement.officer"].search([
            ("is_certified", "=", True), ("agency_id", "=", self.agency_a.id),
        ])
        self.assertEqual(certified, self.officer_a)

    def test_case_number_pattern(self):
        """The pattern must contain {seq} and only known placeholders."""
        self.assertEqual(self.agency_a.format_case_number(2026, 7), "测试市监处罚〔2026〕7号")
        self.agency_a.case_number_pattern = "{short}市监处罚〔{year}〕{seq:04d}号"
        self.assertEqual(self.agency_a.format_case_number(2026, 7), "测试市监处罚〔2026〕0007号")
        for pattern in ("{short}市监处罚〔{year}〕号", "{short}{unknown}{seq}", "{seq", "{short:04d}{seq}"):
            with self.subTest(pattern=pattern), self.assertRaises(ValidationError):
                self.agency_a.case_number_pattern = pattern

    def test_discretion_tier_checks(self):
        """Exempt tiers carry no penalty; a tier allowing a fine needs a maximum."""
        standard = self.env["enforcement.discretion.standard"].create({
            "code": "T-CL-001", "name": "经营超过保质期的食品", "matter_id": self.matter_a.id,
        })
        fine = self.env.ref("admin_enforcement.penalty_type_fine")
        bad = [
            {"code": "exempt", "circumstances": "轻微", "penalty_type_ids": [Command.set(fine.ids)],
             "amount_max": 100},
            {"code": "ordinary", "circumstances": "一般", "penalty_type_ids": [Command.set(fine.ids)]},
        ]
        for vals in bad:
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                self.env["enforcement.discretion.tier"].create({"standard_id": standard.id, **vals})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["enforcement.discretion.tier"].create({
                "standard_id": standard.id, "code": "ordinary", "circumstances": "一般",
                "penalty_type_ids": [Command.set(fine.ids)], "amount_min": 500, "amount_max": 100,
            })
            self.env.flush_all()

    def test_catalogue_rule_needs_its_values(self):
        """A catalogue line of a kind that lists values cannot be saved without them."""
        for kind in ("category", "matter", "penalty_type", "fine_threshold"):
            with self.subTest(kind=kind), self.assertRaises(ValidationError):
                self.env["enforcement.major.catalogue.rule"].create({
                    "name": "空规则", "agency_id": self.agency_a.id, "kind": kind,
                })

    def test_committee_rules(self):
        """The chair is a member, there are at least three members, terms of one agency do not overlap."""
        users = self.user_admin_a | self.user_reviewer_a | self.user_officer_a
        vals = {
            "name": "法制审核委员会", "agency_id": self.agency_a.id, "chair_id": self.user_admin_a.id,
            "member_ids": [Command.set(users.ids)], "term_from": self.today,
            "term_to": self.today + timedelta(days=3 * 365),
        }
        committee = self.env["enforcement.review.committee"].create(vals)
        self.assertEqual(committee.member_count, 3)
        with self.assertRaises(ValidationError):
            self.env["enforcement.review.committee"].create(dict(vals, name="重叠"))
        with self.assertRaises(ValidationError):
            committee.member_ids = [Command.unlink(self.user_admin_a.id)]

    def test_committee_vote(self):
        """Majority and two-thirds quorum rules; the chair breaks a tie."""
        users = self.user_admin_a | self.user_reviewer_a | self.user_officer_a | self.user_supervisor
        committee = self.env["enforcement.review.committee"].create({
            "name": "委员会", "agency_id": self.agency_a.id, "chair_id": self.user_admin_a.id,
            "member_ids": [Command.set(users.ids)], "term_from": self.today, "term_to": self.today,
        })
        cases = [
            ("majority", 2, 1, None, "adopted"),
            ("majority", 1, 1, None, "no_quorum"),
            ("majority", 2, 2, True, "adopted"),
            ("majority", 2, 2, False, "rejected"),
            ("two_thirds", 2, 1, None, "adopted"),
            ("two_thirds", 3, 1, None, "adopted"),
            ("two_thirds", 2, 2, True, "rejected"),
            ("two_thirds", 2, 0, None, "no_quorum"),
        ]
        for rule, for_, against, chair, expected in cases:
            with self.subTest(rule=rule, votes_for=for_, votes_against=against):
                committee.quorum_rule = rule
                self.assertEqual(committee._decide(for_, against, chair_vote=chair), expected)

    def test_delete_guards(self):
        """Certificates with history and closed matter versions cannot be deleted."""
        self.cert_a.action_suspend(reason="调查中")
        with self.assertRaises(UserError):
            self.cert_a.unlink()
        self.matter_a.action_new_version()
        with self.assertRaises(UserError):
            self.matter_a.unlink()
