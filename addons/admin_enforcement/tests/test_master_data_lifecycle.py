from datetime import timedelta
from decimal import Decimal

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.admin_enforcement.enforcement_core.catalogue import CaseFacts

from .master_data_common import MasterDataCommon


@tagged("post_install", "-at_install")
class TestCertificateLifecycle(MasterDataCommon):
    """Status changes of certificates: yearly review, expiry cron, manual transitions."""

    def test_yearly_review_outcomes(self):
        """Reviews pass with enough hours and no fault; a failed one suspends the certificate."""
        self.agency_a.required_training_hours = 40
        cases = [
            # (hours, faults, expected result, certificate state after)
            (40, 0, "pass", "valid"),
            (56, 0, "pass", "valid"),
            (39.5, 0, "fail", "suspended"),
            (48, 1, "fail", "suspended"),
        ]
        for i, (hours, faults, result, state) in enumerate(cases):
            with self.subTest(hours=hours, faults=faults):
                officer = self._officer(self.agency_a, f"年检{i}")
                cert = self._certificate(officer, f"T-R-{i:03d}")
                review = self.env["enforcement.certificate.review"].create({
                    "certificate_id": cert.id, "year": 2025, "training_hours": hours, "fault_count": faults,
                })
                self.assertEqual(review.result, result)
                self.assertEqual(review.required_hours, 40)
                self.assertEqual(cert.state, state)
                if state == "suspended":
                    self.assertIn("2025", cert.state_reason)

    def test_required_hours_configurable_per_agency(self):
        """The required hours come from the agency (default 40)."""
        self.assertEqual(self.env["enforcement.agency"].new({}).required_training_hours, 40)
        self.agency_a.required_training_hours = 20
        review = self.env["enforcement.certificate.review"].create({
            "certificate_id": self.cert_a.id, "year": 2025, "training_hours": 24,
        })
        self.assertEqual(review.result, "pass")
        self.assertEqual(self.cert_a.state, "valid")
        review.training_hours = 10
        self.assertEqual(review.result, "fail")
        self.assertEqual(self.cert_a.state, "suspended")

    def test_cron_expires_certificates(self):
        """The daily cron expires valid and suspended certificates past valid_to, nothing else."""
        past = self.today - timedelta(days=1)
        officer = self._officer(self.agency_a, "到期")
        old_valid = self._certificate(officer, "T-E-001", valid_from=past - timedelta(days=900), valid_to=past)
        old_suspended = self._certificate(
            officer, "T-E-002", valid_from=past - timedelta(days=900), valid_to=past,
            state="suspended", state_reason="调查中",
        )
        ends_today = self._certificate(officer, "T-E-003", valid_to=self.today)
        revoked = self._certificate(
            officer, "T-E-004", valid_from=past - timedelta(days=900), valid_to=past,
            state="revoked", state_reason="吊销",
        )
        expired = self.env["enforcement.certificate"]._cron_expire_certificates()
        self.assertEqual(expired, old_valid | old_suspended)
        self.assertEqual(set((old_valid | old_suspended).mapped("state")), {"expired"})
        self.assertEqual(ends_today.state, "valid")
        self.assertEqual(revoked.state, "revoked")
        cron = self.env.ref("admin_enforcement.ir_cron_expire_certificates")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))

    def test_manual_transitions_need_reason(self):
        """Suspend, reinstate and revoke need a reason, check the source status and are tracked."""
        with self.assertRaises(UserError):
            self.cert_a.action_suspend(reason=" ")
        self.cert_a.with_context(tracking_disable=False).action_suspend(reason="涉嫌违纪")
        self.assertEqual(self.cert_a.state, "suspended")
        with self.assertRaises(UserError):
            self.cert_a.action_suspend(reason="again")
        wizard = self.env["enforcement.certificate.state.wizard"].create({
            "certificate_ids": [Command.set(self.cert_a.ids)], "action": "reinstate", "reason": "调查结束",
        })
        wizard.action_apply()
        self.assertEqual(self.cert_a.state, "valid")
        self.cert_a.action_revoke(reason="调离执法岗位")
        self.assertEqual(self.cert_a.state, "revoked")
        with self.assertRaises(UserError):
            self.cert_a.action_reinstate(reason="x")
        self.assertTrue(self.cert_a._fields["state"].tracking)

    def test_public_verification(self):
        """Each certificate has a unique random token; the public data is found by number or token."""
        other = self._certificate(self.officer_a, "T-A-0100")
        self.assertTrue(self.cert_a.verification_token)
        self.assertNotEqual(self.cert_a.verification_token, other.verification_token)
        self.assertGreaterEqual(len(self.cert_a.verification_token), 20)
        by_token = self.env["enforcement.certificate"]._public_verification_data(
            token=self.cert_a.verification_token)
        by_number = self.env["enforcement.certificate"]._public_verification_data(number="T-A-0001")
        self.assertEqual(by_token, by_number)
        self.assertEqual(by_token["holder"], "张伟")
        self.assertEqual(by_token["state"], "valid")
        self.assertNotIn("verification_token", by_token)
        self.assertIsNone(self.env["enforcement.certificate"]._public_verification_data(token="nope"))
        self.assertIn(self.cert_a.verification_token, self.cert_a.verification_url)
        self.assertNotEqual(self.cert_a.copy({"number": "T-A-0101"}).verification_token,
                            self.cert_a.verification_token)

    def test_reviewer_ratio_warning(self):
        """The agency warns when legal reviewers fall below its share of certified officers."""
        for i in range(19):
            self._certificate(self._officer(self.agency_a, f"执法{i}"), f"T-Q-{i:03d}")
        self.agency_a.invalidate_recordset()
        self.assertEqual(self.agency_a.certified_officer_count, 20)
        self.assertTrue(self.agency_a.reviewer_ratio_warning)
        reviewer = self.env["enforcement.legal.reviewer"].create({
            "name": "赵敏", "agency_id": self.agency_a.id, "first_time": False,
        })
        reviewer.action_activate()
        self.agency_a.invalidate_recordset()
        self.assertAlmostEqual(self.agency_a.reviewer_ratio, 0.05)
        self.assertFalse(self.agency_a.reviewer_ratio_warning)
        self.agency_a.reviewer_ratio_min = 0.1
        self.assertTrue(self.agency_a.reviewer_ratio_warning)


@tagged("post_install", "-at_install")
class TestMatterVersions(MasterDataCommon):
    """Enforcement matters are versioned; old versions stay for the cases that used them."""

    def test_new_version_copies_and_closes(self):
        old = self.matter_a
        old.effective_from = self.today - timedelta(days=100)
        action = old.action_new_version()
        new = self.env["enforcement.matter"].browse(action["res_id"])
        self.assertEqual(new.version, 2)
        self.assertEqual(new.code, old.code)
        self.assertEqual(new.previous_version_id, old)
        self.assertEqual(old.next_version_id, new)
        self.assertEqual(new.state, "current")
        self.assertEqual(new.effective_from, self.today)
        self.assertEqual(old.state, "closed")
        self.assertEqual(old.effective_to, self.today - timedelta(days=1))
        self.assertEqual(new.basis_line_ids.mapped("law"), old.basis_line_ids.mapped("law"))
        self.assertNotEqual(new.basis_line_ids, old.basis_line_ids)
        self.assertFalse(old.is_effective_on(self.today))
        self.assertTrue(new.is_effective_on(self.today))
        with self.assertRaises(UserError):
            old.action_new_version()
        new.action_new_version()
        self.assertEqual(new.next_version_id.version, 3)

    def test_random_inspection_item_needs_ratio(self):
        with self.assertRaises(ValidationError):
            self.env["enforcement.matter"].create({
                "code": "T-JC-001", "name": "监督检查", "category": "inspection", "agency_id": self.agency_a.id,
                "is_random_inspection": True,
            })


@tagged("post_install", "-at_install")
class TestDiscretionAndCatalogue(MasterDataCommon):
    """Discretion standards and the catalogue call the pure-Python core."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        pt = {code: cls.env.ref(f"admin_enforcement.penalty_type_{code}")
              for code in ("fine", "confiscation", "warning", "licence_revocation", "stop_production")}
        cls.penalty_types = pt
        cls.standard = cls.env["enforcement.discretion.standard"].create({
            "code": "T-CL-001", "name": "经营超过保质期的食品", "matter_id": cls.matter_a.id,
            "tier_ids": [
                Command.create({"code": "first_offence_exempt", "circumstances": "首次违法，及时改正"}),
                Command.create({
                    "code": "ordinary", "circumstances": "货值不足一万元",
                    "penalty_type_ids": [Command.set((pt["fine"] | pt["confiscation"]).ids)],
                    "range_kind": "fixed", "amount_min": 50000, "amount_max": 100000,
                }),
                Command.create({
                    "code": "heavier", "circumstances": "货值一万元以上",
                    "penalty_type_ids": [Command.set((pt["fine"] | pt["confiscation"]).ids)],
                    "range_kind": "goods_value_multiple", "amount_min": 10, "amount_max": 20,
                }),
            ],
        })

    def test_discretion_range_check(self):
        """The proposed penalty must fall in the chosen tier, or carry a written reason."""
        cases = [
            # (tier, penalty types, fine, goods value, reason, ok, needs reason)
            ("ordinary", {"fine", "confiscation"}, 60000, None, None, True, False),
            ("ordinary", {"fine"}, 120000, None, None, False, True),
            ("ordinary", {"fine"}, 120000, None, "情节特别严重", False, False),
            ("ordinary", {"fine", "licence_revocation"}, 60000, None, None, False, True),
            ("heavier", {"fine"}, 300000, 20000, None, True, False),
            ("heavier", {"fine"}, 150000, 20000, None, False, True),
            ("heavier", {"fine"}, 300000, None, None, False, True),
            ("first_offence_exempt", set(), 0, None, None, True, False),
            ("first_offence_exempt", {"fine"}, 1000, None, None, False, True),
        ]
        for tier, types, fine, goods, reason, ok, needs_reason in cases:
            with self.subTest(tier=tier, types=types, fine=fine, goods=goods):
                result = self.standard._check_proposed_penalty(
                    tier, types, fine_amount=fine, goods_value=goods, written_reason=reason,
                )
                self.assertEqual(result.ok, ok, result.reasons)
                self.assertEqual(result.needs_written_reason, needs_reason)
        result = self.standard._check_proposed_penalty("heavier", {"fine"}, 300000, goods_value=20000)
        self.assertEqual(result.allowed_range, (Decimal("200000.0"), Decimal("400000.0")))

    def test_discretion_bad_input(self):
        """An unknown tier or an inconsistent proposal is a clear ValidationError."""
        with self.assertRaises(ValidationError):
            self.standard._check_proposed_penalty("lighter", {"fine"}, 1000)
        with self.assertRaises(ValidationError):
            self.standard._check_proposed_penalty("ordinary", {"warning"}, 1000)

    def test_catalogue_evaluation(self):
        """The agency's catalogue decides whether a case is a major decision."""
        Rule = self.env["enforcement.major.catalogue.rule"]
        Rule.create([
            {"name": "大额罚款", "agency_id": self.agency_a.id, "kind": "fine_threshold",
             "person_threshold": 10000, "organisation_threshold": 100000},
            {"name": "吊销、停产停业", "agency_id": self.agency_a.id, "kind": "penalty_type",
             "penalty_type_ids": [Command.set(
                 (self.penalty_types["licence_revocation"] | self.penalty_types["stop_production"]).ids)]},
            {"name": "听证", "agency_id": self.agency_a.id, "kind": "hearing_held"},
            {"name": "疑难复杂", "agency_id": self.agency_a.id, "kind": "complex"},
            {"name": "重点事项", "agency_id": self.agency_a.id, "kind": "matter",
             "matter_ids": [Command.set(self.matter_a.ids)]},
            {"name": "B 局规则", "agency_id": self.agency_b.id, "kind": "fine_threshold",
             "person_threshold": 1},
        ])
        cases = [
            (dict(party_type="person", fine_amount=Decimal(10000)), ["大额罚款"]),
            (dict(party_type="person", fine_amount=Decimal(9999)), []),
            (dict(party_type="organisation", fine_amount=Decimal(50000)), []),
            (dict(party_type="organisation", penalty_types=frozenset({"licence_revocation"})), ["吊销、停产停业"]),
            (dict(party_type="person", hearing_held=True, complex_case=True), ["听证", "疑难复杂"]),
            (dict(party_type="person", matter_code="T-CF-001"), ["重点事项"]),
        ]
        for facts, expected in cases:
            with self.subTest(facts=facts):
                case = CaseFacts(category="penalty", procedure="ordinary", **facts)
                fired = Rule._evaluate_for_agency(self.agency_a, case)
                labels = [r.reason_text.split(":")[0] for r in fired]
                self.assertEqual(labels, expected)
        self.agency_a.review_all_ordinary_penalties = True
        fired = Rule._evaluate_for_agency(
            self.agency_a, CaseFacts(category="penalty", procedure="ordinary", party_type="person"))
        self.assertEqual(len(fired), 1)
        fired = Rule._evaluate_for_agency(
            self.agency_a, CaseFacts(category="penalty", procedure="simple", party_type="person"))
        self.assertEqual(fired, [])
