from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..enforcement_core.china_clock import china_day, china_today
from ..enforcement_core.simple_procedure import onsite_collection_problems, simple_eligibility
from .enforcement_case import PROCESS_DEFINITION, PROCESS_FIELDS, START_MESSAGE, iso_to_utc_naive
from .enforcement_discretion_tier import to_decimal

SIMPLE_START_MESSAGE = "enforcement.simple_case_created"
SIMPLE_PROCESS_DEFINITION = "enforcement_penalty_simple"
PROCEDURES = [("ordinary", "Ordinary Procedure"), ("simple", "Simple Procedure (On the Spot)")]
COLLECTION = [
    ("bank", "Paid at a Bank within 15 Days"),
    ("small_fine", "Collected on the Spot: Fine of 100 Yuan or Less (art. 68)"),
    ("hard_to_enforce", "Collected on the Spot: Hard to Enforce Afterwards (art. 68)"),
    ("remote_area", "Collected on the Spot: Remote Area, at the Party's Request (art. 69)"),
]
# Written only by the simple procedure's steps (as PROCESS_FIELDS of enforcement_case.py).
SIMPLE_PROCESS_FIELDS = frozenset({
    "procedure", "facts_certain", "legal_basis", "party_statement", "certificate_shown_at",
    "certificate_shown_numbers", "party_signature", "signature_refusal_note", "collection_ground",
    "simple_filing_due", "simple_filed_at", "simple_filed_by_id", "converted_from_simple", "conversion_reason",
})


class EnforcementCase(models.Model):
    """The simple procedure (简易程序, 行政处罚法 arts. 51–53, 68–69): an officer
    decides a warning or a small fine on the spot. The case runs
    ``enforcement_penalty_simple``; a case that turns out not to be eligible is
    refused with the reasons and may be converted to the ordinary procedure,
    keeping its facts, party, team and records, and then starts
    ``enforcement_penalty_ordinary`` at its beginning (立案)."""

    _inherit = "enforcement.case"
    _process_fields = PROCESS_FIELDS | SIMPLE_PROCESS_FIELDS
    _process_fields_on_create = frozenset({"procedure"})

    procedure = fields.Selection(
        PROCEDURES, required=True, default="ordinary", tracking=True,
        help="Chosen when the case is registered; a simple-procedure case can only be converted to the ordinary "
             "procedure, never the other way round.")
    facts_certain = fields.Boolean(readonly=True)
    legal_basis = fields.Text(readonly=True,
                              help="The provisions violated and the provision that sets the penalty.")
    party_statement = fields.Text(string="Party's Statement and Defence", readonly=True)
    certificate_shown_at = fields.Datetime(string="Certificates Shown At", readonly=True)
    certificate_shown_numbers = fields.Char(string="Certificates Shown (numbers)", readonly=True)
    party_signature = fields.Selection(
        [("signed", "Signed by the Party"), ("refused", "Party Refused to Sign")], readonly=True, tracking=True)
    signature_refusal_note = fields.Text(string="Refusal to Sign Noted", readonly=True)
    collection_ground = fields.Selection(COLLECTION, string="Payment", readonly=True)
    simple_filing_due = fields.Datetime(string="File with the Agency By", readonly=True)
    simple_filed_at = fields.Datetime(string="Filed with the Agency", readonly=True, tracking=True)
    simple_filed_by_id = fields.Many2one("res.users", string="Filing Received By", readonly=True)
    converted_from_simple = fields.Boolean(string="Converted from the Simple Procedure", readonly=True)
    conversion_reason = fields.Text(readonly=True)
    can_convert_to_ordinary = fields.Boolean(compute="_compute_can_convert_to_ordinary")

    # ------------------------------------------------------------------
    # Creation, protected fields and the start of the procedure
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        simple = cases.filtered(lambda c: c.procedure == "simple")
        if simple:
            # Decided on the spot: no filing (立案) step, the officers investigate and decide at once.
            simple._as_step().state = "investigation"
        return cases

    def _procedure_process_id(self):
        return SIMPLE_PROCESS_DEFINITION if self.procedure == "simple" else super()._procedure_process_id()

    def _start_process(self):
        if self.procedure != "simple":
            return super()._start_process()
        self.ensure_one()
        return self.env["enforcement.outbox"]._enqueue_message(
            SIMPLE_START_MESSAGE, business_key=self.name, variables={"case_id": self.id},
            message_id=f"simple_case_created:{self.name}", case=self, starts=SIMPLE_PROCESS_DEFINITION)

    def _publication_source_values(self):
        values = super()._publication_source_values()
        if self.procedure == "simple":
            # An on-the-spot decision is a minor one for the agency's publication policy.
            values["severity"] = "minor"
        return values

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------
    def _simple_limits(self):
        self.ensure_one()
        case = self.sudo()
        return self.env["enforcement.simple.limit"]._limits_for(case.agency_id, case.category_id)

    def _simple_eligibility(self, penalty_codes, fine, facts_certain, legal_basis):
        self.ensure_one()
        return simple_eligibility(self.party_type, penalty_codes, to_decimal(fine), facts_certain=facts_certain,
                                  legal_basis=legal_basis or "", limits=self._simple_limits())

    def _simple_refusal(self, reasons):
        return self.env._(
            "Case %(case)s cannot be decided on the spot (simple procedure, 行政处罚法 art. 51): %(reasons)s. "
            "Convert it to the ordinary procedure; what was recorded so far is kept.",
            case=self.display_name, reasons=self.env["enforcement.rule.reason"]._texts(reasons))

    @api.depends("procedure", "state", "decision_number")
    def _compute_can_convert_to_ordinary(self):
        for case in self:
            case.can_convert_to_ordinary = case._conversion_problem() is None

    def _conversion_problem(self):
        self.ensure_one()
        if self.procedure != "simple":
            return self.env._("Case %(case)s is not in the simple procedure.", case=self.display_name)
        if self.decision_number or self.decision_kind:
            return self.env._("Case %(case)s was already decided on the spot (%(number)s): it cannot be converted.",
                              case=self.display_name, number=self.decision_number or "-")
        if not self._open_onsite_task():
            return self.env._("Case %(case)s has no open on-the-spot step to convert yet.", case=self.display_name)
        return None

    def _open_onsite_task(self):
        return self.env["enforcement.task"].sudo().search(
            [("case_id", "=", self.id), ("step_code", "=", "simple_onsite"), ("state", "=", "open")], limit=1)

    # ------------------------------------------------------------------
    # Conversion to the ordinary procedure
    # ------------------------------------------------------------------
    def action_convert_to_ordinary(self, reason=None):
        """An officer of the case team converts an ineligible on-the-spot case:
        the simple process ends (its open step completes as converted), the case
        keeps its facts, party, team and records and starts the ordinary
        procedure at its beginning (立案审批)."""
        for case in self:
            problem = case._conversion_problem()
            if problem:
                raise UserError(problem)
            case._check_acting_officer(self.env.user)
            task = case._open_onsite_task()
            reasons = case._pending_ineligibility(task)
            text = (reason or "").strip() or case.env["enforcement.rule.reason"]._texts(reasons) or \
                self.env._("converted by the officer")
            case._as_step().write({
                "procedure": "ordinary", "converted_from_simple": True, "conversion_reason": text,
                "state": "filing",
                "facts": case.facts or task.simple_facts,
            })
            variables = {"simple_converted": True}
            task._close_as_converted(variables)
            case.env["enforcement.outbox"]._enqueue_message(
                START_MESSAGE, business_key=case.name, variables=case._process_start_variables(),
                message_id=f"case_created:{case.name}", case=case, starts=PROCESS_DEFINITION)
            history = case._with_agency_lang()
            history._message_log(body=history.env._(
                "Converted from the simple procedure to the ordinary procedure: %(reason)s", reason=text))
        return True

    def _pending_ineligibility(self, task):
        """Why the on-the-spot step, as filled in so far, is not eligible (for the history)."""
        codes = set(task.penalty_type_ids.mapped("code"))
        try:
            return self._simple_eligibility(codes, task.fine_amount, task.facts_certain, task.legal_basis).reasons
        except ValueError:
            return []

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------
    def _complete_simple_onsite(self, task, values):
        """Certificates shown, the party told the facts, grounds and rights and
        heard, the decision made on the spot (arts. 44, 45, 51, 52)."""
        limits = self._simple_limits()
        problems = self._team_problems(minimum=limits.officers_required)
        if problems:
            raise UserError(self.env._("The case team of %(case)s may not act: %(problems)s",
                                       case=self.display_name, problems="；".join(problems)))
        if not values.get("certificate_shown"):
            raise UserError(self.env._(
                "Show the party your enforcement certificates and tick that they were shown (art. 52)."))
        facts = (values.get("simple_facts") or self.facts or "").strip()
        if not facts:
            raise UserError(self.env._("Record the facts of the violation."))
        if not (values.get("party_statement") or "").strip():
            raise UserError(self.env._(
                "Record the party's statement and defence, or that the party made none (art. 45)."))
        penalties = self.env["enforcement.penalty.type"].browse(values.get("penalty_type_ids") or [])
        fine = values.get("fine_amount") or 0.0
        eligibility = self._simple_eligibility(set(penalties.mapped("code")), fine, bool(values.get("facts_certain")),
                                               values.get("legal_basis"))
        if not eligibility.eligible:
            raise UserError(self._simple_refusal(eligibility.reasons))
        now = fields.Datetime.now()
        officers = self.officer_ids.sudo()
        numbers = "、".join(filter(None, officers.mapped(lambda o: o.certificate_id.number or "")))
        self.write({"penalty_type_ids": [fields.Command.set(penalties.ids)]})
        self._as_step().write({
            "facts": facts, "facts_certain": True, "legal_basis": values["legal_basis"].strip(),
            "party_statement": values["party_statement"].strip(),
            "certificate_shown_at": now, "certificate_shown_numbers": numbers,
            # The party is told the facts, grounds, penalty and rights on the spot (art. 44).
            "notice_served_at": now,
            "decision_kind": "penalty", "fine_amount": fine, "decided_by_id": self.env.uid, "state": "decision",
        })
        return {"simple_converted": False, "payment_required": fine > 0}

    def _issue_simple_decision(self):
        """The pre-numbered standard form (预定格式、编有号码的决定书, art. 52): its
        number is the next of the agency's on-the-spot form sequence, taken
        when the decision is made; filing with the agency is due within the
        configured working days (``simple_filing``)."""
        self.ensure_one()
        today = china_today()
        if not self.decision_number:
            self._as_step().write({
                "decision_number": self.agency_id.sudo()._take_number("simple_decision", today.year,
                                                                      category="penalty"),
                "decision_date": today,
            })
        due = self._calendar()._due_iso("simple_filing", self.decision_date or today)
        self._as_step().write({"simple_filing_due": iso_to_utc_naive(due), "state": "decided"})
        return due

    def _complete_simple_service(self, task, values):
        """The decision is handed to the party on the spot (art. 52); a refusal
        to sign is noted; the fine is collected there only where art. 68 or 69
        allows it, with a receipt, else it is paid at a bank within 15 days."""
        signature = values.get("party_signature")
        if signature not in ("signed", "refused"):
            raise UserError(self.env._("Note whether the party signed the decision or refused to sign."))
        note = (values.get("signature_refusal_note") or "").strip()
        if signature == "refused" and not note:
            raise UserError(self.env._(
                "Note the refusal to sign: when and how the decision was handed over, and any witness."))
        served = fields.Datetime.to_datetime(values.get("served_at")) if values.get("served_at") \
            else fields.Datetime.now()
        if served > fields.Datetime.now() + timedelta(minutes=5):
            raise UserError(self.env._("The decision cannot be served in the future."))
        if self.decision_date and china_day(served) < self.decision_date:
            raise UserError(self.env._("The decision cannot be served before it was made."))
        ground = values.get("collection_ground") or "bank"
        vals = {"served_at": served, "service_method": "direct", "party_signature": signature,
                "signature_refusal_note": note or False, "collection_ground": ground, "state": "served"}
        collected = ground != "bank"
        if collected:
            problems = onsite_collection_problems(to_decimal(self.fine_amount), ground,
                                                  party_asked=bool(values.get("party_asked_collection")),
                                                  limits=self._simple_limits())
            if problems:
                raise UserError(self.env._(
                    "The fine cannot be collected on the spot: %(reasons)s. The party pays it at a bank within "
                    "15 days.", reasons=self.env["enforcement.rule.reason"]._texts(problems)))
            receipt = (values.get("receipt_number") or "").strip()
            if not receipt:
                raise UserError(self.env._(
                    "Enter the number of the receipt given to the party for the fine collected (art. 70)."))
            vals.update({"paid_at": served, "paid_amount": self.fine_amount, "payment_reference": receipt})
        self._as_step().write(vals)
        return {"collected_on_spot": collected}

    def _complete_simple_filing(self, task, values):
        """The on-the-spot decision is filed with the officer's agency (备案, art. 52)."""
        self._as_step().write({"simple_filed_at": fields.Datetime.now(), "simple_filed_by_id": self.env.uid})
        return {}

    def _task_defaults(self, step_code):
        defaults = super()._task_defaults(step_code)
        if step_code == "simple_onsite":
            defaults.update({"simple_facts": self.facts, "served_at": False})
        if step_code == "simple_service":
            defaults.update({"served_at": fields.Datetime.now(), "collection_ground": "bank"})
        return defaults

    def action_print_simple_decision(self):
        self.ensure_one()
        if not self.decision_number:
            raise UserError(self.env._("Case %(case)s has no on-the-spot decision yet.", case=self.display_name))
        return self.env.ref("admin_enforcement.report_simple_decision").report_action(self)
