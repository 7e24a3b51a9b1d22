"""The supervision desk (司法行政部门): one view across agencies of what is
overdue or at fault, warnings raised once to the responsible leader, and
案卷评查 from the score to the last correction closed."""

import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from ..enforcement_core.random_draw import draw_sample
from .test_case_gates import PREFIX, CaseCommon

DESK_MODELS = ("enforcement.desk.agency", "enforcement.desk.case", "enforcement.desk.deadline",
               "enforcement.desk.record.issue")
PRIVATE_WORDS = ("party", "id_number", "address", "phone", "mobile", "email")
PARTY_ID = "91620102MA71X8Y36K"
PARTY_ADDRESS = "城关区张掖路87号"
OFFICER_MOBILE = "13919876543"


class SupervisionCommon(CaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups, company):
            return mail_new_test_user(cls.env, login=login, groups=groups, company_id=company.id,
                                      company_ids=[Command.set(company.ids)], name=login, tz="Asia/Shanghai")

        cls.company_b = cls.env["res.company"].create({"name": "七里河区市场监督管理局（单元测试）"})
        cls.agency_b = cls.env["enforcement.agency"].create({
            "name": "七里河区市场监督管理局（单元测试）", "short_name": "七里河", "company_id": cls.company_b.id,
        })
        cls.user_supervisor = user("desk_supervisor", f"base.group_user,{PREFIX}supervisor", cls.env.company)
        cls.user_leader_b = user("desk_leader_b", f"base.group_user,{PREFIX}leader", cls.company_b)
        cls.user_officer_b = user("desk_officer_b", f"base.group_user,{PREFIX}officer", cls.company_b)
        cls.officer_1.mobile = OFFICER_MOBILE

    def _overdue_case(self, agency, **vals):
        """A case of ``agency`` whose decision period ended yesterday."""
        case = self.env["enforcement.case"].create({
            "title": "销售过期食品案", "agency_id": agency.id, "party_name": "城关县惠民超市有限公司",
            "party_type": "organisation", "category_id": self.category.id, "area_id": self.area.id, **vals,
        })
        case.filing_date = self.today - timedelta(days=91)
        # registered 91 days ago, so records captured since then are accepted
        self.env.cr.execute("UPDATE enforcement_case SET create_date = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(days=91), case.id))
        case.invalidate_recordset(["create_date"])
        case._as_step().write({"state": "investigation", "decision_due": fields.Datetime.now() - timedelta(days=1)})
        return case

    def _late_record(self, case):
        self._team(case, self.officer_1, self.officer_2)
        return self.env["enforcement.record"].with_user(self.user_officer_1).create({
            "case_id": case.id, "name": "现场检查笔录", "kind": "written", "stage": "investigation",
            "captured_at": fields.Datetime.now() - timedelta(days=3),
            "collector_ids": [Command.set(self.user_officer_1.ids)],
        })

    def _archived_case(self, agency):
        case = self._overdue_case(agency)
        case._as_step().write({"state": "archived", "archive_number": f"{agency.short_name}档〔2026〕{case.id}号",
                               "archived_at": fields.Datetime.now(), "decision_due": False})
        return case


@tagged("post_install", "-at_install")
class TestSupervisionDesk(SupervisionCommon):
    def test_desk_shows_an_overdue_case_of_each_agency_and_no_private_data(self):
        """The supervisor sees the overdue decision period of each agency's case
        and a publication overdue, and nothing of the party or the officers'
        contacts: not in the desk's fields, not in the values it returns."""
        case_a = self._overdue_case(self.agency)
        case_b = self._overdue_case(self.agency_b)
        self.env["enforcement.publication"].create({
            "case_id": case_b.id, "agency_id": self.agency_b.id, "title": case_b.title,
            "decision_number": "七市监罚〔2026〕3号", "decided_on": self.today - timedelta(days=30),
            "party_type": "organisation", "party_name": "城关县惠民超市有限公司", "party_id_number": PARTY_ID,
            "party_address": PARTY_ADDRESS, "conclusion": "罚款人民币伍仟元。",
        })
        self._late_record(case_a)
        supervisor_env = self.env(user=self.user_supervisor)
        self.env.flush_all()

        deadlines = supervisor_env["enforcement.desk.deadline"].search_read(
            [("status", "=", "overdue")], ["agency_id", "case_id", "kind"])
        overdue = {(row["agency_id"][0], row["case_id"][0], row["kind"]) for row in deadlines}
        self.assertIn((self.agency.id, case_a.id, "decision"), overdue)
        self.assertIn((self.agency_b.id, case_b.id, "decision"), overdue)
        self.assertIn((self.agency_b.id, case_b.id, "publication"), overdue)

        cards = {row["agency_id"][0]: row for row in supervisor_env["enforcement.desk.agency"].search_read(
            [("agency_id", "in", (self.agency | self.agency_b).ids)], ["agency_id", "overdue_count"])}
        self.assertEqual(cards[self.agency.id]["overdue_count"], 1)
        self.assertEqual(cards[self.agency_b.id]["overdue_count"], 2)

        for model in DESK_MODELS:
            desk = supervisor_env[model]
            names = list(desk.fields_get())
            self.assertFalse([n for n in names if any(word in n for word in PRIVATE_WORDS)], model)
            rows = desk.search_read([], names)
            self.assertTrue(rows, model)
            dumped = json.dumps(rows, default=str, ensure_ascii=False)
            for private in ("惠民超市", PARTY_ID, PARTY_ADDRESS, OFFICER_MOBILE):
                self.assertNotIn(private, dumped, f"{model} shows {private}")

    def test_desk_is_the_supervisors_only(self):
        self._overdue_case(self.agency)
        for user in (self.user_officer_1, self.user_leader, self.user_reviewer, self.user_leader_b):
            for model in DESK_MODELS:
                with self.subTest(user=user.login, model=model), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search_read([], ["id"])

    def test_a_late_record_and_a_step_closed_without_audio_video_show_on_the_desk(self):
        """A record stored three days after capture, and an investigation (on the
        audio/video list as circumstances require) closed with no recording."""
        case = self._overdue_case(self.agency)
        self._late_record(case)
        task = self._task(case, "investigation")
        task.write({"state": "done", "completed_at": fields.Datetime.now()})
        self.env.flush_all()
        issues = self.env["enforcement.desk.record.issue"].with_user(self.user_supervisor).search(
            [("case_id", "=", case.id)])
        self.assertEqual(sorted(issues.mapped("issue")), ["late", "no_av"])
        card = self.env["enforcement.desk.agency"].with_user(self.user_supervisor).search(
            [("agency_id", "=", self.agency.id)])
        self.assertEqual((card.late_record_count, card.no_av_step_count), (1, 1))


@tagged("post_install", "-at_install")
class TestSupervisionWarnings(SupervisionCommon):
    def test_a_warning_is_raised_once_to_the_agencys_leader(self):
        """Decision period 80 % used: the rule raises one activity for the
        agency's leader and records the warning; the next run raises nothing
        more; once the decision is made the warning closes."""
        case = self._overdue_case(self.agency_b)
        case._as_step().decision_due = fields.Datetime.now() + timedelta(days=5)
        rule = self.env.ref("admin_enforcement.warning_rule_decision_period")
        activity_type = self.env.ref("admin_enforcement.mail_activity_type_enforcement_warning")
        self.env.flush_all()

        Rules = self.env["enforcement.warning.rule"]
        Rules._cron_raise_warnings()
        Rules._cron_raise_warnings()
        warnings = self.env["enforcement.warning"].search([("rule_id", "=", rule.id), ("case_id", "=", case.id)])
        self.assertEqual(len(warnings), 1)
        self.assertEqual(warnings.user_ids, self.user_leader_b)
        activities = case.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.user_leader_b)
        self.assertGreaterEqual(warnings.measured, 80)

        seen = self.env["enforcement.warning"].with_user(self.user_supervisor).search([("case_id", "=", case.id)])
        self.assertEqual(seen, warnings, "the desk shows the warning")
        self.assertFalse(self.env["enforcement.warning"].with_user(self.user_leader).search(
            [("case_id", "=", case.id)]), "another agency's leader does not see it")

        case._as_step().write({"state": "decided", "decision_date": self.today})
        self.env.flush_all()
        Rules._cron_raise_warnings()
        self.assertEqual(warnings.state, "resolved")
        self.assertFalse(case.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))

    def test_no_user_enters_or_edits_a_warning(self):
        case = self._overdue_case(self.agency)
        rule = self.env.ref("admin_enforcement.warning_rule_decision_period")
        for user in (self.user_supervisor, self.user_leader, self.user_officer_1):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["enforcement.warning"].with_user(user).create({
                    "rule_id": rule.id, "case_id": case.id, "subject_key": "forged",
                    "raised_at": fields.Datetime.now()})


@tagged("post_install", "-at_install")
class TestFileReview(SupervisionCommon):
    def test_a_review_is_scored_and_its_correction_closed(self):
        case = self._archived_case(self.agency_b)
        reviews = self.env["enforcement.file.review"].with_user(self.user_supervisor)
        review = reviews.create({"case_id": case.id})
        self.assertEqual(review.checklist_id, self.env.ref("admin_enforcement.file_review_checklist_guangdong"))
        self.assertEqual(review.max_score, 100)
        procedure = review.line_ids.filtered(lambda line: line.item_id.name == "执法程序")
        procedure.deducted = 15
        with self.assertRaisesRegex(UserError, "finding"):
            review.action_score()
        procedure.finding = "事先告知书未载明陈述申辩期限。"
        review.action_score()
        self.assertEqual((review.state, review.score, review.grade), ("scored", 85, "pass"))
        with self.assertRaises(UserError):
            procedure.deducted = 0

        correction = self.env["enforcement.file.review.correction"].with_user(self.user_supervisor).create({
            "review_id": review.id, "description": "补正事先告知书的陈述申辩期限，并组织程序培训。",
            "due_date": self.today + timedelta(days=30)})
        review.action_order_corrections()
        with self.assertRaisesRegex(UserError, "not closed"):
            review.action_close()

        as_leader = correction.with_user(self.user_leader_b)
        as_leader.report = "已补正并组织培训。"
        as_leader.action_report_done()
        self.assertEqual(correction.state, "reported")
        correction.action_accept()
        self.assertEqual(correction.state, "closed")
        review.action_close()
        self.assertEqual(review.state, "closed")
        self.assertEqual(review.open_correction_count, 0)

        report = self.env["ir.actions.report"]._render_qweb_html(
            "admin_enforcement.report_file_review_results", review.ids)[0].decode()
        self.assertIn("七里河区市场监督管理局", report)
        self.assertIn("事先告知书未载明陈述申辩期限", report)

    def test_only_the_supervisor_scores_and_closes(self):
        case = self._archived_case(self.agency)
        review = self.env["enforcement.file.review"].with_user(self.user_supervisor).create({"case_id": case.id})
        for user in (self.user_leader, self.user_officer_1, self.user_reviewer, self.env.ref("base.user_admin")):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["enforcement.file.review"].with_user(user).create({"case_id": case.id})
                with self.assertRaises(AccessError):
                    review.with_user(user).action_score()
                with self.assertRaises(AccessError):
                    review.line_ids[:1].with_user(user).write({"deducted": 5})
        self.assertEqual(review.state, "draft")
        with self.assertRaisesRegex(AccessError, "can only be set by the step"):
            review.write({"state": "closed"})
        self.assertEqual(review.state, "draft")

        review.action_score()
        correction = self.env["enforcement.file.review.correction"].with_user(self.user_supervisor).create({
            "review_id": review.id, "description": "补充证据目录。"})
        with self.assertRaises(AccessError):
            correction.with_user(self.user_leader_b).action_report_done()  # another agency's leader
        with self.assertRaises(AccessError):
            correction.with_user(self.user_leader).action_accept()

    def test_a_random_draw_is_reproducible(self):
        cases = [self._archived_case(self.agency) for _i in range(4)] + [self._archived_case(self.agency_b)]
        wizard = self.env["enforcement.file.review.draw"].with_user(self.user_supervisor)
        values = {"plan_ref": "评查计划-2026-1", "public_value": "福彩3D 2026330期 715", "count": 2,
                  "agency_ids": [Command.set((self.agency | self.agency_b).ids)]}
        action = wizard.create(values).action_draw()
        drawn = self.env["enforcement.file.review"].search(action["domain"])
        self.assertEqual(len(drawn), 2)
        self.assertTrue(set(drawn.case_id.ids) <= {case.id for case in cases})
        material = json.loads(drawn[0].draw_material)
        again = draw_sample(*material, drawn[0].draw_candidates.split(","), 2)
        self.assertEqual(set(again.drawn), {str(i) for i in drawn.case_id.ids})
