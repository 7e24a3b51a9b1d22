# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `case` area: enforcement.case.<action>."""

from pyzeebe import Job, ZeebeTaskRouter

from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)

    @router.task("enforcement.case.assign_number", variables_to_fetch=["case_id"],
                 **settings.task_options(settings.service_timeout_ms))
    def assign_number(case_id: int, job: Job) -> dict:
        def body(env):
            case = env["enforcement.case"].browse(case_id).exists()
            if not case:
                raise LookupError(f"case {case_id} does not exist")
            case.process_instance_key = str(job.process_instance_key)
            number = case._assign_number()
            env["enforcement.process.event"].create({
                "case_id": case.id, "kind": "service_task", "step": job.element_id,
                "step_name": "assign_number", "outcome": number, "job_key": str(job.key),
            })
            return {"case_number": number}

        return runner.run(job, body, case_id)

    return router
