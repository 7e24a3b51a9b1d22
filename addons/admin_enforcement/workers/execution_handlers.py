"""External tasks of the `execution` area (执行): enforcement.execution.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.execution.compute_payment_due")
def compute_payment_due(env, task):
    """15 days from service to pay the bank (art. 67)."""
    case = load_case(env, task.variables["case_id"], task)
    due = case._compute_payment_due_iso()
    record_step(env, case, task, "compute_payment_due", due)
    return {"payment_due": due}


@topic("enforcement.execution.surcharge")
def surcharge(env, task):
    """The fine is overdue: the 3% daily surcharge runs (art. 72) and the date
    court enforcement may be sought is set."""
    case = load_case(env, task.variables["case_id"], task)
    due = case._start_surcharge()
    record_step(env, case, task, "start_surcharge", f"court enforcement from {due}")
    return {"court_enforcement_due": due}
