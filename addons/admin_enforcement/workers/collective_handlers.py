"""External tasks of the `collective` area (集体讨论): enforcement.collective.<action>."""
from .runtime import record_step, topic


@topic("enforcement.collective.tally", variables=("case_id", "collective_decision_id"))
def tally(env, task):
    """Count the members' votes by the meeting's rule."""
    meeting = env["enforcement.collective.decision"].browse(task.variables["collective_decision_id"]).exists()
    if not meeting:
        raise LookupError(f"collective discussion {task.variables['collective_decision_id']} does not exist")
    outcome = meeting._tally()
    for case in meeting.case_ids:
        case = case._with_agency_lang()
        label = dict(case.env["enforcement.collective.decision"]._fields["outcome"]._description_selection(
            case.env)).get(outcome, outcome)
        record_step(case, task, case.env._("Votes counted"), f"{meeting.name}：{label}")
    return {"collective_outcome": outcome}
