from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..enforcement_core.seizure import MAX_EXTENSION_DAYS
from .enforcement_record import AV_KINDS

SEIZURE_STEPS = (
    "seizure_approval", "seizure_emergency_approval", "seizure_notify", "seizure_inform", "seizure_statement",
    "seizure_record", "seizure_handover", "seizure_extension", "seizure_return",
)
# Clocks of phones and servers differ a little.
CLOCK_SKEW = timedelta(minutes=2)


class EnforcementTask(models.Model):
    _inherit = "enforcement.task"

    seizure_id = fields.Many2one("enforcement.seizure", string="Seizure or Detention", readonly=True, index=True)
    seizure_emergency = fields.Boolean(related="seizure_id.emergency", string="Emergency: Act First")
    seizure_kind = fields.Selection(related="seizure_id.kind", string="Kind of Measure")
    seizure_reason = fields.Text(related="seizure_id.reason", string="Reasons")
    seizure_legal_basis = fields.Text(related="seizure_id.legal_basis", string="Legal Basis")
    seizure_place = fields.Char(related="seizure_id.place", string="Place of the Measure")
    seizure_approval_due = fields.Datetime(related="seizure_id.approval_due", string="Approve By")
    seizure_end_date = fields.Date(related="seizure_id.end_date", string="Ends On")
    seizure_item_ids = fields.One2many(related="seizure_id.item_ids", string="Seized Items")
    seizure_approved = fields.Boolean(string="Approve the Measure")
    seizure_party_present = fields.Boolean(string="Party Present")
    seizure_witness = fields.Char(string="Witness")
    seizure_rights_told = fields.Text(string="Reasons, Basis and Rights Told")
    seizure_statement = fields.Text(string="Statement and Defence of the Party")
    seizure_onsite_record = fields.Text(string="On-site Record")
    seizure_record_signed = fields.Boolean(string="Record and List Signed")
    seizure_handed_over_at = fields.Datetime(string="Decision and List Handed Over")
    seizure_extension_approved = fields.Boolean(string="Extend the Measure")
    seizure_extension_days = fields.Integer(string="Days of Extension",
                                            help=f"At most {MAX_EXTENSION_DAYS} days, once (行政强制法 art. 25).")
    seizure_extension_reason = fields.Text(string="Reason for Extending the Measure")
    seizure_return_record = fields.Text(string="Return Record")

    def write(self, vals):
        if "seizure_id" in vals and not self.env.su:
            raise AccessError(self.env._("%(fields)s of a task are set by the process, not edited.",
                                         fields="seizure_id"))
        return super().write(vals)

    @api.depends("seizure_id.name")
    @api.depends_context("lang")
    def _compute_name(self):  # pylint: disable=missing-return  # a compute returns nothing
        """A measure's steps are named after the measure."""
        super()._compute_name()
        for task in self.filtered("seizure_id"):
            task.name = f"{task._step_label(task.step_code)} · {task.seizure_id.name}"

    @api.model
    def _open_from_engine(self, opened):
        """A step of a seizure process belongs to its measure (the process variable ``seizure_id``)."""
        task = super()._open_from_engine(opened)
        if task.step_code in SEIZURE_STEPS and not task.seizure_id:
            seizure = self.env["enforcement.seizure"].sudo().browse(opened.variables.get("seizure_id")).exists()
            if not seizure or seizure.case_id != task.case_id:
                raise UserError(self.env._("User task %(job)s names no measure of case %(case)s.",
                                           job=opened.task_id, case=task.case_id.name))
            task.sudo().write({"seizure_id": seizure.id, "seizure_handed_over_at": fields.Datetime.now()
                               if task.step_code == "seizure_handover" else False})
            if not seizure.process_instance_key:
                seizure.sudo().process_instance_key = opened.process_instance_id
        return task

    def action_complete(self):
        """Each on-site step of a measure is filmed throughout: the recording
        of this very step (captured while its task was open), not one of an
        earlier measure of the same case."""
        for task in self.filtered("seizure_id"):
            requirements = self.env["enforcement.av.requirement"].sudo()._for_step(task.step_code, level="whole")
            if not requirements:
                continue
            recordings = task.case_id.sudo().record_ids.filtered(
                lambda record, task=task: record.kind in AV_KINDS and record.step_code == task.step_code
                and record.file_ids and not record.is_backfill
                and record.captured_at >= task.create_date - CLOCK_SKEW)
            if not recordings:
                raise UserError(self.env._(
                    "%(seizure)s: %(activity)s must be recorded on audio/video for the whole activity. "
                    "Add the audio/video record of step %(step)s before completing it.",
                    seizure=task.seizure_id.name, activity=requirements[0].name,
                    step=task._step_label(task.step_code)))
        return super().action_complete()
