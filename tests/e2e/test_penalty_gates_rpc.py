"""Every legal gate of the penalty procedure, tried over XML-RPC against the
running stack: each attempt is refused with a message naming the problem,
and the case stays where it was."""
from __future__ import annotations

import xmlrpc.client

import pytest

from penalty_flow import Actors, setup_penalty_bureau


@pytest.fixture(scope="module")
def actors(stack):
    return Actors(stack.rpc, setup_penalty_bureau(stack.rpc(), "gate"))


def refused(pattern):
    return pytest.raises(xmlrpc.client.Fault, match=pattern)


def test_uncertified_or_conflicted_officers_and_a_team_of_one_are_refused(stack, actors):
    """Arts. 42, 43, enforced in Odoo and by the process's team check."""
    b = actors.bureau
    officer = actors.rpc("officer1")
    uncertified = stack.rpc()("enforcement.officer", "create", {"name": "陈新", "agency_id": b["agency_id"]})
    with refused("陈新 may not act"):
        actors.create_case(team=("officer1",), officer_ids=[(6, 0, [b["officers"]["officer1"], uncertified])])

    case_id = actors.create_case(team=("officer1",))
    actors.approve_filing(case_id)
    # The process's own check sends a team of one to the leader.
    actors.wait_task(case_id, "team_assignment", "leader")
    assert "at least 2" in actors.case(case_id, "team_problems")["team_problems"]
    with refused("1 eligible officer.*at least 2"):
        actors.complete(case_id, "team_assignment", "leader")
    actors.complete(case_id, "team_assignment", "leader",
                    team_officer_ids=[(6, 0, [b["officers"]["officer1"], b["officers"]["officer2"]])])
    actors.wait_task(case_id, "investigation", "officer1")

    # Officer 2 declares a conflict: nobody on the team acts until the leader decides.
    recusal = actors.rpc("officer2")("enforcement.case.recusal", "create", {
        "case_id": case_id, "officer_id": b["officers"]["officer2"], "source": "declared",
        "reason": "本人与当事人法定代表人系表兄弟关系"})
    with refused("conflict of interest"):
        actors.investigate(case_id)
    with refused("only a leader of"):
        officer("enforcement.case.recusal", "action_uphold", [recusal])
    actors.rpc("leader")("enforcement.case.recusal", "action_uphold", [recusal])
    with refused("must recuse"):
        officer("enforcement.case", "write", [case_id], {"officer_ids": [(4, b["officers"]["officer2"])]})
    with refused("at least 2"):
        actors.investigate(case_id)
    officer("enforcement.case", "write", [case_id], {"officer_ids": [(4, b["officers"]["officer3"])]})
    actors.investigate(case_id)
    actors.wait_task(case_id, "investigation_report", "officer1")


def test_decision_gates_refuse_and_change_nothing(stack, actors):
    """No decision without prior notice, no skipping a step by writing its
    fields, no penalty outside the discretion tier without a written reason."""
    case_id = actors.create_case()
    actors.approve_filing(case_id)
    actors.investigate(case_id)
    with refused("above the Ordinary tier's maximum of 50000.00"):
        actors.report(case_id, fine=60000)
    assert actors.case(case_id, "investigation_conclusion", "state")["investigation_conclusion"] is False

    leader = actors.rpc("leader")
    for vals in ({"decision_kind": "penalty", "fine_amount": 20000}, {"review_state": "passed"},
                 {"notice_served_at": "2026-11-20 08:00:00"}, {"review_reviewer_id": actors.bureau["users"]["officer1"]}):
        with refused("can only be set by the step"):
            leader("enforcement.case", "write", [case_id], vals)

    # Concluding "no penalty" goes straight to the decision, without prior
    # notice: a leader who then tries to impose a fine is refused.
    actors.complete(case_id, "investigation_report", "officer1", investigation_conclusion="no_penalty")
    with refused("not given prior notice"):
        actors.decide(case_id, fine=20000, kind="penalty")
    case = actors.case(case_id, "decision_kind", "fine_amount", "state")
    assert case["decision_kind"] is False and case["fine_amount"] == 0
    actors.decide(case_id, fine=0, kind="no_penalty")
    actors.wait_task(case_id, "service", "officer1")
