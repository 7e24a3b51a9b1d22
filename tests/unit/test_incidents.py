"""The incident import: one listing of the engine's open incidents against
what Odoo holds, and where an incident sits in its instance's tree."""
from enforcement_core.incidents import explain, sync_plan
from services.engine_client import IncidentScope, every_page, find_incident_scopes


def test_new_incidents_are_imported_once_and_unlisted_ones_resolved():
    plan = sync_plan(listed={"i1", "i2", "i3"}, known={"i1"}, open_in_odoo={"i1", "i9"})
    assert plan.new == {"i2", "i3"}
    assert plan.resolved == {"i9"}, "i9 is no longer in the engine: resolved; i1 is still open"


def test_a_listing_repeated_changes_nothing():
    first = sync_plan(listed={"i1"}, known=set(), open_in_odoo=set())
    again = sync_plan(listed={"i1"}, known=first.new, open_in_odoo=first.new)
    assert (again.new, again.resolved) == (frozenset(), frozenset())


def test_a_resolved_incident_is_not_reopened_by_a_stale_listing():
    # Another worker's older listing still names i1, which Odoo already resolved.
    plan = sync_plan(listed={"i1"}, known={"i1"}, open_in_odoo=set())
    assert (plan.new, plan.resolved) == (frozenset(), frozenset())


def test_incidents_are_found_on_activity_and_transition_instances():
    tree = {
        "id": "pi", "activityId": "proc:1:x", "incidentIds": [],
        "childActivityInstances": [{
            "id": "SubProcess_A:1", "activityId": "SubProcess_A", "activityName": "子流程", "incidentIds": [],
            "childActivityInstances": [{"id": "Task_Check:2", "activityId": "Task_Check", "activityName": "检查",
                                        "incidentIds": ["inc-task"], "childActivityInstances": [],
                                        "childTransitionInstances": []}],
            "childTransitionInstances": [{"id": "exec-7", "activityId": "Event_Wait", "activityName": "等待期限",
                                          "incidentIds": ["inc-timer"]}],
        }],
        "childTransitionInstances": [],
    }
    assert find_incident_scopes(tree) == {
        "inc-task": IncidentScope("Task_Check:2", "Task_Check", "检查", transition=False),
        "inc-timer": IncidentScope("exec-7", "Event_Wait", "等待期限", transition=True),
    }


def test_an_expression_naming_a_missing_variable_is_explained_by_the_variable():
    reason = explain("Unknown property used in expression: ${payment_due}. Cause: Cannot resolve identifier "
                     "'payment_due'")
    assert (reason.code, dict(reason.params)) == ("missing_variable", {"name": "payment_due"})
    assert explain("Unknown property used in expression: ${hearing_requested}").params["name"] == "hearing_requested"


def test_a_worker_report_is_a_refusal_or_a_failure_with_its_own_text():
    refused = explain("UserError: 2027年的节假日安排尚未录入")
    assert (refused.code, refused.params["detail"]) == ("step_refused", "2027年的节假日安排尚未录入")
    failed = explain("LookupError: case 7 of task t-1 (enforcement.case.assign_number) does not exist")
    assert (failed.code, failed.params["kind"]) == ("step_failed", "LookupError")


def test_an_unknown_engine_message_is_left_as_it_is():
    assert explain("ENGINE-03005 Execution of 'UPDATE VariableInstanceEntity' failed") is None
    assert explain(None) is None


def test_every_page_reads_a_listing_to_its_end_with_the_filters_given():
    rows = list(range(450))
    calls = []

    def list_call(first_result, max_results, **filters):
        calls.append((first_result, filters))
        return rows[first_result:first_result + max_results]

    assert every_page(list_call, page_size=200, business_key="AJ1") == rows
    assert calls == [(0, {"business_key": "AJ1"}), (200, {"business_key": "AJ1"}), (400, {"business_key": "AJ1"})]
