from datetime import timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..enforcement_core.china_clock import CHINA, china_day_start_utc


WARNING_ACTIVITY_TYPE = "admin_enforcement.mail_activity_type_enforcement_warning"

MEASURES = [
    ("decision_period", "Decision Period Used (%)"),
    ("service_due", "Service Due within (Days)"),
    ("publication_due", "Publication Due within (Days)"),
    ("withdrawal_due", "Publication Withdrawal Due within (Days)"),
    ("review_due", "Legal Review Due within (Days)"),
    ("task_due", "Task Deadline (e.g. 备案) within (Days)"),
]
# The desk deadline (enforcement.desk.deadline.kind) each measure reads.
MEASURE_KIND = {
    "decision_period": "decision", "service_due": "service", "publication_due": "publication",
    "withdrawal_due": "withdrawal", "review_due": "review", "task_due": "task",
}


class EnforcementWarningRule(models.Model):
    """A 预警 rule: what is measured on every running deadline of every
    agency, the threshold that raises the warning and whom it warns. The
    list is data: a bureau changes thresholds or adds rules (e.g. a task
    deadline of one step only) without code.

    Rights: the bureau administrator maintains the list; the supervisor and
    leaders read it. Warnings are raised by the scheduled action only.
    """

    _name = "enforcement.warning.rule"
    _description = "Warning Rule"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    measure = fields.Selection(MEASURES, required=True)
    threshold = fields.Float(
        required=True, digits=(16, 1),
        help="For the decision period: the share used, in per cent, from which it warns (e.g. 80). "
        "For the others: warn when the deadline is this many days away or less (1 = due tomorrow).")
    step_codes = fields.Char(
        string="Steps",
        help="Task deadlines only: comma-separated step codes of the tasks to watch; empty watches every "
        "task that has a deadline.")
    notify = fields.Selection(
        [("leaders", "Leaders of the Agency"), ("officers", "Case Officers"), ("both", "Leaders and Case Officers")],
        string="Warn", required=True, default="leaders")
    warning_ids = fields.One2many("enforcement.warning", "rule_id", readonly=True)

    _sql_constraints = [
        ("threshold_not_negative", "CHECK(threshold >= 0)", "A warning threshold cannot be negative."),
    ]

    def _step_code_list(self):
        self.ensure_one()
        return [code.strip() for code in (self.step_codes or "").split(",") if code.strip()]

    def _measured(self, deadline, now):
        """(value, triggered) of this rule for one running deadline."""
        self.ensure_one()
        if self.measure == "decision_period":
            case = deadline.case_id
            if not case.filing_date:
                return 0.0, False
            start = china_day_start_utc(case.filing_date)
            total = (deadline.due_at - start).total_seconds()
            used = 100.0 if total <= 0 else max(0.0, (now - start).total_seconds() / total * 100)
            return round(used, 1), used >= self.threshold
        days_left = (deadline.due_at - now).total_seconds() / 86400
        return round(days_left, 1), days_left <= self.threshold

    def _users_to_warn(self, case):
        self.ensure_one()
        users = self.env["res.users"]
        if self.notify in ("leaders", "both"):
            users |= self.env["res.users"].search([
                ("groups_id", "in", self.env.ref("admin_enforcement.group_enforcement_leader").id),
                ("company_ids", "in", case.company_id.id), ("share", "=", False),
                ("id", "!=", self.env.ref("base.user_root").id),
            ])
        if self.notify in ("officers", "both"):
            users |= case.officer_ids.user_id
        return users.filtered("active")

    @api.model
    def _cron_raise_warnings(self):
        """Evaluate every active rule on every running deadline: raise each
        warning once per rule and subject (an activity for each user it
        warns), and close the open warnings whose deadline has been met."""
        env = self.sudo().env
        now = fields.Datetime.now()
        Deadline = env["enforcement.desk.deadline"]
        Warnings = env["enforcement.warning"]
        for rule in self.sudo().search([("active", "=", True)]):
            domain = [("kind", "=", MEASURE_KIND[rule.measure])]
            if rule.measure == "task_due" and rule._step_code_list():
                domain.append(("step_code", "in", rule._step_code_list()))
            running = Deadline.search(domain)
            keys = {f"{deadline.kind}:{deadline.id}": deadline for deadline in running}
            existing = Warnings.search([("rule_id", "=", rule.id), "|", ("state", "=", "open"),
                                        ("subject_key", "in", list(keys))])
            known = set(existing.mapped("subject_key"))
            existing.filtered(lambda w: w.state == "open" and w.subject_key not in keys)._resolve()
            for key, deadline in keys.items():
                if key in known:
                    continue
                value, triggered = rule._measured(deadline, now)
                if triggered:
                    Warnings._raise(rule, deadline, key, value)


class EnforcementWarning(models.Model):
    """One warning (预警) raised by a rule on one running deadline, with the
    activities it gave to the leaders (or officers) it warns. Raised once per
    rule and subject, closed by the scheduled action when the deadline is met.

    Rights: no one creates or edits a warning by hand; leaders read their
    agency's, the supervisor reads all agencies'.
    """

    _name = "enforcement.warning"
    _description = "Warning"
    _order = "raised_at desc, id desc"

    rule_id = fields.Many2one("enforcement.warning.rule", required=True, readonly=True, index=True,
                              ondelete="cascade")
    measure = fields.Selection(related="rule_id.measure", store=True)
    case_id = fields.Many2one("enforcement.case", required=True, readonly=True, index=True, ondelete="cascade")
    case_number = fields.Char(readonly=True)
    agency_id = fields.Many2one(related="case_id.agency_id", store=True, index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    subject_key = fields.Char(required=True, readonly=True)
    due_at = fields.Datetime(string="Due On", readonly=True)
    measured = fields.Float(digits=(16, 1), readonly=True,
                            help="Share of the period used (%), or days left, when the warning was raised.")
    raised_at = fields.Datetime(required=True, readonly=True)
    resolved_at = fields.Datetime(readonly=True)
    state = fields.Selection([("open", "Open"), ("resolved", "No Longer Running")], required=True, default="open",
                             readonly=True, index=True)
    user_ids = fields.Many2many("res.users", string="Warned", readonly=True)
    activity_ids = fields.Many2many("mail.activity", string="Activities", readonly=True)

    _sql_constraints = [
        ("subject_unique", "unique(rule_id, subject_key)", "A rule warns once about each deadline."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Warnings are raised by the warning rules, not entered by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Warnings are raised by the warning rules, not entered by hand."))
        return super().write(vals)

    @api.model
    def _raise(self, rule, deadline, key, value):
        case = deadline.case_id.sudo()._with_agency_lang()
        due_local = deadline.due_at.replace(tzinfo=timezone.utc).astimezone(CHINA)
        users = rule._users_to_warn(case)
        kind = dict(deadline._fields["kind"]._description_selection(case.env)).get(deadline.kind)
        rule_name = rule.with_env(case.env).name
        activities = self.env["mail.activity"]
        for user in users:
            activities |= case.activity_schedule(
                WARNING_ACTIVITY_TYPE, date_deadline=due_local.date(), user_id=user.id,
                summary=rule_name,
                note=case.env._("%(rule)s: %(kind)s of case %(case)s is due on %(due)s (measured: %(value)s).",
                                rule=rule_name, kind=kind, case=deadline.case_number,
                                due=due_local.strftime("%Y-%m-%d %H:%M"), value=value))
        return self.sudo().create({
            "rule_id": rule.id, "case_id": case.id, "case_number": deadline.case_number, "subject_key": key,
            "due_at": deadline.due_at, "measured": value, "raised_at": fields.Datetime.now(),
            "user_ids": [(6, 0, users.ids)], "activity_ids": [(6, 0, activities.ids)],
        })

    def _resolve(self):
        if not self:
            return
        self.activity_ids.sudo().action_feedback(feedback=self.env._("The deadline is no longer running: met, or the case moved on."))
        self.sudo().write({"state": "resolved", "resolved_at": fields.Datetime.now()})
