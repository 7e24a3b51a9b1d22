from lxml.builder import E

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..enforcement_core.china_clock import china_day
from ..services import user_tasks
from ..services.process_steps import STEPS, Actor


class EnforcementTask(models.Model):
    """A human step of a process: Odoo is the task list. The task is opened
    by the worker when the engine creates the user task, and completing it
    here writes its subject and queues the engine's completion in the same
    transaction.

    A task belongs to a *subject*: the case of a case's procedure (the
    default), or another record the step declares (``ProcessStep.subject``
    in services/process_steps.py: an inspection plan, an inspection, a
    statistics report). The subject finds itself from the process variables
    (``_task_subject_from_variables``), says who may act
    (``_check_step_actor``) and completes the step (``_complete_<step>``).

    Rights: a user sees and completes the tasks of the groups they belong to,
    in their own agency; a leader reassigns.
    """

    _name = "enforcement.task"
    _description = "Case Task"
    _inherit = ["mail.activity.mixin"]
    _order = "state, date_deadline, id"

    name = fields.Char(compute="_compute_name", search="_search_name")
    case_id = fields.Many2one("enforcement.case", readonly=True, index=True, ondelete="cascade")
    subject_model = fields.Char(readonly=True, index=True, default="enforcement.case")
    subject_id = fields.Many2oneReference(model_field="subject_model", readonly=True,
                                          index=True)
    subject_name = fields.Char(compute="_compute_subject_name")
    company_id = fields.Many2one("res.company", compute="_compute_company_id", store=True, index=True)
    step_code = fields.Char(required=True, readonly=True, index=True)
    element_id = fields.Char(readonly=True)
    job_key = fields.Char(string="Engine Task", required=True, readonly=True, index=True,
                          help="The engine's id of the user task.")
    process_instance_key = fields.Char(readonly=True)
    candidate_group_ids = fields.Many2many("res.groups", string="Candidate Groups", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned To", index=True)
    date_deadline = fields.Datetime(string="Deadline", readonly=True)
    date_due = fields.Date(
        string="Due Date", compute="_compute_date_due", store=True,
        help="The day of the deadline in Beijing time (deadlines end at 24:00 Beijing time).",
    )
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
    step_label = fields.Char(compute="_compute_step_label", string="Step")

    # Step fields: each kind of step shows only its own (declared in
    # services/process_steps.py, built into the form by _get_view) and
    # _step_values() hands only the task's own step's fields to the case.
    filing_approved = fields.Boolean(string="File the Case")
    approval_comment = fields.Text(string="Opinion")
    team_officer_ids = fields.Many2many(
        "enforcement.officer", "enforcement_task_officer_rel", "task_id", "officer_id", string="Case Team",
        help="At least two officers certified for the case's category and area, none with a conflict.",
    )
    evidence_summary = fields.Text(string="Evidence Collected")
    investigation_conclusion = fields.Selection(
        [("penalty", "Propose a Penalty"), ("no_penalty", "No Penalty")], string="Conclusion",
    )
    discretion_standard_id = fields.Many2one("enforcement.discretion.standard")
    discretion_tier_id = fields.Many2one(
        "enforcement.discretion.tier", string="Circumstances Tier",
        domain="[('standard_id', '=', discretion_standard_id)]",
    )
    penalty_type_ids = fields.Many2many(
        "enforcement.penalty.type", "enforcement_task_penalty_type_rel", "task_id", "penalty_type_id",
        string="Proposed Penalties",
    )
    proposed_fine = fields.Float(string="Proposed Fine (yuan)", digits=(16, 2))
    discretion_reason = fields.Text(string="Reason for Departing from the Tier")
    complex_case = fields.Boolean(string="Complex or Serious Case")
    notice_served_at = fields.Datetime(string="Notice Served On")
    notice_content = fields.Text(string="Facts, Grounds, Proposed Penalty and Rights")
    hearing_at = fields.Datetime(string="Hearing Date")
    hearing_chair_id = fields.Many2one("res.users")
    hearing_record = fields.Text()
    decision_kind = fields.Selection([("penalty", "Penalty"), ("no_penalty", "No Penalty")], string="Decision")
    decision_returned = fields.Boolean(
        string="Return for Supplementary Investigation",
        help="Instead of deciding, send the case back to its officers: the team is checked again, and the "
             "investigation report, prior notice and, where required, legal review are done again.")
    return_reason = fields.Text(string="Reason for Returning")
    fine_amount = fields.Float(string="Amount to Pay (yuan)", digits=(16, 2))
    extension_approved = fields.Boolean(string="Extend the Decision Period")
    extension_reason = fields.Text()
    served_at = fields.Datetime(string="Served On")
    service_method = fields.Selection(
        [("direct", "Direct Service"), ("mail", "By Mail"), ("electronic", "Electronic Service"),
         ("public_notice", "Public Notice")],
    )
    court_application_ref = fields.Char(string="Court Application Reference")

    # The case summary at the top of every task, and the list's columns.
    case_title = fields.Char(related="case_id.title", string="Case Title")
    party_name = fields.Char(related="case_id.party_name", string="Party")
    case_ref = fields.Char(related="case_id.name", string="Case Reference")
    case_number = fields.Char(related="case_id.number", string="Case Number")
    case_agency_id = fields.Many2one(related="case_id.agency_id", string="Agency")
    case_matter_id = fields.Many2one(related="case_id.matter_id", string="Enforcement Matter")
    case_category_id = fields.Many2one(related="case_id.category_id", string="Enforcement Category")
    case_area_id = fields.Many2one(related="case_id.area_id", string="Enforcement Area")
    case_party_type = fields.Selection(related="case_id.party_type", string="Party Type")
    case_officer_ids = fields.Many2many(related="case_id.officer_ids", string="Case Officers")
    case_filing_date = fields.Date(related="case_id.filing_date", string="Received On")
    case_decision_due = fields.Datetime(related="case_id.decision_due", string="Decide By")
    case_facts = fields.Text(related="case_id.facts", string="Facts")
    case_evidence_summary = fields.Text(related="case_id.evidence_summary", string="Evidence")

    # What the person deciding a step needs to see of the case.
    case_state = fields.Selection(related="case_id.state", string="Case Status")
    case_team_problems = fields.Text(related="case_id.team_problems", string="Team Problems")
    case_discretion_check = fields.Text(related="case_id.discretion_check", string="Discretion Check")
    case_review_state = fields.Selection(related="case_id.review_state", string="Legal Review")
    case_notice_served_at = fields.Datetime(related="case_id.notice_served_at", string="Prior Notice Served")
    case_proposed_fine = fields.Float(related="case_id.proposed_fine", string="Proposed Fine (yuan)")
    case_hearing_record = fields.Text(related="case_id.hearing_record", string="Hearing Record")
    case_hearing_basis = fields.Text(related="case_id.hearing_basis", string="Right to a Hearing")

    _sql_constraints = [("job_key_unique", "unique(job_key)", "An engine task opens one task.")]

    def init(self):
        # Tasks opened before tasks had subjects belong to their case.
        self.env.cr.execute("""UPDATE enforcement_task SET subject_model = 'enforcement.case', subject_id = case_id
                               WHERE subject_id IS NULL AND case_id IS NOT NULL""")

    @api.depends("case_id.title", "case_id.name", "step_code", "subject_model", "subject_id")
    @api.depends_context("lang")
    def _compute_name(self):
        """Step and case title (or the subject's name) in the reader's language, not the worker's."""
        for task in self:
            title = task.case_id.title or task.case_id.name if task.case_id else task.subject_name
            task.name = f"{task._step_label(task.step_code)} · {title or ''}"

    @api.depends("subject_model", "subject_id")
    def _compute_subject_name(self):
        for task in self:
            subject = task._subject()
            task.subject_name = subject.display_name if subject else False

    @api.depends("case_id.company_id", "subject_model", "subject_id")
    def _compute_company_id(self):
        """The company of the subject: the agency whose staff see the task (record rules)."""
        for task in self:
            subject = task.sudo()._subject()
            task.company_id = task.case_id.company_id if task.case_id else subject[:1].company_id

    def _subject(self):
        """The record this task belongs to (a case, a plan, an inspection ...)."""
        self.ensure_one()
        if not self.subject_model or not self.subject_id or self.subject_model not in self.env:
            return self.case_id
        return self.env[self.subject_model].browse(self.subject_id).exists()

    def _search_name(self, operator, value):
        return ["|", "|", "|", "|", ("case_id.name", operator, value), ("case_id.title", operator, value),
                ("case_id.party_name", operator, value), ("case_id.number", operator, value),
                ("step_code", operator, value)]

    @api.depends("date_deadline")
    def _compute_date_due(self):
        for task in self:
            task.date_due = task.date_deadline and china_day(task.date_deadline)

    @api.depends("date_deadline", "state")
    def _compute_days_left(self):
        now = fields.Datetime.now()
        today = china_day(now)
        for task in self:
            if task.date_deadline and task.state == "open":
                # calendar days in Beijing: due today is 0, due tomorrow 1, overdue negative
                task.days_left = (china_day(task.date_deadline) - today).days
                task.is_overdue = task.date_deadline < now
            else:
                task.days_left = 0
                task.is_overdue = False

    def write(self, vals):
        """Users fill in the step's fields; what the engine and the completion
        set is not theirs to write, and only a leader gives a task to someone else."""
        if not self.env.su:
            engine_owned = sorted(ENGINE_FIELDS & set(vals))
            if engine_owned:
                raise AccessError(self.env._(
                    "%(fields)s of a task are set by the process, not edited.", fields=", ".join(engine_owned)))
            if vals.get("user_id") not in (None, False, self.env.uid) and not self.env.user.has_group(
                    "admin_enforcement.group_enforcement_leader"):
                raise AccessError(self.env._("Only a leader can reassign tasks."))
        return super().write(vals)

    @api.depends("step_code")
    def _compute_step_label(self):
        for task in self:
            task.step_label = self._step_label(task.step_code)

    def action_open_case(self):
        """Open what the task belongs to: the case file, or the plan or inspection."""
        self.ensure_one()
        subject = self._subject()
        return {"type": "ir.actions.act_window", "res_model": subject._name, "res_id": subject.id,
                "view_mode": "form"}

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

    def _enforcement_access_why(self, operation, user):
        """Why a record rule refuses these tasks to ``user`` (see ir_rule.py)."""
        groups = self.sudo().candidate_group_ids
        if groups and not groups & user.groups_id:
            return self.env._("this step is done by the %(groups)s of the agency, and you are not one of them.",
                              groups="、".join(groups.with_env(self.env).mapped("name")))
        return self.env._("the task is assigned to %(user)s.", user="、".join(self.sudo().user_id.mapped("name")))

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
            task._check_actor_entitled(user)

    def _check_actor_entitled(self, user):
        """The person acting is entitled to this step at this moment (see
        services/process_steps.py): 持证上岗 for officers' steps, the leader
        role of the case's agency for approvals, the reviewer's qualification
        for review steps."""
        self.ensure_one()
        step = STEPS.get(self.step_code)
        if step is None:
            raise UserError(self.env._("Step %(step)s has no completion screen.", step=self.step_code))
        subject = self.sudo()._subject()
        if not subject:
            raise UserError(self.env._("The record of task %(task)s no longer exists.", task=self.name))
        subject._check_step_actor(step, user, self)

    def _check_case_step_actor(self, step, user):
        """Who may act on a case's step (enforcement.case._check_step_actor)."""
        case = self.case_id.sudo()
        if step.actor is Actor.CASE_OFFICER:
            case._check_acting_officer(user)
        elif step.actor is Actor.AGENCY_LEADER:
            case._check_acting_leader(user)
        elif step.actor is Actor.LEGAL_REVIEWER:
            case._check_acting_legal_reviewer(user)
        elif step.actor is Actor.HEARING_CHAIR:
            if user != case.hearing_chair_id:
                raise AccessError(self.env._(
                    "%(user)s may not do %(task)s: only the hearing chair %(chair)s submits the hearing record.",
                    user=user.name, task=self.name, chair=case.hearing_chair_id.name or "-"))
        elif step.actor is Actor.MEETING_MEMBER and user != self.user_id:
            # A leader may record an absent member (the vote step checks that).
            case._check_acting_leader(user)

    # ----- opened by the worker -----

    @api.model
    def _open_from_engine(self, opened: user_tasks.OpenedUserTask):
        """Idempotent by the engine's task id: a task seen again finds its task."""
        existing = self.sudo().search([("job_key", "=", opened.task_id)], limit=1)
        if existing:
            return existing
        subject_model = opened.subject_model or "enforcement.case"
        if subject_model not in self.env:
            raise UserError(self.env._("Step %(step)s belongs to %(model)s, which is not installed.",
                                       step=opened.step_code, model=subject_model))
        subject = self.env[subject_model].sudo()._task_subject_from_variables(
            {**opened.variables, "case_id": opened.case_id} if opened.case_id else opened.variables)
        if not subject:
            raise UserError(self.env._("The %(model)s of user task %(job)s does not exist.",
                                       model=subject_model, job=opened.task_id))
        case = subject if subject._name == "enforcement.case" else subject._task_case()
        groups = self.env["res.groups"]
        for xmlid in opened.candidate_groups:
            group = self.env.ref(xmlid, raise_if_not_found=False)
            if not group or group._name != "res.groups":
                raise UserError(self.env._("Candidate group %(group)s of step %(step)s is not an Odoo group.",
                                           group=xmlid, step=opened.element_id))
            groups |= group
        task = self.sudo().create({
            "case_id": case.id,
            "subject_model": subject._name,
            "subject_id": subject.id,
            "step_code": opened.step_code,
            "element_id": opened.element_id,
            "job_key": opened.task_id,
            "process_instance_key": opened.process_instance_id,
            "candidate_group_ids": [fields.Command.set(groups.ids)],
            "date_deadline": opened.due,
            **subject._task_defaults(opened.step_code),
        })
        if subject._name == "enforcement.case" and not case.process_instance_key:
            case.sudo().process_instance_key = opened.process_instance_id
        task._record_history("task_opened")
        return task

    def _record_history(self, kind, actor=None, outcome=""):
        """One row of the subject's process history for this task (a case's
        process events; another subject keeps its own, ``_task_history``),
        written in the agency's language (the worker has none)."""
        self.ensure_one()
        subject = self.sudo()._subject()
        history = self.with_context(lang=subject._agency_lang())
        subject.with_context(lang=subject._agency_lang())._task_history({
            "kind": kind, "step": self.element_id, "step_name": history._step_label(self.step_code),
            "actor_id": actor or False, "outcome": outcome, "job_key": self.job_key,
        })

    def _close_gone(self):
        """The engine ended these tasks without a completion (an interrupting
        timer, a cancelled instance): they leave the task list."""
        for task in self.sudo().filtered(lambda t: t.state == "open"):
            task.state = "cancelled"
            task._record_history("task_cancelled")

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """The form's step section is the steps' declaration: its placeholder
        ``<group name="step_fields"/>`` becomes one group per step that shows
        fields, titled with the step's label in the reader's language."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            for placeholder in arch.xpath("//group[@name='step_fields']"):
                for group in self._step_form_groups():
                    placeholder.addprevious(group)
                placeholder.getparent().remove(placeholder)
        return arch, view

    @api.model
    def _step_form_groups(self):
        """One <group> per declared step with fields, shown on that step's tasks only."""
        groups = []
        for code, step in STEPS.items():
            if not step.form:
                continue
            group = E.group(string=self.env._(step.label), name=code, invisible=f"step_code != '{code}'")
            for field in step.form:
                attrs = {"name": field.name, "readonly": field.readonly_expr}
                for attr, value in (("invisible", field.invisible), ("required", field.required),
                                    ("widget", field.widget), ("options", field.options),
                                    ("domain", field.domain), ("class", field.css_class)):
                    if value:
                        attrs[attr] = value
                if field.placeholder:
                    attrs["placeholder"] = self.env._(field.placeholder)
                if field.list_view:
                    attrs.update(nolabel="1", colspan="2", context=repr({"list_view_ref": field.list_view}))
                group.append(E.field(**attrs))
            groups.append(group)
        return groups

    @api.model
    def _step_label(self, step_code):
        return self._step_labels().get(step_code) or (step_code or "").replace("_", " ").title()

    @api.model
    def _step_labels(self):
        """Step code -> label of every step, in the reader's language (declared in services/process_steps.py)."""
        return {code: self.env._(step.label) for code, step in STEPS.items()}

    # ----- completed by people -----

    def action_complete(self):
        self._check_can_complete()
        for task in self:
            step = STEPS.get(task.step_code)
            subject = task._subject()
            handler = step and subject and getattr(subject, step.handler, None)
            if handler is None:
                raise UserError(self.env._("Step %(step)s has no completion screen.", step=task.step_code))
            variables = handler(task, task._step_values())
            command, payload = user_tasks.completion(task.job_key, variables)
            self.env["enforcement.outbox"]._enqueue(
                command, payload, f"complete:{task.job_key}", task.case_id or None)
            task.sudo().write({
                "state": "done",
                "outcome": variables,
                "completed_by_id": self.env.uid,
                "completed_at": fields.Datetime.now(),
            })
            task._record_history("task_completed", actor=self.env.uid,
                                 outcome=", ".join(f"{k}={v}" for k, v in variables.items()))
        return True

    def _step_values(self):
        """The values of this task's own step, as plain data for the case."""
        self.ensure_one()
        values = {}
        step = STEPS.get(self.step_code)
        for name in step.fields if step else ():
            field = self._fields[name]
            value = self[name]
            if field.type == "many2many":
                value = value.ids
            elif field.type == "many2one":
                value = value.id or False
            values[name] = value
        return values

    def action_claim(self):
        for task in self:
            task._check_can_complete()
            task.user_id = self.env.user

    def action_reassign(self, user):
        """Give the tasks to ``user`` (a res.users record or id); leaders only."""
        if not self.env.user.has_group("admin_enforcement.group_enforcement_leader"):
            raise AccessError(self.env._("Only a leader can reassign tasks."))
        user = self.env["res.users"].browse(user if isinstance(user, int) else user.id)
        for task in self:
            if task.state != "open":
                raise UserError(self.env._("Task %(task)s is already closed.", task=task.name))
            if task.candidate_group_ids and not (task.candidate_group_ids & user.groups_id):
                raise UserError(self.env._(
                    "%(user)s is not in a group allowed to do %(task)s.", user=user.name, task=task.name))
        self.write({"user_id": user.id})
        return True




# Set when the worker opens the task or when it is completed; never by a user.
ENGINE_FIELDS = frozenset({
    "case_id", "subject_model", "subject_id", "step_code", "element_id", "job_key", "process_instance_key", "candidate_group_ids",
    "date_deadline", "state", "outcome", "completed_by_id", "completed_at",
})
