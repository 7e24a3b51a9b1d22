import json
from datetime import datetime, time, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..enforcement_core import hashchain, statistics
from ..enforcement_core.china_clock import CHINA, china_today
from .enforcement_chain import bureau_key_ring, iso_utc, load_or_create_signing_key
from ..services import statistics_xlsx, user_tasks
from .enforcement_statistics_line import FIGURE_FIELDS

START_MESSAGE = "enforcement.statistics_report_created"
PROCESS_DEFINITION = "enforcement_statistics_report"
PERIOD_KINDS = [("half_year", "Half Year (January–June)"), ("annual", "Annual")]
REPORT_STATES = [
    ("draft", "Draft"),
    ("reviewed", "Reviewed by the Legal Office"),
    ("approved", "Approved by the Leader"),
    ("submitted", "Submitted"),
]
#: Written only by the transitions (action_*), through sudo after their checks.
PROTECTED_FIELDS = frozenset({
    "state", "agency_id", "period_kind", "year", "computed_at", "reviewed_by_id", "reviewed_at",
    "approved_by_id", "approved_at", "submitted_by_id", "submitted_at",
    "chain_seq", "chain_payload", "chain_timestamp", "chain_actor", "content_hash", "prev_hash", "entry_hash", "key_id", "signature",
})


class EnforcementStatisticsReport(models.Model):
    """Statutory enforcement statistics of one agency for one period
    (行政执法数据报送, Jiangmen opinions item 三十一; 118号 for the annual
    figures published by 31 January).

    draft (computed from live data; hand-entered categories typed in) →
    reviewed by the legal office (an active legal reviewer of the agency) →
    approved by a leader of the agency (not the reviewer) → submitted, when
    the report is archived as the next link of the agency's signed chain of
    statistics reports and, for an annual report, published on the portal.
    A category with no cases needs a written reason before each step.

    Rights: legal reviewers and leaders prepare drafts; officers read their
    agency's reports; the supervisor reads all. State, reviewer, approver and
    chain fields are written only by the action_* methods.
    """

    _name = "enforcement.statistics.report"
    _description = "Enforcement Statistics Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "enforcement.task.subject", "enforcement.process.state"]
    _order = "year desc, period_kind, agency_id"
    _process_fields = PROTECTED_FIELDS
    _process_fields_on_create = frozenset({"agency_id", "period_kind", "year"})

    name = fields.Char(compute="_compute_name")
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True, ondelete="restrict",
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1))
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    period_kind = fields.Selection(PERIOD_KINDS, string="Reporting Period", required=True, default="annual")
    year = fields.Integer(required=True, default=lambda self: china_today().year)
    date_from = fields.Date(compute="_compute_period", store=True)
    date_to = fields.Date(compute="_compute_period", store=True)
    due_date = fields.Date(string="Report Due", compute="_compute_period", store=True, index=True,
                           help="31 July for January–June, 31 January of the next year for the year.")
    state = fields.Selection(REPORT_STATES, default="draft", required=True, readonly=True, tracking=True,
                             index=True, copy=False)
    line_ids = fields.One2many("enforcement.statistics.line", "report_id", string="Categories", copy=False)
    computed_at = fields.Datetime(string="Figures Computed", readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    reviewed_at = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_at = fields.Datetime(readonly=True, copy=False)
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_at = fields.Datetime(string="Reported At", readonly=True, copy=False)
    missing_reasons = fields.Char(string="Categories Missing a Reason", compute="_compute_missing_reasons")
    total_cases = fields.Integer(compute="_compute_totals")
    total_fines = fields.Float(string="Total Fines (yuan)", digits=(16, 2), compute="_compute_totals")
    is_public = fields.Boolean(string="Published on the Portal", compute="_compute_is_public",
                               help="An annual report is published on the portal once submitted (118号).")

    # The signed chain of the agency's submitted reports (as the case chains).
    chain_seq = fields.Integer(string="Chain Position", readonly=True, copy=False)
    chain_payload = fields.Text(readonly=True, copy=False, help="Canonical JSON of the figures, exactly as hashed.")
    chain_timestamp = fields.Char(readonly=True, copy=False)
    chain_actor = fields.Char(readonly=True, copy=False)
    content_hash = fields.Char(readonly=True, copy=False)
    prev_hash = fields.Char(readonly=True, copy=False)
    entry_hash = fields.Char(readonly=True, copy=False)
    key_id = fields.Char(string="Key ID", readonly=True, copy=False)
    signature = fields.Char(readonly=True, copy=False)

    _sql_constraints = [
        ("period_unique", "unique(agency_id, period_kind, year)", "An agency has one report per period."),
        ("chain_seq_unique", "unique(agency_id, chain_seq)", "A report chain has one report per position."),
        ("year_plausible", "CHECK(year BETWEEN 2000 AND 2999)", "The year of a report must be a calendar year."),
    ]

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("period_kind", "year")
    def _compute_period(self):
        for report in self:
            if not (report.period_kind and report.year):
                report.date_from = report.date_to = report.due_date = False
                continue
            period = statistics.period(report.period_kind, report.year)
            report.date_from, report.date_to, report.due_date = period.date_from, period.date_to, period.due

    @api.depends("agency_id.name", "period_kind", "year")
    @api.depends_context("lang")
    def _compute_name(self):
        for report in self:
            if report.period_kind == "half_year":
                report.name = self.env._("%(agency)s Enforcement Data, January–June %(year)s",
                                         agency=report.agency_id.name or "", year=report.year)
            else:
                report.name = self.env._("%(agency)s Enforcement Data, Year %(year)s",
                                         agency=report.agency_id.name or "", year=report.year)

    @api.depends("line_ids.case_count", "line_ids.zero_reason")
    def _compute_missing_reasons(self):
        for report in self:
            report.missing_reasons = ", ".join(report._missing_reason_labels())

    @api.depends("line_ids.case_count", "line_ids.fine_total")
    def _compute_totals(self):
        for report in self:
            report.total_cases = sum(report.line_ids.mapped("case_count"))
            report.total_fines = sum(report.line_ids.mapped("fine_total"))

    @api.depends("state", "period_kind")
    def _compute_is_public(self):
        for report in self:
            report.is_public = report.state == "submitted" and report.period_kind == "annual"

    def _missing_reason_labels(self):
        self.ensure_one()
        lines = {line.category: line for line in self.line_ids}
        figures = [line._as_figures() for line in self.line_ids]
        missing = statistics.missing_zero_reasons(
            figures, {category: line.zero_reason for category, line in lines.items()})
        return [lines[category]._category_label() for category in missing]

    # ------------------------------------------------------------------
    # creation and protected fields
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        for report in reports:
            report._check_preparer(self.env.user)
        reports.sudo()._compute_lines()
        for report in reports:
            report._start_process()
        return reports

    def write(self, vals):
        if not self.env.su:
            for report in self:
                if report.state != "draft":
                    raise UserError(self.env._(
                        "Report %(report)s is no longer a draft: it cannot be changed.", report=report.display_name))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._(
                    "Report %(report)s has left the draft stage and stays on record.", report=report.display_name))

    # ------------------------------------------------------------------
    # who may act
    # ------------------------------------------------------------------
    def _check_preparer(self, user):
        """A legal reviewer or a leader of the agency prepares the draft
        (server code, e.g. a scheduled preparation, acts as the superuser)."""
        if self.env.su:
            return
        for report in self:
            company = report.sudo().company_id
            if company not in user.company_ids or not (
                    user.has_group("admin_enforcement.group_enforcement_legal_reviewer")
                    or user.has_group("admin_enforcement.group_enforcement_leader")):
                raise AccessError(self.env._(
                    "%(user)s may not prepare the statistics of %(agency)s: only its legal office or a leader can.",
                    user=user.name, agency=report.sudo().agency_id.name))

    def _check_legal_office(self, user):
        """The legal office: an active legal reviewer of the report's agency."""
        for report in self:
            agency = report.sudo().agency_id
            reviewer = self.env["enforcement.legal.reviewer"].sudo().search(
                [("user_id", "=", user.id), ("agency_id", "=", agency.id), ("state", "=", "active")], limit=1)
            if not reviewer:
                raise AccessError(self.env._(
                    "%(user)s may not review the statistics of %(agency)s: only an active legal reviewer of "
                    "the agency (the legal office) can.", user=user.name, agency=agency.name))

    def _check_leader(self, user):
        for report in self:
            company = report.sudo().company_id
            if not user.has_group("admin_enforcement.group_enforcement_leader") or company not in user.company_ids:
                raise AccessError(self.env._(
                    "%(user)s may not approve or submit the statistics of %(agency)s: only a leader of the "
                    "agency can.", user=user.name, agency=report.sudo().agency_id.name))

    def _require_state(self, allowed, action):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for report in self:
            if report.state not in allowed:
                raise UserError(self.env._(
                    "Report %(report)s is %(state)s: it cannot %(action)s now.",
                    report=report.display_name, state=labels[report.state], action=action))

    def _check_zero_reasons(self):
        """零执法说明: every category with no cases carries a written reason."""
        for report in self:
            missing = report._missing_reason_labels()
            if missing:
                raise UserError(self.env._(
                    "These categories had no cases in the period and need a written reason before the report "
                    "moves on: %(categories)s.", categories="、".join(missing)))
            for line in report.line_ids:
                try:
                    line._as_figures()
                except ValueError as error:
                    raise UserError(self.env._(
                        "The figures of %(category)s do not add up: %(problem)s.",
                        category=line._category_label(), problem=str(error))) from error

    # ------------------------------------------------------------------
    # transitions, one per step
    # ------------------------------------------------------------------
    def action_recompute(self):
        """Recompute the computed categories from live data (draft only)."""
        self._require_state(("draft",), self.env._("be recomputed"))
        self._check_preparer(self.env.user)
        self.sudo()._compute_lines()
        return True

    def action_review(self):
        """The legal office has checked the figures."""
        self._require_state(("draft",), self.env._("be reviewed"))
        return self._through_task("statistics_review", type(self)._transition_review)

    def action_approve(self):
        """A leader of the agency approves the reviewed report."""
        self._require_state(("reviewed",), self.env._("be approved"))
        return self._through_task("statistics_approval", type(self)._transition_approve)

    def action_submit(self):
        """Submit the approved report: archived as the next link of the agency's signed chain."""
        self._require_state(("approved",), self.env._("be submitted"))
        return self._through_task("statistics_submission", type(self)._transition_submit)

    def _transition_review(self, user):
        self._require_state(("draft",), self.env._("be reviewed"))
        self._check_legal_office(user)
        self._check_zero_reasons()
        self.sudo().write({"state": "reviewed", "reviewed_by_id": user.id, "reviewed_at": fields.Datetime.now()})

    def _transition_approve(self, user):
        """审定分离: the leader who approves did not review."""
        self._require_state(("reviewed",), self.env._("be approved"))
        self._check_leader(user)
        if self.reviewed_by_id == user:
            raise AccessError(self.env._("%(user)s reviewed report %(report)s and may not also approve it.",
                                         user=user.name, report=self.display_name))
        self._check_zero_reasons()
        self.sudo().write({"state": "approved", "approved_by_id": user.id, "approved_at": fields.Datetime.now()})

    def _transition_submit(self, user):
        self._require_state(("approved",), self.env._("be submitted"))
        self._check_leader(user)
        self._check_zero_reasons()
        self.sudo()._archive_in_chain(user)

    # ------------------------------------------------------------------
    # computing (server side, as superuser, after the caller's checks)
    # ------------------------------------------------------------------
    def _compute_lines(self):
        Line = self.env["enforcement.statistics.line"]
        source = self.env["enforcement.statistics.source"]
        processed = source._processed_categories()
        for report in self:
            computed = source._category_figures_for_period(report.agency_id, report.date_from, report.date_to)
            existing = {line.category: line for line in report.line_ids}
            for sequence, category in enumerate(statistics.CATEGORIES, start=1):
                line = existing.get(category)
                if category in processed:
                    values = Line._figure_values(computed.get(category) or statistics.CategoryFigures(category))
                    values["source"] = "computed"
                elif line:
                    continue  # typed by hand: kept as typed
                else:
                    values = {"source": "manual"}
                if line:
                    line.write(values)
                else:
                    Line.create(dict(values, report_id=report.id, category=category, sequence=sequence))
            report.computed_at = fields.Datetime.now()

    # ------------------------------------------------------------------
    # the signed chain of submitted reports
    # ------------------------------------------------------------------
    def _chain_id(self):
        return f"statistics/{self.agency_id.id}"

    def _chain_content(self):
        self.ensure_one()
        return {
            "type": "statistics_report",
            "agency": self.agency_id.name,
            "period": statistics.period(self.period_kind, self.year).code,
            "date_from": str(self.date_from), "date_to": str(self.date_to), "due": str(self.due_date),
            "reviewed_by": self.reviewed_by_id.login, "approved_by": self.approved_by_id.login,
            "lines": [
                dict({name: (f"{line[name]:.2f}" if name == "fine_total" else line[name]) for name in FIGURE_FIELDS},
                     category=line.category, source=line.source, zero_reason=line.zero_reason or "")
                for line in self.line_ids.sorted("sequence")
            ],
        }

    def _archive_in_chain(self, user):
        self.ensure_one()
        # One appender per agency chain at a time (as the case chains lock their case).
        self.env.cr.execute("UPDATE enforcement_agency SET write_date = write_date WHERE id = %s",
                            (self.agency_id.id,))
        last = self.search([("agency_id", "=", self.agency_id.id), ("chain_seq", ">", 0)],
                           order="chain_seq desc", limit=1)
        key = load_or_create_signing_key()
        seq = (last.chain_seq or 0) + 1
        prev = last.entry_hash or hashchain.GENESIS_HASH
        now = fields.Datetime.now()
        entry = hashchain.make_entry(prev, self._chain_content(), iso_utc(now), user.login)
        entry = hashchain.sign_entry(key, self._chain_id(), seq, entry)
        self.write({
            "state": "submitted", "submitted_by_id": user.id, "submitted_at": now,
            "chain_seq": seq, "chain_payload": entry.payload.decode("utf-8"), "chain_timestamp": entry.timestamp,
            "chain_actor": entry.actor, "content_hash": entry.content_hash,
            "prev_hash": entry.prev_hash, "entry_hash": entry.entry_hash, "key_id": entry.key_id,
            "signature": entry.signature,
        })

    @api.model
    def _verify_chain(self, agency):
        """The agency's chain of submitted reports checked against the bureau's
        key ring, and each report's figures against what was signed. Returns
        (ok, first broken position or None)."""
        reports = self.sudo().search([("agency_id", "=", agency.id), ("chain_seq", ">", 0)], order="chain_seq")
        entries = [hashchain.ChainEntry(
            r.chain_payload.encode("utf-8"), r.content_hash, r.chain_timestamp or "", r.chain_actor or "", r.prev_hash,
            r.entry_hash, r.key_id or "", r.signature or "") for r in reports]
        result = hashchain.verify_chain(entries, keys=bureau_key_ring(), chain_id=f"statistics/{agency.id}",
                                        every_signature=True)
        if not result.ok:
            return False, result.first_broken_seq
        for position, report in enumerate(reports, start=1):
            if report.chain_seq != position or json.loads(report.chain_payload) != json.loads(
                    hashchain.canonical_bytes(report._chain_content())):
                return False, position
        return True, None

    # ------------------------------------------------------------------
    # output
    # ------------------------------------------------------------------
    def action_download_xlsx(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self",
                "url": f"/enforcement/statistics/{self.id}/xlsx"}

    def _period_label(self):
        self.ensure_one()
        if self.period_kind == "half_year":
            return self.env._("January–June %(year)s", year=self.year)
        return self.env._("Year %(year)s", year=self.year)

    def _output_values(self):
        """Everything the xlsx, the PDF and the portal show, as plain values in the reader's language."""
        self.ensure_one()
        lines = self.line_ids.sorted("sequence")
        figures = [line._as_figures() for line in lines]
        total = statistics.totals(figures)
        return {
            "title": self.name, "agency": self.agency_id.name, "period": self._period_label(),
            "due": self.due_date, "state": dict(self._fields["state"]._description_selection(self.env))[self.state],
            "submitted_at": self.submitted_at and self.submitted_at.replace(tzinfo=timezone.utc),
            "entry_hash": self.entry_hash or "",
            "lines": [{
                "category": line._category_label(), "manual": line.source == "manual",
                "figures": figure, "zero_reason": line.zero_reason or "",
                "recon_rate": statistics.percent(figure.reconsideration.corrected_rate),
                "litig_rate": statistics.percent(figure.litigation.corrected_rate),
            } for line, figure in zip(lines, figures)],
            "total": total,
            "total_recon_rate": statistics.percent(total.reconsideration.corrected_rate),
            "total_litig_rate": statistics.percent(total.litigation.corrected_rate),
        }

    def _xlsx_labels(self):
        return {
            "category": self.env._("Category"),
            "cases": self.env._("Cases"),
            "fines": self.env._("Fines (yuan)"),
            "hearings": self.env._("Hearings"),
            "legal_reviews": self.env._("Legal Reviews"),
            "collective": self.env._("Collective Decisions"),
            "reconsideration": self.env._("Administrative Reconsideration"),
            "litigation": self.env._("Administrative Litigation"),
            "applied": self.env._("Applied"),
            "maintained": self.env._("Maintained"),
            "changed": self.env._("Changed"),
            "revoked": self.env._("Ruled Revoked"),
            "unlawful": self.env._("Confirmed Unlawful"),
            "other": self.env._("Otherwise Concluded"),
            "rate": self.env._("Correction Rate"),
            "zero_reason": self.env._("Reason for No Cases"),
            "source": self.env._("Source"),
            "manual": self.env._("Entered by Hand"),
            "computed": self.env._("Computed from Cases"),
            "total": self.env._("Total"),
            "summary": self.env._("Summary"),
            "agency": self.env._("Enforcement body: "),
            "period": self.env._("Period: "),
            "due": self.env._("Due: "),
            "submitted": self.env._("Submitted: "),
            "not_submitted": self.env._("Not submitted yet"),
            "state": self.env._("Status: "),
            "entry_hash": self.env._("Archived with chain hash: "),
        }

    def _xlsx_content(self):
        """The workbook (bytes) and its file name."""
        self.ensure_one()
        content = statistics_xlsx.build_workbook(self._output_values(), self._xlsx_labels())
        return content, f"{self.name}.xlsx"

    # ----- the portal (118号: the annual figures, public once submitted) -----

    @api.model
    def _public_reports(self, agency_id=None):
        domain = [("state", "=", "submitted"), ("period_kind", "=", "annual")]
        if agency_id:
            domain.append(("agency_id", "=", agency_id))
        return self.sudo().search(domain, order="year desc, agency_id")

    @api.model
    def _public_report(self, report_id):
        return self._public_reports().filtered(lambda r: r.id == report_id)[:1]

    # ------------------------------------------------------------------
    # the process (bpmn/statistics_report.bpmn): its tasks carry the due date
    # ------------------------------------------------------------------
    def _reference(self):
        return f"statistics-{self.id}"

    def _start_process(self):
        """Start the report's process through the outbox (sent only if this transaction commits)."""
        self.ensure_one()
        due = datetime.combine(self.due_date, time(17, 30), tzinfo=CHINA)
        self.env["enforcement.outbox"]._enqueue_message(
            START_MESSAGE, business_key=self._reference(),
            variables={"statistics_report_id": self.id, "statistics_due": due.isoformat()},
            message_id=f"statistics_created:{self.id}", starts=PROCESS_DEFINITION)

    def _open_task(self, step_code):
        return self.env["enforcement.task"].sudo().search([
            ("subject_model", "=", self._name), ("subject_id", "=", self.id), ("step_code", "=", step_code),
            ("state", "=", "open")], limit=1)

    def _through_task(self, step_code, transition):
        """A button of the report completes the step's open task when the
        engine has opened it (so the process moves on), else makes the
        transition itself; the checks are the same either way."""
        for report in self:
            task = report._open_task(step_code)
            if task:
                task.with_env(self.env).action_complete()
            else:
                transition(report, self.env.user)
        return True

    def _check_step_actor(self, step, user, task):
        checks = {"statistics_review": self._check_legal_office, "statistics_approval": self._check_leader,
                  "statistics_submission": self._check_leader}
        if step.code not in checks:
            return super()._check_step_actor(step, user, task)
        return checks[step.code](user)

    #: The states in which each step is already done, and who did it.
    _STEP_DONE = {
        "statistics_review": (("reviewed", "approved", "submitted"), "reviewed_by_id"),
        "statistics_approval": (("approved", "submitted"), "approved_by_id"),
        "statistics_submission": (("submitted",), "submitted_by_id"),
    }

    def _task_history(self, values):
        """A task the engine opens for a step the report's button already made
        (before the engine had opened it) is completed at once, so 我的待办
        does not keep a step that is done and the process moves on."""
        super()._task_history(values)
        if values.get("kind") != "task_opened":
            return
        task = self.env["enforcement.task"].sudo().search([("job_key", "=", values.get("job_key"))], limit=1)
        done_states, done_by = self._STEP_DONE.get(task.step_code, ((), None))
        if task.state == "open" and self.state in done_states:
            command, payload = user_tasks.completion(task.job_key, {})
            self.env["enforcement.outbox"]._enqueue(command, payload, f"complete:{task.job_key}")
            task.write({"state": "done", "outcome": {}, "completed_by_id": self[done_by].id,
                        "completed_at": fields.Datetime.now()})

    def _complete_statistics_review(self, task, values):
        if self.state == "draft":
            self._transition_review(task.env.user)
        return {}

    def _complete_statistics_approval(self, task, values):
        if self.state == "reviewed":
            self._transition_approve(task.env.user)
        return {}

    def _complete_statistics_submission(self, task, values):
        if self.state == "approved":
            self._transition_submit(task.env.user)
        return {}
