# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `publication` area: enforcement.publication.<action>."""

from typing import Optional

from pyzeebe import Job, ZeebeTaskRouter

from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)

    @router.task("enforcement.publication.create", variables_to_fetch=["case_id", "decision_number", "decision_kind"],
                 **settings.task_options(settings.service_timeout_ms))
    def create_publication(case_id: int, decision_kind: str, job: Job,
                           decision_number: Optional[str] = None) -> dict:
        """Open the publication of the decision with its deadline (7 or 20
        working days); the publisher redacts, confirms and publishes it in Odoo."""
        def body(env):
            case = env["enforcement.case"].browse(case_id).exists()
            if not case:
                raise LookupError(f"case {case_id} does not exist")
            decided_on = case._publication_decision_date()
            publication = env["enforcement.publication"]._create_for_case(
                case, decision_kind, decided_on, decision_number=decision_number)
            publication._open_publishing_task()
            env["enforcement.process.event"].create({
                "case_id": case.id, "kind": "service_task", "step": job.element_id,
                "step_name": "create_publication", "job_key": str(job.key),
                "outcome": f"publication {publication.id} due {publication.publish_due}" if publication
                else "not published by the agency's policy",
            })
            return {"publication_id": publication.id or None}

        return runner.run(job, body, case_id)

    return router
