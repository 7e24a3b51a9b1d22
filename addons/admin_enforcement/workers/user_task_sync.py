"""Odoo is the task list: every user task the engine creates is opened in
Odoo within a poll interval, and a reconciliation (at start and every
`reconcile_interval_s`) opens any task the engine has and Odoo lacks — after
a crash of the worker, Odoo or the engine — and closes the Odoo tasks whose
engine task is gone (an interrupting timer, a cancelled instance)."""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from ..services import user_tasks
from ..services.engine_client import AlreadyDone, EngineClient, EngineUnavailable, UserTask, every_page
from .runtime import OdooJobRunner, WorkerSettings

_logger = logging.getLogger(__name__)

# Creation times have millisecond precision and clocks differ a little:
# ask again for a short while back; opening a task twice is harmless.
OVERLAP = timedelta(seconds=2)
SEEN_KEPT = 5000
# Each task costs a variables call and an Odoo transaction: opened a few at
# a time, a burst of new tasks (a meeting's votes, many cases at once) does
# not queue behind one another.
OPENING_THREADS = 4


class UserTaskSync:
    def __init__(self, runner: OdooJobRunner, client: EngineClient, settings: WorkerSettings):
        self.runner = runner
        self.client = client
        self.settings = settings
        self.seen: dict[str, None] = {}
        self.seen_lock = threading.Lock()
        # Candidate groups are literals in our BPMN and nothing adds any at
        # run time, so they are the same for every task of one user task of
        # one deployed definition: asked once, not once per task.
        self.candidate_groups: dict[tuple[str, str], list[str]] = {}
        self.pool = ThreadPoolExecutor(max_workers=OPENING_THREADS, thread_name_prefix="task-open")

    def run(self, stop: threading.Event) -> None:
        try:
            since = self.reconcile()
            next_reconcile = time.monotonic() + self.settings.reconcile_interval_s
            while not stop.is_set():
                try:
                    since = self._open_new(since)
                    if time.monotonic() >= next_reconcile:
                        self.reconcile()
                        next_reconcile = time.monotonic() + self.settings.reconcile_interval_s
                except EngineUnavailable as err:
                    _logger.warning("engine unavailable for the task list: %s", err)
                stop.wait(self.settings.user_task_poll_ms / 1000)
        finally:
            self.pool.shutdown(wait=True)

    def _open_new(self, since: datetime) -> datetime:
        tasks = every_page(self.client.list_tasks, created_after=since - OVERLAP)
        self._open_all([task for task in tasks if task.id not in self.seen])
        return max((task.created for task in tasks), default=since)

    def _open_all(self, tasks: list[UserTask]) -> None:
        """Open ``tasks`` a few at a time; the first failure is raised once all are done."""
        for future in [self.pool.submit(self._open, task) for task in tasks]:
            future.result()

    def _open(self, task: UserTask) -> None:
        try:
            opened = user_tasks.from_engine(task, self._candidate_groups(task),
                                            self.client.task_variables(task.id, user_tasks.TASK_VARIABLES))
        except AlreadyDone:
            return  # completed or cancelled while we looked
        self.runner.run_plain(lambda env: env["enforcement.task"]._open_from_engine(opened))
        self._remember(task.id)

    def _candidate_groups(self, task: UserTask) -> list[str]:
        key = (task.process_definition_id, task.task_definition_key)
        if key not in self.candidate_groups:
            self.candidate_groups[key] = self.client.task_candidate_groups(task.id)
        return self.candidate_groups[key]

    def _remember(self, task_id: str) -> None:
        with self.seen_lock:
            self.seen[task_id] = None
            if len(self.seen) > SEEN_KEPT:
                self.seen.pop(next(iter(self.seen)))

    def reconcile(self) -> datetime:
        """Open what the engine has and Odoo lacks, close the reverse; returns
        the newest creation time seen, where polling goes on from."""
        listed_at = datetime.now(timezone.utc)
        tasks = every_page(self.client.list_tasks)
        engine_ids = {task.id for task in tasks}
        known = self.runner.run_plain(
            lambda env: set(env["enforcement.task"].search([("job_key", "in", list(engine_ids))]).mapped("job_key")))
        self._open_all([task for task in tasks if task.id not in known])
        for task in tasks:
            self._remember(task.id)
        # An Odoo task opened after the listing is not in it: only older ones are candidates.
        stale = self.runner.run_plain(lambda env: env["enforcement.task"].search([
            ("state", "=", "open"), ("job_key", "not in", list(engine_ids)),
            ("create_date", "<", listed_at.replace(tzinfo=None)),
        ]).mapped("job_key"))
        gone = [task_id for task_id in stale if self._is_gone(task_id)]
        if gone:
            self.runner.run_plain(lambda env: env["enforcement.task"].search([("job_key", "in", gone)])._close_gone())
        return max((task.created for task in tasks), default=listed_at)

    def _is_gone(self, task_id: str) -> bool:
        try:
            self.client.get_task(task_id)
        except AlreadyDone:
            return True
        return False
