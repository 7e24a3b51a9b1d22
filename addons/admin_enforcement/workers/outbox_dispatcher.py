"""Delivers outbox rows to Zeebe after their transaction committed.

Rows are claimed with FOR UPDATE SKIP LOCKED so several workers can run, and
marked sent in the same transaction that claimed them. A crash between the
Zeebe call and the commit leaves the row pending and it is sent again, which
the engine absorbs: messages carry a message id, and completing a job that is
already completed answers NOT_FOUND, which counts as delivered.
"""
from __future__ import annotations

import asyncio
import logging
import select
from datetime import datetime, timedelta

import grpc
import psycopg2
from pyzeebe import ZeebeClient
from pyzeebe.errors import (
    JobAlreadyDeactivatedError,
    JobNotFoundError,
    MessageAlreadyExistsError,
    ZeebeBackPressureError,
    ZeebeDeadlineExceeded,
    ZeebeGatewayUnavailableError,
    ZeebeInternalError,
)

from pyzeebe.proto.gateway_pb2 import ModifyProcessInstanceRequest, UpdateJobRetriesRequest

from odoo.sql_db import connection_info_for

from ..models.enforcement_outbox import NOTIFY_CHANNEL
from .runtime import OdooJobRunner

_logger = logging.getLogger(__name__)

BATCH = 50
MAX_ATTEMPTS = 10
TRANSIENT = (ZeebeGatewayUnavailableError, ZeebeInternalError, ZeebeDeadlineExceeded, ZeebeBackPressureError,
             TimeoutError)


class StepAlreadyRestarted(Exception):
    """The element instance of a restart command is no longer active."""


ALREADY_DONE = (MessageAlreadyExistsError, JobNotFoundError, JobAlreadyDeactivatedError, StepAlreadyRestarted)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2 ** attempts, 300))


class OutboxDispatcher:
    def __init__(self, runner: OdooJobRunner, client: ZeebeClient, dbname: str):
        self.runner = runner
        self.client = client
        self.dbname = dbname
        self.loop: asyncio.AbstractEventLoop | None = None
        self.delivered = 0

    async def run(self, stop: asyncio.Event) -> None:
        self.loop = asyncio.get_running_loop()
        listener = await asyncio.to_thread(self._listen)
        try:
            while not stop.is_set():
                sent = await asyncio.to_thread(self._deliver_batch)
                if sent < BATCH:
                    await asyncio.to_thread(self._wait_for_notify, listener, 1.0)
        finally:
            listener.close()

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
                """SELECT id, command, payload, attempts, case_id FROM enforcement_outbox
                   WHERE state = 'pending' AND next_attempt_at <= (now() at time zone 'UTC')
                   ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                (BATCH,),
            )
            rows = env.cr.fetchall()
            if rows:
                outcomes = asyncio.run_coroutine_threadsafe(self._send_batch(rows), self.loop).result(timeout=300)
                for (row_id, command, _payload, attempts, _case), error in zip(rows, outcomes):
                    self._record_outcome(env, row_id, command, attempts, error)
            return len(rows)

        return self.runner.run_plain(body)

    async def _send_batch(self, rows) -> list[Exception | None]:
        """Send the rows of different cases at once and each case's rows in
        their order, so one slow call does not hold up every other case."""
        outcomes: dict[int, Exception | None] = {}
        by_case: dict[int, list] = {}
        for row in rows:
            by_case.setdefault(row[4] or -row[0], []).append(row)

        async def send_in_order(case_rows):
            for row_id, command, payload, _attempts, _case in case_rows:
                try:
                    await asyncio.wait_for(self._send(command, payload), timeout=30)
                    outcomes[row_id] = None
                except Exception as err:  # recorded per row by _record_outcome
                    outcomes[row_id] = err

        await asyncio.gather(*(send_in_order(case_rows) for case_rows in by_case.values()))
        return [outcomes[row[0]] for row in rows]

    def _record_outcome(self, env, row_id, command, attempts, error: Exception | None) -> None:
        if isinstance(error, ALREADY_DONE):
            _logger.info("outbox %s: already delivered (%s)", row_id, type(error).__name__)
        elif error is not None:  # every other failure is retried, then surfaces as failed
            attempts = (attempts or 0) + 1
            state = "failed" if attempts >= MAX_ATTEMPTS or not isinstance(error, TRANSIENT) else "pending"
            _logger.warning("outbox %s: %s attempt %s failed: %s", row_id, command, attempts, error)
            env.cr.execute(
                """UPDATE enforcement_outbox SET attempts = %s, state = %s, last_error = %s,
                   next_attempt_at = %s WHERE id = %s""",
                (attempts, state, f"{type(error).__name__}: {error}", datetime.utcnow() + backoff(attempts), row_id),
            )
            return
        env.cr.execute(
            "UPDATE enforcement_outbox SET state = 'sent', sent_at = now() at time zone 'UTC', "
            "attempts = attempts + 1, last_error = NULL WHERE id = %s",
            (row_id,),
        )
        self.delivered += 1

    async def _send(self, command: str, payload: dict) -> None:
        if command == "publish_message":
            await self.client.publish_message(
                name=payload["name"],
                correlation_key=payload["correlation_key"],
                variables=payload.get("variables") or {},
                time_to_live_in_milliseconds=payload.get("time_to_live_in_milliseconds", 60_000),
                message_id=payload.get("message_id"),
            )
        elif command == "complete_job":
            await self.client.zeebe_adapter.complete_job(payload["job_key"], payload.get("variables") or {})
        elif command == "update_job_retries":
            await self._update_job_retries(payload["job_key"], payload["retries"])
        elif command == "restart_element":
            await self._restart_element(payload)
        else:
            raise ValueError(f"unknown outbox command {command!r}")

    # pyzeebe 4.7 has no calls for UpdateJobRetries and ModifyProcessInstance:
    # the two below use the gateway stub on the client's own channel, with
    # pyzeebe's mapping of gRPC errors.

    async def _update_job_retries(self, job_key: int, retries: int) -> None:
        adapter = self.client.zeebe_adapter
        try:
            await adapter._gateway_stub.UpdateJobRetries(
                UpdateJobRetriesRequest(jobKey=int(job_key), retries=int(retries)))
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.NOT_FOUND:
                raise JobNotFoundError(job_key) from err
            raise adapter._create_pyzeebe_error_from_grpc_error(err) from err

    async def _restart_element(self, payload: dict) -> None:
        """Activate the element again and terminate the instance stuck on the
        incident, in one modification: Zeebe applies both or neither. Sent a
        second time, the terminate instruction names an instance that is no
        longer active and Zeebe rejects the whole command, so a step is never
        started twice."""
        adapter = self.client.zeebe_adapter
        instance = payload["element_instance_key"]
        request = ModifyProcessInstanceRequest(
            processInstanceKey=payload["process_instance_key"],
            activateInstructions=[ModifyProcessInstanceRequest.ActivateInstruction(elementId=payload["element_id"])],
            terminateInstructions=[ModifyProcessInstanceRequest.TerminateInstruction(elementInstanceKey=instance)],
        )
        try:
            await adapter._gateway_stub.ModifyProcessInstance(request)
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.NOT_FOUND or (
                    err.code() == grpc.StatusCode.INVALID_ARGUMENT and str(instance) in (err.details() or "")):
                raise StepAlreadyRestarted(instance) from err
            raise adapter._create_pyzeebe_error_from_grpc_error(err) from err
