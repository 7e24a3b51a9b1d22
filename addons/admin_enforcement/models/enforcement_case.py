from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..enforcement_core.china_clock import CHINA, china_day, china_today
from .enforcement_discretion_tier import to_decimal
from .enforcement_matter import MATTER_CATEGORIES

START_MESSAGE = "enforcement.case_created"
PROCESS_DEFINITION = "enforcement_penalty_ordinary"
HEARING_REQUESTED_MESSAGE = "enforcement.hearing_requested"
STATEMENTS_CLOSED_MESSAGE = "enforcement.statements_closed"
PAYMENT_CONFIRMED_MESSAGE = "enforcement.payment_confirmed"
PARTY_MESSAGE_TTL_MS = 24 * 3600 * 1000
PAYMENT_MESSAGE_TTL_MS = 30 * 24 * 3600 * 1000

CASE_STATES = [
    ("filing", "Filing"),
    ("filed", "Filed"),
    ("not_filed", "Not Filed"),
    ("investigation", "Investigation"),
    ("notice", "Prior Notice"),
    ("hearing", "Hearing"),
    ("review", "Legal Review"),
    ("decision", "Decision"),
    ("decided", "Decision Made"),
    ("served", "Served"),
    ("execution", "Execution"),
    ("closed", "Closed"),
    ("archived", "Archived"),
]
REVIEW_STATES = [
    ("none", "Not Required"),
    ("required", "Required"),
    ("in_review", "In Review"),
    ("passed", "Passed"),
    ("problems", "Problems Found"),
]
SERVICE_METHODS = [
    ("direct", "Direct Service"),
    ("mail", "By Mail"),
    ("electronic", "Electronic Service"),
    ("public_notice", "Public Notice"),
]

# Fields written only by the procedure: job handlers and the completion of
# the step that owns them, both server code that writes through _as_step()
# (sudo) after the step's checks. A user's plain write() of one of them over
# RPC would skip the step's gates, so it is refused whatever the request's
# context says.
PROCESS_FIELDS = frozenset({
    "state", "number", "process_instance_key", "investigation_conclusion",
    "notice_served_at", "statement_due", "hearing_request_due", "hearing_eligible",
    "hearing_requested_at", "hearing_granted", "hearing_at", "hearing_chair_id", "hearing_record",
    "review_state", "review_required", "review_reason_codes", "review_category", "review_reviewer_id",
    "collective_required",
    "decision_kind", "fine_amount", "decision_number", "decision_date", "decided_by_id", "decision_due",
    "decision_extended", "service_due", "served_at", "service_method", "payment_due", "paid_at",
    "paid_amount", "payment_reference", "surcharge_started_on", "court_enforcement_due",
    "court_application_ref", "closed_at", "archive_number", "archived_at",
    # Dated duties after the decision (models/enforcement_case_duties.py): 备案 and 行刑衔接
    "major_filing_required", "major_filing_reasons", "major_filing_due", "major_filed_to", "major_filed_on",
    "major_filing_number", "major_filing_attachment", "major_filing_attachment_name",
    "transfer_reason", "transfer_organ", "transfer_sent_on", "transfer_number", "transfer_receipt_on",
    "transfer_accepted", "transfer_receipt_note",
})


def iso_to_utc_naive(value):
    """An ISO-8601 date-time with offset (as handed to the engine) as Odoo's naive UTC."""
    if not value:
        return False
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CHINA)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def agency_lang(env, company=None):
    """The language an agency keeps its records in: its company's
    (``partner_id.lang``), else Chinese, whichever is installed."""
    installed = dict(env["res.lang"].get_installed())
    company = company or env.company
    for lang in (company.sudo().partner_id.lang, "zh_CN"):
        if lang and lang in installed:
            return lang
    return env.lang or "en_US"


class EnforcementCase(models.Model):
    """An enforcement case (案件). Its procedure runs as a BPMN process on the
    process engine (Operaton), whose business key is the case reference;
    Odoo holds the case data and the tasks people work on.

    Legal rules are gates here, so no screen and no RPC call skips them:
    the case team (at least two officers certified for the case's category
    and area, none with a conflict), prior notice before a penalty decision,
    passed legal review before a major decision, a reviewer who did not
    handle the case, a hearing chair who did not investigate, and the
    discretion tier (or a written reason). Fields the procedure owns are
    written only by the step that owns them (see PROCESS_FIELDS).

    Rights: officers create and handle cases of their agency; leaders approve,
    decide and rule on recusals; legal reviewers read; supervisors read every
    agency's cases.
    """

    _name = "enforcement.case"
    _description = "Enforcement Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "enforcement.task.subject", "enforcement.process.state"]
    _order = "id desc"
    _process_fields = PROCESS_FIELDS

    name = fields.Char(
        string="Case Reference", required=True, readonly=True, copy=False, index=True,
        default=lambda self: self.env._("New"),
        help="Internal reference, fixed at creation; the process correlates on it.",
    )
    number = fields.Char(
        string="Case Number", readonly=True, copy=False, index=True, tracking=True,
        help="Official number from the agency's pattern, given when the case is filed.",
    )
    title = fields.Char(required=True, tracking=True)
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True, tracking=True,
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1),
    )
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    matter_id = fields.Many2one(
        "enforcement.matter", string="Enforcement Matter", index=True, tracking=True,
        domain="[('agency_id', '=', agency_id), ('state', '=', 'current')]",
    )
    category_id = fields.Many2one(
        "enforcement.category", string="Enforcement Category", tracking=True,
        help="Category an officer's certificate must cover to act on this case.",
    )
    area_id = fields.Many2one(
        "enforcement.area", string="Enforcement Area", tracking=True,
        help="Area an officer's certificate must cover to act on this case.",
    )
    party_name = fields.Char(string="Party", tracking=True)
    party_type = fields.Selection(
        [("person", "Natural Person"), ("organisation", "Organisation")],
        default="organisation", required=True, tracking=True,
    )
    facts = fields.Text()
    filing_date = fields.Date(default=lambda self: china_today(), readonly=True)
    state = fields.Selection(
        CASE_STATES, default="filing", required=True, readonly=True, tracking=True, copy=False, index=True,
    )
    current_step = fields.Char(compute="_compute_current_step")
    process_instance_key = fields.Char(readonly=True, copy=False, index=True)
    task_ids = fields.One2many("enforcement.task", "case_id", readonly=True)
    open_task_count = fields.Integer(compute="_compute_open_task_count")
    event_ids = fields.One2many("enforcement.process.event", "case_id", readonly=True)
    outbox_ids = fields.One2many("enforcement.outbox", "case_id", readonly=True)

    # Case team (arts. 42, 43)
    officer_ids = fields.Many2many(
        "enforcement.officer", "enforcement_case_officer_rel", "case_id", "officer_id",
        string="Case Officers", tracking=True,
        domain="[('agency_id', '=', agency_id)]",
    )
    recusal_ids = fields.One2many("enforcement.case.recusal", "case_id", string="Recusals")
    team_problems = fields.Text(compute="_compute_team_problems")

    # Investigation and proposed penalty
    evidence_summary = fields.Text(string="Evidence")
    investigation_conclusion = fields.Selection(
        [("penalty", "Propose a Penalty"), ("no_penalty", "No Penalty")], readonly=True, tracking=True,
    )
    complex_case = fields.Boolean(
        string="Complex or Serious Case", tracking=True,
        help="Complex facts, several legal relations or a serious case: leaders decide collectively (art. 57).",
    )
    discretion_standard_id = fields.Many2one(
        "enforcement.discretion.standard", tracking=True,
        domain="[('matter_id', '=', matter_id)]",
    )
    discretion_tier_id = fields.Many2one(
        "enforcement.discretion.tier", string="Circumstances Tier", tracking=True,
        domain="[('standard_id', '=', discretion_standard_id)]",
    )
    penalty_type_ids = fields.Many2many("enforcement.penalty.type", string="Proposed Penalties")
    proposed_fine = fields.Float(string="Proposed Fine (yuan)", digits=(16, 2), tracking=True)
    confiscation_value = fields.Float(string="Confiscation Value (yuan)", digits=(16, 2))
    illegal_gains = fields.Float(string="Illegal Gains (yuan)", digits=(16, 2))
    goods_value = fields.Float(string="Value of Goods (yuan)", digits=(16, 2))
    discretion_reason = fields.Text(
        string="Reason for Departing from the Tier",
        help="Required when the proposed penalty is outside the tier's range.",
    )
    discretion_check = fields.Text(compute="_compute_discretion_check")
    discretion_needs_reason = fields.Boolean(compute="_compute_discretion_check")
    hearing_basis = fields.Text(
        compute="_compute_hearing_basis", string="Right to a Hearing",
        help="Whether the proposed penalty gives the party the right to a hearing (art. 63), and why.")

    # Prior notice, statements and hearing (arts. 44, 62-65)
    notice_served_at = fields.Datetime(string="Prior Notice Served", readonly=True, tracking=True)
    notice_content = fields.Text(string="Prior Notice Content")
    statement_due = fields.Datetime(readonly=True)
    hearing_request_due = fields.Datetime(readonly=True)
    hearing_eligible = fields.Boolean(readonly=True)
    hearing_requested_at = fields.Datetime(readonly=True, tracking=True)
    hearing_granted = fields.Boolean(readonly=True, tracking=True)
    hearing_at = fields.Datetime(string="Hearing Date", readonly=True, tracking=True)
    hearing_chair_id = fields.Many2one("res.users", readonly=True, tracking=True)
    hearing_record = fields.Text(readonly=True)

    # Legal review (read from the review; written by the review's steps)
    review_state = fields.Selection(REVIEW_STATES, default="none", required=True, readonly=True, tracking=True)
    review_required = fields.Boolean(readonly=True)
    review_reason_codes = fields.Char(
        string="Review Reasons", readonly=True,
        help="Codes of the catalogue rules that require legal review, or 'requested'; read by the review when it opens.")
    review_category = fields.Selection(MATTER_CATEGORIES, string="Category Reviewed", readonly=True)
    review_reviewer_id = fields.Many2one(
        "res.users", string="Legal Reviewer", readonly=True,
        help="Reviewer who gave the opinion; may not be one of the case officers (办审分离).",
    )
    collective_required = fields.Boolean(readonly=True)

    # Decision (art. 57-61)
    decision_due = fields.Datetime(string="Decide By", readonly=True, tracking=True)
    decision_extended = fields.Boolean(readonly=True, tracking=True)
    decision_kind = fields.Selection(
        [("penalty", "Penalty"), ("no_penalty", "No Penalty")], readonly=True, tracking=True,
    )
    fine_amount = fields.Float(string="Amount to Pay (yuan)", digits=(16, 2), readonly=True, tracking=True)
    decision_number = fields.Char(readonly=True, copy=False, tracking=True)
    decision_date = fields.Date(readonly=True)
    decided_by_id = fields.Many2one("res.users", readonly=True)

    # Service (art. 61) and execution (arts. 67, 72, 73)
    service_due = fields.Datetime(string="Serve By", readonly=True)
    served_at = fields.Datetime(readonly=True, tracking=True)
    service_method = fields.Selection(SERVICE_METHODS, readonly=True)
    deemed_served_on = fields.Date(
        compute="_compute_deemed_served_on",
        help="Service by public notice counts as made 30 days after the notice.",
    )
    payment_due = fields.Datetime(string="Pay By", readonly=True, tracking=True)
    paid_at = fields.Datetime(readonly=True, tracking=True)
    paid_amount = fields.Float(digits=(16, 2), readonly=True)
    payment_reference = fields.Char(readonly=True)
    surcharge_started_on = fields.Date(readonly=True)
    surcharge_pause_ids = fields.One2many("enforcement.surcharge.pause", "case_id", string="Surcharge Pauses")
    surcharge_amount = fields.Float(compute="_compute_surcharge", digits=(16, 2), string="Late Surcharge (yuan)")
    surcharge_days = fields.Integer(compute="_compute_surcharge")
    surcharge_capped = fields.Boolean(compute="_compute_surcharge")
    court_enforcement_due = fields.Datetime(readonly=True)
    court_application_ref = fields.Char(readonly=True)
    closed_at = fields.Datetime(readonly=True)
    archive_number = fields.Char(readonly=True, copy=False)
    archived_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("name_unique", "unique(name)", "The case reference must be unique."),
        ("number_unique", "unique(company_id, number)", "The case number must be unique in its agency."),
        ("fine_not_negative", "CHECK(fine_amount IS NULL OR fine_amount >= 0)", "A fine cannot be negative."),
        ("proposed_fine_not_negative", "CHECK(proposed_fine IS NULL OR proposed_fine >= 0)",
         "A proposed fine cannot be negative."),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("task_ids.state")
    def _compute_open_task_count(self):
        for case in self:
            case.open_task_count = len(case.task_ids.filtered(lambda t: t.state == "open"))

    @api.depends("task_ids.state", "task_ids.name", "state")
    def _compute_current_step(self):
        for case in self:
            open_tasks = case.task_ids.filtered(lambda t: t.state == "open")
            labels = [self.env["enforcement.task"]._step_label(t.step_code) for t in open_tasks]
            case.current_step = ", ".join(labels) or dict(self._fields["state"]._description_selection(
                self.env)).get(case.state)

    @api.depends("officer_ids", "recusal_ids.state", "category_id", "area_id")
    def _compute_team_problems(self):
        for case in self:
            case.team_problems = "\n".join(case._team_problems())

    @api.depends("discretion_standard_id", "discretion_tier_id", "penalty_type_ids", "proposed_fine",
                 "illegal_gains", "goods_value", "discretion_reason", "investigation_conclusion")
    def _compute_discretion_check(self):
        for case in self:
            result = case._discretion_result()
            if result is None:
                case.discretion_check = False
                case.discretion_needs_reason = False
                continue
            low_high = ""
            if result.allowed_range:
                # formatted outside _(): Odoo's term export skips a file with f-strings in _() arguments
                low, high = (f"{bound:.2f}" for bound in result.allowed_range[:2])
                low_high = self.env._(" Tier range: %(low)s to %(high)s yuan.", low=low, high=high)
            case.discretion_check = (self.env._("Within the tier.") if result.ok else self.env._(
                "%(reasons)s.", reasons=self.env["enforcement.rule.reason"]._texts(result.reasons))) + low_high
            case.discretion_needs_reason = result.needs_written_reason

    @api.depends("party_type", "penalty_type_ids", "proposed_fine", "confiscation_value")
    def _compute_hearing_basis(self):
        texts = self.env["enforcement.rule.reason"]
        for case in self:
            try:
                reasons = case._hearing_eligibility().reasons if case.penalty_type_ids or case.proposed_fine else []
            except ValueError:  # a penalty type outside the vocabulary: the gates say so
                reasons = []
            case.hearing_basis = (self.env._("The party may request a hearing: %(reasons)s.",
                                             reasons=texts._texts(reasons)) if reasons else
                                  self.env._("The proposed penalty gives no right to a hearing."))

    @api.depends("served_at", "service_method")
    def _compute_deemed_served_on(self):
        for case in self:
            case.deemed_served_on = case._deemed_served_on()

    @api.depends("fine_amount", "payment_due", "paid_at", "surcharge_started_on",
                 "surcharge_pause_ids.date_start", "surcharge_pause_ids.date_end")
    @api.depends_context("date")
    def _compute_surcharge(self):
        for case in self:
            # A ``date`` in the context shows the amount as of that day; no
            # gate reads this field (the payment gate uses _amount_owed_on).
            on_date = case.paid_at and china_day(case.paid_at) or fields.Date.to_date(
                self._context.get("date")) or china_today()
            result = case._surcharge_on(on_date)
            case.surcharge_amount = float(result.amount) if result else 0.0
            case.surcharge_days = result.days if result else 0
            case.surcharge_capped = result.capped if result else False

    # ------------------------------------------------------------------
    # Creation and protected fields
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("enforcement.case.reference")
        cases = super().create(vals_list)
        for case in cases:
            case._start_process()
        return cases

    def _as_step(self):
        """The case as the procedure step writes it (allowed to set PROCESS_FIELDS).
        Call it only after the step's checks: it is the superuser environment.
        From a job (no user, so no language) it writes in the agency's language."""
        case = self.sudo()
        return case if case.env.lang else case._with_agency_lang()

    def _agency_lang(self):
        return agency_lang(self.env, self[:1].sudo().agency_id.company_id)

    def _with_agency_lang(self):
        """The case in its agency's language: for texts written into the case's
        history (chatter, tracking, process events), above all from job
        handlers, whose environment has no user and so no language."""
        return self.with_context(lang=self._agency_lang())

    def _message_track(self, fields_iter, initial_values_dict):
        # Tracking values keep the selection labels as text: write them in the
        # agency's language, whoever (or whichever job) made the change.
        cases = self.with_context(lang=self[:1]._agency_lang()) if self else self
        return super(EnforcementCase, cases)._message_track(fields_iter, initial_values_dict)

    def _procedure_process_id(self):
        """The BPMN process the case's procedure runs."""
        return PROCESS_DEFINITION

    def _start_process(self):
        """Start the case's procedure through the outbox: the message is sent
        only if this transaction commits, and its id makes a resend harmless."""
        self.ensure_one()
        self.env["enforcement.outbox"]._enqueue_message(
            START_MESSAGE,
            business_key=self.name,
            variables=self._process_start_variables(),
            message_id=f"case_created:{self.name}",
            case=self,
            starts=PROCESS_DEFINITION,
        )

    def _process_start_variables(self):
        return {"case_id": self.id, "filing_due": self._filing_due_iso()}

    def _filing_due_iso(self):
        """Filing approval is expected within 7 working days of receipt."""
        return self.env["enforcement.calendar"]._due_iso("service", self.filing_date or china_today())

    def _calendar(self):
        return self.env["enforcement.calendar"]

    # ------------------------------------------------------------------
    # Gates
    # ------------------------------------------------------------------
    def _conflicted_officers(self):
        self.ensure_one()
        return self.recusal_ids.filtered(lambda r: r.state in ("pending", "upheld")).officer_id

    def _team_problems(self, on_date=None, minimum=2):
        """Every reason the case team may not act (arts. 42, 43); empty = fine.
        The rule is ``enforcement_core.certificates.check_case_team``;
        ``minimum`` is two officers unless sector law lets one act alone."""
        from ..enforcement_core.certificates import check_case_team

        self.ensure_one()
        if not self.category_id or not self.area_id:
            return [self.env._("The case has no enforcement category and area, so no certificate can be checked.")]
        on_date = on_date or china_today()
        officers = self.officer_ids.sudo()
        eligibility = officers._eligibility_reasons(self.category_id.code, self.area_id.code, on_date)
        certs = {}
        for officer in officers:
            usable = officer.certificate_ids.filtered(lambda c: c._is_valid_on(on_date))
            chosen = officer.certificate_id
            if not eligibility[officer.id]:
                # Pick the certificate that makes the officer eligible.
                for cert in usable or officer.certificate_ids:
                    facts = cert._to_facts()
                    if self.category_id.code in facts.categories and self.area_id.code in facts.areas:
                        chosen = cert
                        break
            certs[officer.name] = chosen._to_facts() if chosen else None
        conflicted = set(self._conflicted_officers().mapped("name"))
        check = check_case_team(certs, self.category_id.code, self.area_id.code, on_date,
                                conflicted_officer_ids=conflicted, minimum=minimum)
        return [self.env["enforcement.rule.reason"]._text(reason) for reason in check.reasons]

    def _ensure_team_valid(self):
        for case in self:
            problems = case._team_problems()
            if problems:
                raise UserError(self.env._(
                    "The case team of %(case)s may not act: %(problems)s",
                    case=case.display_name, problems="；".join(problems)))

    @api.constrains("officer_ids", "category_id", "area_id")
    def _check_officers_may_act(self):
        """Each assigned officer holds a certificate for the case's category
        and area and has no conflict; the minimum of two is checked when the
        team starts to act (a team is built one officer at a time)."""
        for case in self:
            conflicted = case._conflicted_officers() & case.officer_ids
            if conflicted:
                raise ValidationError(self.env._(
                    "%(officers)s must recuse from case %(case)s and cannot be on its team.",
                    officers=", ".join(conflicted.mapped("name")), case=case.display_name))
            if case.category_id and case.area_id and case.officer_ids:
                case.officer_ids.sudo()._check_certified_for(case.category_id.code, case.area_id.code)

    def _officer_users(self):
        return self.officer_ids.sudo().user_id

    @api.constrains("review_reviewer_id", "officer_ids")
    def _check_reviewer_did_not_handle(self):
        for case in self:
            if case.review_reviewer_id and case.review_reviewer_id in case._officer_users():
                raise ValidationError(self.env._(
                    "%(user)s handled case %(case)s and cannot review it (办审分离).",
                    user=case.review_reviewer_id.name, case=case.display_name))

    @api.constrains("hearing_chair_id", "officer_ids")
    def _check_chair_did_not_investigate(self):
        for case in self:
            if case.hearing_chair_id and case.hearing_chair_id in case._officer_users():
                raise ValidationError(self.env._(
                    "%(user)s investigated case %(case)s and cannot chair its hearing (art. 64).",
                    user=case.hearing_chair_id.name, case=case.display_name))

    @api.constrains("decision_kind", "fine_amount")
    def _check_decision_gates(self):
        """A decision needs prior notice when it imposes a penalty (arts. 44,
        62), a passed legal review when the catalogue marks it major (art.
        58), and a proposal inside the discretion tier or a written reason."""
        for case in self.filtered("decision_kind"):
            if case.decision_kind == "penalty" and not case.notice_served_at:
                raise ValidationError(self.env._(
                    "Case %(case)s cannot be decided with a penalty: the party was not given prior notice "
                    "of the facts, grounds, proposed penalty and their rights (art. 44).", case=case.display_name))
            if case.review_state in ("required", "in_review", "problems"):
                raise ValidationError(self.env._(
                    "Case %(case)s is a major decision and its legal review has not passed (review: %(state)s).",
                    case=case.display_name,
                    state=dict(REVIEW_STATES)[case.review_state]))
            if case.decision_kind == "penalty" and case.discretion_needs_reason:
                raise ValidationError(self.env._(
                    "The penalty of case %(case)s is outside the discretion tier (%(check)s): "
                    "write the reason for departing from it.", case=case.display_name, check=case.discretion_check))
            if case.decision_kind == "no_penalty" and case.fine_amount:
                raise ValidationError(self.env._("A decision not to penalise cannot order a payment."))

    def _discretion_result(self):
        self.ensure_one()
        if not self.discretion_standard_id or not self.discretion_tier_id:
            return None
        codes = set(self.penalty_type_ids.mapped("code"))
        if self.proposed_fine:
            codes.add("fine")
        return self.discretion_standard_id.sudo()._check_proposed_penalty(
            self.discretion_tier_id.code, codes, fine_amount=self.proposed_fine or 0.0,
            illegal_gains=self.illegal_gains or None, goods_value=self.goods_value or None,
            written_reason=self.discretion_reason,
        )

    def _hearing_eligibility(self):
        from ..enforcement_core.hearing import hearing_eligibility

        self.ensure_one()
        codes = set(self.penalty_type_ids.mapped("code"))
        if self.proposed_fine:
            codes.add("fine")
        return hearing_eligibility(self.party_type, codes, fine_amount=to_decimal(self.proposed_fine),
                                   confiscation_value=to_decimal(self.confiscation_value))

    def _deemed_served_on(self):
        if not self.served_at:
            return False
        served = china_day(self.served_at)
        if self.service_method == "public_notice":
            return self._calendar()._due_date("public_notice_service", served)
        return served

    def _surcharge_on(self, on_date):
        """The late surcharge owed on ``on_date`` (art. 72), or None if no
        payment is late; pauses for reconsideration and litigation count."""
        from ..enforcement_core.surcharge import Pause, late_surcharge

        self.ensure_one()
        if not self.fine_amount or not self.payment_due:
            return None
        due = china_day(self.payment_due)
        if on_date <= due:
            return None
        pauses = [Pause(p.date_start, p.date_end or on_date, p.reason or "")
                  for p in self.surcharge_pause_ids if p.date_start <= on_date]
        return late_surcharge(to_decimal(self.fine_amount), due, on_date, pauses)

    def _require_state(self, allowed, action):
        for case in self:
            if case.state not in allowed:
                raise UserError(self.env._(
                    "Case %(case)s is at %(state)s: it cannot %(action)s now.", case=case.display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[case.state],
                    action=action))

    def _require_leader(self):
        self._check_acting_leader(self.env.user)

    # ------------------------------------------------------------------
    # Steps driven by the process (called by job handlers, as superuser)
    # ------------------------------------------------------------------
    def _assign_number(self, category="penalty"):
        """Give the case its official number, once."""
        self.ensure_one()
        if self.number:
            return self.number
        year = (self.filing_date or china_today()).year
        self._as_step().number = self.agency_id.sudo()._take_number("case", year, category=category)
        return self.number

    def _compute_decision_due_iso(self):
        self.ensure_one()
        due = self._calendar()._due_iso("decision_after_filing", self.filing_date or china_today())
        self._as_step().write({"decision_due": iso_to_utc_naive(due), "state": "investigation"})
        return due

    def _compute_notice_deadlines(self):
        """Statement and hearing-request period: 5 working days from service
        of the prior notice (art. 64); eligibility from the proposed penalty."""
        self.ensure_one()
        served = self.notice_served_at
        if not served:
            raise UserError(self.env._("Case %(case)s has no prior notice date.", case=self.display_name))
        due = self._calendar()._due_iso("hearing_request", china_day(served))
        eligible = self._hearing_eligibility().eligible
        self._as_step().write({
            "statement_due": iso_to_utc_naive(due), "hearing_request_due": iso_to_utc_naive(due),
            "hearing_eligible": eligible,
        })
        return {"statement_due": due, "hearing_request_due": due, "hearing_eligible": eligible}

    def _check_hearing_request(self):
        """Granted when the party asked in time for a hearing-eligible penalty (arts. 63, 64)."""
        self.ensure_one()
        requested, due = self.hearing_requested_at, self.hearing_request_due
        granted = bool(self.hearing_eligible and requested and due and requested <= due)
        self._as_step().write({"hearing_granted": granted, "state": "hearing" if granted else self.state})
        return granted

    def _issue_decision(self):
        """Number the decision document; service is due within 7 working days (art. 61)."""
        self.ensure_one()
        today = china_today()
        if not self.decision_number:
            self._as_step().write({
                "decision_number": self.agency_id.sudo()._take_number("decision", today.year, category="penalty"),
                "decision_date": today,
            })
        due = self._calendar()._due_iso("service", self.decision_date or today)
        self._as_step().write({"service_due": iso_to_utc_naive(due), "state": "decided"})
        return due

    def _compute_payment_due_iso(self):
        """15 days from service to pay the bank (art. 67); public notice counts from day 30."""
        self.ensure_one()
        served = self._deemed_served_on()
        if not served:
            raise UserError(self.env._("Case %(case)s has not been served.", case=self.display_name))
        due = self._calendar()._due_iso("payment", served)
        self._as_step().write({"payment_due": iso_to_utc_naive(due), "state": "execution"})
        return due

    def _start_surcharge(self):
        """The fine is overdue: the surcharge runs from the day after the due
        date, the demand is served today, and court enforcement may be sought
        once the demand's 10 working days and the remedy periods are over
        (行政强制法 53, 54)."""
        self.ensure_one()
        today = china_today()
        served = self._deemed_served_on() or today
        calendar = self._calendar()
        candidates = [
            calendar._due_date("court_enforcement_wait", today),
            calendar._due_date("reconsideration", served),
            calendar._due_date("litigation", served),
        ]
        due_day = max(candidates)
        from ..enforcement_core.deadlines import end_of_day_iso

        due = end_of_day_iso(due_day)
        self._as_step().write({
            "surcharge_started_on": china_day(self.payment_due) + timedelta(days=1),
            "court_enforcement_due": iso_to_utc_naive(due),
        })
        return due

    def _seal_archive(self):
        self.ensure_one()
        if not self.archive_number:
            year = china_today().year  # the year the file is sealed (归档年度)
            self._as_step().write({
                "archive_number": self.agency_id.sudo()._take_number("archive", year, category="penalty"),
                "archived_at": fields.Datetime.now(),
                "state": "archived",
            })
        return self.archive_number

    # ------------------------------------------------------------------
    # Steps completed by people (called from enforcement.task)
    # ------------------------------------------------------------------
    def _check_step_actor(self, step, user, task):
        """Who may act on a step of the case's procedure (services/process_steps.py)."""
        task._check_case_step_actor(step, user)

    def _task_history(self, values):
        """A case's steps are its process events (the full-process record chains them)."""
        self.env["enforcement.process.event"].sudo().create({"case_id": self.id, **values})

    def _task_case(self):
        return self

    def _task_defaults(self, step_code):
        """What a newly opened task of ``step_code`` starts with, from the case."""
        self.ensure_one()
        if step_code == "team_assignment":
            return {"team_officer_ids": [fields.Command.set(self.officer_ids.ids)]}
        if step_code == "investigation_report":
            return {
                "discretion_standard_id": self.discretion_standard_id.id,
                "discretion_tier_id": self.discretion_tier_id.id,
                "penalty_type_ids": [fields.Command.set(self.penalty_type_ids.ids)],
                "proposed_fine": self.proposed_fine, "complex_case": self.complex_case,
                "evidence_summary": self.evidence_summary,
            }
        if step_code == "decision":
            return {"fine_amount": self.proposed_fine,
                    "decision_kind": "penalty" if self.investigation_conclusion == "penalty" else "no_penalty"}
        return {}

    def _complete_filing_approval(self, task, values):
        approved = bool(values.get("filing_approved"))
        if not approved and not values.get("approval_comment"):
            raise UserError(self.env._("Give a reason when the case is not filed."))
        missing = [self._fields[name]._description_string(self.env)
                   for name in ("matter_id", "category_id", "area_id") if not self[name]]
        if approved and missing:
            # The team check (持证上岗) and the discretion standard need them from the first step on.
            raise UserError(self.env._(
                "Case %(case)s cannot be filed without its %(missing)s: fill them in on the case first.",
                case=self.display_name, missing="、".join(missing)))
        self._as_step().state = "filed" if approved else "not_filed"
        return {"filing_approved": approved}

    def _complete_team_assignment(self, task, values):
        if "team_officer_ids" in values:
            self.officer_ids = [fields.Command.set(values["team_officer_ids"])]
        self._ensure_team_valid()
        return {}

    def _complete_investigation(self, task, values):
        self._ensure_team_valid()
        if not (values.get("evidence_summary") or self.evidence_summary or "").strip():
            raise UserError(self.env._("Record the evidence collected before ending the investigation."))
        if values.get("evidence_summary"):
            self.evidence_summary = values["evidence_summary"]
        return {}

    def _complete_investigation_report(self, task, values):
        self._ensure_team_valid()
        conclusion = values.get("investigation_conclusion")
        if conclusion == "transfer":  # a suspected crime (行刑衔接, models/enforcement_case_duties.py)
            return self._conclude_transfer(values)
        if conclusion not in ("penalty", "no_penalty"):
            raise UserError(self.env._("State whether the investigation proposes a penalty."))
        proposal = {key: values[key] for key in (
            "discretion_standard_id", "discretion_tier_id", "proposed_fine", "discretion_reason",
            "complex_case") if key in values}
        if "penalty_type_ids" in values:
            proposal["penalty_type_ids"] = [fields.Command.set(values["penalty_type_ids"])]
        self.write(proposal)
        if conclusion == "penalty":
            if not self.discretion_standard_id or not self.discretion_tier_id:
                raise UserError(self.env._(
                    "A proposed penalty needs its discretion standard and circumstances tier."))
            if not self.penalty_type_ids and not self.proposed_fine:
                raise UserError(self.env._("Name the proposed penalty."))
            if self.discretion_needs_reason:
                raise UserError(self.env._(
                    "The proposed penalty is outside the discretion tier (%(check)s): write the reason "
                    "for departing from it.", check=self.discretion_check))
        self._as_step().write({"investigation_conclusion": conclusion,
                               "state": "notice" if conclusion == "penalty" else "decision"})
        return {"investigation_conclusion": conclusion}

    def _complete_prior_notice(self, task, values):
        served = values.get("notice_served_at")
        if not served:
            raise UserError(self.env._("Enter when the prior notice was served on the party."))
        served = fields.Datetime.to_datetime(served)
        if served > fields.Datetime.now() + timedelta(minutes=5):
            raise UserError(self.env._("The prior notice cannot be served in the future."))
        if not (values.get("notice_content") or self.notice_content or "").strip():
            raise UserError(self.env._(
                "The prior notice must state the facts, grounds, proposed penalty and the party's rights."))
        vals = {"notice_served_at": served, "state": "notice"}
        if values.get("notice_content"):
            vals["notice_content"] = values["notice_content"]
        self._as_step().write(vals)
        return {}

    def _complete_hearing_notice(self, task, values):
        from ..enforcement_core.calendar import UnknownHolidayYear
        from ..enforcement_core.deadlines import hearing_notice_ok

        hearing_at = values.get("hearing_at")
        chair = values.get("hearing_chair_id")
        if not hearing_at or not chair:
            raise UserError(self.env._("Set the hearing date and its chair."))
        hearing_at = fields.Datetime.to_datetime(hearing_at)
        notice_day = china_today()
        calendar = self._calendar()
        try:
            ok = hearing_notice_ok(notice_day, china_day(hearing_at), calendar._working_calendar(),
                                   calendar._period_overrides())
        except UnknownHolidayYear:
            calendar._due_date("hearing_notice", notice_day)  # raises the calendar's own message
            raise
        if not ok:
            raise UserError(self.env._(
                "The hearing on %(day)s is less than 7 working days after today's notice (art. 64): "
                "the earliest day is %(earliest)s.", day=china_day(hearing_at),
                earliest=calendar._due_date("hearing_notice", notice_day)))
        self._as_step().write({"hearing_at": hearing_at, "hearing_chair_id": chair, "state": "hearing"})
        return {}

    def _complete_hearing_record(self, task, values):
        # Only the chair gets here (Actor.HEARING_CHAIR); the chair is a legal
        # reviewer, who reads cases but does not edit them, hence _as_step().
        if not (values.get("hearing_record") or "").strip():
            raise UserError(self.env._("Write the hearing record."))
        self._as_step().hearing_record = values["hearing_record"]
        return {}

    def _complete_decision(self, task, values):
        if values.get("decision_returned"):
            return self._return_for_investigation(values.get("return_reason"))
        kind = values.get("decision_kind")
        if kind not in ("penalty", "no_penalty"):
            raise UserError(self.env._("Choose whether the decision imposes a penalty."))
        fine = values.get("fine_amount") or 0.0
        if fine < 0:
            raise UserError(self.env._("The amount to pay cannot be negative."))
        if kind == "penalty":
            self._ensure_team_valid()
            if self.hearing_granted and not self.hearing_record:
                raise UserError(self.env._("The hearing was granted but has no record yet."))
        if values.get("discretion_reason"):
            self.discretion_reason = values["discretion_reason"]
        self._as_step().write({
            "decision_kind": kind, "fine_amount": fine, "decided_by_id": self.env.uid, "state": "decision",
        })
        return {"decision_returned": False, "payment_required": kind == "penalty" and fine > 0}

    def _return_for_investigation(self, reason):
        """The leader sends the case back instead of deciding (补充调查). The
        process takes it through the team check, investigation, report and
        prior notice again, so a decision still needs a fresh prior notice."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for returning the case for supplementary investigation."))
        self._as_step().write({"state": "investigation", "notice_served_at": False})
        case = self._with_agency_lang()
        case._message_log(body=case.env._("Returned for supplementary investigation: %(reason)s", reason=reason))
        return {"decision_returned": True}

    def _complete_deadline_escalation(self, task, values):
        approved = bool(values.get("extension_approved"))
        if approved and not (values.get("extension_reason") or "").strip():
            raise UserError(self.env._("Give the reason for extending the decision period."))
        if approved:
            self._as_step().decision_extended = True
            case = self._with_agency_lang()
            case._message_log(body=case.env._("Decision period extended: %(reason)s",
                                              reason=values["extension_reason"]))
        return {}

    def _complete_service(self, task, values):
        served = values.get("served_at")
        method = values.get("service_method")
        if not served or not method:
            raise UserError(self.env._("Enter when and how the decision was served."))
        served = fields.Datetime.to_datetime(served)
        if self.decision_date and china_day(served) < self.decision_date:
            raise UserError(self.env._("The decision cannot be served before it was made."))
        self._as_step().write({"served_at": served, "service_method": method, "state": "served"})
        return {}

    def _complete_service_escalation(self, task, values):
        return {}

    def _complete_court_enforcement(self, task, values):
        reference = (values.get("court_application_ref") or "").strip()
        if not reference:
            raise UserError(self.env._("Enter the reference of the application to the court."))
        self._as_step().court_application_ref = reference
        return {}

    def _complete_closing(self, task, values):
        if self.decision_kind == "penalty" and self.fine_amount and not self.paid_at \
                and not self.court_application_ref:
            raise UserError(self.env._("The fine is neither paid nor sent to the court: the case cannot close."))
        self._as_step().write({"closed_at": fields.Datetime.now(), "state": "closed"})
        return {}

    # ------------------------------------------------------------------
    # What the party does, recorded by an officer (messages to the process)
    # ------------------------------------------------------------------
    def action_record_hearing_request(self, requested_at=None):
        """The party asked for a hearing (art. 64): the process checks the date and eligibility."""
        self._require_state({"notice"}, self.env._("receive a hearing request"))
        for case in self:
            when = fields.Datetime.to_datetime(requested_at) if requested_at else fields.Datetime.now()
            if case.notice_served_at and when < case.notice_served_at:
                raise UserError(self.env._("A hearing request cannot predate the prior notice."))
            if when > fields.Datetime.now() + timedelta(minutes=5):
                raise UserError(self.env._("A hearing request cannot be dated in the future."))
            case._as_step().hearing_requested_at = when
            self.env["enforcement.outbox"]._enqueue_message(
                HEARING_REQUESTED_MESSAGE, business_key=case.name, variables={},
                message_id=case._party_message_id(HEARING_REQUESTED_MESSAGE),
                case=case, ttl_ms=PARTY_MESSAGE_TTL_MS)
        return True

    def _party_message_id(self, name):
        """One message per prior notice: a case returned for supplementary
        investigation gets a new notice, and the party reacts to it anew."""
        served = self.notice_served_at.strftime("%Y%m%d%H%M%S") if self.notice_served_at else "none"
        return f"{self.name}:{name}:{self.id}:{served}"

    def action_close_statements(self):
        """The party made its statement and defence, or waived it."""
        self._require_state({"notice"}, self.env._("close the statement period"))
        for case in self:
            self.env["enforcement.outbox"]._enqueue_message(
                STATEMENTS_CLOSED_MESSAGE, business_key=case.name, variables={},
                message_id=case._party_message_id(STATEMENTS_CLOSED_MESSAGE),
                case=case, ttl_ms=PARTY_MESSAGE_TTL_MS)
        return True

    def action_confirm_payment(self, paid_amount, payment_reference, paid_at=None):
        """The bank confirmed the payment (罚缴分离): the process goes on to closing."""
        self._require_state({"execution"}, self.env._("record a payment"))
        for case in self:
            if case.paid_at:
                raise UserError(self.env._("The payment of case %(case)s was already recorded (%(reference)s).",
                                           case=case.display_name, reference=case.payment_reference or ""))
            if not (payment_reference or "").strip():
                raise UserError(self.env._("Enter the bank's payment reference."))
            when = fields.Datetime.to_datetime(paid_at) if paid_at else fields.Datetime.now()
            if when > fields.Datetime.now() + timedelta(minutes=5):
                raise UserError(self.env._("A payment cannot be dated in the future."))
            if case.served_at and when < case.served_at:
                raise UserError(self.env._("A payment cannot predate the service of the decision."))
            owed = case._amount_owed_on(when)
            if float(paid_amount) + 0.005 < owed:
                # formatted outside _(): Odoo's term export skips a file with f-strings in _() arguments
                paid_text, owed_text = f"{float(paid_amount):.2f}", f"{owed:.2f}"
                raise UserError(self.env._(
                    "The payment of %(paid)s yuan is less than the %(owed)s yuan owed (fine and late surcharge).",
                    paid=paid_text, owed=owed_text))
            case._as_step().write({"paid_at": when, "paid_amount": paid_amount,
                                   "payment_reference": payment_reference})
            self.env["enforcement.outbox"]._enqueue_message(
                PAYMENT_CONFIRMED_MESSAGE, business_key=case.name, variables={},
                message_id=f"{case.name}:{PAYMENT_CONFIRMED_MESSAGE}:{case.id}",
                case=case, ttl_ms=PAYMENT_MESSAGE_TTL_MS)
        return True

    def _amount_owed_on(self, when):
        """The fine and the late surcharge run up by the (Beijing) day of ``when``."""
        self.ensure_one()
        surcharge = self._surcharge_on(china_day(when))
        return self.fine_amount + (float(surcharge.amount) if surcharge else 0.0)

    def action_open_payment_wizard(self):
        """The dialog in which an officer enters the bank's confirmation (see action_confirm_payment)."""
        self.ensure_one()
        self._require_state({"execution"}, self.env._("record a payment"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Confirm Payment"),
            "res_model": "enforcement.payment.confirm.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_open_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("admin_enforcement.action_enforcement_task")
        action["domain"] = [("case_id", "=", self.id)]
        return action


class EnforcementCaseRecusal(models.Model):
    """Recusal (回避, art. 43): an officer declares a conflict, or the party
    asks for one; the leader decides. While pending or upheld the officer may
    not act on the case; upholding takes the officer off the team."""

    _name = "enforcement.case.recusal"
    _description = "Recusal"
    _order = "id desc"

    case_id = fields.Many2one("enforcement.case", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    officer_id = fields.Many2one("enforcement.officer", required=True, index=True, ondelete="restrict")
    source = fields.Selection(
        [("declared", "Declared by the Officer"), ("requested", "Requested by the Party")],
        required=True, default="declared",
    )
    reason = fields.Text(required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("upheld", "Upheld"), ("rejected", "Rejected")],
        default="pending", required=True, readonly=True, index=True,
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_at = fields.Datetime(readonly=True)

    def _decide(self, state):
        self.case_id._require_leader()
        pending = self.filtered(lambda r: r.state == "pending")
        if pending != self:
            raise UserError(self.env._("This recusal has already been decided."))
        self.write({"state": state, "decided_by_id": self.env.uid, "decided_at": fields.Datetime.now()})

    def action_uphold(self):
        self._decide("upheld")
        for recusal in self:
            recusal.case_id.officer_ids = [fields.Command.unlink(recusal.officer_id.id)]
        return True

    def action_reject(self):
        self._decide("rejected")
        return True


class EnforcementSurchargePause(models.Model):
    """A period in which the late surcharge does not run: reconsideration or
    litigation against the decision (art. 73)."""

    _name = "enforcement.surcharge.pause"
    _description = "Surcharge Pause"
    _order = "date_start"

    case_id = fields.Many2one("enforcement.case", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    date_start = fields.Date(required=True)
    date_end = fields.Date(help="Empty while the reconsideration or litigation is still running.")
    reason = fields.Selection(
        [("reconsideration", "Administrative Reconsideration"), ("litigation", "Administrative Litigation")],
        required=True,
    )

    _sql_constraints = [
        ("dates_ordered", "CHECK(date_end IS NULL OR date_end >= date_start)", "A pause cannot end before it starts."),
    ]
