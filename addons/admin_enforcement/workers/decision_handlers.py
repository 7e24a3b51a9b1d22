"""External tasks of the `decision` area: enforcement.decision.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.decision.issue")
def issue(env, task):
    """Number the decision document; it must be served within 7 working days (art. 61). A major
    decision is filed (备案) within the agency's filing period (15 days by default)."""
    case = load_case(env, task.variables["case_id"], task)
    service_due = case._issue_decision()
    record_step(case, task, case.env._("Decision document numbered"), case.decision_number)
    # 重大行政处罚决定备案: whether the leader's filing task opens, and its due date.
    filing = case._open_major_filing()
    return {"service_due": service_due, **filing}
