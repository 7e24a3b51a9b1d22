from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

RETRIES_ON_RETRY = 3


class EnforcementJobLog(models.Model):
    """Failed steps for the process incidents screen. The worker records each
    failure of an external task in a transaction of its own, with the retries
    the engine has left; at none the engine holds an incident. Retrying here
    gives the task new retries through the outbox, which resolves it."""

    _inherit = "enforcement.job.log"

    retries_left = fields.Integer(readonly=True, help="Retries the engine still has for the step after this failure.")
    failed_at = fields.Datetime(readonly=True)
    is_incident = fields.Boolean(compute="_compute_is_incident", search="_search_is_incident")
    manual_retries = fields.Integer(readonly=True, help="How many times an administrator retried the job.")
    job_deadline = fields.Datetime(readonly=True, help="When the worker's lock on the step expires: fetch time plus lock duration.")
    done_at = fields.Datetime(readonly=True, help="When the handler's transaction committed.")

    @api.depends("state", "retries_left")
    def _compute_is_incident(self):
        for log in self:
            log.is_incident = log.state == "failed" and log.retries_left == 0

    def _search_is_incident(self, operator, value):
        incident = [("state", "=", "failed"), ("retries_left", "=", 0)]
        if (operator == "=") == bool(value):
            return incident
        return ["!", "&", *incident]

    @api.model
    def _record_failure(self, identity, error, retries_left):
        log = self.sudo().search([("job_key", "=", identity["job_key"])], limit=1)
        vals = {"state": "failed", "error": error, "retries_left": retries_left, "failed_at": fields.Datetime.now()}
        if log:
            log.write({**vals, "attempts": log.attempts + 1})
        else:
            log = self.sudo().create({**identity, **vals, "attempts": 1})
        if log.case_id:
            self.env["enforcement.process.event"].sudo().create({
                "case_id": log.case_id.id, "kind": "incident", "step": log.element_id,
                "step_name": log.job_type, "outcome": error[:500], "job_key": log.job_key,
            })
        return log

    def action_retry(self):
        """Give each failed step new retries in the engine, through the outbox:
        the engine fetches the external task again, and setting retries on one
        whose retries are spent resolves its incident."""
        if not self.env.user.has_group("admin_enforcement.group_enforcement_admin"):
            raise AccessError(self.env._("Only a bureau administrator can retry failed jobs."))
        not_failed = self.filtered(lambda log: log.state != "failed")
        if not_failed:
            raise UserError(self.env._("Job %(job)s has not failed.", job=not_failed[0].job_key))
        outbox = self.env["enforcement.outbox"]
        for log in self.sudo():
            attempt = log.manual_retries + 1
            outbox._enqueue_task_retries(log.job_key, RETRIES_ON_RETRY, attempt, case=log.case_id)
            log.write({"manual_retries": attempt, "retries_left": RETRIES_ON_RETRY, "state": "retried"})
        return True
