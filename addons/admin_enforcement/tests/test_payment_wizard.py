"""Recording the bank's confirmation of a paid fine (罚缴分离) through the
"Confirm Payment" dialog of the case form, the way an officer does it: the
dialog shows what is owed on the payment day (fine and late surcharge) and
the case's own gate decides; a refusal leaves the case as it was."""

from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_case_gates import TestCaseExecution

# The fixture's fine of 1,000 yuan is due on 17 November 2026 (Beijing time).
PAID_LATE = datetime(2026, 11, 21, 2, 0)  # 21 November, 10:00 in Beijing: 4 days late, 120 yuan surcharge
PAID_IN_TIME = datetime(2026, 11, 10, 2, 0)
REFERENCE = "ICBC-20261121-0001"


# Inherits the execution fixture (_executing_case); Odoo's loader runs only the
# tests defined on this class, not TestCaseExecution's again.
@tagged("post_install", "-at_install")
class TestPaymentWizard(TestCaseExecution):
    def _open_dialog(self, case, user=None):
        """Click "Confirm Payment" on the case form: the dialog as the web client opens it."""
        action = case.with_user(user or self.user_officer_1).action_open_payment_wizard()
        self.assertEqual((action["res_model"], action["target"]), ("enforcement.payment.confirm.wizard", "new"))
        return Form(self.env[action["res_model"]].with_user(user or self.user_officer_1)
                    .with_context(**action["context"]))

    def _payment_messages(self, case):
        return self.env["enforcement.outbox"].search([("case_id", "=", case.id),
                                                      ("identity_key", "like", "payment_confirmed")])

    def test_dialog_proposes_fine_and_surcharge_owed_on_the_payment_day(self):
        case = self._executing_case(fine=1000.0)
        dialog = self._open_dialog(case)
        self.assertEqual(dialog.case_id, case)
        owed_today = 1000.0 + case.with_context(date=self.today).surcharge_amount
        self.assertAlmostEqual(dialog.amount_owed, owed_today, places=2, msg="paid today by default")
        self.assertAlmostEqual(dialog.paid_amount, owed_today, places=2)

        dialog.paid_at = PAID_LATE
        self.assertAlmostEqual(dialog.amount_owed, 1120.0, places=2, msg="1,000 yuan fine + 4 days at 3%")
        self.assertAlmostEqual(dialog.paid_amount, 1120.0, places=2)

        dialog.paid_at = PAID_IN_TIME
        self.assertAlmostEqual(dialog.amount_owed, 1000.0, places=2, msg="no surcharge before the due date")

    def test_confirming_records_the_payment_and_tells_the_process(self):
        case = self._executing_case(fine=1000.0)
        dialog = self._open_dialog(case)
        dialog.paid_at = PAID_LATE
        dialog.payment_reference = REFERENCE
        result = dialog.save().action_confirm()

        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        self.assertEqual((case.paid_at, case.paid_amount, case.payment_reference), (PAID_LATE, 1120.0, REFERENCE))
        message = self._payment_messages(case)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.payload["name"], "enforcement.payment_confirmed")
        # The process learns that the fine is paid; what was paid stays on the case.
        self.assertEqual((message.payload["business_key"], message.payload["variables"]), (case.name, {}))

    def test_short_payment_is_refused_and_changes_nothing(self):
        case = self._executing_case(fine=1000.0)
        dialog = self._open_dialog(case)
        dialog.paid_at = PAID_LATE
        dialog.paid_amount = 1000.0  # the fine without the surcharge
        dialog.payment_reference = REFERENCE
        wizard = dialog.save()
        with self.refused(UserError, r"payment of 1000\.00 yuan is less than the 1120\.00 yuan owed"):
            wizard.action_confirm()
        self.assertFalse(case.paid_at)
        self.assertFalse(case.paid_amount)
        self.assertFalse(case.payment_reference)
        self.assertFalse(self._payment_messages(case))

    def test_payment_is_refused_for_a_case_not_in_execution(self):
        case = self._noticed_case()
        with self.refused(UserError, "cannot record a payment now"):
            case.with_user(self.user_officer_1).action_open_payment_wizard()
        # a dialog created over RPC anyway meets the case's own gate
        wizard = self.env["enforcement.payment.confirm.wizard"].with_user(self.user_officer_1).create({
            "case_id": case.id, "paid_amount": 20000.0, "payment_reference": REFERENCE})
        with self.refused(UserError, "cannot record a payment now"):
            wizard.action_confirm()
        self.assertFalse(case.paid_at)
        self.assertFalse(self._payment_messages(case))

    def test_only_officers_record_payments(self):
        """Officers (and leaders, who are officers too) see the button; a legal reviewer neither sees it
        nor can open the dialog over RPC."""
        def case_form(user):
            return self.env["enforcement.case"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]

        self.assertIn('name="action_open_payment_wizard"', case_form(self.user_officer_1))
        self.assertIn('name="action_open_payment_wizard"', case_form(self.user_leader))
        self.assertNotIn('name="action_open_payment_wizard"', case_form(self.user_reviewer))
        case = self._executing_case(fine=1000.0)
        with self.refused(AccessError, "enforcement.payment.confirm.wizard"):
            self.env["enforcement.payment.confirm.wizard"].with_user(self.user_reviewer).create({
                "case_id": case.id, "paid_amount": 1000.0, "payment_reference": REFERENCE})
        self.assertFalse(case.paid_at)
