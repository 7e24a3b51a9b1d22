# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `case` area: enforcement.case.<action>."""

import threading

from pyzeebe import Job, ZeebeTaskRouter
from pyzeebe.errors import BusinessError

from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw

CASE_TEAM_INVALID = "CASE_TEAM_INVALID"
# Every number of an agency comes from one counter row: numbering jobs that
# ran side by side would only collide on it and be rolled back (REPEATABLE
# READ), so this worker takes them one at a time. Other worker processes
# still collide, and the transaction is run again.
NUMBERING = threading.Lock()


def load_case(env, case_id, job):
    case = env["enforcement.case"].browse(case_id).exists()
    if not case:
        raise LookupError(f"case {case_id} of job {job.key} does not exist")
    return case


def record_step(env, case, job, step_name, outcome=""):
    """One process-history row per system step (the full-process record chains them)."""
    env["enforcement.process.event"].create({
        "case_id": case.id, "kind": "service_task", "step": job.element_id,
        "step_name": step_name, "outcome": outcome, "job_key": str(job.key),
    })


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)
    options = settings.task_options(settings.service_timeout_ms)

    @router.task("enforcement.case.assign_number", variables_to_fetch=["case_id"], **options)
    def assign_number(case_id: int, job: Job) -> dict:
        def body(env):
            case = load_case(env, case_id, job)
            case._as_step().process_instance_key = str(job.process_instance_key)
            number = case._assign_number()
            record_step(env, case, job, "assign_number", number)
            return {"case_number": number}

        with NUMBERING:
            return runner.run(job, body, case_id)

    @router.task("enforcement.case.compute_decision_due", variables_to_fetch=["case_id"], **options)
    def compute_decision_due(case_id: int, job: Job) -> dict:
        def body(env):
            case = load_case(env, case_id, job)
            # The parent instance (the procedure), not the filing call, identifies the case's process.
            case._as_step().process_instance_key = str(job.process_instance_key)
            due = case._compute_decision_due_iso()
            record_step(env, case, job, "compute_decision_due", due)
            return {"decision_due": due}

        return runner.run(job, body, case_id)

    @router.task("enforcement.case.assign_officers", variables_to_fetch=["case_id"], **options)
    def assign_officers(case_id: int, job: Job) -> dict:
        """The process's own check of the case team (arts. 42, 43): a team
        that may not act sends the case to the leader (CASE_TEAM_INVALID)."""
        def body(env):
            case = load_case(env, case_id, job)
            problems = case._team_problems()
            record_step(env, case, job, "assign_officers",
                        "; ".join(problems) if problems else ", ".join(case.officer_ids.mapped("name")))
            if problems:
                return {"team_problems": problems}
            return {"officer_ids": case.officer_ids.ids}

        result = runner.run(job, body, case_id)
        if result.get("team_problems"):
            raise BusinessError(CASE_TEAM_INVALID)
        return result

    return router
