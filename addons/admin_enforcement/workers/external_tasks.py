"""Fetches and runs the engine's external tasks: one long-polling loop per
engine node (a node wakes only for tasks created on it), the tasks run in a
thread pool, each in its own Odoo transaction (runtime.OdooJobRunner).

A task's lock lives in the cluster's shared database, so its result can be
reported through any node: when the node it was fetched from does not
answer, the report goes to the others, and the case goes on at once instead
of after the lock time."""
from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from ..services.engine_client import AlreadyDone, EngineClient, EngineUnavailable, ExternalTask, Topic
from .runtime import TOPICS, BpmnError, OdooJobRunner, WorkerSettings, retries_left_after_failure, retry_backoff_ms

_logger = logging.getLogger(__name__)

UNAVAILABLE_PAUSE_S = 2


class ExternalTaskWorker:
    def __init__(self, runner: OdooJobRunner, client: EngineClient, settings: WorkerSettings, worker_id: str,
                 other_nodes: Sequence[EngineClient] = ()):
        self.runner = runner
        self.client = client
        self.report_nodes = (client, *other_nodes)
        self.settings = settings
        self.worker_id = worker_id
        self.topics = [Topic(handler.topic, settings.lock_duration_ms, handler.variables)
                       for handler in TOPICS.values()]
        self.pool = ThreadPoolExecutor(max_workers=settings.max_tasks, thread_name_prefix="external-task")
        # Fetch no more than the pool can start: a fetched task's lock runs from the fetch.
        self.free = threading.Semaphore(settings.max_tasks)

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                self._fetch_and_run(stop)
        finally:
            self.pool.shutdown(wait=True)

    def _fetch_and_run(self, stop: threading.Event) -> None:
        capacity = self._take_capacity()
        try:
            tasks = self.client.fetch_and_lock(self.worker_id, self.topics, max_tasks=capacity,
                                               async_response_timeout_ms=self.settings.long_poll_ms)
        except EngineUnavailable as err:
            _logger.warning("engine at %s unavailable: %s", self.client.base_url, err)
            self._give_back(capacity)
            stop.wait(UNAVAILABLE_PAUSE_S)
            return
        except Exception:
            self._give_back(capacity)
            raise
        self._give_back(capacity - len(tasks))
        for task in tasks:
            self.pool.submit(self._handle, task)

    def _take_capacity(self) -> int:
        self.free.acquire()
        taken = 1
        while taken < self.settings.max_tasks and self.free.acquire(blocking=False):
            taken += 1
        return taken

    def _give_back(self, count: int) -> None:
        for _ in range(count):
            self.free.release()

    def _handle(self, task: ExternalTask) -> None:
        try:
            self._run_and_report(task)
        except Exception:  # a report the engine did not take: the lock expires and the task comes back
            _logger.exception("task %s (%s): could not report to the engine", task.id, task.topic)
        finally:
            self.free.release()

    def _run_and_report(self, task: ExternalTask) -> None:
        handler = TOPICS[task.topic]
        case_id = task.variables.get("case_id")
        try:
            if handler.serial:
                with handler.serial:
                    result = self.runner.run(task, handler.handler, case_id)
            else:
                result = self.runner.run(task, handler.handler, case_id)
        except BpmnError as err:
            _logger.info("task %s (%s): BPMN error %s", task.id, task.topic, err.code)
            self._report("handle_bpmn_error", task.id, self.worker_id, err.code, err.message)
            return
        except Exception as err:
            retries = retries_left_after_failure(task)
            _logger.warning("task %s (%s) of instance %s failed (%s retries left): %s",
                            task.id, task.topic, task.process_instance_id, retries, err)
            self._report("handle_failure", task.id, self.worker_id, f"{type(err).__name__}: {err}",
                         traceback.format_exc(), retries, retry_backoff_ms(task))
            return
        self._report("complete_external_task", task.id, self.worker_id, result)

    def _report(self, call: str, task_id: str, *args) -> None:
        for node in self.report_nodes:
            try:
                getattr(node, call)(task_id, *args)
                return
            except AlreadyDone as err:
                # Completed before, or its lock expired and another worker holds it:
                # that worker finds the stored result (idempotent by task id).
                _logger.info("task %s: already reported (%s)", task_id, err)
                return
            except EngineUnavailable as err:
                if node is self.report_nodes[-1]:
                    raise
                _logger.warning("task %s: %s did not take the report (%s); trying the next node",
                                task_id, node.base_url, err)
