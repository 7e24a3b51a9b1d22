import json

from odoo import api, fields, models
from odoo.exceptions import UserError

NOTIFY_CHANNEL = "enforcement_outbox"


class EnforcementOutbox(models.Model):
    """Commands for the process engine, written in the same transaction as the
    change that causes them and delivered by the worker after commit. Nothing
    is lost: a row outlives any crash, and delivering a row twice is harmless
    (a completed task or spent retries answer "already done"; a start finds
    the instance an earlier delivery started).

    Rows are created only through `_enqueue`; users never edit them.
    """

    _name = "enforcement.outbox"
    _description = "Process Engine Command Outbox"
    _order = "id"
    _rec_name = "identity_key"

    command = fields.Selection(
        [
            ("publish_message", "Publish Message"),
            ("complete_task", "Complete Task"),
            ("set_retries", "Retry Failed Step"),
            ("set_job_retries", "Retry Failed Job"),
            ("restart_activity", "Restart Step"),
        ],
        required=True, readonly=True,
    )
    payload = fields.Json(required=True, readonly=True)
    identity_key = fields.Char(
        required=True, readonly=True, index=True,
        help="Stable key of the command; the same key is never enqueued twice.",
    )
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
        default="pending", required=True, readonly=True, index=True,
    )
    attempts = fields.Integer(default=0, readonly=True)
    last_error = fields.Text(readonly=True)
    next_attempt_at = fields.Datetime(default=fields.Datetime.now, readonly=True, index=True)
    sent_at = fields.Datetime(readonly=True)
    case_id = fields.Many2one("enforcement.case", readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="case_id.company_id", store=True)

    _sql_constraints = [
        ("identity_key_unique", "unique(identity_key)", "This process engine command was already enqueued."),
    ]

    @api.model
    def _enqueue(self, command, payload, identity_key, case=None):
        """Record a command for delivery after commit; enqueuing the same
        identity twice returns the first row."""
        existing = self.sudo().search([("identity_key", "=", identity_key)], limit=1)
        if existing:
            return existing
        row = self.sudo().create({
            "command": command,
            "payload": payload,
            "identity_key": identity_key,
            "case_id": case.id if case else False,
        })
        # NOTIFY is delivered by PostgreSQL only when this transaction commits.
        self.env.cr.execute("SELECT pg_notify(%s, %s)", (NOTIFY_CHANNEL, str(row.id)))
        return row

    @api.model
    def _enqueue_message(self, name, business_key, variables, message_id, case=None, ttl_ms=3_600_000,
                         starts=None):
        """A message for the process of ``business_key`` (the case reference,
        or a meeting's). The engine keeps no message that nothing waits for:
        delivery is retried until ``ttl_ms`` after this transaction, then the
        case's history says it could not be delivered. ``starts`` names the
        process definition the message starts, so a second delivery of the
        same row finds the instance the first one started."""
        payload = {"name": name, "business_key": business_key, "variables": variables, "ttl_ms": ttl_ms}
        if starts:
            payload["starts"] = starts
        return self._enqueue("publish_message", payload, f"message:{message_id}", case)

    @api.model
    def _enqueue_task_retries(self, task_id, retries, attempt, case=None):
        """Give a failed external task new retries (resolving its incident);
        ``attempt`` makes each retry its own command."""
        payload = {"task_id": task_id, "retries": int(retries)}
        return self._enqueue("set_retries", payload, f"retries:{task_id}:{attempt}", case)

    @api.model
    def _enqueue_job_retries(self, job_id, retries, incident_id, case=None):
        """Give a failed job (a timer, an asynchronous continuation) new
        retries, once per incident."""
        payload = {"job_id": job_id, "retries": int(retries)}
        return self._enqueue("set_job_retries", payload, f"incident-retries:{incident_id}", case)

    @api.model
    def _enqueue_restart(self, incident_id, process_instance_id, activity_id, activity_instance_id, transition,
                         case=None):
        """Restart the failed step of ``incident_id`` by process-instance
        modification. One row per incident (a double click finds it); the
        dispatcher applies it only while the incident is open, so a row
        delivered again does not start the step a second time."""
        payload = {"incident_id": incident_id, "process_instance_id": process_instance_id,
                   "activity_id": activity_id, "activity_instance_id": activity_instance_id,
                   "transition": bool(transition)}
        return self._enqueue("restart_activity", payload, f"restart:{incident_id}", case)

    def _record_undelivered(self, error):
        """A command given up on stays on the case's history, never dropped silently."""
        # formatted outside _(): Odoo's term export skips a file with f-strings in _() arguments
        reason = f"{type(error).__name__}: {error}"
        for row in self.sudo().filtered("case_id"):
            self.env["enforcement.process.event"].sudo().create({
                "case_id": row.case_id.id, "kind": "incident", "step": row.command,
                "step_name": row.payload.get("name") or row.command,
                "outcome": self.env._("Not delivered to the process engine: %(error)s", error=reason)[:500],
            })

    def action_retry(self):
        if not self.env.user.has_group("admin_enforcement.group_enforcement_admin"):
            raise UserError(self.env._("Only a bureau administrator can retry process engine commands."))
        self.sudo().write({"state": "pending", "next_attempt_at": fields.Datetime.now(), "last_error": False})
        self.env.cr.execute("SELECT pg_notify(%s, 'retry')", (NOTIFY_CHANNEL,))
        return True

    def payload_text(self):
        return json.dumps(self.payload, ensure_ascii=False, indent=2)
