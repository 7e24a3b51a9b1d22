"""Runs one Zeebe job in one Odoo transaction, once per job key."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable

from pyzeebe import Job, JobController
from pyzeebe.errors import BusinessError

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

_logger = logging.getLogger(__name__)

JobBody = Callable[[api.Environment], dict[str, Any]]


@dataclass(frozen=True)
class WorkerSettings:
    service_timeout_ms: int = 30_000
    user_task_timeout_ms: int = 7 * 24 * 3600 * 1000
    max_jobs_to_activate: int = 32
    # Above max_jobs_to_activate: pyzeebe pauses polling for poll_retry_delay
    # once a task's running jobs reach this number.
    max_running_jobs: int = 64

    def task_options(self, timeout_ms: int) -> dict[str, int]:
        return {"timeout_ms": timeout_ms, "max_jobs_to_activate": self.max_jobs_to_activate,
                "max_running_jobs": self.max_running_jobs}


class OdooJobRunner:
    """Holds the registry the job handlers work in. Handlers are plain sync
    functions (pyzeebe runs them in its thread pool), each opening its own
    cursor so one job's failure never touches another's transaction."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.jobs_done = 0

    def run(self, job, body: JobBody, case_id: int | None = None) -> dict[str, Any]:
        """Run `body` for `job` unless its key was already handled, in which
        case the stored result is returned: Zeebe delivers at least once."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            done = env["enforcement.job.log"].search([("job_key", "=", str(job.key))], limit=1)
            if done:
                _logger.info("job %s (%s) was already handled; returning its result", job.key, job.type)
                return done.result or {}
            result = body(env) or {}
            env["enforcement.job.log"].create({
                "job_key": str(job.key),
                "job_type": job.type,
                "process_instance_key": str(job.process_instance_key),
                "element_id": job.element_id,
                "case_id": case_id,
                "result": result,
            })
        self.jobs_done += 1
        return result

    def run_plain(self, body: JobBody):
        with self.registry.cursor() as cr:
            return body(api.Environment(cr, SUPERUSER_ID, {}))


RETRY_BACK_OFF_MS = 5_000


async def fail_or_throw(exception: Exception, job: Job, job_controller: JobController) -> None:
    """A modelled business outcome becomes a BPMN error; anything else fails
    the job with a back-off, so a passing fault (database restart, lock) is
    retried a few seconds later and a lasting one ends as an incident."""
    if isinstance(exception, BusinessError):
        _logger.info("job %s (%s): BPMN error %s", job.key, job.type, exception.error_code)
        await job_controller.set_error_status(str(exception), error_code=exception.error_code)
        return
    _logger.warning("job %s (%s) of instance %s failed: %s", job.key, job.type, job.process_instance_key, exception)
    await job_controller.set_failure_status(
        f"{type(exception).__name__}: {exception}", retry_back_off_ms=RETRY_BACK_OFF_MS)
