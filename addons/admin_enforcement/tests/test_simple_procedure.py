"""The simple procedure (简易程序, 当场处罚; 行政处罚法 arts. 51–53, 68–69) as
an officer meets it on the spot: who may be penalised there, what the
officer must record, when the fine may be collected on the spot, and the
conversion of an ineligible case to the ordinary procedure with everything
recorded so far."""

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .chinese import load_chinese
from .test_case_gates import CaseCommon

BASIS = "违反《食品安全法》第三十三条，依据《食品安全法》第一百三十二条"


@tagged("post_install", "-at_install")
class TestSimpleProcedure(CaseCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warning = cls.env.ref("admin_enforcement.penalty_type_warning")
        cls.confiscation = cls.env["enforcement.penalty.type"].search([("code", "=", "confiscation")], limit=1)

    def _simple_case(self, party_type="person", team=None, **vals):
        case = self._case(procedure="simple", party_type=party_type, party_name="张三",
                          facts="在城关县人民路摆摊销售无标签散装食品", **vals)
        self._team(case, *(team or (self.officer_1, self.officer_2)))
        return case

    def _onsite(self, case, user=None, **values):
        task = self._task(case, "simple_onsite")
        values = {"certificate_shown": True, "facts_certain": True, "legal_basis": BASIS,
                  "party_statement": "当事人承认违法事实，表示今后改正", "fine_amount": 150.0,
                  "penalty_type_ids": [Command.set(self.penalty_fine.ids)], **values}
        return task, lambda: self._complete(task, user or self.user_officer_1, **values)

    def _outbox(self, case, command="publish_message"):
        return self.env["enforcement.outbox"].sudo().search([("case_id", "=", case.id), ("command", "=", command)])

    def test_a_simple_case_starts_the_simple_process_not_the_ordinary_one(self):
        case = self._simple_case()
        [start] = self._outbox(case)
        self.assertEqual((start.payload["name"], start.payload["starts"]),
                         ("enforcement.simple_case_created", "enforcement_penalty_simple"))
        self.assertEqual(case.state, "investigation")
        with self.refused(UserError, "procedure"):
            case.with_user(self.user_officer_1).write({"procedure": "ordinary"})

    def test_an_eligible_fine_is_decided_on_the_spot_with_certificates_and_statement_recorded(self):
        case = self._simple_case()
        task, complete = self._onsite(case)
        complete()
        self.assertEqual((case.decision_kind, case.fine_amount, case.state), ("penalty", 150.0, "decision"))
        self.assertTrue(case.certificate_shown_at and case.notice_served_at)
        self.assertEqual(case.certificate_shown_numbers, "62-GS-0001、62-GS-0002")
        self.assertEqual(case.party_statement, "当事人承认违法事实，表示今后改正")
        self.assertEqual(task.outcome, {"simple_converted": False, "payment_required": True})

        # The pre-numbered form: the agency's own pattern and counter; filing due in 2 working days.
        case._issue_simple_decision()
        self.assertRegex(case.decision_number, r"^城关市监当罚〔\d{4}〕00001号$")
        self.assertEqual(case.state, "decided")
        self.assertTrue(case.simple_filing_due)

    def test_an_ineligible_case_is_refused_in_chinese_with_the_reason(self):
        load_chinese(self.env)
        self.env = self.env(context=dict(self.env.context, lang="zh_CN"))  # as the officer's phone sends it
        case = self._simple_case()
        task, complete = self._onsite(case, fine_amount=500.0)
        officer = self.user_officer_1
        with self.refused(UserError, "不能适用简易程序当场作出处罚.*500.00.*200.00"):
            complete()
        self.assertFalse(case.decision_kind)
        self.assertEqual(task.state, "open")
        # The form says so before the officer submits.
        task.with_user(officer).write({"fine_amount": 500.0})
        self.assertIn("200.00", task.with_user(officer).simple_check)
        for values, pattern in (({"facts_certain": False}, "事实"), ({"legal_basis": " "}, "依据"),
                                ({"penalty_type_ids": [Command.set(self.confiscation.ids)], "fine_amount": 0.0},
                                 "一般程序")):
            with self.refused(UserError, pattern):
                self._onsite(case, **values)[1]()

    def test_an_organisation_may_be_fined_up_to_3000_and_sector_law_lowers_it(self):
        case = self._simple_case(party_type="organisation")
        task, complete = self._onsite(case, fine_amount=3000.0)
        limit = self.env["enforcement.simple.limit"].create({
            "agency_id": self.agency.id, "category_id": self.category.id, "fine_organisation": 1000,
            "source": "某行业规章"})
        with self.refused(UserError, "1000.00"):
            complete()
        limit.fine_organisation = 3000
        complete()
        self.assertEqual(case.fine_amount, 3000.0)
        with self.assertRaises(ValidationError):
            limit.fine_organisation = 3001

    def test_one_officer_acts_alone_only_where_sector_law_says_so(self):
        case = self._simple_case(team=(self.officer_1,))
        _task, complete = self._onsite(case)
        with self.refused(UserError, "at least 2"):
            complete()
        self.env["enforcement.simple.limit"].create({"agency_id": self.agency.id, "officers_required": "1"})
        complete()
        self.assertEqual(case.decision_kind, "penalty")

    def test_certificates_and_statement_must_be_recorded(self):
        case = self._simple_case()
        with self.refused(UserError, "certificates"):
            self._onsite(case, certificate_shown=False)[1]()
        with self.refused(UserError, "statement"):
            self._onsite(case, party_statement="")[1]()
        with self.refused(AccessError, "持证上岗"):
            self._onsite(case, user=self.user_officer_3)[1]()  # certified, but not on the case team

    def _decided(self, fine):
        case = self._simple_case()
        self._onsite(case, fine_amount=fine)[1]()
        case._issue_simple_decision()
        return case, self._task(case, "simple_service")

    def test_collection_on_the_spot_only_where_arts_68_69_allow_it(self):
        case, service = self._decided(150.0)
        with self.refused(UserError, "100.00"):
            self._complete(service, self.user_officer_1, party_signature="signed", collection_ground="small_fine",
                           receipt_number="财政收据0001")
        with self.refused(UserError, "asks"):
            self._complete(service, self.user_officer_1, party_signature="signed", collection_ground="remote_area",
                           party_asked_collection=False, receipt_number="财政收据0001")
        with self.refused(UserError, "refusal"):
            self._complete(service, self.user_officer_1, party_signature="refused", collection_ground="bank")
        self._complete(service, self.user_officer_1, party_signature="refused", collection_ground="bank",
                       signature_refusal_note="当事人拒绝签名，执法人员在场见证并录像")
        self.assertEqual((case.state, case.service_method, case.paid_at), ("served", "direct", False))
        self.assertEqual(service.outcome, {"collected_on_spot": False})

        small, service = self._decided(80.0)
        self._complete(service, self.user_officer_1, party_signature="signed", collection_ground="small_fine",
                       receipt_number="财政收据0002")
        self.assertEqual((small.paid_amount, small.payment_reference), (80.0, "财政收据0002"))
        self.assertEqual(service.outcome, {"collected_on_spot": True})

    def test_conversion_to_the_ordinary_procedure_keeps_what_was_recorded(self):
        case = self._simple_case()
        task, complete = self._onsite(case, fine_amount=5000.0)
        with self.refused(UserError, "200.00"):
            complete()
        record = self.env["enforcement.record"].with_user(self.user_officer_1).create({
            "case_id": case.id, "name": "现场检查笔录", "kind": "written", "stage": "investigation",
            "captured_at": fields.Datetime.now(), "collector_ids": [Command.set(self.user_officer_1.ids)],
        })
        task.with_user(self.user_officer_1).write({"fine_amount": 5000.0})
        with self.refused(AccessError, "持证上岗"):
            case.with_user(self.user_officer_3).action_convert_to_ordinary()
        case.with_user(self.user_officer_1).action_convert_to_ordinary()

        self.assertEqual((case.procedure, case.state, case.converted_from_simple), ("ordinary", "filing", True))
        self.assertIn("200.00", case.conversion_reason)
        self.assertEqual(case.record_ids, record)
        self.assertEqual(case.officer_ids, self.officer_1 | self.officer_2)
        self.assertEqual((case.party_name, case.facts), ("张三", "在城关县人民路摆摊销售无标签散装食品"))
        self.assertEqual((task.state, task.outcome), ("done", {"simple_converted": True}))
        starts = {row.payload["name"]: row.payload.get("starts") for row in self._outbox(case)}
        self.assertEqual(starts, {"enforcement.simple_case_created": "enforcement_penalty_simple",
                                  "enforcement.case_created": "enforcement_penalty_ordinary"})
        [completion] = self._outbox(case, "complete_task")
        self.assertEqual(completion.payload["variables"], {"simple_converted": True})
        with self.refused(UserError, "not in the simple procedure"):
            case.with_user(self.user_officer_1).action_convert_to_ordinary()

    def test_a_decided_case_is_not_converted(self):
        case, _service = self._decided(100.0)
        self.assertFalse(case.can_convert_to_ordinary)
        with self.refused(UserError, "already decided"):
            case.with_user(self.user_officer_1).action_convert_to_ordinary()

    def test_the_decision_form_prints(self):
        case, _service = self._decided(100.0)
        pdf, kind = self.env["ir.actions.report"]._render_qweb_html(
            "admin_enforcement.report_simple_decision", case.ids)
        self.assertEqual(kind, "html")
        self.assertIn(case.decision_number, pdf.decode())
        self.assertIn("当场行政处罚决定书", pdf.decode())
