# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `archive` area: enforcement.archive.<action>."""

from pyzeebe import Job, ZeebeTaskRouter

from .case_router import load_case, record_step
from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)

    @router.task("enforcement.archive.seal", variables_to_fetch=["case_id"],
                 **settings.task_options(settings.service_timeout_ms))
    def seal(case_id: int, job: Job) -> dict:
        def body(env):
            case = load_case(env, case_id, job)
            number = case._seal_archive()
            record_step(env, case, job, "archive_seal", number)
            return {"archive_number": number}

        return runner.run(job, body, case_id)

    return router
