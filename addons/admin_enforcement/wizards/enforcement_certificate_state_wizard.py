from odoo import fields, models


class EnforcementCertificateStateWizard(models.TransientModel):
    """Asks for the reason of a certificate status change, then applies it."""

    _name = "enforcement.certificate.state.wizard"
    _description = "Change Certificate Status"

    certificate_ids = fields.Many2many(
        "enforcement.certificate", "enforcement_certificate_state_wizard_rel", "wizard_id", "certificate_id",
        string="Certificates", required=True,
    )
    action = fields.Selection(
        [("suspend", "Suspend"), ("reinstate", "Reinstate"), ("revoke", "Revoke")],
        required=True, default="suspend",
    )
    reason = fields.Text(required=True)

    def action_apply(self):
        self.ensure_one()
        method = {
            "suspend": "action_suspend",
            "reinstate": "action_reinstate",
            "revoke": "action_revoke",
        }[self.action]
        getattr(self.certificate_ids, method)(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
