from odoo import fields, models


class EnforcementProcessEvent(models.Model):
    """What happened to a case in its process, step by step: who, when, which
    step and with what outcome. Written by the worker and by task completion;
    never edited."""

    _name = "enforcement.process.event"
    _description = "Case Process Event"
    _order = "create_date desc, id desc"

    case_id = fields.Many2one("enforcement.case", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    kind = fields.Selection(
        [
            ("started", "Process Started"),
            ("service_task", "System Step Done"),
            ("task_opened", "Task Opened"),
            ("task_completed", "Task Completed"),
            ("task_cancelled", "Task Ended by the Process"),
            ("incident", "Incident"),
        ],
        required=True, readonly=True,
    )
    step = fields.Char(readonly=True, help="BPMN element id of the step")
    step_name = fields.Char(readonly=True)
    outcome = fields.Char(readonly=True)
    actor_id = fields.Many2one("res.users", readonly=True)
    job_key = fields.Char(readonly=True, index=True)
