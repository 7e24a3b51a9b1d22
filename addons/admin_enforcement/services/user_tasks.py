"""The one place that knows how a human step is represented in the engine.

A human step is a BPMN ``userTask`` of Operaton: its form key
(``enforcement:<step>``) names the step, its candidate groups are Odoo group
xmlids, its due date is the step's deadline. The worker polls the engine's
task list and opens each task in Odoo (``enforcement.task``, keyed by the
engine's task id); completing it in Odoo queues the engine's completion in
the outbox, in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from .engine_client import UserTask
from .process_steps import CASE_MODEL, STEPS, SUBJECT_VARIABLES

FORM_KEY_PREFIX = "enforcement:"
# What the Odoo side of a step reads from the process: the ids of the step's
# subject (the case by default, see process_steps.SUBJECT_VARIABLES), and for
# the votes of a meeting or the inspections of a plan, which meeting or plan
# and which member or party (the multi-instance counter).
TASK_VARIABLES = tuple(dict.fromkeys(
    ("case_id", "collective_decision_id", "loopCounter",
     # the steps of a seizure or detention: which measure of the case
     "seizure_id",
     *(name for names in SUBJECT_VARIABLES.values() for name in names))))


class UnknownUserTask(ValueError):
    """A user task the product has no screen for."""


@dataclass(frozen=True)
class OpenedUserTask:
    task_id: str
    process_instance_id: str
    element_id: str
    step_code: str
    candidate_groups: tuple[str, ...]
    assignee: str | None
    due: datetime | None
    # The case the task belongs to, when its subject is a case (or the
    # subject's process carries one); None for a plan's or a report's task.
    case_id: int | None
    variables: dict
    # What the task belongs to and whose method completes it (the step's
    # declared subject, process_steps.ProcessStep.subject).
    subject_model: str = CASE_MODEL
    subject_id: int | None = None

    def __post_init__(self):
        if self.subject_id is None and self.subject_model == CASE_MODEL:
            object.__setattr__(self, "subject_id", self.case_id)


def from_engine(task: UserTask, candidate_groups: list[str], variables: dict) -> OpenedUserTask:
    form_key = task.form_key or ""
    if not form_key.startswith(FORM_KEY_PREFIX):
        raise UnknownUserTask(
            f"user task {task.task_definition_key} has form key {form_key!r}; expected '{FORM_KEY_PREFIX}<step>'")
    step_code = form_key[len(FORM_KEY_PREFIX):]
    step = STEPS.get(step_code)
    subject_model = step.subject if step else CASE_MODEL
    # The subject is found from its variables in Odoo (the subject model's
    # _task_subject_from_variables); here only that they are there.
    needed = SUBJECT_VARIABLES.get(subject_model, ("case_id",))
    if not any(isinstance(variables.get(name), int) for name in needed):
        raise UnknownUserTask(f"user task {task.task_definition_key} of {subject_model} has none of the "
                              f"integer variables {', '.join(needed)}")
    case_id = variables.get("case_id")
    return OpenedUserTask(
        task_id=task.id,
        process_instance_id=task.process_instance_id,
        element_id=task.task_definition_key,
        step_code=step_code,
        candidate_groups=tuple(group for group in candidate_groups if group),
        assignee=task.assignee or None,
        due=task.due.astimezone(timezone.utc).replace(tzinfo=None) if task.due else None,
        case_id=case_id if isinstance(case_id, int) else None,
        variables=dict(variables),
        subject_model=subject_model,
        subject_id=variables.get(needed[0]) if isinstance(variables.get(needed[0]), int) else None,
    )


def completion(task_id: str, variables: dict) -> tuple[str, dict]:
    """The outbox command that finishes a user task in the engine."""
    return "complete_task", {"task_id": task_id, "variables": variables}
