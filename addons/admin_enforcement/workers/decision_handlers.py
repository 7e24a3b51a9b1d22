"""External tasks of the `decision` area: enforcement.decision.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.decision.issue")
def issue(env, task):
    """Number the decision document; it must be served within 7 working days (art. 61)."""
    case = load_case(env, task.variables["case_id"], task)
    service_due = case._issue_decision()
    record_step(env, case, task, "issue_decision", case.decision_number)
    return {"service_due": service_due}
