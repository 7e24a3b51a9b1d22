"""The ordinary penalty procedure on the real stack: every system step is an
external task of the engine run by the worker, every human step a user task
that Odoo shows and the user whose job it is completes over XML-RPC."""
from __future__ import annotations

from datetime import timedelta

import pytest

from penalty_flow import Actors, odoo_now, setup_penalty_bureau


@pytest.fixture(scope="module")
def actors(stack):
    return Actors(stack.rpc, setup_penalty_bureau(stack.rpc(), "pen"))


def history(stack, case_id) -> list[str]:
    return stack.sql(
        # System steps by their BPMN element, human steps by their label.
        f"SELECT string_agg(kind || ':' || CASE WHEN kind = 'service_task' THEN step "
        f"ELSE coalesce(step_name, '') END, '|' ORDER BY id) "
        f"FROM enforcement_process_event WHERE case_id = {case_id}").split("|")


def pass_review(actors, case_id, outcome="agree", opinion=""):
    """The assigned legal reviewer works through the checklist and gives the opinion."""
    reviewer = actors.rpc("reviewer")
    actors.wait_task(case_id, "legal_review", "reviewer")
    findings = reviewer("enforcement.review.finding", "search", [("review_id.case_id", "=", case_id),
                                                                 ("result", "=", "pending")])
    if findings:
        reviewer("enforcement.review.finding", "write", findings, {"result": "pass"})
    if outcome == "problems":
        reviewer("enforcement.review.finding", "write", findings[:1],
                 {"result": "problem", "note": "证据不足：缺少当事人进货台账"})
    actors.complete(case_id, "legal_review", "reviewer", review_outcome=outcome, review_opinion=opinion)


def test_happy_path_without_hearing(stack, actors):
    """Filing, investigation, prior notice, statements closed, decision,
    service, payment in time, closing and archiving."""
    case_id = actors.create_case()
    final = actors.run_happy_path(case_id, fine=20000)

    case = actors.case(case_id, "state", "decision_number", "paid_amount", "archive_number", "review_state",
                       "decision_due", "service_due", "payment_due", "statement_due", "hearing_granted")
    assert final["state"] == case["state"] == "archived"
    assert case["decision_number"] and case["archive_number"]
    assert case["paid_amount"] == 20000 and case["review_state"] == "none" and not case["hearing_granted"]
    assert all(case[due] for due in ("decision_due", "service_due", "payment_due", "statement_due")), case
    steps = [step for step in history(stack, case_id) if step.startswith(("service_task", "task_completed"))]
    for expected in ("service_task:Task_AssignNumber", "task_completed:Filing Approval",
                     "service_task:Task_ComputeDecisionDue", "service_task:Task_AssignOfficers",
                     "task_completed:Investigation", "task_completed:Investigation Report",
                     "task_completed:Prior Notice", "service_task:Task_ComputeNoticeDeadlines",
                     "task_completed:Decision", "service_task:Task_IssueDecision", "task_completed:Service of the Decision",
                     "service_task:Task_ComputePaymentDue", "task_completed:Closing", "service_task:Task_ArchiveSeal"):
        assert expected in steps, (expected, steps)
    assert steps.index("task_completed:Prior Notice") < steps.index("task_completed:Decision")
    assert stack.sql(f"SELECT count(*) FROM enforcement_job_log WHERE case_id = {case_id} AND state = 'failed'") == "0"


def test_hearing_requested_in_time_is_held_and_reviewed(stack, actors):
    """A person facing a 20,000 yuan fine may ask for a hearing (art. 63): the
    hearing is noticed 7 working days ahead, chaired by a non-investigator,
    and a decision after a hearing always goes to legal review."""
    case_id = actors.create_case(title="个体户销售过期食品案", party_type="person")
    actors.approve_filing(case_id)
    actors.investigate(case_id)
    actors.report(case_id, fine=20000)
    actors.give_prior_notice(case_id)
    actors.wait_case(case_id, lambda c: c["state"] == "notice", "the statement period")
    stack.wait_for(lambda: actors.case(case_id, "hearing_request_due")["hearing_request_due"],
                   what="the hearing request deadline")
    actors.rpc("officer1")("enforcement.case", "action_record_hearing_request", [case_id])

    actors.wait_case(case_id, lambda c: c["hearing_granted"], "the hearing to be granted")
    chair = actors.bureau["users"]["reviewer2"]
    actors.complete(case_id, "hearing_notice", "officer1",
                    hearing_at=odoo_now(timedelta(days=21)), hearing_chair_id=chair)
    actors.complete(case_id, "hearing_record", "reviewer2",
                    hearing_record="当事人承认违法事实，称系首次违法，请求从轻处罚。执法人员出示了现场检查笔录。")
    actors.wait_case(case_id, lambda c: c["review_state"] in ("required", "in_review"), "the review after the hearing")
    pass_review(actors, case_id)
    actors.wait_case(case_id, lambda c: c["review_state"] == "passed", "the passed review")
    actors.decide_to_archive(case_id, fine=15000)
    steps = history(stack, case_id)
    assert "task_completed:Hearing Record" in steps and "task_completed:Legal Review" in steps


def test_hearing_requested_too_late_is_refused_and_the_case_goes_on(stack, actors):
    """The request arrives after the 5 working days (art. 64): the process
    refuses it and keeps waiting for the statement period. The engine keeps
    real time, so the notice is served now and its statement-period timer
    is days away; the case's own dates are then moved back in Odoo, by SQL,
    as if the notice had been served 10 days ago: the deadline the check
    reads from the case has passed while the engine's timer has not fired."""
    case_id = actors.create_case(title="某食品店销售过期食品案", party_type="person")
    actors.approve_filing(case_id)
    actors.investigate(case_id)
    actors.report(case_id, fine=20000)
    actors.give_prior_notice(case_id)
    stack.wait_for(lambda: actors.case(case_id, "hearing_request_due")["hearing_request_due"],
                   what="the hearing request deadline")
    ref = stack.case_ref(case_id)
    stack.wait_for(lambda: stack.rest.timer_jobs(ref, "Event_StatementPeriodEnded"),
                   what="the process waiting at the party's gateway")
    stack.sql(f"UPDATE enforcement_case SET notice_served_at = notice_served_at - interval '10 days', "
              f"hearing_request_due = notice_served_at - interval '3 days' WHERE id = {case_id}")
    actors.rpc("officer1")("enforcement.case", "action_record_hearing_request", [case_id])
    stack.wait_for(lambda: "service_task:Task_CheckHearingRequest" in history(stack, case_id),
                   what="the hearing request check")
    case = actors.case(case_id, "hearing_granted", "state")
    assert not case["hearing_granted"] and case["state"] == "notice"
    assert stack.sql(f"SELECT count(*) FROM enforcement_process_event WHERE case_id = {case_id} "
                     f"AND step = 'Task_CheckHearingRequest'") == "1"
    # The check's decision as the engine holds it (the history's outcome is a
    # label in the agency's language).
    procedure = stack.rest.started_instances(ref, "enforcement_penalty_ordinary")[0]
    granted = stack.rest.get("/history/variable-instance", processInstanceId=procedure["id"],
                             variableName="hearing_granted")
    assert [v["value"] for v in granted] == [False], granted
    # Back at the gateway: the statement period's timer is scheduled again, not fired.
    stack.wait_for(lambda: stack.rest.timer_jobs(ref, "Event_StatementPeriodEnded"),
                   what="the process waiting for the statement period again")
    actors.close_statements(case_id)
    actors.wait_task(case_id, "decision", "leader")
    assert not actors.rpc("leader")("enforcement.task", "search_count",
                                    [("case_id", "=", case_id), ("step_code", "=", "hearing_notice")])
    assert not stack.rest.completed_user_tasks(ref, "Task_HearingNotice")


def test_decision_returned_for_supplementary_investigation_needs_a_new_prior_notice(stack, actors):
    """The leader returns the case instead of deciding: a return without a
    reason is refused; with one, the case goes back through the team check,
    investigation, report and a fresh prior notice before it can be decided."""
    case_id = actors.create_case(title="某商店销售无中文标签预包装食品案")
    actors.approve_filing(case_id)
    actors.investigate_to_statements(case_id, fine=12000)
    decision = actors.wait_task(case_id, "decision", "leader")
    leader = actors.rpc("leader")
    leader("enforcement.task", "write", [decision["id"]], {"decision_returned": True, "return_reason": " "})
    with pytest.raises(Exception, match="reason for returning"):
        leader("enforcement.task", "action_complete", [decision["id"]])
    assert actors.case(case_id, "state")["state"] == "notice"

    actors.complete(case_id, "decision", "leader", decision_returned=True,
                    return_reason="当事人进货来源尚未查清，需补充调取供货商证明")
    case = actors.wait_case(case_id, lambda c: c["state"] == "investigation", "the return to investigation")
    assert case["state"] == "investigation"
    assert not actors.case(case_id, "notice_served_at")["notice_served_at"]
    actors.investigate_to_statements(case_id, fine=15000)
    actors.decide_to_archive(case_id, fine=15000)
    steps = history(stack, case_id)
    assert steps.count("service_task:Task_AssignOfficers") == 2 and steps.count("task_completed:Prior Notice") == 2, steps
    tasks = leader("enforcement.task", "search_read", [("case_id", "=", case_id), ("step_code", "=", "decision")],
                   fields=["outcome"], order="id")
    assert [task["outcome"]["decision_returned"] for task in tasks] == [True, False]
