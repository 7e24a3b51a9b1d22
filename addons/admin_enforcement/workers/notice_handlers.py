"""External tasks of the `notice` area (prior notice, 事先告知): enforcement.notice.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.notice.compute_deadlines")
def compute_deadlines(env, task):
    """Statement and hearing-request period: 5 working days after the prior notice (art. 64)."""
    case = load_case(env, task.variables["case_id"], task)
    result = case._compute_notice_deadlines()
    record_step(env, case, task, "compute_notice_deadlines",
                f"due {result['statement_due']}, hearing eligible: {case.hearing_eligible}")
    return {"statement_due": result["statement_due"]}
