"""Dated duties after a decision, as the bureau meets them: the 备案 of a
major decision, the outcome of reconsideration and litigation (withdrawal
from the portal, the 败诉 report, the surcharge pause) and the transfer of a
suspected crime to public security. Each gate is tried the way a user or an
RPC client would try it."""

from datetime import timedelta
import base64

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .chinese import load_chinese
from .test_case_gates import CaseCommon

PDF = base64.b64encode(b"%PDF-1.4 filing report")


class DutiesCommon(CaseCommon):
    def _decided_case(self, fine=20000, penalty_types=None, party_type="organisation"):
        """A case whose penalty decision is numbered (as enforcement.decision.issue leaves it)."""
        case = self._noticed_case(party_type=party_type)
        if penalty_types:
            case.sudo().write({"penalty_type_ids": [Command.set(penalty_types.ids)],
                               "discretion_reason": "情节严重，依法吊销许可证件"})
        case._as_step().write({"decision_kind": "penalty", "fine_amount": fine, "state": "decision",
                               "decided_by_id": self.user_leader.id})
        case._issue_decision()
        return case

    def _published(self, case):
        publication = self.env["enforcement.publication"]._create_for_case(
            case, "penalty", case.decision_date, decision_number=case.decision_number)
        publication._write_state({"state": "published", "published_on": self.today, "redaction_confirmed": True,
                                  "redaction_confirmed_by_id": self.user_leader.id})
        return publication

    def _remedy(self, case, kind="litigation", **vals):
        return self.env["enforcement.remedy"].with_user(self.user_officer_1).create({
            "case_id": case.id, "kind": kind, "body": "城关县人民法院", "reference": "（2026）甘0102行初12号",
            "applied_on": self.today, **vals})

    def _give_result(self, remedy, result, changed_act=False):
        remedy = remedy.with_user(self.user_officer_1)
        remedy.write({"result": result, "result_on": self.today, "agency_changed_act": changed_act})
        remedy.action_record_result()
        remedy.write({"effective_on": self.today})
        remedy.action_take_effect()
        return remedy

    def _start_row(self, remedy):
        return self.env["enforcement.outbox"].sudo().search(
            [("identity_key", "=", f"message:remedy_effective:{remedy.id}")])


@tagged("post_install", "-at_install")
class TestMajorDecisionFiling(DutiesCommon):
    def test_large_fine_opens_the_filing_due_15_days_after_the_decision(self):
        """Item 三十: a fine at the (hearing) threshold for an organisation is major."""
        case = self._decided_case(fine=100000)
        variables = case._open_major_filing()
        self.assertTrue(variables["major_filing_required"])
        self.assertEqual(case.major_filing_due, case.decision_date + timedelta(days=15))
        self.assertTrue(variables["major_filing_due"].startswith(str(case.major_filing_due)))
        self.assertTrue(variables["major_filing_due"].endswith("+08:00"))
        self.assertIn("100000.00", case.major_filing_reasons)

    def test_ordinary_fine_is_not_filed_unless_the_agency_lowers_its_threshold(self):
        case = self._decided_case(fine=20000)
        self.assertEqual(case._open_major_filing(), {"major_filing_required": False, "major_filing_due": ""})
        self.agency.write({"major_fine_organisation": 20000, "major_filing_days": 10})
        self.assertTrue(case._open_major_filing()["major_filing_required"])
        self.assertEqual(case.major_filing_due, case.decision_date + timedelta(days=10))

    def test_licence_revocation_is_major_whatever_the_amount(self):
        revocation = self.env["enforcement.penalty.type"].search([("code", "=", "licence_revocation")])
        case = self._decided_case(fine=0, penalty_types=revocation)
        self.assertTrue(case._open_major_filing()["major_filing_required"])

    def test_filing_needs_the_leader_the_recipient_the_date_and_the_report(self):
        case = self._decided_case(fine=100000)
        case._open_major_filing()
        task = self._task(case, "major_filing", "leader")
        with self.refused(AccessError, ""):
            self._complete(task, self.user_officer_1, filing_filed_to="城关县人民政府依法行政工作领导小组办公室",
                           filing_filed_on=self.today, filing_attachment=PDF)
        with self.refused(UserError, "attach the filing report"):
            self._complete(task, self.user_leader, filing_filed_to="城关县人民政府依法行政工作领导小组办公室",
                           filing_filed_on=self.today)
        with self.refused(UserError, "future"):
            self._complete(task, self.user_leader, filing_filed_to="城关县人民政府依法行政工作领导小组办公室",
                           filing_filed_on=self.today + timedelta(days=1), filing_attachment=PDF)
        self._complete(task, self.user_leader, filing_filed_to="城关县人民政府依法行政工作领导小组办公室",
                       filing_filed_on=self.today, filing_attachment=PDF, filing_attachment_name="备案报告.pdf")
        self.assertEqual(task.state, "done")
        self.assertEqual(case.major_filed_on, self.today)
        self.assertEqual(case.major_filing_number, f"城关市监处罚备〔{self.today.year}〕1号")
        self.assertEqual(case.major_filing_attachment_name, "备案报告.pdf")

    def test_no_one_writes_the_filing_record_directly(self):
        case = self._decided_case(fine=100000)
        for user in (self.user_officer_1, self.user_leader):
            with self.refused(UserError, "can only be set by the step"):
                case.with_user(user).write({"major_filed_on": self.today, "major_filing_number": "伪造1号"})
            with self.refused(UserError, "can only be set by the step"):
                case.with_user(user).write({"state": "transferred"})


@tagged("post_install", "-at_install")
class TestRemedyOutcomes(DutiesCommon):
    def test_revoked_decision_is_withdrawn_within_3_working_days(self):
        case = self._decided_case()
        publication = self._published(case)
        remedy = self._give_result(self._remedy(case), "revoked")
        due = self.env["enforcement.calendar"]._due_date("withdrawal", self.today)
        self.assertEqual(publication.withdrawal_reason, "revoked")
        self.assertEqual(publication.withdrawal_due, due)
        self.assertEqual(remedy.withdrawal_due, due)
        self.assertEqual(remedy.publication_ids, publication)
        self.assertTrue(remedy.lost_case, "revoked by the court: kind 1 of item 三十二")
        start = self._start_row(remedy)
        self.assertEqual(start.payload["name"], "enforcement.remedy_effective")
        self.assertEqual(start.payload["starts"], "enforcement_remedy_duties")
        self.assertTrue(start.payload["variables"]["withdrawal_required"])
        self.assertTrue(start.payload["variables"]["withdrawal_due"].startswith(str(due)))

        task = self._task(case, "publication_withdrawal", "leader")
        with self.refused(AccessError, ""):
            self._complete(task, self.user_officer_1)
        self._complete(task, self.user_leader)
        self.assertEqual(publication.state, "withdrawn")
        self.assertEqual(publication.withdrawn_on, self.today)
        public = self.env["enforcement.publication"].sudo().search(self.env["enforcement.publication"]._public_domain())
        self.assertNotIn(publication, public, "the portal no longer shows the decision")

    def test_maintained_decision_stays_published_and_opens_no_task(self):
        case = self._decided_case()
        publication = self._published(case)
        remedy = self._give_result(self._remedy(case, kind="reconsideration", body="城关县人民政府"), "maintained")
        self.assertEqual(publication.state, "published")
        self.assertFalse(publication.withdrawal_requested_on)
        self.assertFalse(remedy.lost_case)
        self.assertFalse(self._start_row(remedy))

    def test_changed_by_reconsideration_is_withdrawn_but_not_a_lost_lawsuit(self):
        case = self._decided_case()
        publication = self._published(case)
        remedy = self._give_result(self._remedy(case, kind="reconsideration", body="城关县人民政府"), "changed")
        self.assertEqual(publication.withdrawal_reason, "remade")
        self.assertFalse(remedy.lost_case)
        self.assertFalse(self._start_row(remedy).payload["variables"]["report_required"])

    def test_lost_lawsuit_opens_the_report_due_30_days_after_the_judgment_takes_effect(self):
        case = self._decided_case()
        remedy = self._give_result(self._remedy(case), "unlawful")
        self.assertTrue(remedy.lost_case)
        self.assertEqual(remedy.report_due, self.today + timedelta(days=30))
        variables = self._start_row(remedy).payload["variables"]
        self.assertTrue(variables["report_required"])
        self.assertFalse(variables["withdrawal_required"], "nothing was published, so nothing to withdraw")
        self.assertTrue(variables["report_due"].startswith(str(remedy.report_due)))

        task = self._task(case, "lost_case_report", "leader")
        with self.refused(UserError, "lost-lawsuit report needs"):
            self._complete(task, self.user_leader, report_to="城关县人民政府、城关县市场监督管理局上级主管部门")
        self._complete(task, self.user_leader, report_to="城关县人民政府、上一级主管部门",
                       report_original="当事人销售过期食品，依据食品安全法第一百二十四条处罚款二万元。",
                       report_court="法院认为现场检查笔录未经当事人签字，主要证据不足，判决确认违法。",
                       report_lessons="现场检查笔录须当场由当事人签字确认；加强证据审查。")
        self.assertEqual(remedy.report_submitted_on, self.today)
        self.assertEqual(remedy.report_submitted_by_id, self.user_leader)

    def test_withdrawn_suit_is_lost_only_when_the_agency_changed_its_act(self):
        case = self._decided_case()
        plain = self._give_result(self._remedy(case), "withdrawn")
        changed = self._give_result(self._remedy(case, reference="（2026）甘0102行初13号"), "withdrawn",
                                    changed_act=True)
        self.assertFalse(plain.lost_case)
        self.assertTrue(changed.lost_case)

    def test_surcharge_is_paused_while_the_remedy_runs(self):
        """Art. 73: the days of reconsideration or litigation do not count."""
        case = self._decided_case()
        case._as_step().write({"decision_date": self.today - timedelta(days=40),
                               "payment_due": fields.Datetime.now() - timedelta(days=20)})
        self.assertEqual(case.with_context(date=self.today).surcharge_days, 20)
        remedy = self._remedy(case, applied_on=self.today - timedelta(days=10))
        self.assertEqual(remedy.pause_id.date_start, self.today - timedelta(days=10))
        # the 11 days from the application to today do not count
        self.assertEqual(case.with_context(date=self.today).surcharge_days, 9)
        self._give_result(remedy, "maintained")
        self.assertEqual(remedy.pause_id.date_end, self.today)

    def test_outcome_and_duties_are_not_written_directly(self):
        case = self._decided_case()
        remedy = self._remedy(case)
        for name, value in (("state", "effective"), ("lost_case", True), ("report_due", self.today),
                            ("report_submitted_on", self.today), ("withdrawal_due", self.today)):
            with self.subTest(field=name), self.refused(UserError, "can only be set by the step"):
                remedy.with_user(self.user_leader).write({name: value})
        with self.refused(UserError, "can only be set by the step"):
            self.env["enforcement.remedy"].with_user(self.user_officer_1).create({
                "case_id": case.id, "kind": "litigation", "body": "城关县人民法院", "applied_on": self.today,
                "result": "revoked"})
        self._give_result(remedy, "maintained")
        with self.refused(UserError, "cannot change"):
            remedy.with_user(self.user_leader).write({"result": "revoked"})
        with self.refused(UserError, "in effect"):
            remedy.with_user(self.user_leader).write({"effective_on": self.today - timedelta(days=1)})
        with self.refused(AccessError, ""):
            self._remedy(case).with_user(self.user_reviewer).write({"body": "另一法院"})

    def test_refusals_are_in_chinese(self):
        load_chinese(self.env)
        case = self._decided_case()
        remedy = self._remedy(case).with_context(lang="zh_CN")
        with self.refused(UserError, "[\u4e00-\u9fff]"):
            remedy.with_user(self.user_officer_1).action_record_result()
        try:
            remedy.with_user(self.user_officer_1).action_record_result()
        except UserError as err:
            self.assertNotRegex(str(err), "[A-Za-z]{4,}", "the refusal is fully translated")

    def test_outcomes_for_the_statistics(self):
        case = self._decided_case()
        self._give_result(self._remedy(case), "revoked")
        self._give_result(self._remedy(case, kind="reconsideration", body="城关县人民政府"), "maintained")
        self._remedy(case, reference="（2026）甘0102行初14号")  # pending
        counts = self.env["enforcement.remedy"]._outcomes_for_period(
            self.agency, self.today - timedelta(days=1), self.today)
        self.assertEqual(counts["litigation"]["applied"], 2)
        self.assertEqual(counts["litigation"]["revoked"], 1)
        self.assertEqual(counts["litigation"]["lost"], 1)
        self.assertEqual(counts["reconsideration"]["applied"], 1)
        self.assertEqual(counts["reconsideration"]["maintained"], 1)
        self.assertEqual(counts["reconsideration"]["revoked"], 0)
        other = self.env["enforcement.agency"].create({"name": "邻县市场监督管理局", "short_name": "邻县",
                                                       "company_id": self.env["res.company"].create(
                                                           {"name": "邻县市场监督管理局"}).id})
        self.assertEqual(self.env["enforcement.remedy"]._outcomes_for_period(
            other, self.today, self.today)["litigation"]["applied"], 0)


@tagged("post_install", "-at_install")
class TestCrimeTransfer(DutiesCommon):
    def _reported_for_transfer(self):
        case = self._case()
        self._team(case, self.officer_1, self.officer_2)
        case._as_step().state = "investigation"
        task = self._task(case, "investigation_report")
        with self.refused(UserError, "suspected crime"):
            self._complete(task, self.user_officer_1, investigation_conclusion="transfer")
        self._complete(task, self.user_officer_1, investigation_conclusion="transfer",
                       transfer_reason="当事人销售的过期食品货值金额达二十万元，涉嫌生产、销售不符合安全标准的食品罪。")
        self.assertEqual(task.outcome, {"investigation_conclusion": "transfer"})
        return case

    def test_transfer_suspends_the_case_until_the_receipt_and_a_filed_case_closes_it(self):
        case = self._reported_for_transfer()
        self.assertEqual(case.investigation_conclusion, "transfer")
        transfer = self._task(case, "crime_transfer")
        self._complete(transfer, self.user_officer_1, transfer_organ="城关县公安局", transfer_sent_on=self.today)
        self.assertEqual(case.state, "transferred")
        self.assertEqual(case.transfer_number, f"城关市监移〔{self.today.year}〕1号")
        html = self.env["ir.actions.report"]._render_qweb_html(
            "admin_enforcement.action_report_crime_transfer", case.ids)[0].decode()
        self.assertIn("涉嫌犯罪案件移送书", html)
        self.assertIn("城关县公安局", html)
        self.assertIn("涉嫌生产、销售不符合安全标准的食品罪", html)

        receipt = self._task(case, "transfer_receipt")
        with self.refused(UserError, "predate"):
            self._complete(receipt, self.user_officer_1, transfer_accepted="accepted",
                           transfer_receipt_on=self.today - timedelta(days=1))
        self._complete(receipt, self.user_officer_1, transfer_accepted="accepted", transfer_receipt_on=self.today,
                       transfer_receipt_note="城关县公安局立案决定书城公（食药）立字〔2026〕15号")
        self.assertEqual(receipt.outcome, {"transfer_accepted": "accepted"})
        self.assertEqual(case.state, "transferred")
        closing = self._task(case, "closing", "leader")
        self._complete(closing, self.user_leader)
        self.assertEqual(case.state, "closed")

    def test_declined_transfer_resumes_the_investigation(self):
        case = self._reported_for_transfer()
        self._complete(self._task(case, "crime_transfer"), self.user_officer_1, transfer_organ="城关县公安局",
                       transfer_sent_on=self.today)
        self._complete(self._task(case, "transfer_receipt"), self.user_officer_1, transfer_accepted="declined",
                       transfer_receipt_on=self.today, transfer_receipt_note="不予立案通知书")
        self.assertEqual(case.state, "investigation")
        self.assertFalse(case.investigation_conclusion)
