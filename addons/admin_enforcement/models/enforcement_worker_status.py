from datetime import timedelta

from odoo import api, fields, models

STALE_AFTER = timedelta(seconds=30)


class EnforcementWorkerStatus(models.Model):
    """Heartbeat of each running job worker, for the health check and the
    administrator's screen."""

    _name = "enforcement.worker.status"
    _description = "Job Worker Heartbeat"
    _order = "last_seen desc"

    name = fields.Char(required=True, readonly=True, help="host:pid of the worker process")
    engine_url = fields.Char(string="Process Engine", readonly=True)
    started_at = fields.Datetime(readonly=True)
    last_seen = fields.Datetime(readonly=True, index=True)
    jobs_done = fields.Integer(readonly=True)
    alive = fields.Boolean(compute="_compute_alive")

    @api.depends("last_seen")
    def _compute_alive(self):
        limit = fields.Datetime.now() - STALE_AFTER
        for status in self:
            status.alive = bool(status.last_seen and status.last_seen >= limit)
