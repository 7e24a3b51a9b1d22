from odoo import api, fields, models

from ..services import user_tasks
from .enforcement_case_simple import COLLECTION


class EnforcementTask(models.Model):
    """The steps of the simple procedure on the task form (declared in
    services/process_steps.py), sized for an officer's phone: certificates
    shown, facts, basis, the party's statement, the penalty, then the
    hand-over with signature or refusal and the payment."""

    _inherit = "enforcement.task"

    certificate_shown = fields.Boolean(
        string="Certificates Shown to the Party",
        help="Each officer showed the enforcement certificate before anything else (art. 52).")
    simple_facts = fields.Text(string="Facts of the Violation")
    facts_certain = fields.Boolean()
    legal_basis = fields.Text()
    party_statement = fields.Text(string="Party's Statement and Defence")
    party_signature = fields.Selection(
        [("signed", "Signed by the Party"), ("refused", "Party Refused to Sign")], string="Signature")
    signature_refusal_note = fields.Text(string="Refusal to Sign Noted")
    collection_ground = fields.Selection(COLLECTION, string="Payment")
    party_asked_collection = fields.Boolean(string="The Party Asks to Pay on the Spot")
    receipt_number = fields.Char()

    case_certificates = fields.Text(compute="_compute_case_certificates", string="Officers and Certificates")
    simple_check = fields.Text(compute="_compute_simple_check", string="Simple Procedure Check")
    case_decision_number = fields.Char(related="case_id.decision_number", string="Decision Form Number")
    case_fine_amount = fields.Float(related="case_id.fine_amount", string="Fine Decided (yuan)")
    case_legal_basis = fields.Text(related="case_id.legal_basis", string="Legal Basis Recorded")
    case_party_statement = fields.Text(related="case_id.party_statement", string="Statement Recorded")
    case_simple_filing_due = fields.Datetime(related="case_id.simple_filing_due", string="File with the Agency By")
    can_convert_to_ordinary = fields.Boolean(related="case_id.can_convert_to_ordinary")

    @api.depends("case_id.officer_ids")
    def _compute_case_certificates(self):
        for task in self:
            officers = task.case_id.sudo().officer_ids
            task.case_certificates = "\n".join(
                f"{officer.name} {officer.certificate_id.number or '-'}" for officer in officers) or False

    @api.depends("penalty_type_ids", "fine_amount", "facts_certain", "legal_basis", "step_code")
    def _compute_simple_check(self):
        reasons = self.env["enforcement.rule.reason"]
        for task in self:
            if task.step_code != "simple_onsite":
                task.simple_check = False
                continue
            case = task.case_id.sudo().with_env(self.env)
            try:
                result = case.sudo()._simple_eligibility(
                    set(task.penalty_type_ids.mapped("code")), task.fine_amount, task.facts_certain, task.legal_basis)
            except ValueError:
                task.simple_check = False
                continue
            task.simple_check = (self.env._("May be decided on the spot.") if result.eligible else
                                 self.env._("Not for the simple procedure: %(reasons)s.",
                                            reasons=reasons._texts(result.reasons)))

    def action_convert_to_ordinary(self):
        """The officer on the spot converts the case (see enforcement.case.action_convert_to_ordinary)."""
        self.check_access("write")
        for task in self:
            task.case_id.action_convert_to_ordinary()
        return True

    def _close_as_converted(self, variables):
        """The on-the-spot step ends because the case was converted: the
        engine's task completes with ``simple_converted`` and the simple
        process ends."""
        self.ensure_one()
        command, payload = user_tasks.completion(self.job_key, variables)
        self.env["enforcement.outbox"]._enqueue(command, payload, f"complete:{self.job_key}", self.case_id)
        self.sudo().write({"state": "done", "outcome": variables, "completed_by_id": self.env.uid,
                           "completed_at": fields.Datetime.now()})
        history = self.with_context(lang=self.case_id._agency_lang())
        history.env["enforcement.process.event"].sudo().create({
            "case_id": self.case_id.id, "kind": "task_completed", "step": self.element_id,
            "step_name": history._step_label(self.step_code), "actor_id": self.env.uid,
            "outcome": "simple_converted=True", "job_key": self.job_key,
        })
