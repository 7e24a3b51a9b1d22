# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `decision` area: enforcement.decision.<action>."""

from pyzeebe import Job, ZeebeTaskRouter

from .case_router import load_case, record_step
from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)

    @router.task("enforcement.decision.issue", variables_to_fetch=["case_id"],
                 **settings.task_options(settings.service_timeout_ms))
    def issue(case_id: int, job: Job) -> dict:
        """Number the decision document; it must be served within 7 working days (art. 61)."""
        def body(env):
            case = load_case(env, case_id, job)
            result = case._issue_decision()
            record_step(env, case, job, "issue_decision", result["decision_number"])
            return result

        return runner.run(job, body, case_id)

    return router
