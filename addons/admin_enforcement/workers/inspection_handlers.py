"""External tasks of the `inspection` area (双随机、一公开 and 行政检查):
enforcement.inspection.<action>. Each reads its plan or inspection from Odoo
by id and writes through the model's private step methods."""
from .runtime import topic

PLAN_VARIABLES = ("plan_id",)
INSPECTION_VARIABLES = ("inspection_id", "plan_id", "inspection_index")


def load_plan(env, task):
    plan = env["enforcement.inspection.plan"].browse(task.variables.get("plan_id")).exists()
    if not plan:
        raise LookupError(f"inspection plan {task.variables.get('plan_id')} of task {task.id} does not exist")
    return plan.with_context(lang=plan._agency_lang())


def load_inspection(env, task):
    inspection = env["enforcement.inspection"]._task_subject_from_variables(task.variables)
    if not inspection:
        raise LookupError(f"the inspection of task {task.id} ({task.topic}, {task.variables}) does not exist")
    return inspection.with_context(lang=inspection._agency_lang())


def note(record, task, text):
    """The step in the record's chatter, in its agency's language."""
    record._task_history({"kind": "service_task", "step": task.activity_id, "step_name": text, "outcome": "",
                          "job_key": task.id})


@topic("enforcement.inspection.publish_plan", variables=PLAN_VARIABLES)
def publish_plan(env, task):
    plan = load_plan(env, task)
    plan.sudo().process_instance_key = task.process_instance_id
    draw_at = plan._publish()
    note(plan, task, plan.env._("Plan published; register snapshot %(hash)s", hash=plan.snapshot_hash))
    return {"draw_at": draw_at}


@topic("enforcement.inspection.draw", variables=PLAN_VARIABLES)
def draw(env, task):
    plan = load_plan(env, task)
    result = plan.draw_ids[:1] or plan._draw()
    note(plan, task, plan.env._("Drawn: %(count)s parties", count=result.party_count))
    return {"party_count": result.party_count}


@topic("enforcement.inspection.close_plan", variables=PLAN_VARIABLES)
def close_plan(env, task):
    plan = load_plan(env, task)
    if plan.state != "closed":
        plan._close()
    note(plan, task, plan.env._("Plan closed, %(rate)s%% completed", rate=round(plan.completion_rate, 1)))


@topic("enforcement.inspection.open", variables=INSPECTION_VARIABLES)
def open_inspection(env, task):
    inspection = load_inspection(env, task)._open_in_process(task.process_instance_id)
    return {"inspection_id": inspection.id}


@topic("enforcement.inspection.transfer_case", variables=INSPECTION_VARIABLES)
def transfer_case(env, task):
    inspection = load_inspection(env, task)
    case = inspection._transfer_to_case()
    note(inspection, task, inspection.env._("Transferred to penalty case %(case)s", case=case.name))


@topic("enforcement.inspection.compute_publish_due", variables=INSPECTION_VARIABLES)
def compute_publish_due(env, task):
    inspection = load_inspection(env, task)
    return {"publish_due": inspection._compute_publish_due_iso()}
