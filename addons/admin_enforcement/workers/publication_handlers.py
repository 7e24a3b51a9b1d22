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
    record_step(case, task, case.env._("Publication opened"),
                case.env._("to be published by %(due)s", due=publication.publish_due) if publication
                else case.env._("not published under the agency's publication policy"))
