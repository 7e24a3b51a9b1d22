from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..enforcement_core.china_clock import china_today
from ..enforcement_core.deadlines import end_of_day_iso

REMEDY_START_MESSAGE = "enforcement.remedy_effective"
REMEDY_PROCESS = "enforcement_remedy_duties"
REMEDY_KINDS = [("reconsideration", "Administrative Reconsideration"), ("litigation", "Administrative Litigation")]
REMEDY_RESULTS = [
    ("maintained", "Maintained"),
    ("changed", "Changed"),
    ("revoked", "Quashed"),
    ("partly_revoked", "Partly Quashed"),
    ("unlawful", "Confirmed Unlawful"),
    ("invalid", "Confirmed Invalid"),
    ("perform_duty", "Ordered to Perform a Duty"),
    ("dismissed", "Dismissed"),
    ("withdrawn", "Withdrawn"),
]
REMEDY_STATES = [("pending", "Pending"), ("decided", "Result Given"), ("effective", "In Effect")]
#: Written only by the transitions below (through _as_step) and by the report task.
TRANSITION_FIELDS = frozenset({
    "state", "lost_case", "report_due", "report_submitted_on", "report_submitted_by_id", "publication_ids",
    "withdrawal_due", "pause_id", "report_original", "report_court", "report_change", "report_lessons",
    "report_to",
})
#: The outcome, fixed once recorded (action_record_result); the effective date once in effect.
RESULT_FIELDS = frozenset({"result", "result_on", "agency_changed_act", "result_note"})
APPLICATION_FIELDS = frozenset({"case_id", "kind", "body", "reference", "applied_on"})


class EnforcementRemedy(models.Model):
    """One application for administrative reconsideration (行政复议) or one
    administrative lawsuit (行政诉讼) against a decision, and its outcome.

    Transitions, one action each: pending → result given
    (:meth:`action_record_result`) → in effect (:meth:`action_take_effect`).
    While the remedy runs the late surcharge is paused (行政处罚法 73). When
    the result takes effect: a decision revoked, changed or held unlawful or
    invalid is withdrawn from the portal within 3 working days (the
    publication's own withdrawal request and the leader's task), and a lost
    lawsuit (item 三十二) opens the 败诉 report, due 30 days (per agency) after
    the judgment took effect. Both tasks are steps of the process
    ``enforcement_remedy_duties``.

    Rights: officers and leaders of the agency record remedies and their
    outcome; legal reviewers read; the supervisor reads every agency's.
    """

    _name = "enforcement.remedy"
    _description = "Reconsideration or Litigation"
    _inherit = ["mail.thread", "enforcement.process.state"]
    _order = "applied_on desc, id desc"
    _rec_name = "reference"
    _process_fields = TRANSITION_FIELDS

    case_id = fields.Many2one(
        "enforcement.case", string="Decision", required=True, index=True, ondelete="restrict", tracking=True,
        domain="[('decision_number', '!=', False)]")
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    agency_id = fields.Many2one(related="case_id.agency_id", store=True, index=True)
    decision_number = fields.Char(related="case_id.decision_number")
    party_name = fields.Char(related="case_id.party_name")
    kind = fields.Selection(REMEDY_KINDS, required=True, default="reconsideration", tracking=True)
    body = fields.Char(
        string="Reconsideration Body or Court", required=True, tracking=True,
        help="The reconsideration body (行政复议机关) or the people's court.")
    reference = fields.Char(string="Case Number of the Remedy", tracking=True,
                            help="The reconsideration or court case number, as the body gave it.")
    applied_on = fields.Date(required=True, tracking=True,
                             help="The day the application was filed or the suit brought.")
    state = fields.Selection(REMEDY_STATES, default="pending", required=True, readonly=True, tracking=True,
                             index=True, copy=False)
    result = fields.Selection(REMEDY_RESULTS, tracking=True, copy=False)
    result_on = fields.Date(string="Decision or Judgment Date", tracking=True, copy=False)
    agency_changed_act = fields.Boolean(
        string="Agency Changed Its Act", copy=False,
        help="The agency changed the decision during the proceedings and the applicant withdrew with leave.")
    result_note = fields.Text(string="Outcome Details", copy=False)
    effective_on = fields.Date(string="In Effect On", tracking=True, copy=False,
                               help="The day the reconsideration decision or judgment took effect.")
    pause_id = fields.Many2one("enforcement.surcharge.pause", readonly=True, copy=False)
    pause_start = fields.Date(related="pause_id.date_start", string="Surcharge Paused From")
    pause_end = fields.Date(related="pause_id.date_end", string="Surcharge Paused Until")
    publication_ids = fields.Many2many("enforcement.publication", string="Publications to Withdraw",
                                       readonly=True, copy=False)
    withdrawal_due = fields.Date(string="Withdraw By", readonly=True, copy=False)
    lost_case = fields.Boolean(string="Lost Lawsuit", readonly=True, copy=False, tracking=True)
    report_due = fields.Date(string="Report By", readonly=True, copy=False, tracking=True)
    report_to = fields.Char(string="Reported To", readonly=True, copy=False)
    report_original = fields.Text(string="Original Act: Facts, Evidence, Legal Basis, Decision", readonly=True,
                                  copy=False)
    report_court = fields.Text(string="Court's Findings and Judgment", readonly=True, copy=False)
    report_change = fields.Text(string="Why and How the Act Was Changed", readonly=True, copy=False)
    report_lessons = fields.Text(string="Causes and Lessons", readonly=True, copy=False)
    report_submitted_on = fields.Date(string="Reported On", readonly=True, copy=False, tracking=True)
    report_submitted_by_id = fields.Many2one("res.users", string="Reported By", readonly=True, copy=False)

    _sql_constraints = [
        ("result_after_application", "CHECK(result_on IS NULL OR result_on >= applied_on)",
         "A result cannot predate the application."),
        ("effect_after_result", "CHECK(effective_on IS NULL OR result_on IS NULL OR effective_on >= result_on)",
         "A result cannot take effect before it was given."),
    ]

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def _check_may_record(self):
        user = self.env.user
        if not (self.env.su or user.has_group("admin_enforcement.group_enforcement_officer")):
            raise AccessError(self.env._("Only officers and leaders of the agency record reconsideration and "
                                         "litigation outcomes."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_may_record()
        for vals in vals_list:
            self._refuse_process_fields(set(vals), RESULT_FIELDS | {"effective_on"})  # a result comes later
        remedies = super().create(vals_list)
        for remedy in remedies:
            case = remedy.case_id
            if not case.decision_number:
                raise UserError(self.env._(
                    "Case %(case)s has no decision yet: reconsideration and litigation are against a decision.",
                    case=case.display_name))
            if case.decision_date and remedy.applied_on < case.decision_date:
                raise UserError(self.env._("An application cannot predate the decision it challenges."))
            if remedy.applied_on > china_today():
                raise UserError(self.env._("An application cannot be dated in the future."))
            remedy._pause_surcharge()
        return remedies

    def write(self, vals):
        self._check_may_record()
        for remedy in self:
            if RESULT_FIELDS & set(vals) and remedy.state != "pending":
                raise UserError(self.env._(
                    "The result of %(remedy)s is recorded: it cannot change.", remedy=remedy.display_name))
            if APPLICATION_FIELDS & set(vals) and remedy.state != "pending":
                raise UserError(self.env._(
                    "The application of %(remedy)s has a result: it cannot change.", remedy=remedy.display_name))
            if "effective_on" in vals and remedy.state == "effective":
                raise UserError(self.env._(
                    "The result of %(remedy)s is in effect: its date cannot change.", remedy=remedy.display_name))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if self.filtered(lambda r: r.state != "pending"):
            raise UserError(self.env._("A remedy with a result stays on record."))

    @api.depends("kind", "reference", "case_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for remedy in self:
            remedy.display_name = "%s %s" % (kinds.get(remedy.kind, ""), remedy.reference or remedy.case_id.decision_number or "")

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------
    def _require_state(self, state, action):
        wrong = self.filtered(lambda r: r.state != state)
        if wrong:
            raise UserError(self.env._("Cannot %(action)s %(remedies)s in its current status.", action=action,
                                       remedies=", ".join(wrong.mapped("display_name"))))

    def action_record_result(self):
        """The reconsideration body or the court gave its result."""
        self._check_may_record()
        self._require_state("pending", self.env._("record the result of"))
        from ..enforcement_core.duties import check_result

        for remedy in self:
            if not remedy.result or not remedy.result_on:
                raise UserError(self.env._("Enter the result and the day it was given."))
            if remedy.result_on > china_today():
                raise UserError(self.env._("A result cannot be dated in the future."))
            check_result(remedy.kind, remedy.result)
            remedy._as_step().write({"state": "decided"})
        return True

    def action_take_effect(self):
        """The result took effect: the decision's duties follow from it."""
        from ..enforcement_core.duties import is_lost_lawsuit, lost_report_due, withdrawal_reason

        self._check_may_record()
        self._require_state("decided", self.env._("put into effect"))
        today = china_today()
        for remedy in self:
            if not remedy.effective_on:
                raise UserError(self.env._("Enter the day the result took effect."))
            if remedy.effective_on > today:
                raise UserError(self.env._("A result cannot take effect in the future."))
            vals = {"state": "effective"}
            reason = withdrawal_reason(remedy.kind, remedy.result)
            if not reason and remedy.result == "withdrawn" and remedy.agency_changed_act:
                reason = "remade"
            if reason:
                publications = self.env["enforcement.publication"].sudo().search(
                    [("case_id", "=", remedy.case_id.id), ("state", "=", "published")])
                note = self.env._("%(remedy)s: %(result)s on %(day)s", remedy=remedy.display_name,
                                  result=dict(REMEDY_RESULTS)[remedy.result], day=remedy.result_on)
                publications._request_withdrawal(reason, note=note)
                if publications:
                    vals.update(publication_ids=[fields.Command.set(publications.ids)],
                                withdrawal_due=min(publications.mapped("withdrawal_due")))
            if is_lost_lawsuit(remedy.kind, remedy.result, remedy.agency_changed_act):
                vals.update(lost_case=True, report_due=lost_report_due(
                    remedy.effective_on, remedy.agency_id.sudo().lost_report_days))
            if remedy.pause_id and not remedy.pause_id.date_end:
                remedy.pause_id.sudo().date_end = remedy.effective_on
            remedy._as_step().write(vals)
            remedy._start_duties()
        return True

    def _pause_surcharge(self):
        """Art. 73: the surcharge does not run while a remedy is pending."""
        self.ensure_one()
        case = self.case_id
        if case.fine_amount and not case.paid_at and not self.pause_id:
            pause = self.env["enforcement.surcharge.pause"].sudo().create({
                "case_id": case.id, "date_start": self.applied_on, "reason": self.kind})
            self._as_step().write({"pause_id": pause.id})

    def _start_duties(self):
        """The withdrawal and the 败诉 report are steps of a process of their
        own (the case's procedure may long be over): started through the
        outbox, once per remedy."""
        self.ensure_one()
        if not (self.withdrawal_due or self.lost_case):
            return
        self.env["enforcement.outbox"]._enqueue_message(
            REMEDY_START_MESSAGE,
            business_key=self.case_id.name,
            variables={
                "case_id": self.case_id.id, "remedy_id": self.id,
                "withdrawal_required": bool(self.withdrawal_due),
                "withdrawal_due": end_of_day_iso(self.withdrawal_due) if self.withdrawal_due else "",
                "report_required": bool(self.lost_case),
                "report_due": end_of_day_iso(self.report_due) if self.report_due else "",
            },
            message_id=f"remedy_effective:{self.id}",
            case=self.case_id,
            starts=REMEDY_PROCESS,
        )

    def _submit_report(self, values):
        """The 败诉 report (item 三十二), from the leader's report task."""
        self.ensure_one()
        required = ("report_to", "report_original", "report_court", "report_lessons")
        if self.agency_changed_act or self.result == "changed":
            required += ("report_change",)
        missing = [self._fields[name]._description_string(self.env) for name in required
                   if not (values.get(name) or "").strip()]
        if missing:
            raise UserError(self.env._("The lost-lawsuit report needs: %(missing)s.", missing="、".join(missing)))
        self._as_step().write({
            **{name: values.get(name) or False for name in (
                "report_to", "report_original", "report_court", "report_change", "report_lessons")},
            "report_submitted_on": china_today(), "report_submitted_by_id": self.env.uid,
        })

    # ------------------------------------------------------------------
    # Statistics (read by the statutory data report)
    # ------------------------------------------------------------------
    @api.model
    def _outcomes_for_period(self, agency, date_from, date_to):
        """Counts per kind: ``applied`` (applications filed in the period),
        one per result given in the period (every result key, zeros
        included) and ``lost`` (lost lawsuits among them)."""
        from ..enforcement_core.duties import RemedyRow, count_outcomes

        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        remedies = self.sudo().search([
            ("agency_id", "=", agency.id if hasattr(agency, "id") else agency),
            "|", "&", ("applied_on", ">=", date_from), ("applied_on", "<=", date_to),
            "&", ("result_on", ">=", date_from), ("result_on", "<=", date_to),
        ])
        given = remedies.filtered(lambda r: r.state != "pending")
        counts = count_outcomes([
            RemedyRow(r.kind, r.applied_on, r.result if r in given else None, r.result_on if r in given else None)
            for r in remedies], date_from, date_to)
        for kind in counts:
            counts[kind]["lost"] = len(given.filtered(
                lambda r, kind=kind: r.kind == kind and r.lost_case and date_from <= r.result_on <= date_to))
        return counts
