"""External tasks of the `hearing` area (听证): enforcement.hearing.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.hearing.check_request")
def check_request(env, task):
    """A hearing is granted when requested in time for a hearing-eligible penalty (arts. 63, 64)."""
    case = load_case(env, task.variables["case_id"], task)
    granted = case._check_hearing_request()
    record_step(env, case, task, "check_hearing_request", "granted" if granted else "refused")
    return {"hearing_granted": granted}
