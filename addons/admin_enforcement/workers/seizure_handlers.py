"""External tasks of the `seizure` area (查封、扣押): enforcement.seizure.<action>."""
from .runtime import load_case, record_step, topic

VARIABLES = ("case_id", "seizure_id")


def _seizure(env, task):
    case = load_case(env, task.variables["case_id"], task)
    seizure = case.env["enforcement.seizure"].browse(task.variables["seizure_id"]).exists()
    if not seizure or seizure.case_id != case:
        raise LookupError(f"measure {task.variables.get('seizure_id')} of task {task.id} is not in case {case.id}")
    return case, seizure


@topic("enforcement.seizure.compute_period", variables=VARIABLES)
def compute_period(env, task):
    """30 days + extension + testing days (行政强制法 art. 25), computed again after every change."""
    case, seizure = _seizure(env, task)
    seizure.sudo().process_instance_key = task.process_instance_id
    result = seizure._compute_period()
    record_step(case, task, case.env._("Period of %(seizure)s computed", seizure=seizure.name),
                result["seizure_end"])
    return result


@topic("enforcement.seizure.release", variables=VARIABLES)
def release(env, task):
    case, seizure = _seizure(env, task)
    reason = seizure._release_by_process()
    record_step(case, task, case.env._("%(seizure)s released", seizure=seizure.name), reason)


@topic("enforcement.seizure.confiscate", variables=VARIABLES)
def confiscate(env, task):
    case, seizure = _seizure(env, task)
    seizure._confiscate_by_process()
    record_step(case, task, case.env._("%(seizure)s confiscated", seizure=seizure.name),
                case.decision_number or "")
