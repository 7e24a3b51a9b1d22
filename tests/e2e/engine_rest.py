"""What the end-to-end tests and the benchmarks ask the engine directly, over
Operaton's own REST API, besides what the product's engine client offers:
the history of a case's instances, its timer jobs, and making a timer due
now. Test helpers only: the product never moves a timer.

A case's instances, its call-activity children included, all carry the case
reference as business key (bpmn/README.md), so every question here is asked
by business key. Operaton has no controllable clock: a test that needs a
timer to fire sets that one timer job's due date to now
(``PUT /job/{id}/duedate``) and lets the job executor fire it, as it fires
any due timer.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

ENGINE_DATE = "%Y-%m-%dT%H:%M:%S.%f%z"


def engine_now() -> str:
    """Now in the engine's REST date format (2026-12-01T09:00:00.000+0000)."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}+0000"


def parse(text: str | None) -> datetime | None:
    return datetime.strptime(text, ENGINE_DATE) if text else None


class EngineRest:
    """Raw REST calls through the session (and credentials) of an
    ``EngineClient``. Not thread-safe, like the client."""

    def __init__(self, client):
        self.client = client

    def call(self, method: str, path: str, *, params: dict | None = None, json: Any = None,
             timeout: float = 30) -> Any:
        response = self.client.session.request(method, f"{self.client.base_url}{path}", params=params,
                                               json=json, timeout=timeout)
        if response.status_code >= 300:
            raise AssertionError(f"{method} {path} {params or ''}: HTTP {response.status_code}: "
                                 f"{response.text[:500]}")
        return response.json() if response.content else None

    def get(self, path: str, **params) -> Any:
        return self.call("GET", path, params={k: v for k, v in params.items() if v is not None})

    # -- a case's instances --

    def case_instances(self, business_key: str, **params) -> list[dict]:
        """Every instance ever started with this business key, running or
        ended, call-activity children included, oldest first."""
        return self.get("/history/process-instance", processInstanceBusinessKey=business_key,
                        sortBy="startTime", sortOrder="asc", **params)

    def started_instances(self, business_key: str, process_key: str) -> list[dict]:
        """Instances of one process (e.g. the penalty procedure) for this key."""
        return self.case_instances(business_key, processDefinitionKey=process_key)

    def running_instances(self, business_key: str) -> list[dict]:
        return self.get("/process-instance", businessKey=business_key)

    def is_active(self, process_instance_id: str) -> bool:
        return self.get(f"/history/process-instance/{process_instance_id}")["state"] in ("ACTIVE", "SUSPENDED")

    def activities(self, business_key: str, activity_id: str | None = None,
                   process_key: str | None = None) -> list[dict]:
        """Historic activity instances of every instance of the case (of one
        process, when given), in order."""
        found = []
        for instance in self.case_instances(business_key, processDefinitionKey=process_key):
            found += self.get("/history/activity-instance", processInstanceId=instance["id"],
                              activityId=activity_id, sortBy="startTime", sortOrder="asc")
        return sorted(found, key=lambda a: (a["startTime"], a["id"]))

    def completed_user_tasks(self, business_key: str, task_definition_key: str | None = None) -> list[dict]:
        """Historic user tasks of the case that were completed (not cancelled)."""
        found = []
        for instance in self.case_instances(business_key):
            found += self.get("/history/task", processInstanceId=instance["id"], finished="true",
                              taskDefinitionKey=task_definition_key)
        return [t for t in found if t.get("deleteReason") == "completed"]

    def external_tasks(self, business_key: str | None = None, topic: str | None = None,
                       locked: bool | None = None) -> list[dict]:
        """Open external tasks (those waiting for or held by a worker)."""
        params = {"topicName": topic}
        if locked is not None:
            params["locked" if locked else "notLocked"] = "true"
        tasks = self.get("/external-task", **params)
        if business_key is None:
            return tasks
        ids = {i["id"] for i in self.running_instances(business_key)}
        return [t for t in tasks if t["processInstanceId"] in ids]

    def incidents(self, business_key: str) -> list[dict]:
        found = []
        for instance in self.running_instances(business_key):
            found += self.get("/incident", processInstanceId=instance["id"])
        return found

    # -- timers --

    def timer_jobs(self, business_key: str, activity_id: str | None = None) -> list[dict]:
        """Timer jobs of the case's running instances (children included);
        the job's JSON does not name its activity, the query filters by it."""
        jobs = []
        for instance in self.running_instances(business_key):
            jobs += self.get("/job", processInstanceId=instance["id"], timers="true", activityId=activity_id)
        return jobs

    def make_timer_due(self, business_key: str, activity_id: str, timeout: float = 60) -> dict:
        """Wait until the case's timer `activity_id` (a timer event's id) is
        scheduled, then set its due date to now: the job executor fires it
        within its acquisition interval, as it would at the real date."""
        deadline = time.monotonic() + timeout
        while True:
            jobs = self.timer_jobs(business_key, activity_id)
            if jobs:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"{business_key}: no timer job {activity_id!r} after {timeout}s; the "
                                     f"case has {len(self.timer_jobs(business_key))} other timer jobs")
            time.sleep(0.2)
        assert len(jobs) == 1, f"{business_key}: {len(jobs)} timer jobs {activity_id!r}: {jobs}"
        self.call("PUT", f"/job/{jobs[0]['id']}/duedate", json={"duedate": engine_now()})
        return jobs[0]

    def timer_fired(self, job_id: str) -> bool:
        """The timer job is gone: fired (or cancelled with its scope)."""
        return not self.get("/job", jobId=job_id)
