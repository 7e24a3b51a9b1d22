"""A step that keeps failing becomes an incident in the engine, shows on the
incidents screen, and an administrator retries it once the cause is fixed. The cause
here is the everyday one: deadlines running into a year whose State Council
holiday notice has not been entered, which the calendar refuses to guess."""
from __future__ import annotations

import pytest
from xmlrpc.client import Fault

from penalty_flow import Actors, setup_penalty_bureau


@pytest.fixture(scope="module")
def actors(stack):
    return Actors(stack.rpc, setup_penalty_bureau(stack.rpc(), "inc"))


def incident_of(admin, case_id, job_type):
    return admin("enforcement.job.log", "search_read",
                 [("case_id", "=", case_id), ("job_type", "=", job_type), ("is_incident", "=", True)],
                 fields=["id", "error", "element_id", "element_instance_key", "state"])


def test_unknown_holiday_year_is_an_incident_restarted_after_the_notice_is_entered(stack, actors):
    admin = stack.rpc()
    # A sector rule counting the decision period in working days takes it into 2027.
    override_id = admin("enforcement.period.override", "create", {
        "code": "decision_after_filing", "amount": 100, "unit": "working", "source": "某行业规章（测试）"})
    year_2027 = admin("enforcement.holiday.year", "search_read", [("year", "=", 2027)], fields=["year", "notice"])
    admin("enforcement.holiday.year", "unlink", [year_2027[0]["id"]])
    try:
        try:
            case_id = actors.create_case(title="某药店销售过期药品案")
            actors.approve_filing(case_id)
            # Three tries with the declared back-off between them, then the engine's incident.
            incident = stack.wait_for(
                lambda: incident_of(admin, case_id, "enforcement.case.compute_decision_due"),
                timeout=90, what="the decision deadline's incident")[0]
        finally:
            admin("enforcement.holiday.year", "create", {"year": 2027, "notice": year_2027[0]["notice"]})
        assert "2027" in incident["error"] and "holiday" in incident["error"].lower(), incident["error"]
        in_engine = stack.rest.incidents(stack.case_ref(case_id))
        assert [(i["incidentType"], i["activityId"]) for i in in_engine] == [
            ("failedExternalTask", "Task_ComputeDecisionDue")], in_engine
        events = admin("enforcement.process.event", "search_read",
                       [("case_id", "=", case_id), ("kind", "=", "incident")], fields=["step"])
        assert {event["step"] for event in events} == {incident["element_id"]}

        with pytest.raises(Fault, match="Only a bureau administrator"):
            actors.rpc("leader")("enforcement.job.log", "action_retry", [incident["id"]])
        assert incident_of(admin, case_id, "enforcement.case.compute_decision_due")

        admin("enforcement.job.log", "action_retry", [incident["id"]])
        assert admin("enforcement.job.log", "read", [incident["id"]], ["state"])[0]["state"] == "retried"
        actors.wait_task(case_id, "investigation", "officer1")
        assert not stack.rest.incidents(stack.case_ref(case_id)), "the engine's incident is resolved"
    finally:
        admin("enforcement.period.override", "unlink", [override_id])
    case = actors.case(case_id, "decision_due", "state")
    assert case["state"] == "investigation" and case["decision_due"].startswith("2027-"), case

    # The retry command delivered a second time (a dispatcher that died
    # before recording the send) is absorbed: the step does not run again.
    restart = admin("enforcement.outbox", "search_read",
                    [("case_id", "=", case_id), ("command", "=", "set_retries")], fields=["id", "state"])
    assert [row["state"] for row in restart] == ["sent"]
    admin("enforcement.outbox", "action_retry", [restart[0]["id"]])
    stack.wait_for(lambda: admin("enforcement.outbox", "read", [restart[0]["id"]], ["state"])[0]["state"] == "sent",
                   what="the repeated restart command to be absorbed")
    done = admin("enforcement.job.log", "search_count",
                 [("case_id", "=", case_id), ("job_type", "=", "enforcement.case.compute_decision_due"),
                  ("state", "=", "done")])
    investigations = admin("enforcement.task", "search_count",
                           [("case_id", "=", case_id), ("step_code", "=", "investigation")])
    assert (done, investigations) == (1, 1)
    ref = stack.case_ref(case_id)
    assert [a["activityId"] for a in stack.rest.activities(ref, "Task_Investigation")] == ["Task_Investigation"]
