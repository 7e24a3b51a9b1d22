from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..services import user_tasks


class EnforcementTask(models.Model):
    """A human step of a case's process: Odoo is the task list. The task is
    opened by the worker when Zeebe activates the user-task job, and
    completing it here writes the case and queues the job's completion in the
    same transaction.

    Rights: a user sees and completes the tasks of the groups they belong to,
    in their own agency; a leader reassigns.
    """

    _name = "enforcement.task"
    _description = "Case Task"
    _inherit = ["mail.activity.mixin"]
    _order = "state, date_deadline, id"

    name = fields.Char(required=True, readonly=True)
    case_id = fields.Many2one("enforcement.case", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    step_code = fields.Char(required=True, readonly=True, index=True)
    element_id = fields.Char(readonly=True)
    job_key = fields.Char(required=True, readonly=True, index=True)
    process_instance_key = fields.Char(readonly=True)
    candidate_group_ids = fields.Many2many("res.groups", string="Candidate Groups", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", index=True)
    date_deadline = fields.Datetime(string="Deadline", readonly=True)
    days_left = fields.Integer(compute="_compute_days_left")
    is_overdue = fields.Boolean(compute="_compute_days_left", search="_search_is_overdue")
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open", required=True, readonly=True, index=True,
    )
    outcome = fields.Json(readonly=True)
    completed_by_id = fields.Many2one("res.users", readonly=True)
    completed_at = fields.Datetime(readonly=True)
    can_complete = fields.Boolean(compute="_compute_can_complete")

    # Step fields: each kind of step shows only its own (see the form view).
    filing_approved = fields.Boolean(string="File the Case")
    approval_comment = fields.Text(string="Opinion")

    _sql_constraints = [("job_key_unique", "unique(job_key)", "A Zeebe job opens one task.")]

    @api.depends("date_deadline", "state")
    def _compute_days_left(self):
        now = fields.Datetime.now()
        for task in self:
            if task.date_deadline and task.state == "open":
                task.days_left = (task.date_deadline - now).days
                task.is_overdue = task.date_deadline < now
            else:
                task.days_left = 0
                task.is_overdue = False

    def _search_is_overdue(self, operator, value):
        overdue = [("state", "=", "open"), ("date_deadline", "<", fields.Datetime.now())]
        if (operator == "=") == bool(value):
            return overdue
        return ["!", "&", *overdue]

    def _compute_can_complete(self):
        for task in self:
            try:
                task._check_can_complete()
                task.can_complete = True
            except (UserError, AccessError):
                task.can_complete = False

    def _check_can_complete(self):
        """The one check behind the button and the server: an open task, a
        user in one of its candidate groups, and the assignee if claimed."""
        self.check_access("write")
        user = self.env.user
        for task in self:
            if task.state != "open":
                raise UserError(self.env._("Task %(task)s is already closed.", task=task.name))
            if task.candidate_group_ids and not (task.candidate_group_ids & user.groups_id):
                raise AccessError(self.env._(
                    "You are not in a group allowed to complete %(task)s.", task=task.name))
            if task.user_id and task.user_id != user and not user.has_group(
                    "admin_enforcement.group_enforcement_leader"):
                raise AccessError(self.env._(
                    "Task %(task)s is assigned to %(user)s.", task=task.name, user=task.user_id.name))

    # ----- opened by the worker -----

    @api.model
    def _open_from_job(self, opened: user_tasks.OpenedUserTask):
        """Idempotent by job key: a job delivered again finds its task."""
        existing = self.sudo().search([("job_key", "=", str(opened.job_key))], limit=1)
        if existing:
            return existing
        case = self.env["enforcement.case"].sudo().browse(opened.case_id).exists()
        if not case:
            raise UserError(self.env._("Case %(id)s of user task %(job)s does not exist.",
                                       id=opened.case_id, job=opened.job_key))
        groups = self.env["res.groups"]
        for xmlid in opened.candidate_groups:
            group = self.env.ref(xmlid, raise_if_not_found=False)
            if not group or group._name != "res.groups":
                raise UserError(self.env._("Candidate group %(group)s of step %(step)s is not an Odoo group.",
                                           group=xmlid, step=opened.element_id))
            groups |= group
        task = self.sudo().create({
            "name": f"{case.name} · {self._step_label(opened.step_code)}",
            "case_id": case.id,
            "step_code": opened.step_code,
            "element_id": opened.element_id,
            "job_key": str(opened.job_key),
            "process_instance_key": str(opened.process_instance_key),
            "candidate_group_ids": [fields.Command.set(groups.ids)],
            "date_deadline": opened.due,
        })
        case.sudo().process_instance_key = str(opened.process_instance_key)
        self.env["enforcement.process.event"].sudo().create({
            "case_id": case.id, "kind": "task_opened", "step": opened.element_id,
            "step_name": self._step_label(opened.step_code), "job_key": str(opened.job_key),
        })
        return task

    @api.model
    def _step_label(self, step_code):
        labels = {"filing_approval": self.env._("Filing Approval")}
        return labels.get(step_code, step_code.replace("_", " ").title())

    # ----- completed by people -----

    def action_complete(self):
        self._check_can_complete()
        for task in self:
            handler = getattr(task.case_id, f"_complete_{task.step_code}", None)
            if handler is None:
                raise UserError(self.env._("Step %(step)s has no completion screen.", step=task.step_code))
            variables = handler(task, task._step_values())
            command, payload = user_tasks.completion(int(task.job_key), variables)
            self.env["enforcement.outbox"]._enqueue(
                command, payload, f"complete:{task.job_key}", task.case_id)
            task.sudo().write({
                "state": "done",
                "outcome": variables,
                "completed_by_id": self.env.uid,
                "completed_at": fields.Datetime.now(),
            })
            self.env["enforcement.process.event"].sudo().create({
                "case_id": task.case_id.id, "kind": "task_completed", "step": task.element_id,
                "step_name": self._step_label(task.step_code), "actor_id": self.env.uid,
                "outcome": ", ".join(f"{k}={v}" for k, v in variables.items()),
                "job_key": task.job_key,
            })
        return True

    def _step_values(self):
        self.ensure_one()
        return {"filing_approved": self.filing_approved, "approval_comment": self.approval_comment}

    def action_claim(self):
        for task in self:
            task._check_can_complete()
            task.user_id = self.env.user

    def action_reassign(self, user):
        if not self.env.user.has_group("admin_enforcement.group_enforcement_leader"):
            raise AccessError(self.env._("Only a leader can reassign tasks."))
        self.write({"user_id": user.id})
