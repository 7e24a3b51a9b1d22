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

from pyzeebe.proto.gateway_pb2 import UpdateJobRetriesRequest

from odoo.sql_db import connection_info_for

from ..models.enforcement_outbox import NOTIFY_CHANNEL
from .runtime import OdooJobRunner

_logger = logging.getLogger(__name__)

BATCH = 50
MAX_ATTEMPTS = 10
TRANSIENT = (ZeebeGatewayUnavailableError, ZeebeInternalError, ZeebeDeadlineExceeded, ZeebeBackPressureError)
ALREADY_DONE = (MessageAlreadyExistsError, JobNotFoundError, JobAlreadyDeactivatedError)


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
                """SELECT id, command, payload, attempts FROM enforcement_outbox
                   WHERE state = 'pending' AND next_attempt_at <= (now() at time zone 'UTC')
                   ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
                (BATCH,),
            )
            rows = env.cr.fetchall()
            for row_id, command, payload, attempts in rows:
                self._deliver_row(env, row_id, command, payload, attempts)
            return len(rows)

        return self.runner.run_plain(body)

    def _deliver_row(self, env, row_id, command, payload, attempts) -> None:
        try:
            asyncio.run_coroutine_threadsafe(self._send(command, payload), self.loop).result(timeout=30)
        except ALREADY_DONE as err:
            _logger.info("outbox %s: already delivered (%s)", row_id, type(err).__name__)
        except Exception as err:  # every other failure is retried, then surfaces as failed
            attempts += 1
            state = "failed" if attempts >= MAX_ATTEMPTS or not isinstance(err, TRANSIENT) else "pending"
            _logger.warning("outbox %s: %s attempt %s failed: %s", row_id, command, attempts, err)
            env.cr.execute(
                """UPDATE enforcement_outbox SET attempts = %s, state = %s, last_error = %s,
                   next_attempt_at = %s WHERE id = %s""",
                (attempts, state, f"{type(err).__name__}: {err}", datetime.utcnow() + backoff(attempts), row_id),
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
        else:
            raise ValueError(f"unknown outbox command {command!r}")

    async def _update_job_retries(self, job_key: int, retries: int) -> None:
        """pyzeebe 4.7 has no call for UpdateJobRetries: use the gateway stub
        on the client's own channel, with pyzeebe's mapping of gRPC errors."""
        adapter = self.client.zeebe_adapter
        try:
            await adapter._gateway_stub.UpdateJobRetries(
                UpdateJobRetriesRequest(jobKey=int(job_key), retries=int(retries)))
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.NOT_FOUND:
                raise JobNotFoundError(job_key) from err
            raise adapter._create_pyzeebe_error_from_grpc_error(err) from err
