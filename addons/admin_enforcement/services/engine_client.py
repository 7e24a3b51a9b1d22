"""The one module that talks to the process engine: Operaton 1.0.3's REST API.

Everything else in the product (workers, the user-task adapter, the outbox,
the incidents screen, scripts) calls this client, so the engine's URLs, its
JSON shapes and what its errors mean live here only. It does not import Odoo
and keeps no state besides an HTTP session: scripts and tests use it as is.

Errors fall into three kinds, so callers decide without reading messages:

- ``EngineUnavailable``: transient (engine down, timeout, a concurrent
  update lost); the same call may succeed later.
- ``EngineRefused``: permanent; the request or the model is wrong and
  retrying cannot help. ``NoSubscriber`` is the refusal of a message that no
  process waits for (Operaton keeps no buffer: the caller retries).
- ``AlreadyDone``: what the call addresses is finished or no longer this
  caller's (a completed task, an external task locked by another worker, a
  cancelled activity instance). Treat the call as delivered.

Variables cross the API in the engine's typed JSON form. There is no Spin
JSON data format in Operaton 1.0.3 on Maven Central, so there are no list or
map variables: passing one raises ``UnsupportedVariable`` before anything is
sent. Variables carry ids and decisions, never case data.

A ``Session`` is not safe to share between threads: use one client per thread.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

# Operaton's default REST date format, e.g. 2026-12-01T17:00:00.000+0800.
ENGINE_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%f%z"
INT32_MIN, INT32_MAX = -(2 ** 31), 2 ** 31 - 1
# Exception types the engine reports for a lost race; the caller retries.
TRANSIENT_ENGINE_TYPES = frozenset({"OptimisticLockingException"})
TRANSIENT_HTTP_STATUSES = frozenset({429, 502, 503, 504})
# Long polls are held by the engine; the HTTP timeout must outlast them.
LONG_POLL_MARGIN_S = 10.0

VariableValue = str | int | float | bool | datetime | None


class UnsupportedVariable(TypeError):
    """A value the engine cannot hold without Spin JSON (a list, a map, a
    naive datetime…). Raised before anything is sent."""


class EngineError(Exception):
    """Any failed engine call. `status` is the HTTP status (None when no
    answer came), `engine_type` the engine's exception type."""

    def __init__(self, message: str, status: int | None = None, engine_type: str | None = None):
        super().__init__(message)
        self.status = status
        self.engine_type = engine_type


class EngineUnavailable(EngineError):
    """Transient: no answer, a timeout, an overloaded gateway, or a
    concurrent modification the engine rolled back. Retry later."""


class EngineRefused(EngineError):
    """Permanent: the engine understood the call and refuses it."""


class NoSubscriber(EngineRefused):
    """A message that no process instance or start event waits for."""


class AlreadyDone(EngineError):
    """The task, external task or activity instance is finished, gone or
    locked by another worker: nothing is left for this call to do."""


# -- variables -----------------------------------------------------------------

def engine_date(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UnsupportedVariable(f"{moment!r} has no time zone; deadlines are handed over as aware datetimes")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}" + moment.strftime("%z")


def parse_engine_date(text: str | None) -> datetime | None:
    return datetime.strptime(text, ENGINE_DATE_FORMAT) if text else None


def typed_variable(name: str, value: VariableValue) -> dict[str, Any]:
    """One variable in the engine's JSON form, {"value": …, "type": …}."""
    # bool before int: True is an int in Python.
    if value is None:
        return {"value": None, "type": "Null"}
    if isinstance(value, bool):
        return {"value": value, "type": "Boolean"}
    if isinstance(value, int):
        return {"value": value, "type": "Integer" if INT32_MIN <= value <= INT32_MAX else "Long"}
    if isinstance(value, float):
        return {"value": value, "type": "Double"}
    if isinstance(value, str):
        return {"value": value, "type": "String"}
    if isinstance(value, datetime):
        return {"value": engine_date(value), "type": "Date"}
    if isinstance(value, (list, tuple, set, frozenset, dict)):
        raise UnsupportedVariable(
            f"variable {name!r} is a {type(value).__name__}: the engine has no list or map variables "
            "without Spin JSON; pass ids one by one, or use loopCardinality + loopCounter")
    raise UnsupportedVariable(f"variable {name!r} has type {type(value).__name__}, which the engine "
                              "cannot hold: use str, int, float, bool, an aware datetime or None")


def typed_variables(variables: Mapping[str, VariableValue] | None) -> dict[str, dict[str, Any]]:
    return {name: typed_variable(name, value) for name, value in (variables or {}).items()}


def plain_variables(typed: Mapping[str, Mapping[str, Any]] | None) -> dict[str, Any]:
    """Engine JSON variables back to Python values (Date as aware datetime)."""
    result: dict[str, Any] = {}
    for name, variable in (typed or {}).items():
        value = variable.get("value")
        result[name] = parse_engine_date(value) if variable.get("type") == "Date" else value
    return result


# -- what the engine returns ---------------------------------------------------------

@dataclass(frozen=True)
class ProcessDefinition:
    id: str
    key: str
    version: int


@dataclass(frozen=True)
class Deployment:
    id: str
    process_definitions: tuple[ProcessDefinition, ...]


@dataclass(frozen=True)
class ProcessInstance:
    id: str
    definition_id: str
    business_key: str | None
    ended: bool
    # Known from the history only (historic_process_instance).
    end_time: datetime | None = None


@dataclass(frozen=True)
class Topic:
    """One topic of a fetch-and-lock: the lock must cover the work, and only
    the listed variables are fetched (None: all of them). `business_key`
    narrows it to one case."""

    name: str
    lock_duration_ms: int
    variables: tuple[str, ...] | None = ()
    business_key: str | None = None


@dataclass(frozen=True)
class ExternalTask:
    id: str
    topic: str
    worker_id: str
    process_instance_id: str
    activity_id: str
    activity_instance_id: str
    business_key: str | None
    # None on the first fetch: the worker counts retries (handle_failure).
    retries: int | None
    lock_expiration: datetime | None
    variables: dict[str, Any] = field(default_factory=dict)
    # camunda:property entries of the service task, e.g. the declared retries.
    extension_properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UserTask:
    id: str
    name: str | None
    task_definition_key: str
    process_instance_id: str
    process_definition_id: str
    form_key: str | None
    assignee: str | None
    created: datetime
    due: datetime | None


@dataclass(frozen=True)
class Incident:
    id: str
    incident_type: str
    process_instance_id: str
    activity_id: str
    # For a failedExternalTask incident the external task's id, for a
    # failedJob incident the job's.
    configuration: str | None
    message: str | None
    timestamp: datetime | None
    process_definition_id: str | None = None
    execution_id: str | None = None


@dataclass(frozen=True)
class IncidentScope:
    """Where an incident sits in its process instance's activity-instance
    tree: the activity instance (or, before an asynchronous continuation,
    the transition instance) to cancel when the step is restarted, and the
    step's name as the BPMN gives it."""

    instance_id: str
    activity_id: str
    activity_name: str | None
    transition: bool


# -- the client ------------------------------------------------------------------

class EngineClient:
    """Typed calls on Operaton's REST API at `base_url` (…/engine-rest)."""

    def __init__(self, base_url: str, user: str, password: str, timeout_s: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.session = requests.Session()
        self.session.auth = (user, password)

    def close(self) -> None:
        self.session.close()

    # -- transport --

    def _call(self, method: str, path: str, *, json: Any = None, params: Mapping[str, Any] | None = None,
              files: Any = None, data: Any = None, timeout_s: float | None = None) -> Any:
        try:
            response = self.session.request(method, f"{self.base_url}{path}", json=json, params=params,
                                            files=files, data=data, timeout=timeout_s or self.timeout_s)
        except (requests.ConnectionError, requests.Timeout) as err:
            raise EngineUnavailable(f"{method} {path}: no answer from the engine at {self.base_url}: {err}")
        if response.status_code < 300:
            return response.json() if response.content else None
        try:
            body = response.json()
        except ValueError:
            body = {}
        engine_type = body.get("type") if isinstance(body, dict) else None
        message = (body.get("message") if isinstance(body, dict) else None) or response.text[:500]
        text = f"{method} {path}: HTTP {response.status_code} {engine_type or ''}: {message}".replace(" :", ":")
        if response.status_code in TRANSIENT_HTTP_STATUSES or engine_type in TRANSIENT_ENGINE_TYPES:
            raise EngineUnavailable(text, response.status_code, engine_type)
        if response.status_code == 404:
            raise AlreadyDone(text, response.status_code, engine_type)
        raise EngineRefused(text, response.status_code, engine_type)

    def version(self) -> str:
        """The engine's version; also proves the credentials are accepted."""
        return self._call("GET", "/version")["version"]

    # -- deployment and starts --

    def deploy(self, files: Sequence[Path], name: str = "admin_enforcement") -> Deployment:
        """Deploy BPMN files as one deployment. Unchanged files keep their
        version (duplicate filtering), so deploying at every start is cheap."""
        parts = [(path.name, (path.name, path.read_bytes(), "application/xml")) for path in files]
        form = {"deployment-name": name, "enable-duplicate-filtering": "true",
                "deploy-changed-only": "true", "deployment-source": "admin_enforcement"}
        body = self._call("POST", "/deployment/create", data=form, files=parts)
        definitions = tuple(ProcessDefinition(d["id"], d["key"], d["version"])
                            for d in (body.get("deployedProcessDefinitions") or {}).values())
        return Deployment(body["id"], definitions)

    def latest_process_definition(self, key: str) -> ProcessDefinition:
        body = self._call("GET", f"/process-definition/key/{key}")
        return ProcessDefinition(body["id"], body["key"], body["version"])

    def start_process_by_key(self, key: str, business_key: str,
                             variables: Mapping[str, VariableValue] | None = None) -> ProcessInstance:
        """Start the latest version of process `key`. The engine does not keep
        one instance per business key: the caller guarantees that."""
        body = self._call("POST", f"/process-definition/key/{key}/start",
                          json={"businessKey": business_key, "variables": typed_variables(variables)})
        return _process_instance(body)

    def correlate_message(self, name: str, business_key: str | None = None,
                          correlation_keys: Mapping[str, VariableValue] | None = None,
                          variables: Mapping[str, VariableValue] | None = None) -> str:
        """Deliver message `name` to the one instance waiting for it (matched
        by business key and/or correlation keys) or to its start event (then
        `business_key` becomes the new instance's). Returns the process
        instance id. Raises NoSubscriber when nothing waits for it."""
        payload: dict[str, Any] = {"messageName": name, "resultEnabled": True,
                                   "processVariables": typed_variables(variables)}
        if business_key is not None:
            payload["businessKey"] = business_key
        if correlation_keys:
            payload["correlationKeys"] = typed_variables(correlation_keys)
        try:
            results = self._call("POST", "/message", json=payload)
        except EngineRefused as err:
            # HTTP 400 of type RestException; the engine's exception is named
            # in the message only.
            if err.status == 400 and "MismatchingMessageCorrelationException" in str(err):
                raise NoSubscriber(str(err), err.status, err.engine_type) from None
            raise
        result = results[0]
        instance = result.get("processInstance") or result.get("execution") or {}
        return instance.get("processInstanceId") or instance["id"]

    def list_process_instances(self, business_key: str | None = None,
                               process_definition_key: str | None = None) -> list[ProcessInstance]:
        """Running instances (ended ones are in the history only)."""
        params = _without_none({"businessKey": business_key, "processDefinitionKey": process_definition_key})
        return [_process_instance(p) for p in self._call("GET", "/process-instance", params=params)]

    def historic_process_instance(self, process_instance_id: str) -> ProcessInstance:
        """An instance whether running or ended (history level full)."""
        body = self._call("GET", f"/history/process-instance/{process_instance_id}")
        return ProcessInstance(body["id"], body["processDefinitionId"], body.get("businessKey"),
                               body.get("state") not in ("ACTIVE", "SUSPENDED"),
                               parse_engine_date(body.get("endTime")))

    def historic_process_instances(self, business_key: str, process_definition_key: str,
                                   started_after: datetime | None = None) -> list[ProcessInstance]:
        """Instances running or ended of one definition and business key."""
        params = _without_none({
            "processInstanceBusinessKey": business_key, "processDefinitionKey": process_definition_key,
            "startedAfter": engine_date(started_after) if started_after else None})
        return [ProcessInstance(body["id"], body["processDefinitionId"], body.get("businessKey"),
                                body.get("state") not in ("ACTIVE", "SUSPENDED"),
                                parse_engine_date(body.get("endTime")))
                for body in self._call("GET", "/history/process-instance", params=params)]

    # -- external tasks --

    def fetch_and_lock(self, worker_id: str, topics: Iterable[Topic], max_tasks: int = 10,
                       async_response_timeout_ms: int | None = None) -> list[ExternalTask]:
        """Lock up to `max_tasks` tasks of these topics for `worker_id`. With
        `async_response_timeout_ms` the engine holds the request until a task
        is there (long polling). It wakes only for tasks created on the node
        it waits on: behind a load balancer keep the timeout short."""
        payload: dict[str, Any] = {
            "workerId": worker_id, "maxTasks": max_tasks, "usePriority": True,
            "topics": [_without_none({"topicName": t.name, "lockDuration": t.lock_duration_ms,
                                      "variables": list(t.variables) if t.variables is not None else None,
                                      "businessKey": t.business_key, "includeExtensionProperties": True})
                       for t in topics],
        }
        timeout_s = self.timeout_s
        if async_response_timeout_ms is not None:
            payload["asyncResponseTimeout"] = async_response_timeout_ms
            timeout_s += async_response_timeout_ms / 1000 + LONG_POLL_MARGIN_S
        return [_external_task(t) for t in self._call("POST", "/external-task/fetchAndLock",
                                                        json=payload, timeout_s=timeout_s)]

    def complete_external_task(self, task_id: str, worker_id: str,
                               variables: Mapping[str, VariableValue] | None = None) -> None:
        """AlreadyDone when the task was completed before or another worker
        holds it now (its lock expired and it was fetched again)."""
        self._external_task_call(task_id, "complete", {"workerId": worker_id,
                                                       "variables": typed_variables(variables)})

    def handle_failure(self, task_id: str, worker_id: str, error_message: str, error_details: str,
                       retries: int, retry_timeout_ms: int) -> None:
        """Report a failed attempt. `retries` is what is left, counted by the
        worker; at 0 the engine raises an incident."""
        self._external_task_call(task_id, "failure", {
            "workerId": worker_id, "errorMessage": error_message[:600], "errorDetails": error_details,
            "retries": retries, "retryTimeout": retry_timeout_ms})

    def handle_bpmn_error(self, task_id: str, worker_id: str, error_code: str, error_message: str = "",
                          variables: Mapping[str, VariableValue] | None = None) -> None:
        """A business outcome a boundary event of the model catches."""
        self._external_task_call(task_id, "bpmnError", {
            # The engine refuses an empty message (HTTP 500 "Error Message is empty").
            "workerId": worker_id, "errorCode": error_code, "errorMessage": error_message or error_code,
            "variables": typed_variables(variables)})

    def extend_lock(self, task_id: str, worker_id: str, new_duration_ms: int) -> None:
        self._external_task_call(task_id, "extendLock", {"workerId": worker_id, "newDuration": new_duration_ms})

    def set_external_task_retries(self, task_id: str, retries: int) -> None:
        """Resolves the task's incident when `retries` > 0."""
        self._call("PUT", f"/external-task/{task_id}/retries", json={"retries": retries})

    def _external_task_call(self, task_id: str, action: str, payload: dict[str, Any]) -> None:
        try:
            self._call("POST", f"/external-task/{task_id}/{action}", json=payload)
        except EngineRefused as err:
            # The engine answers a worker whose lock was taken over with a
            # refusal naming the worker that holds it now.
            if "is locked by" in str(err) or "is not locked" in str(err):
                raise AlreadyDone(str(err), err.status, err.engine_type) from None
            raise

    # -- user tasks --

    def list_tasks(self, *, created_after: datetime | None = None, process_instance_id: str | None = None,
                   business_key: str | None = None, candidate_group: str | None = None,
                   task_definition_key: str | None = None, first_result: int = 0,
                   max_results: int = 200) -> list[UserTask]:
        """Open user tasks, oldest first."""
        params = _without_none({
            "createdAfter": engine_date(created_after) if created_after else None,
            "processInstanceId": process_instance_id, "processInstanceBusinessKey": business_key,
            "candidateGroup": candidate_group, "taskDefinitionKey": task_definition_key,
            "sortBy": "created", "sortOrder": "asc", "firstResult": first_result, "maxResults": max_results,
        })
        return [_user_task(t) for t in self._call("GET", "/task", params=params)]

    def get_task(self, task_id: str) -> UserTask:
        """AlreadyDone when the task is completed or its instance ended."""
        return _user_task(self._call("GET", f"/task/{task_id}"))

    def task_variables(self, task_id: str, names: Sequence[str]) -> dict[str, Any]:
        """The variables ``names`` as the task sees them: its own scope (a
        multi-instance's loopCounter) and the enclosing ones."""
        body = self._task_call(task_id, f"/task/{task_id}/variables", {"variableNames": ",".join(names)})
        return plain_variables(body)

    def task_candidate_groups(self, task_id: str) -> list[str]:
        links = self._task_call(task_id, f"/task/{task_id}/identity-links", {"type": "candidate"})
        return [link["groupId"] for link in links if link.get("groupId")]

    def _task_call(self, task_id: str, path: str, params: dict) -> Any:
        """A read of a task that may end while it is read (an interrupting
        timer already due when the task was created, as the 24-hour window of
        an emergency seizure can be): AlreadyDone, as for a completion."""
        try:
            return self._call("GET", path, params=params)
        except EngineRefused as err:
            if re.search(r"Cannot find task|task \S+ doesn't exist|does not exist", str(err)):
                raise AlreadyDone(str(err), err.status, err.engine_type) from None
            raise

    def complete_task(self, task_id: str, variables: Mapping[str, VariableValue] | None = None) -> None:
        """AlreadyDone when the task was completed before (or never existed)."""
        try:
            self._call("POST", f"/task/{task_id}/complete", json={"variables": typed_variables(variables)})
        except EngineRefused as err:
            # A gone task is answered with HTTP 500 "Cannot find task with id …".
            if "Cannot find task with id" in str(err):
                raise AlreadyDone(str(err), err.status, err.engine_type) from None
            raise

    # -- incidents and repair --

    def list_incidents(self, process_instance_id: str | None = None, incident_type: str | None = None,
                       incident_id: str | None = None, first_result: int = 0,
                       max_results: int = 200) -> list[Incident]:
        """Open incidents (a resolved incident is gone from this list), oldest first."""
        params = _without_none({"processInstanceId": process_instance_id, "incidentType": incident_type,
                                "incidentId": incident_id, "sortBy": "incidentTimestamp", "sortOrder": "asc",
                                "firstResult": first_result, "maxResults": max_results})
        return [_incident(i) for i in self._call("GET", "/incident", params=params)]

    def business_keys(self, process_instance_ids: Sequence[str]) -> dict[str, str | None]:
        """Business key of each running process instance (call-activity
        children carry the case reference too)."""
        keys: dict[str, str | None] = {}
        ids = list(dict.fromkeys(process_instance_ids))
        for start in range(0, len(ids), 50):
            chunk = ids[start:start + 50]
            for body in self._call("GET", "/process-instance",
                                   params={"processInstanceIds": ",".join(chunk), "maxResults": len(chunk)}):
                keys[body["id"]] = body.get("businessKey")
        return keys

    def incident_scopes(self, process_instance_id: str) -> dict[str, IncidentScope]:
        """For each open incident of the instance, the activity or transition
        instance it belongs to, by incident id."""
        return find_incident_scopes(self._call("GET", f"/process-instance/{process_instance_id}/activity-instances"))

    def set_job_retries(self, job_id: str, retries: int) -> None:
        """Give a failed job (a timer, an asynchronous continuation) new
        retries; resolves its failedJob incident. AlreadyDone when the job is
        gone."""
        try:
            self._call("PUT", f"/job/{job_id}/retries", json={"retries": retries})
        except EngineRefused as err:
            # A gone job is answered with HTTP 500 "ENGINE-13053 No job found with id …".
            if "No job found with id" in str(err):
                raise AlreadyDone(str(err), err.status, err.engine_type) from None
            raise

    def activity_instance_ids(self, process_instance_id: str, activity_id: str) -> list[str]:
        """Ids of the running instances of one activity in a process instance."""
        found: list[str] = []

        def walk(node: Mapping[str, Any]) -> None:
            if node.get("activityId") == activity_id:
                found.append(node["id"])
            for child in node.get("childActivityInstances") or ():
                walk(child)
            found.extend(t["id"] for t in node.get("childTransitionInstances") or ()
                         if t.get("activityId") == activity_id)

        walk(self._call("GET", f"/process-instance/{process_instance_id}/activity-instances"))
        return found

    def restart_activity(self, process_instance_id: str, activity_instance_id: str, activity_id: str,
                         annotation: str = "", transition: bool = False) -> None:
        """Cancel one activity instance (with ``transition``, a transition
        instance: a step waiting before its asynchronous continuation) and
        start its activity again, in one engine transaction. When the
        activity instance is already gone (restarted or finished) the whole
        modification is refused and AlreadyDone raised. A transition
        instance's id is its execution's, which the restarted step keeps:
        callers that must apply a restart at most once check first that
        the incident they restart is still open (the outbox does).
        Listeners and io mappings of the cancelled instance are skipped: it
        is replaced, not finished."""
        cancel = {"type": "cancel", ("transitionInstanceId" if transition else "activityInstanceId"):
                  activity_instance_id}
        payload = {
            "skipCustomListeners": True, "skipIoMappings": True, "annotation": annotation,
            "instructions": [cancel, {"type": "startBeforeActivity", "activityId": activity_id}],
        }
        try:
            self._call("POST", f"/process-instance/{process_instance_id}/modification", json=payload)
        except EngineRefused as err:
            # HTTP 400 NotValidException: "Activity instance '…' does not exist".
            if activity_instance_id in str(err) and "does not exist" in str(err):
                raise AlreadyDone(str(err), err.status, err.engine_type) from None
            raise


def find_incident_scopes(tree: Mapping[str, Any]) -> dict[str, IncidentScope]:
    """Walk an activity-instance tree (GET /process-instance/{id}/activity-instances):
    every activity or transition instance lists the ids of its incidents."""
    scopes: dict[str, IncidentScope] = {}

    def walk(node: Mapping[str, Any]) -> None:
        for child in node.get("childActivityInstances") or ():
            for incident_id in child.get("incidentIds") or ():
                scopes[incident_id] = IncidentScope(child["id"], child["activityId"], child.get("activityName"),
                                                    transition=False)
            walk(child)
        for transition in node.get("childTransitionInstances") or ():
            for incident_id in transition.get("incidentIds") or ():
                scopes[incident_id] = IncidentScope(transition["id"], transition["activityId"],
                                                    transition.get("activityName"), transition=True)

    walk(tree)
    return scopes


def every_page(list_call: Callable[..., list[Any]], page_size: int = 200, **filters: Any) -> list[Any]:
    """All rows of a paged ``list_*`` call (``first_result`` / ``max_results``), page by page."""
    rows: list[Any] = []
    while True:
        page = list_call(**filters, first_result=len(rows), max_results=page_size)
        rows.extend(page)
        if len(page) < page_size:
            return rows


def _without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def _process_instance(body: Mapping[str, Any]) -> ProcessInstance:
    return ProcessInstance(body["id"], body["definitionId"], body.get("businessKey"), bool(body.get("ended")))


def _external_task(body: Mapping[str, Any]) -> ExternalTask:
    return ExternalTask(
        id=body["id"], topic=body["topicName"], worker_id=body["workerId"],
        process_instance_id=body["processInstanceId"], activity_id=body["activityId"],
        activity_instance_id=body["activityInstanceId"], business_key=body.get("businessKey"),
        retries=body.get("retries"), lock_expiration=parse_engine_date(body.get("lockExpirationTime")),
        variables=plain_variables(body.get("variables")),
        extension_properties=dict(body.get("extensionProperties") or {}),
    )


def _incident(body: Mapping[str, Any]) -> Incident:
    return Incident(body["id"], body["incidentType"], body["processInstanceId"], body["activityId"],
                    body.get("configuration"), body.get("incidentMessage"),
                    parse_engine_date(body.get("incidentTimestamp")),
                    process_definition_id=body.get("processDefinitionId"), execution_id=body.get("executionId"))


def _user_task(body: Mapping[str, Any]) -> UserTask:
    return UserTask(
        id=body["id"], name=body.get("name"), task_definition_key=body["taskDefinitionKey"],
        process_instance_id=body["processInstanceId"], process_definition_id=body["processDefinitionId"],
        form_key=body.get("formKey"), assignee=body.get("assignee"),
        created=parse_engine_date(body["created"]), due=parse_engine_date(body.get("due")),
    )
