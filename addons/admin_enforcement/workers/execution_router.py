# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `execution` area: enforcement.execution.<action>."""

from pyzeebe import Job, ZeebeTaskRouter

from .case_router import load_case, record_step
from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)
    options = settings.task_options(settings.service_timeout_ms)

    @router.task("enforcement.execution.compute_payment_due", variables_to_fetch=["case_id"], **options)
    def compute_payment_due(case_id: int, job: Job) -> dict:
        """15 days from service to pay the bank (art. 67)."""
        def body(env):
            case = load_case(env, case_id, job)
            due = case._compute_payment_due_iso()
            record_step(env, case, job, "compute_payment_due", due)
            return {"payment_due": due}

        return runner.run(job, body, case_id)

    @router.task("enforcement.execution.surcharge", variables_to_fetch=["case_id"], **options)
    def surcharge(case_id: int, job: Job) -> dict:
        """The fine is overdue: the 3% daily surcharge runs (art. 72) and the
        date court enforcement may be sought is set."""
        def body(env):
            case = load_case(env, case_id, job)
            due = case._start_surcharge()
            record_step(env, case, job, "start_surcharge", f"court enforcement from {due}")
            return {"court_enforcement_due": due}

        return runner.run(job, body, case_id)

    return router
