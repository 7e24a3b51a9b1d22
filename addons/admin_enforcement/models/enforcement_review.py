import io
from datetime import datetime, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..enforcement_core.china_clock import china_today
from ..enforcement_core.deadlines import end_of_day_iso
from .enforcement_matter import MATTER_CATEGORIES
from .enforcement_review_finding import CHECKLIST_ITEMS

OPEN_STATES = ("in_review", "problems", "consultation")


class EnforcementReview(models.Model):
    """A legal review (法制审核) of one major decision of a case: the
    checklist, the opinion rounds, the time limit and the reviewer.

    Separation (办、审、定分离): nobody reviews a case they handled or decided,
    and only an active, qualified legal reviewer of the case's agency is
    assigned, while the agency keeps its minimum reviewer ratio. These rules
    are checked on assignment and again when the opinion is given.

    Rights: legal reviewers work on the reviews of their agency; officers and
    leaders read them; supervisors read every agency's reviews.
    """

    _name = "enforcement.review"
    _description = "Legal Review"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", search="_search_name")
    case_id = fields.Many2one("enforcement.case", required=True, readonly=True, index=True, ondelete="cascade")
    agency_id = fields.Many2one(related="case_id.agency_id", store=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    decision_category = fields.Selection(MATTER_CATEGORIES, required=True, default="penalty", readonly=True)
    reasons = fields.Char(string="Reason Codes", readonly=True,
                          help="Catalogue rules (or the request) that sent the decision to review.")
    reasons_label = fields.Char(string="Why Reviewed", compute="_compute_reasons_label",
                                help="The catalogue rules (or the request) that sent the decision to review.")
    process_instance_key = fields.Char(readonly=True, index=True)
    reviewer_id = fields.Many2one("res.users", readonly=True, tracking=True, index=True)
    assignment_note = fields.Text(readonly=True, help="Why no reviewer could be assigned automatically.")
    state = fields.Selection(
        [
            ("in_review", "Under Review"),
            ("problems", "Returned to Handler"),
            ("consultation", "Consultation"),
            ("passed", "Passed"),
            ("collective", "To Collective Discussion"),
        ],
        required=True, default="in_review", readonly=True, tracking=True, index=True,
    )
    submitted_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    due_at = fields.Datetime(string="Due", readonly=True, tracking=True)
    extended = fields.Boolean(readonly=True, tracking=True)
    extension_reason = fields.Text(readonly=True)
    overdue_escalated = fields.Boolean(string="Escalated as Overdue", readonly=True, tracking=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    max_rounds = fields.Integer(readonly=True)
    finding_ids = fields.One2many("enforcement.review.finding", "review_id", string="Checklist")
    round_ids = fields.One2many("enforcement.review.round", "review_id", string="Rounds", readonly=True)
    round_count = fields.Integer(string="Rounds", compute="_compute_round_count", store=True)
    closed_at = fields.Datetime(readonly=True)

    @api.depends("case_id.name", "case_id.title")
    @api.depends_context("lang")
    @api.depends("reasons")
    def _compute_reasons_label(self):
        """The stored codes (catalogue rule ids, the agency's review-all switch,
        "hearing", "requested") as the catalogue's wording."""
        fixed = {"requested": self.env._("Sent to review by the handling unit"),
                 "hearing": self.env._("Decision after a hearing")}
        rules = self.env["enforcement.major.catalogue.rule"].sudo().with_context(active_test=False)
        separator = "；" if (self.env.lang or "").startswith("zh") else "; "
        for review in self:
            labels = []
            for code in filter(None, (c.strip() for c in (review.reasons or "").split(","))):
                if code in fixed:
                    labels.append(fixed[code])
                elif code.endswith("-all-ordinary"):
                    labels.append(self.env._("All ordinary-procedure penalties are reviewed"))
                elif code.isdigit() and rules.browse(int(code)).exists():
                    labels.append(rules.browse(int(code)).name)
                else:
                    labels.append(code)
            review.reasons_label = separator.join(labels)

    def _compute_name(self):
        """In the reader's language (a stored name was written in the job's, English)."""
        for review in self:
            review.name = review.env._("Legal Review of %(case)s", case=review.case_id.title or review.case_id.name or "")

    def _search_name(self, operator, value):
        return ["|", ("case_id.name", operator, value), ("case_id.title", operator, value)]

    @api.depends("round_ids")
    def _compute_round_count(self):
        for review in self:
            review.round_count = len(review.round_ids)

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for review in self:
            review.is_overdue = review.state in OPEN_STATES and bool(review.due_at) and review.due_at < now

    def _search_is_overdue(self, operator, value):
        overdue = [("state", "in", OPEN_STATES), ("due_at", "<", fields.Datetime.now())]
        if (operator == "=") == bool(value):
            return overdue
        return ["!", "&", *overdue]

    # ----- opening (called by the enforcement.review.open job) -----

    @api.model
    def _open_for_case(self, case, reasons, process_instance_key, category="penalty"):
        """Open the review file, pre-fill the checklist and assign a reviewer.
        Idempotent per process instance: a job delivered again finds it."""
        existing = self.search([("case_id", "=", case.id), ("process_instance_key", "=", str(process_instance_key))],
                               limit=1)
        if existing:
            return existing
        # Opened by a job (no user, no language): the checklist notes and the
        # chatter are written in the agency's language.
        case = case._with_agency_lang()
        self = self.with_env(case.env)  # noqa: PLW0642
        due_at, _due_iso = self._due(case.agency_id, china_today(), case.agency_id.review_days)
        review = self.create({
            "case_id": case.id,
            "decision_category": category,
            "reasons": ", ".join(reasons or []),
            "process_instance_key": str(process_instance_key),
            "max_rounds": case.agency_id.max_review_rounds,
            "due_at": due_at,
        })
        review._prefill_findings()
        review._assign_by_workload()
        case.review_state = "in_review"
        return review

    @api.model
    def _due(self, agency, start, working_days):
        """(naive UTC datetime for Odoo, ISO string for the engine) of the end of
        the ``working_days``-th working day after ``start``."""
        day = self.env["enforcement.calendar"]._add_working_days(start, working_days)
        iso = end_of_day_iso(day)
        due_at = datetime.fromisoformat(iso).astimezone(timezone.utc).replace(tzinfo=None)
        return due_at, iso

    def _restart_clock(self):
        """A resubmission starts a new time limit; returns it for the engine."""
        self.ensure_one()
        due_at, iso = self._due(self.agency_id, china_today(), self.agency_id.review_days)
        self.write({"due_at": due_at, "overdue_escalated": False})
        return iso

    def _due_iso(self):
        self.ensure_one()
        return self.due_at.replace(tzinfo=timezone.utc).isoformat() if self.due_at else False

    def _prefill_findings(self):
        self.ensure_one()
        prefill = self.case_id._review_prefill()
        self.env["enforcement.review.finding"].create([
            {
                "review_id": self.id,
                "sequence": index,
                "item": item,
                "system_note": prefill.get(item, (None, ""))[1] or False,
                "suggested_result": prefill.get(item, (None, ""))[0] or False,
            }
            for index, (item, _label) in enumerate(CHECKLIST_ITEMS)
        ])

    # ----- reviewer assignment -----

    def _reviewer_problems(self, user):
        """Every reason ``user`` may not review this case; empty when allowed."""
        self.ensure_one()
        agency = self.agency_id
        problems = []
        reviewer = self.env["enforcement.legal.reviewer"].sudo().search(
            [("user_id", "=", user.id), ("agency_id", "=", agency.id), ("state", "=", "active")], limit=1)
        if not reviewer:
            problems.append(self.env._("%(user)s is not an active legal reviewer of %(agency)s.",
                                       user=user.name, agency=agency.name))
        elif reviewer.first_time and not (reviewer.qualification_number and reviewer.qualification_date):
            problems.append(self.env._(
                "%(user)s is a first-time reviewer without the national legal professional qualification.",
                user=user.name))
        if user in self.case_id._review_handlers():
            problems.append(self.env._("%(user)s handled or decided case %(case)s and may not review it.",
                                       user=user.name, case=self.case_id.name))
        if agency.sudo().reviewer_ratio_warning:
            problems.append(self.env._(
                "%(agency)s has %(reviewers)s active legal reviewers for %(officers)s certified officers, "
                "below the minimum ratio of %(ratio)s%%.",
                agency=agency.name, reviewers=agency.sudo().active_reviewer_count,
                officers=agency.sudo().certified_officer_count, ratio=round(agency.reviewer_ratio_min * 100, 2)))
        return problems

    def _workload(self, users):
        """{user id: open reviews}."""
        groups = self.sudo()._read_group([("reviewer_id", "in", users.ids), ("state", "in", OPEN_STATES)],
                                         ["reviewer_id"], ["__count"])
        return {user.id: count for user, count in groups}

    def _assign_by_workload(self):
        """Give the review to the eligible reviewer with the fewest open
        reviews; if none is eligible, say why and leave it unassigned."""
        self.ensure_one()
        reviewers = self.env["enforcement.legal.reviewer"].sudo().search(
            [("agency_id", "=", self.agency_id.id), ("state", "=", "active"), ("user_id", "!=", False)])
        users = reviewers.mapped("user_id")
        eligible, refused = [], []
        for user in users:
            problems = self._reviewer_problems(user)
            (refused if problems else eligible).append((user, problems))
        if not eligible:
            reasons = [p for _user, problems in refused for p in problems] or [
                self.env._("%(agency)s has no active legal reviewer.", agency=self.agency_id.name)]
            self.write({"reviewer_id": False, "assignment_note": "\n".join(dict.fromkeys(reasons))})
            return self.env["res.users"]
        load = self._workload(users)
        user = min((u for u, _p in eligible), key=lambda u: (load.get(u.id, 0), u.id))
        self.write({"reviewer_id": user.id, "assignment_note": False})
        return user

    def _assign(self, user):
        """Assign ``user`` or raise naming every reason they may not review."""
        self.ensure_one()
        problems = self._reviewer_problems(user)
        if problems:
            raise UserError("\n".join(problems))
        self.sudo().write({"reviewer_id": user.id, "assignment_note": False})
        open_tasks = self.case_id.task_ids.filtered(lambda t: t.state == "open" and t.step_code == "legal_review")
        open_tasks.sudo().write({"user_id": user.id})

    def action_assign_reviewer(self, user_id):
        """A leader or the administrator reassigns the review."""
        if not (self.env.user.has_group("admin_enforcement.group_enforcement_leader")
                or self.env.user.has_group("admin_enforcement.group_enforcement_admin")):
            raise AccessError(self.env._("Only a leader can assign legal reviewers."))
        user = self.env["res.users"].browse(user_id).exists()
        if not user:
            raise UserError(self.env._("User %(id)s does not exist.", id=user_id))
        for review in self:
            if review.state not in OPEN_STATES:
                raise UserError(self.env._("Review %(name)s is closed.", name=review.name))
            review._assign(user)
        return True

    def _check_acting_reviewer(self):
        """The current user gives the opinion: the assigned reviewer, or, for an
        unassigned review, an eligible reviewer who takes it now."""
        self.ensure_one()
        user = self.env.user
        if not self.reviewer_id:
            self._assign(user)
            return
        if self.reviewer_id != user:
            raise AccessError(self.env._("Review %(name)s is assigned to %(user)s.",
                                         name=self.name, user=self.reviewer_id.name))
        problems = self._reviewer_problems(user)
        if problems:
            raise UserError("\n".join(problems))

    # ----- reporting -----

    def action_export_xlsx(self):
        """The office's review dashboard as an xlsx file: every review visible
        to the user (or the selected ones) and each reviewer's workload."""
        reviews = self or self.search([])  # pylint: disable=no-search-all  # the whole dashboard is the export
        content = reviews._dashboard_xlsx()
        attachment = self.env["ir.attachment"].create({
            "name": f"legal-reviews-{china_today()}.xlsx",
            "raw": content,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true",
                "target": "self"}

    def _dashboard_xlsx(self):
        import xlsxwriter

        env = self.env
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True})
        bold = book.add_format({"bold": True})
        states = dict(self._fields["state"]._description_selection(self.env))
        categories = dict(self._fields["decision_category"]._description_selection(self.env))

        sheet = book.add_worksheet(env._("Reviews"))
        headers = [env._("Case"), env._("Title"), env._("Category"), env._("Reviewer"), env._("State"), env._("Rounds"),
                   env._("Due"), env._("Overdue"), env._("Extended")]
        sheet.write_row(0, 0, headers, bold)
        for row, review in enumerate(self, start=1):
            sheet.write_row(row, 0, [
                review.case_id.name, review.case_id.title, categories.get(review.decision_category, ""),
                review.reviewer_id.name or "", states.get(review.state, ""), review.round_count,
                fields.Datetime.to_string(review.due_at) if review.due_at else "",
                env._("Yes") if review.is_overdue else "", env._("Yes") if review.extended else "",
            ])

        sheet = book.add_worksheet(env._("Outcomes by Category"))
        sheet.write_row(0, 0, [env._("Category"), *states.values()], bold)
        for row, (code, label) in enumerate(categories.items(), start=1):
            in_category = self.filtered(lambda r: r.decision_category == code)
            sheet.write_row(row, 0, [label, *(len(in_category.filtered(lambda r, s=s: r.state == s))
                                              for s in states)])

        sheet = book.add_worksheet(env._("Reviewer Workload"))
        sheet.write_row(0, 0, [env._("Reviewer"), env._("Open Reviews"), env._("Overdue"), env._("Closed Reviews")], bold)
        for row, reviewer in enumerate(self.mapped("reviewer_id").sorted("name"), start=1):
            own = self.filtered(lambda r: r.reviewer_id == reviewer)
            sheet.write_row(row, 0, [
                reviewer.name, len(own.filtered(lambda r: r.state in OPEN_STATES)),
                len(own.filtered("is_overdue")), len(own.filtered(lambda r: r.state not in OPEN_STATES)),
            ])
        book.close()
        return buffer.getvalue()

    def action_print_opinion(self):
        return self.env.ref("admin_enforcement.action_report_review_opinion").report_action(self)

    def _findings_summary(self):
        results = dict(self.env["enforcement.review.finding"]._fields["result"]._description_selection(self.env))
        return "\n".join(
            f"{finding.display_name}: {results.get(finding.result)}" + (f" — {finding.note}" if finding.note else "")
            for finding in self.finding_ids
        )
