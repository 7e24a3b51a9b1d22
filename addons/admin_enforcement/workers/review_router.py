# pyzeebe finds the Job parameter by its annotation object, so annotations
# here must stay evaluated (no `from __future__ import annotations`).
"""Service tasks of the `review` area (legal review, 法制审核): enforcement.review.<action>."""

from typing import Optional

from pyzeebe import Job, ZeebeTaskRouter

from .runtime import OdooJobRunner, WorkerSettings, fail_or_throw

REEVALUATION_ELEMENT = "Task_ReevaluateReview"


def _case(env, case_id):
    case = env["enforcement.case"].browse(case_id).exists()
    if not case:
        raise LookupError(f"case {case_id} does not exist")
    return case


def _event(env, case, job, name, outcome):
    env["enforcement.process.event"].create({
        "case_id": case.id, "kind": "service_task", "step": job.element_id,
        "step_name": name, "outcome": outcome, "job_key": str(job.key),
    })


def build_router(runner: OdooJobRunner, settings: WorkerSettings) -> ZeebeTaskRouter:
    router = ZeebeTaskRouter(exception_handler=fail_or_throw)
    options = settings.task_options(settings.service_timeout_ms)

    @router.task("enforcement.review.evaluate_catalogue", variables_to_fetch=["case_id"], **options)
    def evaluate_catalogue(case_id: int, job: Job) -> dict:
        """Is the decision in the agency's catalogue of major decisions? After
        a hearing it always is (domain.md §2.3)."""
        def body(env):
            case = _case(env, case_id)
            required, reasons, collective = case._evaluate_review_catalogue(
                hearing_held=job.element_id == REEVALUATION_ELEMENT)
            _event(env, case, job, "evaluate_catalogue", ", ".join(reasons) or "not in the catalogue")
            return {"review_required": required, "review_reasons": reasons, "collective_required": collective}

        return runner.run(job, body, case_id)

    @router.task("enforcement.review.open", variables_to_fetch=["case_id", "review_reasons", "review_category"],
                 **options)
    def open_review(case_id: int, job: Job, review_reasons: Optional[list] = None,
                    review_category: Optional[str] = None) -> dict:
        """Open the review file: checklist pre-filled, reviewer assigned by
        workload, time limit in working days."""
        def body(env):
            case = _case(env, case_id)
            review = env["enforcement.review"]._open_for_case(
                case, review_reasons or [], job.process_instance_key, category=review_category or "penalty")
            _event(env, case, job, "open_review",
                   f"reviewer {review.reviewer_id.name}" if review.reviewer_id else review.assignment_note)
            return {
                "review_id": review.id,
                "review_rounds": 0,
                "max_review_rounds": review.max_rounds,
                "review_due": review._due_iso(),
            }

        return runner.run(job, body, case_id)

    @router.task("enforcement.review.mark_overdue", variables_to_fetch=["case_id", "review_id"], **options)
    def mark_overdue(case_id: int, review_id: int, job: Job) -> dict:
        """The review passed its time limit: flag it and tell the case."""
        def body(env):
            case = _case(env, case_id)
            review = env["enforcement.review"].browse(review_id).exists()
            if not review:
                raise LookupError(f"review {review_id} does not exist")
            review.overdue_escalated = True
            review._message_log(body=env._("The legal review is past its time limit and was escalated to a "
                                           "leader."))
            _event(env, case, job, "mark_overdue", f"review {review.id} due {review.due_at}")
            return {}

        return runner.run(job, body, case_id)

    return router
