"""Runs one Zeebe job in one Odoo transaction, once per job key."""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from psycopg2 import errors as pg_errors
from pyzeebe import Job, JobController
from pyzeebe.errors import BusinessError

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

_logger = logging.getLogger(__name__)

JobBody = Callable[[api.Environment], dict[str, Any]]

MAX_TRIES_ON_CONFLICT = 6
CONFLICTS = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected, pg_errors.LockNotAvailable,
             pg_errors.UniqueViolation)


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

        def once(env):
            log = env["enforcement.job.log"].search([("job_key", "=", str(job.key))], limit=1)
            if log.state == "done":
                _logger.info("job %s (%s) was already handled; returning its result", job.key, job.type)
                return log.result or {}, False
            result = body(env) or {}
            vals = {"result": result, "state": "done", "error": False, "done_at": datetime.utcnow()}
            if log:
                log.write(vals)
            else:
                env["enforcement.job.log"].create({**self._log_identity(job, case_id), **vals})
            return result, True

        try:
            result, fresh = self._in_transaction(once)
        except BusinessError:
            raise
        except Exception as err:
            self._record_failure(job, case_id, err)
            raise
        if fresh:
            self.jobs_done += 1
        return result

    @staticmethod
    def _log_identity(job, case_id):
        return {
            "job_key": str(job.key),
            "job_type": job.type,
            "process_instance_key": str(job.process_instance_key),
            "element_id": job.element_id,
            "element_instance_key": str(job.element_instance_key),
            "case_id": case_id,
            # Activation time is the deadline minus the job's timeout: kept to measure step latency.
            "job_deadline": datetime.utcfromtimestamp(job.deadline / 1000) if job.deadline else False,
        }

    def _record_failure(self, job, case_id, err: Exception) -> None:
        """Keep the failure for the incidents screen, in a transaction of its
        own (the job's own transaction was rolled back). Never raises: the
        job's failure is reported to Zeebe whatever happens here."""
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["enforcement.job.log"]._record_failure(
                    self._log_identity(job, case_id), f"{type(err).__name__}: {err}",
                    retries_left=max((job.retries or 1) - 1, 0))
        except Exception:  # the database itself may be what failed
            _logger.exception("could not record the failure of job %s", job.key)

    def run_plain(self, body: JobBody):
        return self._in_transaction(body)

    def _in_transaction(self, body: JobBody):
        """Run `body` in a transaction of its own, again from the start when
        PostgreSQL reports a conflict with a concurrent one: several steps of
        one case (the votes of a meeting) run at once and append to the same
        case history. Odoo's REPEATABLE READ turns such races into
        serialization failures or unique violations, never into wrong data."""
        for attempt in range(1, MAX_TRIES_ON_CONFLICT + 1):
            try:
                with self.registry.cursor() as cr:
                    # Keep a reference: the transaction flushes through its
                    # (weakly held) environments at commit.
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    return body(env)
            except CONFLICTS as err:
                if attempt == MAX_TRIES_ON_CONFLICT:
                    raise
                delay = random.uniform(0, 0.05 * 2 ** attempt)
                _logger.info("transaction conflict (%s), try %s of %s in %.3f s",
                             type(err).__name__, attempt + 1, MAX_TRIES_ON_CONFLICT, delay)
                time.sleep(delay)
        raise AssertionError("unreachable")


RETRY_BACK_OFF_MS = 5_000
RETRY_JITTER_MS = 4_000


async def fail_or_throw(exception: Exception, job: Job, job_controller: JobController) -> None:
    """A modelled business outcome becomes a BPMN error; anything else fails
    the job with a back-off, so a passing fault (database restart, lock) is
    retried a few seconds later and a lasting one ends as an incident."""
    if isinstance(exception, BusinessError):
        _logger.info("job %s (%s): BPMN error %s", job.key, job.type, exception.error_code)
        await job_controller.set_error_status(str(exception), error_code=exception.error_code)
        return
    _logger.warning("job %s (%s) of instance %s failed: %s", job.key, job.type, job.process_instance_key, exception)
    # Jitter: jobs that failed together on the same conflict (two steps of
    # one case writing its history at once) must not retry together again.
    await job_controller.set_failure_status(
        f"{type(exception).__name__}: {exception}",
        retry_back_off_ms=RETRY_BACK_OFF_MS + random.randint(0, RETRY_JITTER_MS))
