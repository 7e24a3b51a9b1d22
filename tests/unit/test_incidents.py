"""The incident import: one listing of the engine's open incidents against
what Odoo holds, and where an incident sits in its instance's tree."""
from enforcement_core.incidents import sync_plan
from services.engine_client import IncidentScope, find_incident_scopes


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
