# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `notice` area: enforcement.notice.<action>."""

from pyzeebe import Job, ZeebeTaskRouter

from .case_router import load_case, record_step
from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)

    @router.task("enforcement.notice.compute_deadlines", variables_to_fetch=["case_id", "notice_served_at"],
                 **settings.task_options(settings.service_timeout_ms))
    def compute_deadlines(case_id: int, notice_served_at: str, job: Job) -> dict:
        """Statement and hearing-request deadline: 5 working days after the prior notice (art. 64)."""
        def body(env):
            case = load_case(env, case_id, job)
            result = case._compute_notice_deadlines(notice_served_at)
            record_step(env, case, job, "compute_notice_deadlines",
                        f"due {result['hearing_request_due']}, hearing eligible: {result['hearing_eligible']}")
            return result

        return runner.run(job, body, case_id)

    return router
