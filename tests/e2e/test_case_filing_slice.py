"""The vertical slice on the real stack: a case created in Odoo starts its
penalty procedure through the outbox, the filing call activity numbers it,
the filing approval shows up as a leader's task, and refusing to file ends
the procedure."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import xmlrpc.client

import psycopg2
import pytest
from pyzeebe import ZeebeClient, create_insecure_channel


def create_case(stack, bureau, title="某超市销售过期食品案"):
    officer = stack.rpc("e2e_officer")
    return officer("enforcement.case", "create", {
        "title": title, "agency_id": bureau["agency_id"], "party_name": "城关县某某超市有限公司",
    })


def wait_for_task(stack, case_id, login="e2e_leader"):
    rpc = stack.rpc(login)
    return stack.wait_for(
        lambda: rpc("enforcement.task", "search_read", [("case_id", "=", case_id), ("state", "=", "open")],
                    fields=["id", "step_code", "job_key", "process_instance_key", "date_deadline"]),
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


def start_again(address: str, case_ref: str, case_id: int) -> None:
    """Publish the start message again under a new message id: Zeebe starts a
    second procedure for the same case reference only if none is active."""
    async def publish():
        channel = create_insecure_channel(grpc_address=address)
        try:
            await ZeebeClient(channel).publish_message(
                "enforcement.case_created", correlation_key=case_ref, message_id=f"probe:{case_ref}",
                variables={"case_id": case_id, "case_ref": case_ref, "filing_due": "2026-12-31T23:59:59+08:00"})
        finally:
            await channel.close()
    asyncio.run(publish())


def test_case_is_numbered_and_filing_approval_round_trips(stack, bureau):
    """The procedure numbers the case, the leader refuses to file it, and the
    procedure ends on its "not filed" path."""
    case_id = create_case(stack, bureau)
    leader = stack.rpc("e2e_leader")
    officer = stack.rpc("e2e_officer")

    number = stack.wait_for(lambda: officer("enforcement.case", "read", [case_id], ["number"])[0]["number"],
                            what="the case number")
    assert re.fullmatch(r"城关市监处罚〔\d{4}〕\d+号", number), number

    task = wait_for_task(stack, case_id)
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

    stack.wait_for(lambda: stack.sql(
        f"SELECT state FROM enforcement_outbox WHERE identity_key = 'complete:{task['job_key']}'") == "sent",
        what="the job completion to be delivered")
    case = officer("enforcement.case", "read", [case_id], ["state", "number"])[0]
    assert case["state"] == "not_filed" and case["number"] == number
    stack.wait_for(lambda: not stack.instance_is_active(int(task["process_instance_key"])),
                   timeout=20, what="the filing instance to end")
    steps = stack.sql(f"SELECT string_agg(kind, ',' ORDER BY id) FROM enforcement_process_event WHERE case_id = {case_id}")
    assert steps == "service_task,task_opened,task_completed", "nothing ran after the not-filed end"

    case_ref = stack.sql(f"SELECT name FROM enforcement_case WHERE id = {case_id}")
    start_again(stack.zeebe.address, case_ref, case_id)
    stack.wait_for(lambda: leader("enforcement.task", "search_count",
                                  [("case_id", "=", case_id), ("state", "=", "open")]) == 1,
                   what="a new procedure for the same case reference: the first one has ended")


def test_worker_killed_mid_job_does_not_assign_two_numbers(stack, bureau):
    """The worker dies while numbering a case; its replacement numbers the case once, without a gap."""
    year = stack.sql("SELECT extract(year FROM now())::int")
    dsn = dict(host=stack.pg.host, port=stack.pg.port, user=stack.pg.user, dbname=stack.odoo.db)
    blocker = psycopg2.connect(**dsn)
    cur = blocker.cursor()
    cur.execute("""INSERT INTO enforcement_case_number_counter (agency_id, category, year, last_seq)
                   VALUES (%s, 'penalty', %s, 0) ON CONFLICT DO NOTHING""", (bureau["agency_id"], year))
    blocker.commit()
    cur.execute("SELECT last_seq FROM enforcement_case_number_counter WHERE agency_id = %s AND year = %s "
                "FOR UPDATE", (bureau["agency_id"], year))
    seq_before = cur.fetchone()[0]
    try:
        case_id = create_case(stack, bureau, "某餐饮店无证经营案")
        stack.wait_for(lambda: stack.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query LIKE '%enforcement_case_number_counter%'") != "0",
            what="the worker to block inside the numbering transaction")
        os.killpg(stack.odoo.worker_proc.pid, signal.SIGKILL)
        stack.odoo.worker_proc.wait()
    finally:
        blocker.rollback()
        blocker.close()
    stack.restart_worker()

    number = stack.wait_for(lambda: stack.sql(f"SELECT number FROM enforcement_case WHERE id = {case_id}"),
                            timeout=90, what="the case number after the worker restarted")
    seq_after = int(stack.sql(f"SELECT last_seq FROM enforcement_case_number_counter "
                              f"WHERE agency_id = {bureau['agency_id']} AND year = {year}"))
    assert seq_after == seq_before + 1, "exactly one number was taken"
    assert number.endswith(f"{seq_after}号")
    assert stack.sql(f"SELECT count(*) FROM enforcement_job_log WHERE case_id = {case_id} "
                     f"AND job_type = 'enforcement.case.assign_number'") == "1"
    wait_for_task(stack, case_id)
