"""Step fields of the dated duties after a decision and of 行刑衔接
(services/process_steps.py declares which step shows which)."""
from odoo import fields, models

from .enforcement_case_duties import TRANSFER_RECEIPTS


class EnforcementTaskDuties(models.Model):
    _inherit = "enforcement.task"

    investigation_conclusion = fields.Selection(
        selection_add=[("transfer", "Transfer to Public Security (Suspected Crime)")],
        ondelete={"transfer": "set null"},
    )
    transfer_reason = fields.Text(string="Facts of the Suspected Crime")
    filing_filed_to = fields.Char(string="Filed With")
    filing_filed_on = fields.Date(string="Filed On")
    filing_attachment = fields.Binary(string="Filing Report", attachment=True)
    filing_attachment_name = fields.Char(string="Filing Report File Name")
    transfer_organ = fields.Char(string="Public-Security Organ")
    transfer_sent_on = fields.Date(string="Transferred On")
    transfer_accepted = fields.Selection(TRANSFER_RECEIPTS, string="Receipt")
    transfer_receipt_on = fields.Date(string="Receipt Date")
    transfer_receipt_note = fields.Text(string="Receipt Details")
    report_to = fields.Char(string="Reported To")
    report_original = fields.Text(string="Original Act")
    report_court = fields.Text(string="Court's Findings and Judgment")
    report_change = fields.Text(string="Change of the Act")
    report_lessons = fields.Text(string="Causes and Lessons")

    case_decision_number = fields.Char(related="case_id.decision_number", string="Decision Number")
    case_major_filing_reasons = fields.Text(related="case_id.major_filing_reasons", string="Why It Is Filed")
    case_transfer_reason = fields.Text(related="case_id.transfer_reason", string="Facts of the Suspected Crime")
    case_transfer_organ = fields.Char(related="case_id.transfer_organ", string="Transferred To")
