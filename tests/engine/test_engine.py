"""One real Operaton node: REST security, and the client driving a process
through every kind of step the product uses."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from conftest import record_figure
from processes import (CASE_PROCESS_KEY, CASE_START_MESSAGE, CASE_TIMER, CASE_TOPIC, CASE_USER_TASK,
                       STEP_PROCESS_KEY, STEP_TOPIC)
from services.engine_client import (AlreadyDone, EngineClient, NoSubscriber, Topic, UnsupportedVariable)

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
LEADER_GROUP = "admin_enforcement.group_enforcement_leader"


def test_rest_calls_without_the_product_credentials_are_refused(engine, client, deployed, rundir: Path):
    """Nobody but the product drives the engine: completing a task,
    correlating a message and deploying need the generated credentials."""
    client.correlate_message(CASE_START_MESSAGE, business_key="CASE-AUTH",
                             variables={"deadline": (datetime.now(BEIJING) + timedelta(days=1)).isoformat()})
    external = client.fetch_and_lock("auth-worker", [Topic(CASE_TOPIC, 10_000, business_key="CASE-AUTH")],
                                    max_tasks=1)[0]
    client.complete_external_task(external.id, "auth-worker")
    task = client.list_tasks(business_key="CASE-AUTH")[0]
    bpmn = (rundir / "engine_test_step.bpmn").read_bytes()
    url = engine.rest_url
    wrong = (engine.credentials.user, "not-the-password")
    for auth in (None, wrong):
        calls = {
            "complete a task": requests.post(f"{url}/task/{task.id}/complete", json={}, auth=auth, timeout=10),
            "correlate a message": requests.post(f"{url}/message", auth=auth, timeout=10, json={
                "messageName": CASE_START_MESSAGE, "businessKey": "CASE-INTRUDER"}),
            "deploy": requests.post(f"{url}/deployment/create", auth=auth, timeout=10,
                                    data={"deployment-name": "intruder"},
                                    files={"x.bpmn": ("x.bpmn", bpmn, "application/xml")}),
            "read the version": requests.get(f"{url}/version", auth=auth, timeout=10),
        }
        assert {what: r.status_code for what, r in calls.items()} == dict.fromkeys(calls, 401)
    # Nothing happened, and wrong passwords did not lock the product out.
    assert client.get_task(task.id).id == task.id
    assert client.list_process_instances(business_key="CASE-INTRUDER") == []
    assert client.version()


def test_rest_api_listens_on_loopback_only(engine):
    port = engine.nodes[0].port
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, local_port = local.split(":")
            if state == "0A" and int(local_port, 16) == port:  # 0A: LISTEN
                listening.append(address)
    # 127.0.0.1 as the kernel writes it (little-endian hex), v4 or v4-mapped v6.
    assert listening and all(a in ("0100007F", "0000000000000000FFFF00000100007F") for a in listening), listening


def test_case_process_start_external_task_user_task_and_timer(client: EngineClient, deployed):
    """message start → external task → user task → timer (+08:00) → end,
    driven only through the client."""
    business_key = "CASE-2026-0001"
    # Whole seconds: the due time is what a deadline computed in Python looks like.
    due = (datetime.now(BEIJING) + timedelta(seconds=6)).replace(microsecond=0)
    instance_id = client.correlate_message(CASE_START_MESSAGE, business_key=business_key,
                                           variables={"case_id": 42, "deadline": due.isoformat()})
    [instance] = client.list_process_instances(business_key=business_key)
    assert instance.id == instance_id and instance.definition_id.startswith(f"{CASE_PROCESS_KEY}:")

    [external] = client.fetch_and_lock("worker-1", [Topic(CASE_TOPIC, 30_000, ("case_id",), business_key)],
                                       max_tasks=5, async_response_timeout_ms=5_000)
    assert (external.business_key, external.activity_id, external.retries) == (business_key, "Task_CheckCase", None)
    assert external.variables == {"case_id": 42}
    assert external.extension_properties == {"retries": "3"}
    completed_at = datetime.now(timezone.utc)
    client.complete_external_task(external.id, "worker-1", {"case_checked": True})
    with pytest.raises(AlreadyDone):
        client.complete_external_task(external.id, "worker-1")

    # The user task is there for Odoo's poll within a second.
    started = time.monotonic()
    tasks = []
    while not tasks and time.monotonic() - started < 1.0:
        tasks = client.list_tasks(created_after=completed_at - timedelta(seconds=1),
                                  candidate_group=LEADER_GROUP, business_key=business_key)
        if not tasks:
            time.sleep(0.05)
    visible_after = time.monotonic() - started
    assert tasks, "the user task was not visible within 1 s"
    record_figure("user task visible after the external task completed", f"{visible_after * 1000:.0f} ms")
    [task] = tasks
    assert (task.task_definition_key, task.form_key, task.name) == (
        CASE_USER_TASK, "enforcement:filing_approval", "立案审批")
    assert task.due == due and client.task_candidate_groups(task.id) == [LEADER_GROUP]
    assert client.get_task(task.id) == task

    client.complete_task(task.id, {"approved": True})
    with pytest.raises(AlreadyDone):
        client.complete_task(task.id)
    with pytest.raises(AlreadyDone):
        client.get_task(task.id)
    assert client.activity_instance_ids(instance_id, CASE_TIMER), "the instance should wait at the timer"

    while not (ended := client.historic_process_instance(instance_id)).ended:
        assert datetime.now(BEIJING) < due + timedelta(seconds=5), "the timer did not fire"
        time.sleep(0.1)
    late = (ended.end_time - due).total_seconds()
    record_figure("timer fired after its due time", f"{late * 1000:.0f} ms")
    assert 0 <= late <= 2.0


def test_message_without_subscriber_raises_no_subscriber(client: EngineClient, deployed):
    with pytest.raises(NoSubscriber):
        client.correlate_message("Message_NobodyWaits", business_key="CASE-NONE")


def test_list_variables_are_refused_before_anything_is_sent(client: EngineClient, deployed):
    with pytest.raises(UnsupportedVariable, match="list"):
        client.start_process_by_key(STEP_PROCESS_KEY, "CASE-LIST", {"member_ids": [1, 2, 3]})
    assert client.list_process_instances(business_key="CASE-LIST") == []


def test_typed_variables_round_trip(client: EngineClient, deployed):
    sent = {"count": 7, "big": 2 ** 40, "ratio": 0.5, "approved": False, "note": "罚款",
            "served_at": datetime(2026, 3, 2, 9, 30, tzinfo=BEIJING), "nothing": None}
    client.start_process_by_key(STEP_PROCESS_KEY, "CASE-VARS", sent)
    [task] = client.fetch_and_lock("worker-vars", [Topic(STEP_TOPIC, 10_000, None, "CASE-VARS")], max_tasks=1)
    assert task.variables == sent
    client.complete_external_task(task.id, "worker-vars")


def test_spent_retries_raise_an_incident_and_setting_retries_resolves_it(client: EngineClient, deployed):
    instance = client.start_process_by_key(STEP_PROCESS_KEY, "CASE-INCIDENT")
    [task] = client.fetch_and_lock("worker-2", [Topic(STEP_TOPIC, 10_000, (), "CASE-INCIDENT")], max_tasks=1)
    client.handle_failure(task.id, "worker-2", "holiday calendar of 2027 missing", "trace", retries=0,
                          retry_timeout_ms=0)
    [incident] = client.list_incidents(process_instance_id=instance.id)
    assert (incident.incident_type, incident.configuration, incident.activity_id) == (
        "failedExternalTask", task.id, "Task_OneStep")
    client.set_external_task_retries(task.id, 1)
    assert client.list_incidents(process_instance_id=instance.id) == []
    [again] = client.fetch_and_lock("worker-2", [Topic(STEP_TOPIC, 10_000, (), "CASE-INCIDENT")], max_tasks=1)
    assert (again.id, again.retries) == (task.id, 1)
    client.complete_external_task(again.id, "worker-2")
    assert client.historic_process_instance(instance.id).ended


def test_restart_of_a_step_is_applied_at_most_once(client: EngineClient, deployed):
    instance = client.start_process_by_key(STEP_PROCESS_KEY, "CASE-RESTART")
    [activity_instance] = client.activity_instance_ids(instance.id, "Task_OneStep")
    client.restart_activity(instance.id, activity_instance, "Task_OneStep", annotation="retry from Odoo")
    with pytest.raises(AlreadyDone):
        client.restart_activity(instance.id, activity_instance, "Task_OneStep")
    [restarted] = client.activity_instance_ids(instance.id, "Task_OneStep")
    assert restarted != activity_instance
    [task] = client.fetch_and_lock("worker-3", [Topic(STEP_TOPIC, 10_000, (), "CASE-RESTART")], max_tasks=5)
    assert task.process_instance_id == instance.id
    client.complete_external_task(task.id, "worker-3")


def test_idle_memory_of_one_node(engine):
    """Figure only: resident memory of the idle node."""
    time.sleep(3)
    record_figure("one node, idle RSS", f"{engine.nodes[0].rss_bytes() / 2 ** 20:.0f} MiB")
