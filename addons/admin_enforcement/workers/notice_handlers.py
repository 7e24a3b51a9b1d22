"""External tasks of the `notice` area (prior notice, 事先告知): enforcement.notice.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.notice.compute_deadlines")
def compute_deadlines(env, task):
    """Statement and hearing-request period: 5 working days after the prior notice (art. 64)."""
    case = load_case(env, task.variables["case_id"], task)
    result = case._compute_notice_deadlines()
    outcome = (case.env._("statements and hearing request due %(due)s, hearing may be requested",
                          due=result["statement_due"]) if case.hearing_eligible else
               case.env._("statements due %(due)s, no right to a hearing", due=result["statement_due"]))
    record_step(case, task, case.env._("Statement period computed"), outcome)
    return {"statement_due": result["statement_due"]}
