from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..enforcement_core.incidents import explain, sync_plan

RETRIES_ON_RETRY = 3
RETRYABLE = ("failedJob", "failedExternalTask")


class EnforcementProcessIncident(models.Model):
    """The engine's open incidents, as the Process Incidents screen shows
    them. The worker imports every incident the engine lists (one row per
    engine incident id, never two) and marks resolved the ones the engine no
    longer lists, whatever raised them: a failed external task (also one the
    worker never recorded, because it died), a timer or asynchronous job
    whose expression fails, a gateway's condition.

    An administrator repairs one through the outbox, never directly:
    *Retry* gives the failed job or external task new retries; *Restart
    step* cancels the failed activity instance and starts the same activity
    again (process-instance modification), for a step that retries cannot
    help. Each incident gets at most one such command: a double click finds
    the row already there, and the dispatcher applies a restart only while
    the incident is still open in the engine."""

    _name = "enforcement.process.incident"
    _description = "Process Incident"
    _order = "incident_time desc, id desc"
    _rec_name = "incident_id"

    incident_id = fields.Char(string="Engine Incident ID", required=True, readonly=True, index=True)
    incident_type = fields.Selection(
        [("failedJob", "Failed Job"), ("failedExternalTask", "Failed System Step"), ("other", "Other")],
        string="Type", required=True, readonly=True)
    engine_incident_type = fields.Char(string="Engine Type", readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("retry_sent", "Retry Sent"), ("restart_sent", "Restart Sent"), ("resolved", "Resolved")],
        default="open", required=True, readonly=True, index=True)
    case_id = fields.Many2one("enforcement.case", readonly=True, index=True, ondelete="cascade")
    business_key = fields.Char(readonly=True, help="The process instance's business key: the case reference.")
    process_instance_id = fields.Char(readonly=True)
    process_definition_id = fields.Char(readonly=True)
    activity_id = fields.Char(string="Step ID", readonly=True, help="BPMN element id of the failed step.")
    step_name = fields.Char(string="Step", readonly=True, help="The step's name in the BPMN.")
    activity_instance_id = fields.Char(readonly=True, help="The engine's instance of the step that a restart cancels.")
    is_transition = fields.Boolean(readonly=True, help="The step waits before its asynchronous continuation.")
    configuration = fields.Char(string="Job or Task ID", readonly=True,
                                help="The failed job's id, or the failed external task's.")
    message = fields.Text(string="Engine Message", readonly=True)
    explanation = fields.Text(compute="_compute_explanation",
                              help="The engine's message in the reader's language, where the product recognises it.")
    incident_time = fields.Datetime(string="Raised At", readonly=True)
    resolved_at = fields.Datetime(readonly=True)
    outbox_id = fields.Many2one("enforcement.outbox", string="Repair Command", readonly=True)
    # A repair the outbox gave up on stays visible here; it is retried from the command itself.
    repair_state = fields.Selection(related="outbox_id.state", string="Repair Command State")
    repair_error = fields.Text(related="outbox_id.last_error", string="Why the Repair Was Not Delivered")
    repaired_by_id = fields.Many2one("res.users", readonly=True)
    job_log_id = fields.Many2one("enforcement.job.log", string="Worker's Record", readonly=True,
                                 help="What the worker recorded of the failed external task, if it did.")
    can_retry = fields.Boolean(compute="_compute_can_repair")
    can_restart = fields.Boolean(compute="_compute_can_repair")
    company_id = fields.Many2one(related="case_id.company_id", store=True)

    _sql_constraints = [
        ("incident_id_unique", "unique(incident_id)", "An engine incident is imported once."),
    ]

    @api.depends("case_id.name", "step_name", "activity_id")
    def _compute_display_name(self):
        for incident in self:
            step = incident.step_name or incident.activity_id or incident.incident_id
            incident.display_name = f"{incident.case_id.name} · {step}" if incident.case_id else step

    @api.depends("message")
    def _compute_explanation(self):
        reasons = self.env["enforcement.rule.reason"]
        for incident in self:
            reason = explain(incident.message)
            incident.explanation = reasons._text(reason) if reason else incident.message

    @api.depends("state", "incident_type", "configuration", "activity_instance_id")
    def _compute_can_repair(self):
        for incident in self:
            is_open = incident.state == "open"
            incident.can_retry = is_open and incident.incident_type in RETRYABLE and bool(incident.configuration)
            incident.can_restart = is_open and bool(incident.activity_instance_id and incident.process_instance_id)

    # -- import (the worker, superuser) --

    @api.model
    def _known_incident_ids(self, incident_ids):
        return set(self.sudo().search([("incident_id", "in", list(incident_ids))]).mapped("incident_id"))

    @api.model
    def _sync_from_engine(self, engine_incidents, listed_ids):
        """Import the engine's open incidents and resolve the ones it no
        longer lists. ``listed_ids`` are all the ids the engine listed;
        ``engine_incidents`` the details of those new to Odoo (dicts with the
        field values, ``incident_type`` as the engine names it). Idempotent:
        an id already imported is left as it is."""
        incidents = self.sudo()
        open_rows = incidents.search([("state", "!=", "resolved")])
        known = self._known_incident_ids(listed_ids)
        plan = sync_plan(listed_ids, known, {row.incident_id for row in open_rows})
        created = incidents.browse()
        for vals in engine_incidents:
            if vals["incident_id"] in plan.new:
                created |= self._import_one(vals)
        resolved = open_rows.filtered(lambda row: row.incident_id in plan.resolved)
        resolved.write({"state": "resolved", "resolved_at": fields.Datetime.now()})
        return created, resolved

    @api.model
    def _import_one(self, vals):
        engine_type = vals.get("incident_type") or ""
        case = self.env["enforcement.case"].sudo().search(
            [("name", "=", vals["business_key"])], limit=1) if vals.get("business_key") else self.env["enforcement.case"]
        job_log = self.env["enforcement.job.log"].sudo().search(
            [("job_key", "=", vals["configuration"])], limit=1) if (
            engine_type == "failedExternalTask" and vals.get("configuration")) else self.env["enforcement.job.log"]
        incident = self.sudo().create({
            **{key: vals.get(key) for key in (
                "incident_id", "business_key", "process_instance_id", "process_definition_id", "activity_id",
                "activity_instance_id", "configuration", "message", "incident_time")},
            "step_name": vals.get("step_name") or vals.get("activity_id"),
            "is_transition": bool(vals.get("is_transition")),
            "incident_type": engine_type if engine_type in RETRYABLE else "other",
            "engine_incident_type": engine_type,
            "case_id": case.id or job_log.case_id.id or False,
            "job_log_id": job_log.id or False,
        })
        incident._record_in_case_history()
        return incident

    def _record_in_case_history(self):
        """One case-history row per incident, in the agency's language."""
        for incident in self.filtered("case_id"):
            case = incident.case_id._with_agency_lang()
            kind = dict(self._fields["incident_type"]._description_selection(case.env))
            outcome = case.env._("Process engine incident (%(type)s): %(message)s",
                                 type=kind[incident.incident_type],
                                 message=incident.with_env(case.env).explanation or "")
            self.env["enforcement.process.event"].sudo().create({
                "case_id": case.id, "kind": "incident", "step": incident.activity_id,
                "step_name": incident.step_name, "outcome": outcome[:500], "job_key": incident.configuration,
            })

    # -- repair (administrators, through the outbox) --

    def _check_repair(self, what):
        """The incidents to repair now: a second click on one already sent
        the same command is no repair (and no error)."""
        if not self.env.user.has_group("admin_enforcement.group_enforcement_admin"):
            raise AccessError(self.env._("Only a bureau administrator can repair process incidents."))
        sent = "retry_sent" if what == "retry" else "restart_sent"
        todo = self.filtered(lambda incident: incident.state != sent)
        for incident in todo:
            if incident.state != "open":
                raise UserError(self.env._("Incident %(incident)s is no longer open.", incident=incident.incident_id))
            if what == "retry" and not incident.can_retry:
                raise UserError(self.env._(
                    "Incident %(incident)s cannot be retried: only a failed job or system step can. "
                    "Restart the step instead.", incident=incident.incident_id))
            if what == "restart" and not incident.can_restart:
                raise UserError(self.env._(
                    "The step of incident %(incident)s is not known in the engine; it cannot be restarted.",
                    incident=incident.incident_id))
        return todo

    def action_retry(self):
        """Give the failed job (PUT /job/{id}/retries) or external task new
        retries: the engine runs it again, and the incident is resolved."""
        todo = self._check_repair("retry")
        outbox = self.env["enforcement.outbox"]
        for incident in todo.sudo():
            if incident.incident_type == "failedJob":
                row = outbox._enqueue_job_retries(incident.configuration, RETRIES_ON_RETRY, incident.incident_id,
                                                  case=incident.case_id)
            else:
                row = outbox._enqueue("set_retries", {"task_id": incident.configuration, "retries": RETRIES_ON_RETRY},
                                      f"incident-retries:{incident.incident_id}", incident.case_id)
                if incident.job_log_id.state == "failed":
                    incident.job_log_id.write({"state": "retried", "retries_left": RETRIES_ON_RETRY,
                                               "manual_retries": incident.job_log_id.manual_retries + 1})
            incident.write({"state": "retry_sent", "outbox_id": row.id, "repaired_by_id": self.env.uid})
        return True

    def action_restart(self):
        """Cancel the failed activity instance and start the same step again."""
        todo = self._check_repair("restart")
        outbox = self.env["enforcement.outbox"]
        for incident in todo.sudo():
            row = outbox._enqueue_restart(incident.incident_id, incident.process_instance_id, incident.activity_id,
                                          incident.activity_instance_id, incident.is_transition,
                                          case=incident.case_id)
            incident.write({"state": "restart_sent", "outbox_id": row.id, "repaired_by_id": self.env.uid})
        return True
