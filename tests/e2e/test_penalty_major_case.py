"""A major case (the bureau reviews every ordinary-procedure penalty, and the
case is complex): legal review finds a problem and returns the case, the
officers fix it and resubmit, the review passes, and the leaders decide
collectively before the decision."""
from __future__ import annotations

import time

import pytest

from penalty_flow import Actors, setup_penalty_bureau


@pytest.fixture(scope="module")
def actors(stack):
    bureau = setup_penalty_bureau(stack.rpc(), "major")
    stack.rpc()("enforcement.agency", "write", [bureau["agency_id"]], {"review_all_ordinary_penalties": True})
    return Actors(stack.rpc, bureau)


def set_findings(actors, case_id, result, note=None, only_first=False):
    reviewer = actors.rpc("reviewer")
    findings = reviewer("enforcement.review.finding", "search", [("review_id.case_id", "=", case_id)], order="id")
    findings = findings[:1] if only_first else findings
    values = {"result": result}
    if note:
        values["note"] = note
    reviewer("enforcement.review.finding", "write", findings, values)


def vote_as(actors, case_id, role, timeout=120):
    rpc = actors.rpc(role)
    uid = actors.bureau["users"][role]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        tasks = rpc("enforcement.task", "search", [("case_id", "=", case_id), ("step_code", "=", "collective_vote"),
                                                   ("state", "=", "open"), ("collective_member_id", "=", uid)])
        if tasks:
            rpc("enforcement.task", "write", tasks, {"collective_vote": "for",
                                                     "collective_vote_opinion": "同意承办机构的处理意见"})
            rpc("enforcement.task", "action_complete", tasks)
            return
        time.sleep(0.3)
    raise AssertionError(f"no collective vote task for {role}")


def test_major_case_returned_once_then_approved_and_decided_collectively(stack, actors):
    b = actors.bureau
    case_id = actors.create_case(title="某食品公司销售过期食品案（重大）")
    actors.approve_filing(case_id)
    actors.investigate(case_id)
    actors.report(case_id, fine=45000, complex_case=True)
    actors.give_prior_notice(case_id)
    actors.close_statements(case_id)

    # First review: a problem is found and the case goes back to the officers.
    actors.wait_task(case_id, "legal_review", "reviewer")
    set_findings(actors, case_id, "pass")
    set_findings(actors, case_id, "problem", note="缺少当事人进货查验记录", only_first=True)
    actors.complete(case_id, "legal_review", "reviewer", review_outcome="problems",
                    review_opinion="请补充当事人进货查验记录后重新报送。")
    assert actors.case(case_id, "review_state")["review_state"] == "problems"
    with pytest.raises(Exception, match="legal review has not passed|can only be set by the step"):
        actors.rpc("leader")("enforcement.case", "write", [case_id], {"decision_kind": "penalty"})
    actors.complete(case_id, "review_rework", "officer1", rework_outcome="fixed",
                    rework_note="已补充进货查验记录及供货商资质证明。")

    # Second review passes.
    actors.wait_task(case_id, "legal_review", "reviewer")
    set_findings(actors, case_id, "pass")
    actors.complete(case_id, "legal_review", "reviewer", review_outcome="agree", review_opinion="同意。")
    actors.wait_case(case_id, lambda c: c["review_state"] == "passed", "the passed review")

    # Complex case: the leaders discuss it collectively before the decision.
    actors.wait_task(case_id, "collective_discussion", "leader")
    leader = actors.rpc("leader")
    meeting = leader("enforcement.collective.decision", "create", {
        "agency_id": b["agency_id"], "case_ids": [(6, 0, [case_id])], "chair_id": b["users"]["leader"],
        "member_ids": [(6, 0, [b["users"]["leader"], b["users"]["leader2"], b["users"]["leader3"]])],
    })
    leader("enforcement.collective.decision", "action_convene", [meeting])
    for role in ("leader", "leader2", "leader3"):
        vote_as(actors, case_id, role)
    actors.complete(case_id, "collective_minutes", "leader",
                    collective_minutes="经集体讨论，同意对当事人处以罚款人民币肆万伍仟元。")
    actors.complete(case_id, "collective_discussion", "leader", collective_decision_id=meeting)
    actors.decide_to_archive(case_id, fine=45000)
