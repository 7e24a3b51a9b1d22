import json

from odoo import api, fields, models
from odoo.exceptions import UserError

NOTIFY_CHANNEL = "enforcement_outbox"


class EnforcementOutbox(models.Model):
    """Commands for Zeebe, written in the same transaction as the change that
    causes them and delivered by the worker after commit. Nothing is lost: a
    row outlives any crash, and each command is idempotent on the engine side
    (message ids, job keys), so delivering a row twice is harmless.

    Rows are created only through `_enqueue`; users never edit them.
    """

    _name = "enforcement.outbox"
    _description = "Zeebe Command Outbox"
    _order = "id"
    _rec_name = "identity_key"

    command = fields.Selection(
        [
            ("publish_message", "Publish Message"),
            ("complete_job", "Complete Job"),
            ("update_job_retries", "Retry Failed Job"),
            ("restart_element", "Restart Step on Incident"),
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
        ("identity_key_unique", "unique(identity_key)", "This Zeebe command was already enqueued."),
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
    def _enqueue_message(self, name, correlation_key, variables, message_id, case=None, ttl_ms=3_600_000):
        payload = {
            "name": name,
            "correlation_key": correlation_key,
            "variables": variables,
            "message_id": message_id,
            "time_to_live_in_milliseconds": ttl_ms,
        }
        return self._enqueue("publish_message", payload, f"message:{message_id}", case)

    @api.model
    def _enqueue_job_completion(self, job_key, variables, case=None):
        payload = {"job_key": int(job_key), "variables": variables}
        return self._enqueue("complete_job", payload, f"complete:{job_key}", case)

    @api.model
    def _enqueue_job_retries(self, job_key, retries, attempt, case=None):
        """Give a failed job new retries; ``attempt`` makes each retry its own command."""
        payload = {"job_key": int(job_key), "retries": int(retries)}
        return self._enqueue("update_job_retries", payload, f"retries:{job_key}:{attempt}", case)

    @api.model
    def _enqueue_element_restart(self, process_instance_key, element_id, element_instance_key, case=None):
        """Terminate an element instance stuck on an incident and activate its
        element again; the element instance key makes the command unique."""
        payload = {"process_instance_key": int(process_instance_key), "element_id": element_id,
                   "element_instance_key": int(element_instance_key)}
        return self._enqueue("restart_element", payload, f"restart:{element_instance_key}", case)

    def action_retry(self):
        if not self.env.user.has_group("admin_enforcement.group_enforcement_admin"):
            raise UserError(self.env._("Only a bureau administrator can retry Zeebe commands."))
        self.sudo().write({"state": "pending", "next_attempt_at": fields.Datetime.now(), "last_error": False})
        self.env.cr.execute("SELECT pg_notify(%s, 'retry')", (NOTIFY_CHANNEL,))
        return True

    def payload_text(self):
        return json.dumps(self.payload, ensure_ascii=False, indent=2)
