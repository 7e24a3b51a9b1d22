"""The statutory statistics report (执法数据报送) as the legal office and the
leader work it: figures computed from decided cases, categories the system
does not handle typed in by hand, the zero-case reason gate, who may review,
approve and submit, and the signed archive of what was submitted."""

import io
from datetime import date, datetime

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from ..services.user_tasks import OpenedUserTask
from .chinese import load_chinese
from .test_case_gates import PREFIX, CaseCommon


class StatisticsCommon(CaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["enforcement.legal.reviewer"].create({
            "name": "法制科 周敏", "agency_id": cls.agency.id, "user_id": cls.user_reviewer.id,
            "qualification_number": "A20210001", "qualification_date": "2021-09-01"}).action_activate()
        cls.user_leader_2 = mail_new_test_user(
            cls.env, login="stat_leader_2", groups=f"base.group_user,{PREFIX}leader", company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)], name="stat_leader_2")

    def _decided_case(self, decided_on, fine, **vals):
        case = self._noticed_case(**vals)
        case._as_step().write({"decision_kind": "penalty", "fine_amount": fine, "decision_date": decided_on,
                               "state": "decided"})
        return case

    def _report(self, kind="half_year", year=2026, user=None):
        return self.env["enforcement.statistics.report"].with_user(user or self.user_reviewer).create({
            "agency_id": self.agency.id, "period_kind": kind, "year": year})

    def _line(self, report, category):
        return report.line_ids.filtered(lambda line: line.category == category)

    def _give_zero_reasons(self, report, user=None):
        for line in report.line_ids.filtered("is_zero"):
            line.with_user(user or self.user_reviewer).zero_reason = "本期间无此类执法事项"


@tagged("post_install", "-at_install")
class TestStatisticsReport(StatisticsCommon):

    def test_penalty_figures_are_computed_from_the_cases_decided_in_the_period(self):
        """Cases decided January–June count in the half year, with their fines, hearings and legal reviews;
        a case decided in July, another agency's, and one not decided yet do not."""
        first = self._decided_case(date(2026, 2, 10), 20000)
        first._as_step().write({"hearing_granted": True, "hearing_record": "听证笔录", "review_state": "passed"})
        self._decided_case(date(2026, 6, 30), 5000.5)
        self._decided_case(date(2026, 7, 1), 30000)
        self._case()  # still being investigated
        report = self._report()
        penalty = self._line(report, "penalty")
        self.assertEqual((penalty.source, penalty.case_count, penalty.fine_total, penalty.hearing_count,
                          penalty.legal_review_count), ("computed", 2, 25000.5, 1, 1))
        self.assertEqual(len(report.line_ids), 10, "every category of item 三十一 and fees")
        self.assertEqual(set(report.line_ids.filtered(lambda line: line.source == "manual").mapped("category")),
                         {"licence", "levy", "adjudication", "benefit", "confirmation", "reward", "fee"})
        self.assertEqual((report.date_from, report.date_to, report.due_date),
                         (date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 31)))
        annual = self._report(kind="annual")
        self.assertEqual((self._line(annual, "penalty").case_count, annual.due_date), (3, date(2027, 1, 31)))

    def test_inspections_and_seizures_are_counted_from_what_was_done_in_the_period(self):
        """行政检查 counts the inspections carried out in the half year (Beijing day), drawn or not;
        行政强制 the 查封、扣押 measures taken in it. One done in July or by another agency does not count."""
        env = self.env(su=True)
        party = env["enforcement.inspection.party"].create({
            "name": "城关县统计测试食品有限公司", "party_type": "organisation", "uscc": "91330106MA2B0AXM1H",
            "agency_id": self.agency.id})
        inspection_vals = {"party_id": party.id, "agency_id": self.agency.id, "category_id": self.category.id,
                           "source": "complaint"}
        env["enforcement.inspection"].create([
            # 2026-06-30 23:30 in Beijing is still June; 2026-06-30 16:30 UTC is 2026-07-01 00:30 in Beijing.
            {**inspection_vals, "inspected_at": "2026-06-30 15:30:00"},
            {**inspection_vals, "inspected_at": "2026-03-02 02:00:00"},
            {**inspection_vals, "inspected_at": "2026-06-30 16:30:00"},
            {**inspection_vals},  # not inspected yet
        ])
        case = self._case()
        env["enforcement.seizure"].create([
            {"case_id": case.id, "kind": "detention", "measure_date": "2026-05-20"},
            {"case_id": case.id, "kind": "seizure", "measure_date": "2026-07-02"},
            {"case_id": case.id, "kind": "seizure"},  # still awaiting approval
        ])
        report = self._report()
        self.assertEqual((self._line(report, "inspection").source, self._line(report, "inspection").case_count),
                         ("computed", 2))
        self.assertEqual((self._line(report, "compulsion").source, self._line(report, "compulsion").case_count),
                         ("computed", 1))
        self.assertEqual(self._line(self._report(kind="annual"), "inspection").case_count, 3)

    def test_zero_category_is_refused_without_its_reason_then_submitted(self):
        """Item 三十一: a category with no cases is explained. The legal office's review is refused,
        in Chinese, naming each category still without a reason; with the reasons the report is reviewed,
        approved and submitted."""
        load_chinese(self.env)
        self._decided_case(date(2026, 3, 1), 10000)
        report = self._report()
        licence = self._line(report, "licence")
        licence.with_user(self.user_reviewer).write({"case_count": 12, "recon_applied": 1, "recon_maintained": 1})
        zh = report.with_user(self.user_reviewer).with_context(lang="zh_CN")
        with self.refused(UserError, "没有案件.*行政征收.*行政收费"):
            zh.action_review()
        self.assertEqual(report.state, "draft")
        message = ""
        try:
            zh.action_review()
        except UserError as error:
            message = str(error)
        self.assertIn("行政奖励", message)
        self.assertNotIn("行政处罚", message, "the penalty category had cases")
        self.assertNotIn("行政许可", message, "the licence figures were entered by hand")

        self._give_zero_reasons(report)
        report.with_user(self.user_reviewer).action_review()
        report.with_user(self.user_leader).action_approve()
        report.with_user(self.user_leader).action_submit()
        self.assertEqual((report.state, report.reviewed_by_id, report.approved_by_id, report.submitted_by_id),
                         ("submitted", self.user_reviewer, self.user_leader, self.user_leader))
        self.assertEqual(report.chain_seq, 1)
        self.assertTrue(report.entry_hash and report.signature)

    def test_submission_itself_refuses_a_zero_category_without_reason(self):
        """The gate holds at submission too, whatever state the report was put in."""
        report = self._report()
        report.sudo().state = "approved"
        with self.refused(UserError, "need a written reason"):
            report.with_user(self.user_leader).action_submit()
        self.assertEqual(report.state, "approved")

    def test_only_the_legal_office_reviews_and_only_a_leader_approves(self):
        report = self._report()
        self._give_zero_reasons(report)
        for user in (self.user_leader, self.user_officer_1):
            with self.refused(AccessError, "legal reviewer"):
                report.with_user(user).action_review()
        report.with_user(self.user_reviewer).action_review()
        for user in (self.user_reviewer, self.user_officer_1):
            with self.refused(AccessError, "only a leader"):
                report.with_user(user).action_approve()
        with self.refused(UserError, "cannot be submitted now"):
            report.with_user(self.user_leader).action_submit()
        report.with_user(self.user_leader).action_approve()
        with self.refused(AccessError, "only a leader"):
            report.with_user(self.user_reviewer).action_submit()
        report.with_user(self.user_leader_2).action_submit()
        self.assertEqual(report.state, "submitted")

    def test_the_reviewer_may_not_also_approve(self):
        """审定分离: a bureau administrator is both legal reviewer and leader, but not for the same report."""
        admin = mail_new_test_user(self.env, login="stat_admin", groups=f"base.group_user,{PREFIX}admin",
                                   company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        self.env["enforcement.legal.reviewer"].create({
            "name": "stat_admin", "agency_id": self.agency.id, "user_id": admin.id,
            "qualification_number": "A20210002", "qualification_date": "2021-09-01"}).action_activate()
        report = self._report(user=admin)
        self._give_zero_reasons(report, admin)
        report.with_user(admin).action_review()
        with self.refused(AccessError, "may not also approve"):
            report.with_user(admin).action_approve()
        report.with_user(self.user_leader).action_approve()

    def test_computed_figures_and_a_report_past_draft_cannot_be_typed_over(self):
        self._decided_case(date(2026, 3, 1), 10000)
        report = self._report()
        penalty = self._line(report, "penalty")
        with self.refused(UserError, "computed from the cases"):
            penalty.with_user(self.user_reviewer).case_count = 99
        with self.refused(AccessError, "can only be set by the step of the procedure"):
            report.with_user(self.user_leader).write({"state": "submitted"})
        self._give_zero_reasons(report)
        report.with_user(self.user_reviewer).action_review()
        with self.refused(UserError, "no longer a draft"):
            self._line(report, "licence").with_user(self.user_reviewer).case_count = 3
        with self.refused(UserError, "no longer a draft"):
            self._line(report, "licence").with_user(self.user_reviewer).zero_reason = "改"
        with self.refused(UserError, "made by the report itself"):
            self.env["enforcement.statistics.line"].with_user(self.user_reviewer).create({
                "report_id": report.id, "category": "penalty", "source": "manual"})

    def test_submitted_reports_form_a_signed_chain_that_finds_tampering(self):
        reports = self.env["enforcement.statistics.report"]
        for kind, year in (("half_year", 2026), ("annual", 2026)):
            report = self._report(kind, year)
            self._give_zero_reasons(report)
            report.with_user(self.user_reviewer).action_review()
            report.with_user(self.user_leader).action_approve()
            report.with_user(self.user_leader).action_submit()
            reports |= report
        self.assertEqual(reports.mapped("chain_seq"), [1, 2])
        self.assertEqual(reports[1].prev_hash, reports[0].entry_hash)
        self.assertEqual(reports._verify_chain(self.agency), (True, None))
        # A figure changed in the database after submission no longer matches what was signed.
        self.env.cr.execute("UPDATE enforcement_statistics_line SET case_count = 7 WHERE report_id = %s "
                            "AND category = 'penalty'", (reports[0].id,))
        self.env.invalidate_all()
        self.assertEqual(reports._verify_chain(self.agency), (False, 1))

    def test_workbook_and_pdf_carry_the_agency_period_and_figures(self):
        load_chinese(self.env)
        self._decided_case(date(2026, 3, 1), 10000)
        report = self._report()
        content, filename = report.with_user(self.user_officer_1).with_context(lang="zh_CN")._xlsx_content()
        self.assertTrue(filename.endswith(".xlsx"))
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(len(book.sheetnames), 11, "a summary and one sheet per category")
        summary = book.worksheets[0]
        self.assertIn(self.agency.name, summary["A1"].value)
        self.assertIn("2026", summary["A2"].value)
        rows = list(summary.iter_rows(min_row=5, values_only=True))
        self.assertEqual(rows[0][:3], ("行政处罚", 1, 10000))
        self.assertEqual(rows[10][0], "合计")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "admin_enforcement.report_statistics", report.ids)[0].decode()
        self.assertIn(self.agency.name, html)
        self.assertIn("10000.00", html)


@tagged("post_install", "-at_install")
class TestStatisticsProcess(StatisticsCommon):
    """The report on the process engine: its start, and its steps as tasks in 我的待办."""

    _job_keys = iter(range(2251799813785000, 2251799813795000))

    def _report_task(self, report, step_code, group):
        opened = OpenedUserTask(
            task_id=str(next(self._job_keys)), process_instance_id="pi-stat-1", element_id=f"Task_{step_code}",
            step_code=step_code, candidate_groups=(f"{PREFIX}{group}",), assignee=None,
            due=datetime(2026, 7, 31, 9, 30), case_id=None, variables={"statistics_report_id": report.id},
            subject_model="enforcement.statistics.report", subject_id=report.id)
        return self.env["enforcement.task"]._open_from_engine(opened)

    def test_creating_a_report_starts_its_process_with_the_due_date(self):
        report = self._report()
        start = self.env["enforcement.outbox"].search([("identity_key", "=", f"message:statistics_created:{report.id}")])
        self.assertEqual(start.payload["name"], "enforcement.statistics_report_created")
        self.assertEqual(start.payload["variables"], {"statistics_report_id": report.id,
                                                     "statistics_due": "2026-07-31T17:30:00+08:00"})
        self.assertEqual(start.payload["business_key"], f"statistics-{report.id}")

    def test_each_step_is_a_task_whose_completion_moves_the_report_and_the_process(self):
        report = self._report()
        review = self._report_task(report, "statistics_review", "legal_reviewer")
        self.assertEqual((review.company_id, review.date_deadline.date()), (self.company, date(2026, 7, 31)))
        self.assertIn(review, self.env["enforcement.task"].with_user(self.user_reviewer).search([]),
                      "the task is in the legal office's task list")
        with self.refused(UserError, "need a written reason"):
            review.with_user(self.user_reviewer).action_complete()
        self.assertEqual((review.state, report.state), ("open", "draft"))
        self._give_zero_reasons(report)
        with self.refused(AccessError, "legal reviewer|not in a group"):
            review.with_user(self.user_leader).action_complete()
        # The report's button completes the open task, so the engine hears of it.
        report.with_user(self.user_reviewer).action_review()
        self.assertEqual((review.state, report.state, report.reviewed_by_id), ("done", "reviewed", self.user_reviewer))
        self.assertTrue(self.env["enforcement.outbox"].search([("identity_key", "=", f"complete:{review.job_key}")]))
        approval = self._report_task(report, "statistics_approval", "leader")
        approval.with_user(self.user_leader).action_complete()
        submission = self._report_task(report, "statistics_submission", "leader")
        with self.refused(AccessError, "only a leader|not one of them"):
            report.with_user(self.user_reviewer).action_submit()
        submission.with_user(self.user_leader_2).action_complete()
        self.assertEqual((report.state, report.submitted_by_id, report.chain_seq),
                         ("submitted", self.user_leader_2, 1))

    def test_a_task_for_a_step_already_made_by_the_button_closes_at_once(self):
        """Reviewed from the report before the engine opened the review task: the task, when it comes,
        is done and completed on the engine, so 我的待办 keeps no step that is already done."""
        report = self._report()
        self._give_zero_reasons(report)
        report.with_user(self.user_reviewer).action_review()
        review = self._report_task(report, "statistics_review", "legal_reviewer")
        self.assertEqual((review.state, review.completed_by_id), ("done", self.user_reviewer))
        self.assertTrue(self.env["enforcement.outbox"].search([("identity_key", "=", f"complete:{review.job_key}")]))
        approval = self._report_task(report, "statistics_approval", "leader")
        self.assertEqual(approval.state, "open", "the approval is still to be made")


@tagged("post_install", "-at_install")
class TestStatisticsRemedies(StatisticsCommon):
    """行政复议 and 行政诉讼 figures come from the remedies recorded on the decisions."""

    def _remedy(self, case, kind, result):
        remedy = self.env["enforcement.remedy"].with_user(self.user_officer_1).create({
            "case_id": case.id, "kind": kind, "body": "城关县人民法院" if kind == "litigation" else "城关县人民政府",
            "reference": f"（2026）甘0102行初{case.id}号", "applied_on": self.today})
        remedy.write({"result": result, "result_on": self.today})
        remedy.action_record_result()
        return remedy

    def test_remedy_results_counted_with_the_exact_correction_rate(self):
        cases = [self._decided_case(self.today, 10000) for _index in range(3)]
        for case in cases:
            case._as_step().decision_number = f"城关市监罚决〔2026〕{case.id}号"
        self._remedy(cases[0], "reconsideration", "maintained")
        self._remedy(cases[1], "reconsideration", "partly_revoked")
        self._remedy(cases[2], "litigation", "unlawful")
        report = self._report(kind="annual", year=self.today.year)
        penalty = self._line(report, "penalty")
        self.assertEqual((penalty.recon_applied, penalty.recon_maintained, penalty.recon_revoked,
                          penalty.litig_applied, penalty.litig_unlawful), (2, 1, 1, 1, 1))
        self.assertEqual((penalty.recon_corrected_rate, penalty.litig_corrected_rate), ("50.00%", "100.00%"))
