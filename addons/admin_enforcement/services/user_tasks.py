"""The one place that knows how a human step is represented in Zeebe.

Zeebe 8.5 offers job-based user tasks (a job of type ``io.camunda.zeebe:userTask``
whose headers carry the form key, assignee, candidate groups and due date) and
Zeebe-native user tasks. This product uses the job-based kind with Odoo as the
task list; moving to native user tasks means rewriting this module only.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

USER_TASK_JOB_TYPE = "io.camunda.zeebe:userTask"
FORM_KEY_HEADER = "io.camunda.zeebe:formKey"
CANDIDATE_GROUPS_HEADER = "io.camunda.zeebe:candidateGroups"
ASSIGNEE_HEADER = "io.camunda.zeebe:assignee"
DUE_DATE_HEADER = "io.camunda.zeebe:dueDate"
FORM_KEY_PREFIX = "enforcement:"


class UnknownUserTask(ValueError):
    """A user task whose form key the product has no screen for."""


@dataclass(frozen=True)
class OpenedUserTask:
    job_key: int
    process_instance_key: int
    element_id: str
    step_code: str
    candidate_groups: tuple[str, ...]
    assignee: str | None
    due: datetime | None
    case_id: int
    variables: dict


def from_job(job) -> OpenedUserTask:
    """Read a user-task job as delivered by pyzeebe."""
    headers = job.custom_headers or {}
    form_key = headers.get(FORM_KEY_HEADER, "")
    if not form_key.startswith(FORM_KEY_PREFIX):
        raise UnknownUserTask(
            f"user task {job.element_id} has form key {form_key!r}; expected '{FORM_KEY_PREFIX}<step>'"
        )
    groups_raw = headers.get(CANDIDATE_GROUPS_HEADER) or "[]"
    groups = json.loads(groups_raw) if groups_raw.startswith("[") else [g.strip() for g in groups_raw.split(",")]
    case_id = job.variables.get("case_id")
    if not isinstance(case_id, int):
        raise UnknownUserTask(f"user task {job.element_id} has no integer case_id variable")
    return OpenedUserTask(
        job_key=job.key,
        process_instance_key=job.process_instance_key,
        element_id=job.element_id,
        step_code=form_key[len(FORM_KEY_PREFIX):],
        candidate_groups=tuple(g for g in groups if g),
        assignee=headers.get(ASSIGNEE_HEADER) or None,
        due=_parse_due(headers.get(DUE_DATE_HEADER)),
        case_id=case_id,
        variables=dict(job.variables),
    )


def _parse_due(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def completion(job_key: int, variables: dict) -> tuple[str, dict]:
    """The outbox command that finishes a user task in the engine."""
    return "complete_job", {"job_key": int(job_key), "variables": variables}
