from odoo import fields, models


class EnforcementJobLog(models.Model):
    """One row per external task of the engine a handler has finished, keyed
    by the task id. A task handed out again (the worker died before the engine
    heard of the result, or its lock expired) gets the stored result instead
    of a second run."""

    _name = "enforcement.job.log"
    _description = "Processed Process Step"
    _order = "id desc"
    _rec_name = "job_key"

    job_key = fields.Char(required=True, readonly=True, index=True)
    job_type = fields.Char(required=True, readonly=True, index=True)
    process_instance_key = fields.Char(readonly=True, index=True)
    element_id = fields.Char(readonly=True)
    element_instance_key = fields.Char(readonly=True, help="The engine's id of the activity instance the step belongs to.")
    case_id = fields.Many2one("enforcement.case", readonly=True, index=True, ondelete="cascade")
    result = fields.Json(readonly=True)
    state = fields.Selection(
        [("done", "Done"), ("failed", "Failed"), ("retried", "Retried")],
        default="done", required=True, readonly=True,
    )
    error = fields.Text(readonly=True)
    attempts = fields.Integer(default=1, readonly=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True)

    _sql_constraints = [
        ("job_key_unique", "unique(job_key)", "A process step is logged once."),
    ]
