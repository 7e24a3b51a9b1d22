"""The engine crashes in the middle of a case (SIGKILL of its only node) and
is started again on the same database: Odoo keeps working meanwhile, what
the staff did waits in the outbox, and once the engine is back the case
continues from where it was, each step done once."""
from __future__ import annotations

import time

import pytest

from penalty_flow import Actors, setup_penalty_bureau

PENALTY = "enforcement_penalty_ordinary"


@pytest.fixture(scope="module")
def actors(stack):
    return Actors(stack.rpc, setup_penalty_bureau(stack.rpc(), "crash"))


def undelivered(stack, case_id) -> int:
    return int(stack.sql(f"SELECT count(*) FROM enforcement_outbox WHERE case_id = {case_id} AND state != 'sent'"))


def test_engine_killed_mid_case_and_restarted_the_case_continues(stack, actors):
    case_id = actors.create_case(title="某超市销售过期食品案（引擎重启）")
    actors.approve_filing(case_id)
    actors.wait_task(case_id, "investigation", "officer1")
    ref = stack.case_ref(case_id)

    dead = stack.kill_engine_node()
    try:
        # Odoo does not need the engine to take the officer's work: the
        # completion is committed with the investigation and waits in the outbox.
        actors.investigate(case_id)
        later_case = actors.create_case(title="某餐馆无证经营案（引擎停止时登记）")
        time.sleep(3)  # the dispatcher tries, and fails, meanwhile
        assert undelivered(stack, case_id) >= 1 and undelivered(stack, later_case) == 1
        assert stack.odoo.worker_proc.poll() is None, "the worker waits for the engine; it does not exit"
    finally:
        stack.restart_engine_node(dead)

    # Where the case was: the investigation delivered once, then the report.
    actors.wait_task(case_id, "investigation_report", "officer1", timeout=120)
    assert len(stack.rest.completed_user_tasks(ref, "Task_Investigation")) == 1
    actors.report(case_id)
    actors.give_prior_notice(case_id)
    actors.close_statements(case_id)
    final = actors.decide_to_archive(case_id)
    assert final["state"] == "archived"
    assert len(stack.rest.started_instances(ref, PENALTY)) == 1
    # The seal commits in Odoo before the worker completes its task.
    stack.wait_for(lambda: not stack.procedure_is_running(case_id), timeout=30, what="the procedure to end")
    assert stack.sql(f"SELECT count(*) FROM enforcement_job_log WHERE case_id = {case_id} "
                     f"AND job_type = 'enforcement.case.assign_number'") == "1"

    # The case registered while the engine was down has started, once.
    actors.approve_filing(later_case)
    actors.wait_task(later_case, "investigation", "officer1")
    assert len(stack.rest.started_instances(stack.case_ref(later_case), PENALTY)) == 1
    assert undelivered(stack, later_case) == 0
