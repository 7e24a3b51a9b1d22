"""External tasks of the `hearing` area (听证): enforcement.hearing.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.hearing.check_request")
def check_request(env, task):
    """A hearing is granted when requested in time for a hearing-eligible penalty (arts. 63, 64)."""
    case = load_case(env, task.variables["case_id"], task)
    granted = case._check_hearing_request()
    record_step(case, task, case.env._("Hearing request checked"),
                case.env._("hearing granted") if granted else case.env._("hearing refused"))
    return {"hearing_granted": granted}
