"""Two engine nodes on one database (Operaton's homogeneous cluster) behind
the product: the worker long-polls both (ENGINE_URL lists them). Node 1 is
SIGKILLed in the middle of a run of cases, while the worker holds locked
external tasks and while the job executors have due timers to acquire;
node 2 finishes every case within the lock time, and no step is done twice.

The worker is made to hold a locked external task at the kill for certain:
the test holds the row lock of the decision-number counter, so the
decision.issue handler blocks inside its transaction, as the numbering kill
test of test_case_filing_slice does.

A timer job the dead node's job executor had acquired fires after the job
lock (60 s). An external task the worker fetched through the dead node is
reported through node 2 as soon as its handler is done: the lock lives in
the shared database, so the case does not wait for the worker's lock to
run out.

Its own stack (PostgreSQL, two nodes, Odoo, worker), so the kill leaves
the other tests' engine alone."""
from __future__ import annotations

import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import VAR, Stack, throwaway_stack
from engine_rest import parse
from penalty_flow import Actors, setup_penalty_bureau

CASES = 6
# The worker's lock on an external task in this stack: far longer than the
# job executor's, so the blocked handler keeps its task while the dead node's
# timer jobs come back, and a report that waited for the lock to run out
# would come minutes late.
LOCK_MS = 240_000
# From letting the blocked handlers go to their results in the engine: the
# handler's transaction and a report through the surviving node.
REPORT_MARGIN_S = 15
# engine/src/main/resources/application.yaml: how long a job (a due timer)
# acquired by a node's job executor stays locked to it.
JOB_LOCK_S = 60
PENALTY = "enforcement_penalty_ordinary"


@pytest.fixture(scope="module")
def cluster():
    rundir = Path(os.environ.get("ENFORCEMENT_E2E_DIR", VAR / f"e2e-{int(time.time())}")).with_name(
        f"cluster-{int(time.time())}")
    with throwaway_stack(rundir, "enforcement_cluster", keep=os.environ.get("ENFORCEMENT_KEEP_E2E") == "1",
                         durable=False, engine_nodes=2,
                         extra_conf={"engine_lock_duration_ms": LOCK_MS}) as (pg, engine, odoo):
        assert odoo.engine_environment["ENGINE_URL"].count(",") == 1, "the product knows both nodes"
        odoo.start()
        odoo.start_worker()
        # The tests' own engine calls go to node 2, which survives.
        running = Stack(pg, engine, odoo, node=1)
        try:
            yield running
        finally:
            running.client.close()


def test_node_killed_while_holding_locks_the_other_finishes_every_case(cluster):
    stack = cluster
    bureau = setup_penalty_bureau(stack.rpc(), "clu")
    desk = Actors(stack.rpc, bureau, timeout=120)
    case_ids = [desk.create_case(title=f"某超市销售过期食品案（集群{n}）") for n in range(CASES)]
    for case_id in case_ids:
        desk.approve_filing(case_id)
    for case_id in case_ids:
        desk.wait_task(case_id, "investigation", "officer1")
    refs = {case_id: stack.case_ref(case_id) for case_id in case_ids}

    finished: dict[int, float] = {}
    failures: list[str] = []

    def work(case_id):
        actors = Actors(stack.rpc, bureau, timeout=200)  # an XML-RPC proxy serves one thread
        try:
            actors.investigate_to_statements(case_id)
            actors.decide_to_archive(case_id)
            finished[case_id] = time.monotonic()
        except Exception as err:  # reported below with the others
            failures.append(f"case {case_id}: {err}")

    # The decision number's counter row locked by the test: the worker's
    # decision.issue handler blocks inside its transaction, holding its
    # external task locked, until the test lets go (as in the numbering kill
    # test of test_case_filing_slice).
    with ThreadPoolExecutor(max_workers=3) as pool:
        with stack.number_counter_held(bureau["agency_id"], "decision"):
            futures = [pool.submit(work, case_id) for case_id in case_ids]
            held = stack.wait_for(lambda: stack.rest.external_tasks(topic="enforcement.decision.issue", locked=True),
                                  timeout=150, what="the worker holding a decision.issue task, blocked")
            stack.wait_until_numbering_blocks("the handler blocked inside its transaction")
            # Every case's 90-day timer made due just before the kill: the job
            # executors of both nodes are acquiring (locking) those timer jobs
            # when node 1 dies. Each opens a deadline escalation task, which
            # does not stop the case. The cases wait at decision.issue (inside
            # the decision period the timer belongs to) until every timer
            # fired: a timer the dead node held comes back only after the
            # job executor's lock time, and a case that left the period before
            # would take its timer with it.
            timer_jobs = [stack.rest.make_timer_due(refs[case_id], "Event_DecisionOverdue") for case_id in case_ids]
            stack.kill_engine_node(0)
            killed_at = datetime.now(timezone.utc)
            locked_jobs = stack.pg.psql(stack.engine.database,
                                        "SELECT count(*) FROM act_ru_job WHERE lock_owner_ IS NOT NULL")
            leader = stack.rpc(bureau["logins"]["leader"])
            stack.wait_for(lambda: all(leader("enforcement.task", "search_count", [
                ("case_id", "=", case_id), ("step_code", "=", "deadline_escalation")]) for case_id in case_ids),
                timeout=JOB_LOCK_S + 30,
                what=f"every made-due timer's escalation task ({locked_jobs} jobs were locked at the kill; "
                     f"a dead node's come back after the job lock time)")
            timers_fired_s = (datetime.now(timezone.utc) - killed_at).total_seconds()
        released_at = datetime.now(timezone.utc)
        for future in futures:
            future.result()
    assert not failures, failures
    assert len(finished) == CASES
    assert all(stack.rest.timer_fired(job["id"]) for job in timer_jobs)

    # What the worker held locked at the kill was completed once, through
    # node 2, as soon as its handler was let go: not after the worker's lock.
    for task in held:
        logs = stack.rest.get("/history/external-task-log", externalTaskId=task["id"], successLog="true")
        assert len(logs) == 1, f"locked task {task['topicName']} of {task['businessKey']} completed {len(logs)} times"
        after = (parse(logs[0]["timestamp"]) - released_at).total_seconds()
        assert after < REPORT_MARGIN_S, \
            f"{task['topicName']} of {task['businessKey']} completed {after:.1f} s after its handler was let go " \
            f"(lock {LOCK_MS / 1000:.0f} s; timers fired {timers_fired_s:.0f} s after the kill)"
        print(f"held {task['topicName']} of {task['businessKey']}: completed {after:.1f} s after its handler was "
              f"let go (lock {LOCK_MS / 1000:.0f} s); the made-due timers fired {timers_fired_s:.0f} s after the kill")
    # At least one of them came from the dead node (the outbox drives node 1
    # first, so the tasks its commands create are fetched there).
    worker_log = "".join(log.read_text(errors="replace") for log in stack.odoo.rundir.glob("worker*.log"))
    assert "did not take the report" in worker_log, "no held task was fetched through the killed node"

    # No step done twice: one job-log row per service step, one task per
    # user step, one procedure per case.
    ids = ",".join(map(str, case_ids))
    doubled = stack.sql(f"SELECT case_id, job_type, count(*) FROM enforcement_job_log WHERE case_id IN ({ids}) "
                        f"AND state = 'done' GROUP BY 1, 2 HAVING count(*) > 1")
    assert not doubled, doubled
    doubled = stack.sql(f"SELECT case_id, step_code, count(*) FROM enforcement_task WHERE case_id IN ({ids}) "
                        f"GROUP BY 1, 2 HAVING count(*) > 1")
    assert not doubled, doubled
    for case_id in case_ids:
        assert len(stack.rest.started_instances(refs[case_id], PENALTY)) == 1
        assert stack.rpc()("enforcement.case", "read", [case_id], ["state"])[0]["state"] == "archived"
    # The decisions were issued concurrently (and one of them across the
    # kill): the agency's 文号 for the year run 1..CASES without a gap.
    numbers = [case["decision_number"] for case in stack.rpc()("enforcement.case", "read", case_ids,
                                                                ["decision_number"])]
    assert sorted(int(re.search(r"〕(\d+)号$", number)[1]) for number in numbers) == list(range(1, CASES + 1)), numbers
