"""Legal review and collective discussion on the real stack: Odoo sends a
decision to review through the outbox, the engine runs
enforcement_legal_review (rounds, consultation, time limit) and
enforcement_collective_decision (one vote task per member), and every step
becomes an Odoo task."""
from __future__ import annotations

import xmlrpc.client

import pytest

REVIEW = "enforcement_legal_review"
COLLECTIVE = "enforcement_collective_decision"


def running(stack, business_key, process_key):
    """Running instances of one process for a business key."""
    return [i for i in stack.rest.started_instances(business_key, process_key) if i["state"] == "ACTIVE"]


def meeting_ref(stack, meeting_id):
    """The meeting's reference: the business key of its collective discussion."""
    return stack.rpc()("enforcement.collective.decision", "read", [meeting_id], ["name"])[0]["name"]


@pytest.fixture(scope="module")
def office(stack, bureau):
    """Two qualified legal reviewers, an officer who is also a reviewer, and two committee members."""
    admin = stack.rpc()
    company_id = bureau["company_id"]

    def user(login, groups):
        group_ids = [admin("ir.model.data", "check_object_reference", "admin_enforcement", g)[1] for g in groups]
        return admin("res.users", "create", {
            "name": login, "login": login, "password": login,
            "company_id": company_id, "company_ids": [(6, 0, [company_id])], "groups_id": [(6, 0, group_ids)],
        })

    users = {
        "e2e_rv1": user("e2e_rv1", ["group_enforcement_legal_reviewer"]),
        "e2e_rv2": user("e2e_rv2", ["group_enforcement_legal_reviewer"]),
        "e2e_rvofficer": user("e2e_rvofficer", ["group_enforcement_officer", "group_enforcement_legal_reviewer"]),
        "e2e_member1": user("e2e_member1", ["group_enforcement_committee_member"]),
        "e2e_member2": user("e2e_member2", ["group_enforcement_committee_member"]),
    }
    for index, login in enumerate(("e2e_rv1", "e2e_rv2", "e2e_rvofficer")):
        reviewer_id = admin("enforcement.legal.reviewer", "create", {
            "name": login, "agency_id": bureau["agency_id"], "user_id": users[login],
            "qualification_number": f"A2020{index:04d}", "qualification_date": "2020-09-01",
        })
        admin("enforcement.legal.reviewer", "action_activate", [reviewer_id])
    users["e2e_leader"] = bureau["leader_id"]
    users["e2e_officer"] = bureau["officer_id"]
    return {"users": users, "logins": {uid: login for login, uid in users.items()}}


def create_case(stack, bureau, login="e2e_officer", title="某超市销售过期食品案"):
    return stack.rpc(login)("enforcement.case", "create", {
        "title": title, "agency_id": bureau["agency_id"], "party_name": "城关县某某超市有限公司",
        "category_id": bureau["category_id"], "area_id": bureau["area_id"],
        "officer_ids": [(6, 0, [bureau["case_officer_id"]])],
    })


def wait_task(stack, case_id, step_code, login, user_id=None):
    rpc = stack.rpc(login)
    domain = [("case_id", "=", case_id), ("state", "=", "open"), ("step_code", "=", step_code)]
    if user_id:
        domain.append(("user_id", "=", user_id))
    return stack.wait_for(
        lambda: rpc("enforcement.task", "search_read", domain,
                    fields=["id", "user_id"]),
        what=f"an open {step_code} task of case {case_id} visible to {login}",
    )


def complete(stack, login, task_id, **values):
    rpc = stack.rpc(login)
    if values:
        rpc("enforcement.task", "write", [task_id], values)
    rpc("enforcement.task", "action_complete", [task_id])


def review_of(stack, case_id):
    admin = stack.rpc()
    review = stack.wait_for(lambda: admin("enforcement.review", "search_read", [("case_id", "=", case_id)],
                                          fields=["id", "reviewer_id", "state", "round_count"]),
                            what=f"the review file of case {case_id}")[0]
    return review


def decide_checklist(stack, login, review_id, problems=()):
    rpc = stack.rpc(login)
    for finding in rpc("enforcement.review.finding", "search_read", [("review_id", "=", review_id)],
                       fields=["id", "item"]):
        bad = finding["item"] in problems
        rpc("enforcement.review.finding", "write", [finding["id"]],
            {"result": "problem" if bad else "pass", "note": "缺少现场检查笔录" if bad else False})


def send_to_review(stack, bureau, office, login="e2e_officer"):
    case_id = create_case(stack, bureau, login)
    stack.rpc(login)("enforcement.case", "action_request_review", [case_id])
    review = review_of(stack, case_id)
    reviewer = office["logins"][review["reviewer_id"][0]]
    task = wait_task(stack, case_id, "legal_review", reviewer)[0]
    assert task["user_id"][0] == review["reviewer_id"][0], "the opinion step goes to the assigned reviewer"
    return case_id, review, reviewer, task


def test_review_returned_twice_then_agreed(stack, bureau, office):
    case_id, review, reviewer, task = send_to_review(stack, bureau, office)
    for round_number in (1, 2):
        decide_checklist(stack, reviewer, review["id"], problems=("evidence",))
        complete(stack, reviewer, task["id"], review_outcome="problems", review_opinion="补充现场检查笔录和询问笔录")
        rework = wait_task(stack, case_id, "review_rework", "e2e_officer")[0]
        complete(stack, "e2e_officer", rework["id"], rework_outcome="fixed", rework_note="已补充笔录")
        task = stack.wait_for(
            lambda: [t for t in wait_task(stack, case_id, "legal_review", reviewer) if t["id"] != task["id"]],
            what=f"review round {round_number + 1}")[0]
    decide_checklist(stack, reviewer, review["id"])
    complete(stack, reviewer, task["id"], review_outcome="agree")

    ref = stack.case_ref(case_id)
    stack.wait_for(lambda: not running(stack, ref, REVIEW), timeout=30, what="the review process to end")
    assert len(stack.rest.started_instances(ref, REVIEW)) == 1
    admin = stack.rpc()
    case = admin("enforcement.case", "read", [case_id], ["review_state"])[0]
    assert case["review_state"] == "passed"
    rounds = admin("enforcement.review.round", "search_read", [("review_id", "=", review["id"])],
                   fields=["number", "outcome", "rework_outcome"], order="number")
    assert [(r["outcome"], r["rework_outcome"]) for r in rounds] == [
        ("problems", "fixed"), ("problems", "fixed"), ("agree", False)]


def convene(stack, bureau, office, case_id):
    leader = stack.rpc("e2e_leader")
    users = office["users"]
    meeting_id = leader("enforcement.collective.decision", "create", {
        "agency_id": bureau["agency_id"], "case_ids": [(6, 0, [case_id])], "chair_id": users["e2e_leader"],
        "member_ids": [(6, 0, [users["e2e_leader"], users["e2e_member1"], users["e2e_member2"]])],
        "location": "局机关三楼会议室",
    })
    leader("enforcement.collective.decision", "action_convene", [meeting_id])
    votes = {}
    for login in ("e2e_leader", "e2e_member1", "e2e_member2"):
        votes[login] = wait_task(stack, case_id, "collective_vote", login, user_id=users[login])[0]
    return meeting_id, votes


def test_disagreement_escalated_to_a_committee_that_votes_it_down(stack, bureau, office):
    case_id, review, reviewer, task = send_to_review(stack, bureau, office)
    decide_checklist(stack, reviewer, review["id"], problems=("law_applied",))
    complete(stack, reviewer, task["id"], review_outcome="problems", review_opinion="应适用食品安全法第一百二十五条")
    rework = wait_task(stack, case_id, "review_rework", "e2e_officer")[0]
    complete(stack, "e2e_officer", rework["id"], rework_outcome="disagree", rework_note="第一百二十四条更准确")
    escalate = wait_task(stack, case_id, "review_escalate", reviewer)[0]
    complete(stack, reviewer, escalate["id"], consultation_outcome="disagree", consultation_note="双方意见不一致")
    stack.wait_for(lambda: not running(stack, stack.case_ref(case_id), REVIEW),
                   timeout=30, what="the review process to end at collective discussion")
    admin = stack.rpc()
    assert admin("enforcement.case", "read", [case_id], ["collective_required"])[0]["collective_required"]

    meeting_id, votes = convene(stack, bureau, office, case_id)
    with pytest.raises(xmlrpc.client.Fault, match="assigned to e2e_member1"):
        complete(stack, "e2e_member2", votes["e2e_member1"]["id"], collective_vote="for", collective_vote_opinion="同意")
    complete(stack, "e2e_member1", votes["e2e_member1"]["id"], collective_vote="against", collective_vote_opinion="法律适用错误")
    complete(stack, "e2e_member2", votes["e2e_member2"]["id"], collective_vote="against", collective_vote_opinion="同意审核意见")
    complete(stack, "e2e_leader", votes["e2e_leader"]["id"], collective_vote="for", collective_vote_opinion="同意办案意见")

    minutes = wait_task(stack, case_id, "collective_minutes", "e2e_leader")[0]
    complete(stack, "e2e_leader", minutes["id"], collective_minutes="经集体讨论，二票反对一票赞成，不同意办案机构拟处罚意见。")
    meeting = admin("enforcement.collective.decision", "read", [meeting_id],
                    ["state", "outcome", "votes_for", "votes_against", "minutes_attachment_id"])[0]
    assert (meeting["state"], meeting["outcome"], meeting["votes_for"], meeting["votes_against"]) == (
        "signed", "rejected", 1, 2)
    assert meeting["minutes_attachment_id"], "the signed minutes are stored as a document"
    stack.wait_for(lambda: not running(stack, meeting_ref(stack, meeting_id), COLLECTIVE),
                   timeout=30, what="the collective process to end")
    assert admin("enforcement.case", "read", [case_id], ["collective_outcome"])[0]["collective_outcome"] == "rejected"


def test_quorum_not_reached(stack, bureau, office):
    case_id = create_case(stack, bureau, title="某餐馆超范围经营案")
    meeting_id, votes = convene(stack, bureau, office, case_id)
    complete(stack, "e2e_leader", votes["e2e_leader"]["id"], collective_vote="for", collective_vote_opinion="同意")
    complete(stack, "e2e_leader", votes["e2e_member1"]["id"], collective_vote="absent")
    complete(stack, "e2e_leader", votes["e2e_member2"]["id"], collective_vote="absent")
    admin = stack.rpc()
    stack.wait_for(lambda: admin("enforcement.collective.decision", "read", [meeting_id], ["state"])[0]["state"]
                   == "no_quorum", what="the tally without a quorum")
    stack.wait_for(lambda: not running(stack, meeting_ref(stack, meeting_id), COLLECTIVE),
                   timeout=30, what="the meeting's process to end without minutes")
    assert admin("enforcement.task", "search_count", [("case_id", "=", case_id), ("step_code", "=", "collective_minutes")]) == 0


def test_reviewer_who_handled_the_case_is_refused(stack, bureau, office):
    case_id, review, reviewer, task = send_to_review(stack, bureau, office, login="e2e_rvofficer")
    assert reviewer != "e2e_rvofficer", "the handler is never assigned their own case"
    with pytest.raises(xmlrpc.client.Fault, match="handled or decided"):
        stack.rpc("e2e_leader")("enforcement.review", "action_assign_reviewer", [review["id"]],
                                office["users"]["e2e_rvofficer"])
    with pytest.raises(xmlrpc.client.Fault, match="assigned to"):
        complete(stack, "e2e_rvofficer", task["id"], review_outcome="agree")
    assert stack.rpc()("enforcement.review", "read", [review["id"]], ["reviewer_id"])[0]["reviewer_id"][1] == reviewer


def test_review_past_its_time_limit_is_escalated(stack, bureau, office):
    """The review's time limit passes (the engine keeps real time: the test
    makes the review's non-interrupting timer due now): the review is
    flagged, a leader gets the overdue task, and the review goes on."""
    case_id, review, reviewer, task = send_to_review(stack, bureau, office)
    stack.make_timer_due(case_id, "Event_ReviewOverdue")
    overdue = wait_task(stack, case_id, "review_overdue", "e2e_leader")[0]
    admin = stack.rpc()
    assert admin("enforcement.review", "read", [review["id"]], ["overdue_escalated"])[0]["overdue_escalated"]
    with pytest.raises(xmlrpc.client.Fault, match="reason for extending"):
        complete(stack, "e2e_leader", overdue["id"], review_extension_approved=True)
    complete(stack, "e2e_leader", overdue["id"], review_extension_approved=True,
             review_extension_reason="案情复杂，需补充调取外省检验报告")
    extended = admin("enforcement.review", "read", [review["id"]], ["extended", "state"])[0]
    assert extended == {"id": review["id"], "extended": True, "state": "in_review"}, \
        "the review goes on while the leader deals with the delay"
    assert wait_task(stack, case_id, "legal_review", reviewer)[0]["id"] == task["id"]
