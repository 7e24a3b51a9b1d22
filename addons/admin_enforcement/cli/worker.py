"""`odoo-bin --addons-path=… enforcement_worker -c odoo.conf -d DB`: the
engine's external-task worker, the user-task list sync, the incident import
and the outbox dispatcher, running with the Odoo registry.

The engine is ENGINE_URL (several nodes of one cluster: comma-separated),
ENGINE_USER and ENGINE_PASSWORD. External tasks are long-polled on every
node, since a node wakes only for tasks created on it, and a task's result
is reported through the other nodes when its own does not answer; the task
list and the outbox use one node and move to the next when it does not
answer.
"""
import argparse
import logging
import os
import signal
import socket
import threading

import odoo
from odoo.cli import Command
from odoo.tools import config

_logger = logging.getLogger(__name__)


def _option(name, default, cast=str):
    value = os.environ.get(name.upper()) or config.get(name)
    return cast(value) if value not in (None, "", False) else default


class EnforcementWorker(Command):
    """Run the engine's external-task worker, the task list sync and the outbox dispatcher for one database"""

    name = "enforcement_worker"

    def run(self, cmdargs):
        parser = argparse.ArgumentParser(prog="enforcement_worker", add_help=False)
        parser.add_argument("--once-check", action="store_true",
                            help="connect to every engine node, print its version and exit")
        own, odoo_args = parser.parse_known_args(cmdargs)
        config.parse_config(odoo_args, setup_logging=True)
        dbname = config["db_name"]
        if not dbname or "," in dbname:
            raise SystemExit("enforcement_worker needs exactly one database: pass -d DB")
        odoo.service.server.load_server_wide_modules()
        registry = odoo.modules.registry.Registry(dbname)
        _serve(registry, dbname, own.once_check)


def _engine_clients():
    from ..services.engine_client import EngineClient

    urls = [url.strip() for url in os.environ.get("ENGINE_URL", "").split(",") if url.strip()]
    user, password = os.environ.get("ENGINE_USER"), os.environ.get("ENGINE_PASSWORD")
    if not urls or not user or not password:
        raise SystemExit("enforcement_worker needs ENGINE_URL, ENGINE_USER and ENGINE_PASSWORD")
    return [EngineClient(url, user, password) for url in urls]


def _serve(registry, dbname, once_check):
    from ..workers import load_handlers
    from ..workers.external_tasks import ExternalTaskWorker
    from ..workers.incident_sync import IncidentSync
    from ..workers.outbox_dispatcher import OutboxDispatcher
    from ..workers.runtime import OdooJobRunner, WorkerSettings
    from ..workers.user_task_sync import UserTaskSync

    clients = _engine_clients()
    if once_check:
        for client in clients:
            print(f"{client.base_url}: Operaton {client.version()}")  # pylint: disable=print-used  # the check's answer
        return
    topics = load_handlers()
    runner = OdooJobRunner(registry)
    defaults = WorkerSettings()
    settings = WorkerSettings(
        max_tasks=_option("engine_worker_max_tasks", defaults.max_tasks, int),
        lock_duration_ms=_option("engine_lock_duration_ms", defaults.lock_duration_ms, int),
        long_poll_ms=_option("engine_long_poll_ms", defaults.long_poll_ms, int),
        user_task_poll_ms=_option("engine_user_task_poll_ms", defaults.user_task_poll_ms, int),
        reconcile_interval_s=_option("engine_reconcile_interval_s", defaults.reconcile_interval_s, int),
        incident_sync_interval_s=_option("engine_incident_sync_interval_s", defaults.incident_sync_interval_s, int),
    )
    name = f"{socket.gethostname()}:{os.getpid()}"
    primary = _FailoverClient(clients)
    loops = [(f"external tasks on {client.base_url}",
              ExternalTaskWorker(runner, client, settings, name, [c for c in clients if c is not client]).run)
             for client in clients]
    loops += [
        ("task list", UserTaskSync(runner, primary, settings).run),
        ("incident import", IncidentSync(runner, primary, settings).run),
        ("outbox dispatcher", OutboxDispatcher(runner, primary, dbname).run),
        ("heartbeat", _Heartbeat(runner, name, ", ".join(c.base_url for c in clients)).run),
    ]
    stop = threading.Event()
    failures = []

    def guarded(what, loop):
        try:
            loop(stop)
        except Exception:
            # A half-working worker looks alive but loses work: stop, so the
            # supervisor (scripts/run, systemd) restarts a whole one.
            _logger.exception("%s failed; stopping the worker", what)
            failures.append(what)
            stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    threads = [threading.Thread(target=guarded, args=loop, name=loop[0], daemon=True) for loop in loops]
    _logger.info("enforcement worker %s for %s on %s: %s", name, dbname,
                 ", ".join(c.base_url for c in clients), ", ".join(sorted(topics)))
    for thread in threads:
        thread.start()
    while not stop.wait(1):
        pass
    _logger.info("stopping the enforcement worker")
    for thread in threads:
        thread.join(timeout=30)
    if failures:
        raise SystemExit(f"enforcement worker stopped after a failure in: {', '.join(failures)}")


class _FailoverClient:
    """The engine client of one node, moving to the next node when a call finds it unavailable."""

    def __init__(self, clients):
        self._clients = clients
        self._current = 0
        self._lock = threading.Lock()

    def __getattr__(self, name):
        from ..services.engine_client import EngineUnavailable

        client = self._clients[self._current]
        attribute = getattr(client, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            try:
                return attribute(*args, **kwargs)
            except EngineUnavailable:
                with self._lock:
                    if self._clients[self._current] is client:
                        self._current = (self._current + 1) % len(self._clients)
                raise
        return call


class _Heartbeat:
    INTERVAL = 5

    def __init__(self, runner, name, engine_url):
        self.runner = runner
        self.name = name
        self.engine_url = engine_url

    def run(self, stop):
        started = odoo.fields.Datetime.now()
        while not stop.is_set():
            self.runner.run_plain(lambda env: self._beat(env, started))
            stop.wait(self.INTERVAL)

    def _beat(self, env, started):
        status = env["enforcement.worker.status"].search([("name", "=", self.name)], limit=1)
        vals = {"last_seen": odoo.fields.Datetime.now(), "jobs_done": self.runner.jobs_done,
                "engine_url": self.engine_url}
        if status:
            status.write(vals)
        else:
            env["enforcement.worker.status"].create({"name": self.name, "started_at": started, **vals})
