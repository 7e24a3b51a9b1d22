"""External tasks of the `publication` area (公示): enforcement.publication.<action>."""
from .runtime import load_case, record_step, topic


@topic("enforcement.publication.create")
def create_publication(env, task):
    """Open the publication of the decision with its deadline (7 or 20
    working days); the publisher redacts, confirms and publishes it in Odoo."""
    case = load_case(env, task.variables["case_id"], task)
    publication = env["enforcement.publication"]._create_for_case(
        case, case.decision_kind, case._publication_decision_date(), decision_number=case.decision_number)
    publication._open_publishing_task()
    record_step(env, case, task, "create_publication",
                f"publication {publication.id} due {publication.publish_due}" if publication
                else "not published by the agency's policy")
