# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `collective` area (集体讨论): enforcement.collective.<action>."""

from pyzeebe import Job, ZeebeTaskRouter

from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)

    @router.task("enforcement.collective.tally", variables_to_fetch=["case_id", "collective_decision_id"],
                 **settings.task_options(settings.service_timeout_ms))
    def tally(case_id: int, collective_decision_id: int, job: Job) -> dict:
        """Count the members' votes by the meeting's rule."""
        def body(env):
            meeting = env["enforcement.collective.decision"].browse(collective_decision_id).exists()
            if not meeting:
                raise LookupError(f"collective discussion {collective_decision_id} does not exist")
            outcome = meeting._tally()
            for case in meeting.case_ids:
                env["enforcement.process.event"].create({
                    "case_id": case.id, "kind": "service_task", "step": job.element_id,
                    "step_name": "collective_tally", "outcome": f"{meeting.name}: {outcome}",
                    "job_key": str(job.key),
                })
            return {"collective_outcome": outcome}

        return runner.run(job, body, case_id)

    return router
