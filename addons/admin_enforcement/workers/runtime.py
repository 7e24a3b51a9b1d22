"""Runs one external task of the engine in one Odoo transaction, once per task id.

Each area declares its topics with ``@topic`` in ``<area>_handlers.py``; a
handler gets the Odoo environment (superuser, its own transaction) and the
external task, reads the case from Odoo by id and returns the decisions and
dates the process needs. Raising ``BpmnError`` ends in the modelled boundary
event; anything else is a failure the engine retries, then an incident.
"""
from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

from ..services.engine_client import ExternalTask

_logger = logging.getLogger(__name__)

Handler = Callable[[api.Environment, ExternalTask], "dict[str, Any] | None"]

MAX_TRIES_ON_CONFLICT = 6
CONFLICTS = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected, pg_errors.LockNotAvailable,
             pg_errors.UniqueViolation)
# Kept in the job log's result when a handler ended in a BPMN error, so a
# task delivered again ends in the same error without running twice.
BPMN_ERROR_KEY = "__bpmn_error__"


class BpmnError(Exception):
    """A business outcome the process catches with a boundary event."""

    def __init__(self, code: str, message: str = ""):
        super().__init__(message or code)
        self.code = code
        self.message = message or code


@dataclass(frozen=True)
class TopicHandler:
    topic: str
    handler: Handler
    variables: tuple[str, ...]
    # Tasks of a topic that would only collide on one row (numbering) run one at a time.
    serial: threading.Lock | None = None


TOPICS: dict[str, TopicHandler] = {}


def topic(name: str, variables: tuple[str, ...] = ("case_id",), serial: threading.Lock | None = None):
    """Declare the handler of external-task topic ``name``, fetching only ``variables``."""
    def register(handler: Handler) -> Handler:
        if name in TOPICS:
            raise ValueError(f"topic {name} has two handlers")
        TOPICS[name] = TopicHandler(name, handler, tuple(variables), serial)
        return handler
    return register


@dataclass(frozen=True)
class WorkerSettings:
    max_tasks: int = 16
    lock_duration_ms: int = 60_000
    long_poll_ms: int = 2_000
    user_task_poll_ms: int = 250
    reconcile_interval_s: int = 30
    incident_sync_interval_s: int = 10


class OdooJobRunner:
    """Holds the registry the handlers work in; each task opens its own
    cursor so one task's failure never touches another's transaction."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.jobs_done = 0
        self._count = threading.Lock()

    def run(self, task: ExternalTask, handler: Handler, case_id: int | None = None) -> dict[str, Any]:
        """Run ``handler`` for ``task`` unless its id was handled before, in
        which case the stored result is returned: the engine hands a task out
        again when its lock expired before it heard of the result."""

        def once(env):
            log = env["enforcement.job.log"].search([("job_key", "=", task.id)], limit=1)
            if log.state == "done":
                _logger.info("task %s (%s) was already handled; returning its result", task.id, task.topic)
                return log.result or {}, False
            try:
                result = handler(env, task) or {}
            except BpmnError as err:
                # The outcome is the work: keep what the handler recorded.
                result = {BPMN_ERROR_KEY: err.code, "message": err.message}
            vals = {"result": result, "state": "done", "error": False, "done_at": datetime.utcnow()}
            if log:
                log.write(vals)
            else:
                env["enforcement.job.log"].create({**self._log_identity(task, case_id), **vals})
            return result, True

        try:
            result, fresh = self._in_transaction(once)
        except Exception as err:
            self._record_failure(task, case_id, err)
            raise
        if fresh:
            with self._count:
                self.jobs_done += 1
        if BPMN_ERROR_KEY in result:
            raise BpmnError(result[BPMN_ERROR_KEY], result.get("message", ""))
        return result

    @staticmethod
    def _log_identity(task: ExternalTask, case_id: int | None) -> dict[str, Any]:
        return {
            "job_key": task.id,
            "job_type": task.topic,
            "process_instance_key": task.process_instance_id,
            "element_id": task.activity_id,
            "element_instance_key": task.activity_instance_id,
            "case_id": case_id,
            # Lock expiry minus the lock duration is when it was fetched: kept to measure step latency.
            "job_deadline": task.lock_expiration.replace(tzinfo=None) if task.lock_expiration else False,
        }

    def _record_failure(self, task: ExternalTask, case_id: int | None, err: Exception) -> None:
        """Keep the failure for the incidents screen, in a transaction of its
        own (the task's own transaction was rolled back). Never raises: the
        failure is reported to the engine whatever happens here."""
        try:
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["enforcement.job.log"]._record_failure(
                    self._log_identity(task, case_id), f"{type(err).__name__}: {err}",
                    retries_left=retries_left_after_failure(task))
        except Exception:  # the database itself may be what failed
            _logger.exception("could not record the failure of task %s", task.id)

    def run_plain(self, body: Callable[[api.Environment], Any]):
        return self._in_transaction(body)

    def _in_transaction(self, body):
        """Run ``body`` in a transaction of its own, again from the start when
        PostgreSQL reports a conflict with a concurrent one: several steps of
        one case (the votes of a meeting) run at once and append to the same
        case history. Odoo's REPEATABLE READ turns such races into
        serialization failures or unique violations, never into wrong data."""
        for attempt in range(1, MAX_TRIES_ON_CONFLICT + 1):
            # What the web server changed since (a language installed, a
            # translation or a setting) invalidates this process's caches
            # too, as Odoo's own HTTP and cron workers do per request.
            self.registry = self.registry.check_signaling()
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


DEFAULT_RETRIES = 3
DEFAULT_BACKOFF_MS = 5_000
RETRY_JITTER_MS = 4_000


def declared_retries(task: ExternalTask) -> int:
    """The retries the BPMN declares for the step (extension property ``retries``)."""
    return int(task.extension_properties.get("retries") or DEFAULT_RETRIES)


def retries_left_after_failure(task: ExternalTask) -> int:
    """The engine leaves retries unset until the worker first reports a failure."""
    retries = declared_retries(task) if task.retries is None else task.retries
    return max(retries - 1, 0)


def retry_backoff_ms(task: ExternalTask) -> int:
    """The BPMN's ``retryBackoff`` (an ISO duration such as PT5S) with jitter:
    tasks that failed together on one conflict must not retry together."""
    declared = task.extension_properties.get("retryBackoff") or ""
    base = iso_seconds(declared) * 1000 if declared else DEFAULT_BACKOFF_MS
    return base + random.randint(0, RETRY_JITTER_MS)


def iso_seconds(duration: str) -> int:
    """Seconds of a simple ISO-8601 duration (PT5S, PT1M30S, PT2H)."""
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?", duration)
    if not match or not any(match.groups()):
        raise ValueError(f"retryBackoff {duration!r} is not a duration like PT5S")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def load_case(env, case_id, task: ExternalTask):
    """The case of ``task``, in its agency's language: what a job writes into
    the case's history is read there by the bureau's staff."""
    case = env["enforcement.case"].browse(case_id).exists()
    if not case:
        raise LookupError(f"case {case_id} of task {task.id} ({task.topic}) does not exist")
    return case._with_agency_lang()


def record_step(case, task: ExternalTask, step_name: str, outcome: str = "") -> None:
    """One process-history row per system step (the full-process record chains them)."""
    case.env["enforcement.process.event"].create({
        "case_id": case.id, "kind": "service_task", "step": task.activity_id,
        "step_name": step_name, "outcome": outcome, "job_key": task.id,
    })
