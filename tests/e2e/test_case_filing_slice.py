"""The vertical slice on the real stack: a case created in Odoo starts its
penalty procedure through the outbox, the filing call activity numbers it,
the filing approval shows up as a leader's task, and refusing to file ends
the procedure. A start delivered twice starts one procedure; a worker
killed while it holds the numbering task numbers the case once."""
from __future__ import annotations

import re
import xmlrpc.client

import pytest

PENALTY = "enforcement_penalty_ordinary"


def create_case(stack, bureau, title="某超市销售过期食品案"):
    officer = stack.rpc("e2e_officer")
    return officer("enforcement.case", "create", {
        "title": title, "agency_id": bureau["agency_id"], "party_name": "城关县某某超市有限公司",
        "matter_id": bureau["matter_id"], "category_id": bureau["category_id"], "area_id": bureau["area_id"],
        "officer_ids": [(6, 0, [bureau["case_officer_id"]])],
    })


def approve_filing(stack, case_id):
    task = wait_for_task(stack, case_id)
    leader = stack.rpc("e2e_leader")
    leader("enforcement.task", "write", [task["id"]], {"filing_approved": True, "approval_comment": "同意立案"})
    leader("enforcement.task", "action_complete", [task["id"]])


def wait_for_task(stack, case_id, login="e2e_leader"):
    rpc = stack.rpc(login)
    return stack.wait_for(
        lambda: rpc("enforcement.task", "search_read", [("case_id", "=", case_id), ("state", "=", "open")],
                    fields=["id", "step_code", "date_deadline"]),
        what=f"an open task of case {case_id} visible to {login}",
    )[0]


def test_case_creation_queues_the_process_start_in_the_same_transaction(stack, bureau):
    """A case and its start command commit together, and a failed creation leaves neither."""
    case_id = create_case(stack, bureau)
    rows = stack.sql(f"SELECT command || ':' || (payload->>'name') FROM enforcement_outbox WHERE case_id = {case_id}")
    assert rows == "publish_message:enforcement.case_created"

    before = stack.sql("SELECT count(*) FROM enforcement_outbox")
    officer = stack.rpc("e2e_officer")
    with pytest.raises(xmlrpc.client.Fault):
        officer("enforcement.case", "create", {"agency_id": bureau["agency_id"]})  # no title
    assert stack.sql("SELECT count(*) FROM enforcement_outbox") == before


def start_row(stack, case_id):
    """The outbox row that starts the case's procedure: its first row."""
    return stack.rpc()("enforcement.outbox", "search_read", [("case_id", "=", case_id)],
                       fields=["id", "state", "identity_key", "sent_at"], order="id", limit=1)[0]


def deliver_start_again(stack, case_id):
    """The start row sent a second time, as after a dispatcher that died
    between the engine's answer and recording the send: an administrator's
    Retry puts the row back to pending and the dispatcher delivers it again."""
    row = start_row(stack, case_id)
    assert row["state"] == "sent", row
    admin = stack.rpc()
    admin("enforcement.outbox", "action_retry", [row["id"]])
    stack.wait_for(lambda: admin("enforcement.outbox", "read", [row["id"]], ["state"])[0]["state"] == "sent",
                   what="the start delivered a second time")


def penalty_instances(stack, case_id):
    return stack.rest.started_instances(stack.case_ref(case_id), PENALTY)


def test_start_delivered_twice_starts_one_procedure(stack, bureau):
    """The case's start message sent again while its procedure runs: still one
    instance for the case reference, and one filing approval."""
    case_id = create_case(stack, bureau, "某超市重复登记案")
    task = wait_for_task(stack, case_id)
    assert task["step_code"] == "filing_approval"
    deliver_start_again(stack, case_id)
    assert len(penalty_instances(stack, case_id)) == 1
    assert stack.rpc("e2e_leader")("enforcement.task", "search_count", [("case_id", "=", case_id)]) == 1
    assert len(stack.client.list_tasks(business_key=stack.case_ref(case_id))) == 1


def test_case_is_numbered_and_filing_approval_round_trips(stack, bureau):
    """The leader refuses to file a case, which takes no case number, and the
    procedure ends on its "not filed" path; a case filed gets its number from
    the agency's pattern."""
    case_id = create_case(stack, bureau)
    leader = stack.rpc("e2e_leader")
    officer = stack.rpc("e2e_officer")

    task = wait_for_task(stack, case_id)
    assert not officer("enforcement.case", "read", [case_id], ["number"])[0]["number"], \
        "a case is numbered only once filing is approved"
    assert task["step_code"] == "filing_approval"
    assert task["date_deadline"], "the filing deadline computed in Python reaches the task"
    # Only the candidate group (leaders) sees the approval.
    assert officer("enforcement.task", "search_count", [("case_id", "=", case_id)]) == 0
    with pytest.raises(xmlrpc.client.Fault, match="doesn't have '(read|write)' access|may not (open|change)|not in a group"):
        officer("enforcement.task", "action_complete", [task["id"]])
    with pytest.raises(xmlrpc.client.Fault, match="Give a reason"):
        leader("enforcement.task", "action_complete", [task["id"]])

    leader("enforcement.task", "write", [task["id"]], {"filing_approved": False,
                                                      "approval_comment": "不属于本机关管辖，不予立案"})
    leader("enforcement.task", "action_complete", [task["id"]])

    stack.wait_for(lambda: not stack.case_is_running(case_id), timeout=30,
                   what="the task completion delivered and the procedure ended")
    case = officer("enforcement.case", "read", [case_id], ["state", "number"])[0]
    assert case["state"] == "not_filed" and not case["number"], "a 不予立案 uses up no number"
    ref = stack.case_ref(case_id)
    # The engine's history: the approval was completed with the refusal, and
    # the filing call and then the procedure took their not-filed ends.
    approvals = stack.rest.completed_user_tasks(ref, "Task_ApproveFiling")
    assert len(approvals) == 1
    for process in ("enforcement_case_filing", PENALTY):
        ends = stack.rest.activities(ref, "EndEvent_NotFiled", process_key=process)
        assert [a["activityId"] for a in ends] == ["EndEvent_NotFiled"], process
    steps = stack.sql(f"SELECT string_agg(kind, ',' ORDER BY id) FROM enforcement_process_event WHERE case_id = {case_id}")
    assert steps == "task_opened,task_completed", "nothing ran after the not-filed end"

    # The start delivered again after the procedure ended: one procedure per
    # case, ended or not; a case refused for filing stays refused.
    deliver_start_again(stack, case_id)
    assert len(penalty_instances(stack, case_id)) == 1
    assert not stack.case_is_running(case_id)
    assert leader("enforcement.task", "search_count", [("case_id", "=", case_id), ("state", "=", "open")]) == 0

    filed = create_case(stack, bureau, "某超市销售过期食品案（立案）")
    approve_filing(stack, filed)
    number = stack.wait_for(lambda: officer("enforcement.case", "read", [filed], ["number"])[0]["number"],
                            what="the case number once filing is approved")
    assert re.fullmatch(r"城关市监处罚〔\d{4}〕\d+号", number), number


def test_worker_killed_mid_task_does_not_assign_two_numbers(stack, bureau):
    """The worker is SIGKILLed while it holds the locked numbering task, its
    handler blocked inside the numbering transaction; its replacement gets the
    task once the lock expires and numbers the case once, without a gap: one
    job-log row, one number, one completion in the engine, one task."""
    with stack.number_counter_held(bureau["agency_id"], "penalty") as seq_before:
        case_id = create_case(stack, bureau, "某餐饮店无证经营案")
        approve_filing(stack, case_id)
        stack.wait_until_numbering_blocks("the worker to block inside the numbering transaction")
        ref = stack.case_ref(case_id)
        held = stack.rest.external_tasks(ref, topic="enforcement.case.assign_number", locked=True)
        assert len(held) == 1 and held[0]["workerId"], "the worker holds the numbering task, locked"
        stack.kill_worker()
    stack.restart_worker()

    number = stack.wait_for(lambda: stack.sql(f"SELECT number FROM enforcement_case WHERE id = {case_id}"),
                            timeout=90, what="the case number after the worker restarted")
    seq_after = int(stack.sql(f"SELECT last_seq FROM enforcement_case_number_counter "
                              f"WHERE agency_id = {bureau['agency_id']} AND category = 'penalty' "
                              f"AND year = extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')"))
    assert seq_after == seq_before + 1, "exactly one number was taken"
    assert number.endswith(f"{seq_after}号")
    assert stack.sql(f"SELECT count(*) FROM enforcement_job_log WHERE case_id = {case_id} "
                     f"AND job_type = 'enforcement.case.assign_number'") == "1"
    wait_for_task(stack, case_id)  # the team step: one certified officer is not a team of two
    # The engine saw the step done once: the same external task, completed once.
    filing = stack.rest.case_instances(ref, processDefinitionKey="enforcement_case_filing")[0]
    successes = stack.rest.get("/history/external-task-log", processInstanceId=filing["id"],
                               activityIdIn="Task_AssignNumber", successLog="true")
    assert [log["externalTaskId"] for log in successes] == [held[0]["id"]]
    assert [a["activityId"] for a in stack.rest.activities(ref, "Task_AssignNumber")] == ["Task_AssignNumber"]
    assert len(stack.client.list_tasks(business_key=ref)) == 1
    assert stack.rpc("e2e_leader")("enforcement.task", "search_count", [("case_id", "=", case_id)]) == 2  # approval and team
