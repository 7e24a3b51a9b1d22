"""A user task belongs to the subject its step declares: a case by default,
found from ``case_id``; another record (a plan, a report) from its own
variables, with no case needed."""

from datetime import datetime, timezone

import pytest

from services import process_steps, user_tasks
from services.engine_client import UserTask


def _engine_task(form_key):
    return UserTask(id="t-1", name="x", task_definition_key="Task_X", process_instance_id="pi-1",
                    process_definition_id="pd-1", form_key=form_key, assignee=None,
                    created=datetime(2026, 12, 1, tzinfo=timezone.utc), due=None)


@pytest.fixture
def plan_step(monkeypatch):
    monkeypatch.setitem(process_steps.SUBJECT_VARIABLES, "enforcement.example.plan", ("plan_id",))
    step = process_steps.ProcessStep("example_plan_step", "Plan Step", process_steps.Actor.AGENCY_LEADER,
                                     subject="enforcement.example.plan")
    monkeypatch.setitem(process_steps.STEPS, step.code, step)
    return step


def test_a_case_step_belongs_to_its_case():
    opened = user_tasks.from_engine(_engine_task("enforcement:filing_approval"), ["g"], {"case_id": 7})
    assert (opened.subject_model, opened.subject_id, opened.case_id) == ("enforcement.case", 7, 7)


def test_a_case_step_without_its_case_is_refused():
    with pytest.raises(user_tasks.UnknownUserTask, match="case_id"):
        user_tasks.from_engine(_engine_task("enforcement:filing_approval"), ["g"], {"plan_id": 3})


def test_a_step_of_another_subject_needs_no_case(plan_step):
    opened = user_tasks.from_engine(_engine_task("enforcement:example_plan_step"), ["g"], {"plan_id": 3})
    assert (opened.subject_model, opened.subject_id, opened.case_id) == ("enforcement.example.plan", 3, None)


def test_a_step_of_another_subject_without_its_id_is_refused(plan_step):
    with pytest.raises(user_tasks.UnknownUserTask, match="plan_id"):
        user_tasks.from_engine(_engine_task("enforcement:example_plan_step"), ["g"], {"case_id": 7})


def test_a_step_names_a_subject_with_its_variables():
    with pytest.raises(ValueError, match="SUBJECT_VARIABLES"):
        process_steps.ProcessStep("x", "X", process_steps.Actor.AGENCY_LEADER, subject="enforcement.unknown")


def test_the_task_list_reads_every_subject_variable(plan_step):
    assert "case_id" in user_tasks.TASK_VARIABLES
    assert all(name in user_tasks.TASK_VARIABLES for names in process_steps.SUBJECT_VARIABLES.values()
               for name in names if names != ("plan_id",))
