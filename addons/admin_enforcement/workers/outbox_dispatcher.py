"""Delivers outbox rows to the engine after their transaction committed.

Rows are claimed with FOR UPDATE SKIP LOCKED so several workers can run, and
marked sent in the same transaction that claimed them. A crash between the
engine call and the commit leaves the row pending and it is sent again,
which is absorbed: a completed task or spent retries answer "already done",
a process start first looks in the engine's history for the instance an
earlier delivery of the same row started, and a step restart first checks
that its incident is still open.
"""
from __future__ import annotations

import logging
import select
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import psycopg2

from odoo.sql_db import connection_info_for

from ..models.enforcement_outbox import NOTIFY_CHANNEL
from ..services.engine_client import AlreadyDone, EngineClient, EngineUnavailable, NoSubscriber
from .runtime import OdooJobRunner

_logger = logging.getLogger(__name__)

BATCH = 50
MAX_ATTEMPTS = 10
# An engine clock a little behind PostgreSQL's must not hide an instance.
CLOCK_SKEW = timedelta(seconds=5)


class NotYetWaiting(Exception):
    """The message's process is not at the event that waits for it yet."""


TRANSIENT = (EngineUnavailable, NotYetWaiting, TimeoutError)


def backoff(attempts: int, error: Exception) -> timedelta:
    if isinstance(error, NotYetWaiting):
        return timedelta(seconds=min(attempts, 30))  # the process usually gets there within seconds
    return timedelta(seconds=min(2 ** attempts, 300))


class OutboxDispatcher:
    def __init__(self, runner: OdooJobRunner, client: EngineClient, dbname: str):
        self.runner = runner
        self.client = client
        self.dbname = dbname
        self.delivered = 0
        self.pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="outbox")

    def run(self, stop: threading.Event) -> None:
        listener = self._listen()
        try:
            while not stop.is_set():
                if self._deliver_batch() < BATCH:
                    self._wait_for_notify(listener, 1.0)
        finally:
            listener.close()
            self.pool.shutdown(wait=True)

    def _listen(self):
        _, params = connection_info_for(self.dbname)
        conn = psycopg2.connect(**params)
        conn.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
        conn.cursor().execute(f"LISTEN {NOTIFY_CHANNEL}")
        return conn

    @staticmethod
    def _wait_for_notify(conn, timeout: float) -> None:
        if select.select([conn], [], [], timeout)[0]:
            conn.poll()
            conn.notifies.clear()

    def _deliver_batch(self) -> int:
        def body(env):
            env.cr.execute(
                """SELECT id, command, payload, attempts, case_id, create_date FROM enforcement_outbox
                   WHERE state = 'pending' AND next_attempt_at <= (now() at time zone 'UTC')
                   ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                (BATCH,),
            )
            rows = env.cr.fetchall()
            if rows:
                for row, error in zip(rows, self._send_batch(rows)):
                    self._record_outcome(env, row, error)
            return len(rows)

        return self.runner.run_plain(body)

    def _send_batch(self, rows) -> list[Exception | None]:
        """Send the rows of different cases at once and each case's rows in
        their order, so one slow call does not hold up every other case."""
        outcomes: dict[int, Exception | None] = {}
        by_case: dict[int, list] = {}
        for row in rows:
            by_case.setdefault(row[4] or -row[0], []).append(row)

        def send_in_order(case_rows):
            for row_id, command, payload, _attempts, _case, created in case_rows:
                try:
                    self._send(command, payload, created)
                    outcomes[row_id] = None
                except Exception as err:  # recorded per row by _record_outcome
                    outcomes[row_id] = err

        list(self.pool.map(send_in_order, by_case.values()))
        return [outcomes[row[0]] for row in rows]

    def _record_outcome(self, env, row, error: Exception | None) -> None:
        row_id, command, payload, attempts, case_id, created = row
        if isinstance(error, AlreadyDone):
            _logger.info("outbox %s: already delivered (%s)", row_id, error)
        elif error is not None:
            attempts = (attempts or 0) + 1
            expired = isinstance(error, NotYetWaiting) and datetime.utcnow() > created + timedelta(
                milliseconds=payload.get("ttl_ms", 0))
            give_up = expired or not isinstance(error, TRANSIENT) or (
                attempts >= MAX_ATTEMPTS and not isinstance(error, NotYetWaiting))
            _logger.warning("outbox %s: %s attempt %s failed: %s", row_id, command, attempts, error)
            env.cr.execute(
                """UPDATE enforcement_outbox SET attempts = %s, state = %s, last_error = %s,
                   next_attempt_at = %s WHERE id = %s""",
                (attempts, "failed" if give_up else "pending", f"{type(error).__name__}: {error}",
                 datetime.utcnow() + backoff(attempts, error), row_id),
            )
            if give_up and case_id:
                env["enforcement.outbox"].browse(row_id)._record_undelivered(error)
            return
        env.cr.execute(
            "UPDATE enforcement_outbox SET state = 'sent', sent_at = now() at time zone 'UTC', "
            "attempts = attempts + 1, last_error = NULL WHERE id = %s",
            (row_id,),
        )
        self.delivered += 1

    def _send(self, command: str, payload: dict, created: datetime) -> None:
        if command == "publish_message":
            self._publish(payload, created)
        elif command == "complete_task":
            self.client.complete_task(payload["task_id"], payload.get("variables") or {})
        elif command == "set_retries":
            self.client.set_external_task_retries(payload["task_id"], payload["retries"])
        elif command == "set_job_retries":
            self.client.set_job_retries(payload["job_id"], payload["retries"])
        elif command == "restart_activity":
            self._restart(payload)
        else:
            raise ValueError(f"unknown outbox command {command!r}")

    def _restart(self, payload: dict) -> None:
        """At most once: the restart replaces the incident's step, which
        deletes the incident, so a row delivered again (the dispatcher died
        before it recorded the send) finds the incident gone. The engine's
        own check is not enough: a transition instance keeps its id."""
        if not self.client.list_incidents(incident_id=payload["incident_id"]):
            raise AlreadyDone(f"incident {payload['incident_id']} is no longer open: its step was restarted "
                              "by an earlier delivery, or resolved otherwise")
        self.client.restart_activity(payload["process_instance_id"], payload["activity_instance_id"],
                                     payload["activity_id"], annotation=f"restart of incident {payload['incident_id']}",
                                     transition=payload.get("transition", False))

    def _publish(self, payload: dict, created: datetime) -> None:
        starts = payload.get("starts")
        if starts and self.client.historic_process_instances(
                payload["business_key"], starts,
                started_after=created.replace(tzinfo=timezone.utc) - CLOCK_SKEW):
            raise AlreadyDone(f"{starts} for {payload['business_key']} was started by an earlier delivery")
        try:
            self.client.correlate_message(payload["name"], business_key=payload["business_key"],
                                          variables=payload.get("variables") or {})
        except NoSubscriber as err:
            raise NotYetWaiting(str(err)) from None
