from odoo import fields, models

from .enforcement_inspection import RESULTS


class EnforcementTask(models.Model):
    """The steps of random inspection: a plan's approval and public value,
    an inspection's on-site record, follow-up and result publication
    (declared in services/process_steps.py)."""

    _inherit = "enforcement.task"

    inspection_plan_id = fields.Many2one("enforcement.inspection.plan")
    plan_party_count = fields.Integer(related="inspection_plan_id.party_count")
    plan_inspector_count = fields.Integer(related="inspection_plan_id.inspector_count")
    plan_ratio_percent = fields.Float(related="inspection_plan_id.ratio_percent")
    plan_draw_at = fields.Datetime(related="inspection_plan_id.draw_at")
    plan_snapshot_hash = fields.Char(related="inspection_plan_id.snapshot_hash")
    plan_approved = fields.Boolean(string="Approve the Plan")
    inspection_public_value = fields.Char(string="Public Value")
    inspection_public_value_source = fields.Char(string="Source of the Public Value")

    inspection_id = fields.Many2one("enforcement.inspection")
    inspection_party_name = fields.Char(related="inspection_id.party_name", string="Inspected Party")
    inspection_inspector_ids = fields.Many2many(related="inspection_id.inspector_ids", string="Inspectors")
    inspection_current_findings = fields.Text(related="inspection_id.findings", string="Problem Found")
    inspection_current_result = fields.Selection(related="inspection_id.result", string="Inspection Result")
    inspection_case_id = fields.Many2one(related="inspection_id.case_id", string="Penalty Case")
    inspection_notice_shown = fields.Boolean(string="Inspection Notice Shown to the Party")
    inspection_certificate_shown = fields.Boolean(string="Enforcement Certificates Shown")
    inspection_record = fields.Text()
    inspection_result = fields.Selection(RESULTS, string="Result")
    inspection_findings = fields.Text(string="Problem Found")
    inspection_rectify_due = fields.Date(string="Correct By")
    inspection_followup_result = fields.Selection(
        [("corrected", "Corrected"), ("not_corrected", "Not Corrected: Transfer to a Penalty Case")],
        string="Follow-up Result")
    inspection_followup_note = fields.Text(string="Follow-up Record")
