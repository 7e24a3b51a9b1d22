"""External tasks of the `case` area: enforcement.case.<action>."""
import threading

from .runtime import BpmnError, load_case, record_step, topic

CASE_TEAM_INVALID = "CASE_TEAM_INVALID"
# Every number of an agency comes from one counter row: numbering tasks that
# ran side by side would only collide on it and be rolled back (REPEATABLE
# READ), so this worker takes them one at a time. Other worker processes
# still collide, and the transaction is run again.
NUMBERING = threading.Lock()


@topic("enforcement.case.assign_number", serial=NUMBERING)
def assign_number(env, task):
    case = load_case(env, task.variables["case_id"], task)
    case._as_step().process_instance_key = task.process_instance_id
    record_step(env, case, task, "assign_number", case._assign_number())


@topic("enforcement.case.compute_decision_due")
def compute_decision_due(env, task):
    case = load_case(env, task.variables["case_id"], task)
    # The procedure's own instance, not the filing call's, identifies the case's process.
    case._as_step().process_instance_key = task.process_instance_id
    due = case._compute_decision_due_iso()
    record_step(env, case, task, "compute_decision_due", due)
    return {"decision_due": due}


@topic("enforcement.case.assign_officers")
def assign_officers(env, task):
    """The process's own check of the case team (arts. 42, 43): a team that
    may not act sends the case to the leader (CASE_TEAM_INVALID)."""
    case = load_case(env, task.variables["case_id"], task)
    problems = case._team_problems()
    record_step(env, case, task, "assign_officers",
                "；".join(problems) if problems else "、".join(case.officer_ids.mapped("name")))
    if problems:
        raise BpmnError(CASE_TEAM_INVALID, "；".join(problems))
