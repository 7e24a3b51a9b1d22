"""External tasks of the `collective` area (集体讨论): enforcement.collective.<action>."""
from .runtime import topic


@topic("enforcement.collective.tally", variables=("case_id", "collective_decision_id"))
def tally(env, task):
    """Count the members' votes by the meeting's rule."""
    meeting = env["enforcement.collective.decision"].browse(task.variables["collective_decision_id"]).exists()
    if not meeting:
        raise LookupError(f"collective discussion {task.variables['collective_decision_id']} does not exist")
    outcome = meeting._tally()
    for case in meeting.case_ids:
        env["enforcement.process.event"].create({
            "case_id": case.id, "kind": "service_task", "step": task.activity_id,
            "step_name": "collective_tally", "outcome": f"{meeting.name}: {outcome}", "job_key": task.id,
        })
    return {"collective_outcome": outcome}
