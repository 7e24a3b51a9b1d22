"""External tasks of the `review` area (legal review, 法制审核): enforcement.review.<action>."""
from .runtime import load_case, record_step, topic

REEVALUATION_ELEMENT = "Task_ReevaluateReview"


@topic("enforcement.review.evaluate_catalogue")
def evaluate_catalogue(env, task):
    """Is the decision in the agency's catalogue of major decisions? After a
    hearing it always is (domain.md §2.3)."""
    case = load_case(env, task.variables["case_id"], task)
    required, reasons, collective = case._evaluate_review_catalogue(
        hearing_held=task.activity_id == REEVALUATION_ELEMENT)
    record_step(env, case, task, "evaluate_catalogue", ", ".join(reasons) or "not in the catalogue")
    return {"review_required": required, "collective_required": collective}


@topic("enforcement.review.open")
def open_review(env, task):
    """Open the review file: checklist pre-filled, reviewer assigned by
    workload, time limit in working days."""
    case = load_case(env, task.variables["case_id"], task)
    review = env["enforcement.review"]._open_for_case(
        case, case._review_reason_list(), task.process_instance_id, category=case.review_category or "penalty")
    record_step(env, case, task, "open_review",
                f"reviewer {review.reviewer_id.name}" if review.reviewer_id else review.assignment_note)
    return {"review_id": review.id, "review_rounds": 0, "max_review_rounds": review.max_rounds,
            "review_due": review._due_iso()}


@topic("enforcement.review.mark_overdue", variables=("case_id", "review_id"))
def mark_overdue(env, task):
    """The review passed its time limit: flag it and tell the case."""
    case = load_case(env, task.variables["case_id"], task)
    review = env["enforcement.review"].browse(task.variables["review_id"]).exists()
    if not review:
        raise LookupError(f"review {task.variables['review_id']} does not exist")
    review.overdue_escalated = True
    review._message_log(body=env._("The legal review is past its time limit and was escalated to a leader."))
    record_step(env, case, task, "mark_overdue", f"review {review.id} due {review.due_at}")
