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

FORM_KEY_PREFIX = "enforcement:"
# What the Odoo side of a step reads from the process: the case, and for the
# votes of a meeting, which meeting and which member (the multi-instance counter).
TASK_VARIABLES = ("case_id", "collective_decision_id", "loopCounter",
                  # the steps of a seizure or detention: which measure of the case
                  "seizure_id")


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
    case_id: int
    variables: dict


def from_engine(task: UserTask, candidate_groups: list[str], variables: dict) -> OpenedUserTask:
    form_key = task.form_key or ""
    if not form_key.startswith(FORM_KEY_PREFIX):
        raise UnknownUserTask(
            f"user task {task.task_definition_key} has form key {form_key!r}; expected '{FORM_KEY_PREFIX}<step>'")
    case_id = variables.get("case_id")
    if not isinstance(case_id, int):
        raise UnknownUserTask(f"user task {task.task_definition_key} has no integer case_id variable")
    return OpenedUserTask(
        task_id=task.id,
        process_instance_id=task.process_instance_id,
        element_id=task.task_definition_key,
        step_code=form_key[len(FORM_KEY_PREFIX):],
        candidate_groups=tuple(group for group in candidate_groups if group),
        assignee=task.assignee or None,
        due=task.due.astimezone(timezone.utc).replace(tzinfo=None) if task.due else None,
        case_id=case_id,
        variables=dict(variables),
    )


def completion(task_id: str, variables: dict) -> tuple[str, dict]:
    """The outbox command that finishes a user task in the engine."""
    return "complete_task", {"task_id": task_id, "variables": variables}
