"""External tasks of the `simple` area (简易程序, 当场处罚): enforcement.simple.<action>."""
from .case_handlers import NUMBERING
from .runtime import load_case, record_step, topic


@topic("enforcement.simple.issue_decision", serial=NUMBERING)
def issue_decision(env, task):
    """Number the pre-numbered standard decision form (art. 52) and set the
    date by which the decision is filed with the agency."""
    case = load_case(env, task.variables["case_id"], task)
    due = case._issue_simple_decision()
    record_step(case, task, case.env._("On-the-spot decision form numbered"), case.decision_number)
    return {"simple_filing_due": due}
