from odoo import api, fields, models


class EnforcementPaymentConfirmWizard(models.TransientModel):
    """Records the bank's confirmation of a paid fine (罚缴分离). The checks
    are the case's own (action_confirm_payment); the dialog only shows what is
    owed on the payment day and proposes it."""

    _name = "enforcement.payment.confirm.wizard"
    _description = "Confirm Payment"

    case_id = fields.Many2one("enforcement.case", required=True, readonly=True,
                              ondelete="cascade")
    fine_amount = fields.Float(related="case_id.fine_amount", string="Fine (yuan)")
    paid_at = fields.Datetime(
        required=True, default=fields.Datetime.now,
        help="When the party paid at the bank, as on the bank's confirmation.",
    )
    amount_owed = fields.Float(
        string="Amount Owed (incl. Late Surcharge)", digits=(16, 2), compute="_compute_amount_owed",
        help="The fine plus the late surcharge on the payment day.",
    )
    paid_amount = fields.Float(
        digits=(16, 2), required=True,
        compute="_compute_paid_amount", store=True, readonly=False, precompute=True,
        help="The amount the bank confirms; proposed as the amount owed on the payment day.",
    )
    payment_reference = fields.Char(
        required=True,
        help="The reference number on the bank's payment receipt.",
    )

    def _owed_on(self, when):
        return self.case_id._amount_owed_on(when) if self.case_id and when else 0.0

    @api.depends("case_id", "paid_at")
    def _compute_amount_owed(self):
        for wizard in self:
            wizard.amount_owed = wizard._owed_on(wizard.paid_at)

    @api.depends("case_id", "paid_at")
    def _compute_paid_amount(self):
        for wizard in self:
            wizard.paid_amount = wizard._owed_on(wizard.paid_at)

    def action_confirm(self):
        self.ensure_one()
        self.case_id.action_confirm_payment(self.paid_amount, self.payment_reference, self.paid_at)
        return {"type": "ir.actions.act_window_close"}
