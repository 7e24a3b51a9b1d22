# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `hearing` area: enforcement.hearing.<action>."""

from pyzeebe import Job, ZeebeTaskRouter

from .case_router import load_case, record_step
from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)

    @router.task("enforcement.hearing.check_request",
                 variables_to_fetch=["case_id", "hearing_requested_at", "hearing_request_due", "hearing_eligible"],
                 **settings.task_options(settings.service_timeout_ms))
    def check_request(case_id: int, hearing_requested_at: str, hearing_request_due: str,
                      hearing_eligible: bool, job: Job) -> dict:
        """A hearing is granted when requested in time for a hearing-eligible penalty (arts. 63, 64)."""
        def body(env):
            case = load_case(env, case_id, job)
            granted = case._check_hearing_request(hearing_requested_at, hearing_request_due, hearing_eligible)
            record_step(env, case, job, "check_hearing_request",
                        f"requested {hearing_requested_at}, due {hearing_request_due}, "
                        f"eligible {hearing_eligible}: {'granted' if granted else 'refused'}")
            return {"hearing_granted": granted}

        return runner.run(job, body, case_id)

    return router
