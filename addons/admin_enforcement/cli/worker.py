"""`odoo-bin --addons-path=… enforcement_worker -c odoo.conf -d DB`: the Zeebe
job worker and outbox dispatcher, running with the Odoo registry."""
import argparse
import asyncio
import logging
import os
import signal
import socket

import odoo
from odoo.cli import Command
from odoo.tools import config

_logger = logging.getLogger(__name__)


def _option(name, default, cast=str):
    value = os.environ.get(name.upper()) or config.get(name)
    return cast(value) if value not in (None, "", False) else default


class EnforcementWorker(Command):
    """Run the Zeebe job worker and the outbox dispatcher for one database"""

    name = "enforcement_worker"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog="enforcement_worker", add_help=False)
        parser.add_argument("--once-check", action="store_true",
                            help="connect, print the Zeebe topology and exit")
        own, odoo_args = parser.parse_known_args(cmdargs)
        config.parse_config(odoo_args, setup_logging=True)
        dbname = config["db_name"]
        if not dbname or "," in dbname:
            raise SystemExit("enforcement_worker needs exactly one database: pass -d DB")
        odoo.service.server.load_server_wide_modules()
        registry = odoo.modules.registry.Registry(dbname)
        address = _option("zeebe_address", "127.0.0.1:26500")
        asyncio.run(_serve(registry, dbname, address, own.once_check))


async def _serve(registry, dbname, address, once_check):
    from pyzeebe import ZeebeClient, ZeebeWorker, create_insecure_channel

    from ..workers import router_builders
    from ..workers.outbox_dispatcher import OutboxDispatcher
    from ..workers.runtime import OdooJobRunner, WorkerSettings

    channel = create_insecure_channel(grpc_address=address)
    client = ZeebeClient(channel, max_connection_retries=-1)
    if once_check:
        print(await client.topology())
        return
    runner = OdooJobRunner(registry)
    defaults = WorkerSettings()
    settings = WorkerSettings(
        service_timeout_ms=_option("zeebe_job_timeout_ms", defaults.service_timeout_ms, int),
        user_task_timeout_ms=_option("zeebe_user_task_timeout_ms", defaults.user_task_timeout_ms, int),
        max_jobs_to_activate=_option("zeebe_worker_max_jobs_to_activate", defaults.max_jobs_to_activate, int),
        max_running_jobs=_option("zeebe_worker_max_running_jobs", defaults.max_running_jobs, int),
    )
    worker = ZeebeWorker(
        channel,
        name=f"{socket.gethostname()}:{os.getpid()}",
        max_connection_retries=-1,
        poll_retry_delay=1,
        stream_enabled=True,
    )
    for build_router in router_builders():
        worker.include_router(build_router(runner, settings))

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    dispatcher = OutboxDispatcher(runner, client, dbname)
    heartbeat = _Heartbeat(runner, address)
    _logger.info("enforcement worker for %s on Zeebe %s: %s", dbname, address,
                 ", ".join(t.type for t in worker.tasks))
    jobs = [
        asyncio.create_task(worker.work(), name="zeebe worker"),
        asyncio.create_task(dispatcher.run(stop), name="outbox dispatcher"),
        asyncio.create_task(heartbeat.run(stop), name="heartbeat"),
    ]
    failures = []

    def stop_on_failure(task):
        if not task.cancelled() and task.exception() is not None:
            # A half-working worker looks alive but loses work: stop, so the
            # supervisor (scripts/run, systemd) restarts a whole one.
            _logger.error("%s failed; stopping the worker", task.get_name(), exc_info=task.exception())
            failures.append(task.get_name())
            stop.set()

    for job in jobs:
        job.add_done_callback(stop_on_failure)
    await stop.wait()
    _logger.info("stopping the enforcement worker")
    await worker.stop()
    for job in jobs:
        job.cancel()
    await asyncio.gather(*jobs, return_exceptions=True)
    await channel.close()
    if failures:
        raise SystemExit(f"enforcement worker stopped after a failure in: {', '.join(failures)}")


class _Heartbeat:
    INTERVAL = 5

    def __init__(self, runner, address):
        self.runner = runner
        self.address = address
        self.name = f"{socket.gethostname()}:{os.getpid()}"

    async def run(self, stop):
        started = odoo.fields.Datetime.now()
        while not stop.is_set():
            await asyncio.to_thread(self.runner.run_plain, lambda env: self._beat(env, started))
            try:
                await asyncio.wait_for(stop.wait(), self.INTERVAL)
            except asyncio.TimeoutError:
                pass

    def _beat(self, env, started):
        status = env["enforcement.worker.status"].search([("name", "=", self.name)], limit=1)
        vals = {"last_seen": odoo.fields.Datetime.now(), "jobs_done": self.runner.jobs_done,
                "zeebe_address": self.address}
        if status:
            status.write(vals)
        else:
            env["enforcement.worker.status"].create({"name": self.name, "started_at": started, **vals})
