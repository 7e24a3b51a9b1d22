from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..enforcement_core.china_clock import china_clock_text, china_day, china_today
from ..enforcement_core.deadlines import end_of_day_iso, resolve_rule
from ..enforcement_core.seizure import (
    MAX_EXTENSION_DAYS,
    InspectionPause,
    SeizurePeriodError,
    approval_due_iso,
    extension_prompt_date,
    parse_duration,
    seizure_end,
    start_of_day_iso,
)
from .enforcement_case import iso_to_utc_naive

START_MESSAGE = "enforcement.seizure_started"
PERIOD_CHANGED_MESSAGE = "enforcement.seizure_period_changed"
ENDED_MESSAGE = "enforcement.seizure_ended"
PROCESS_DEFINITION = "enforcement_coercive_seizure"
MESSAGE_TTL_MS = 24 * 3600 * 1000
# Configurable (Settings > Technical > System Parameters): how long an
# emergency measure may wait for the agency head's approval (art. 19: 24
# hours), and how many days before the end the leader is asked to extend.
APPROVAL_WINDOW_PARAM = "admin_enforcement.seizure_emergency_approval_window"
APPROVAL_WINDOW_DEFAULT = "PT24H"
EXTENSION_LEAD_PARAM = "admin_enforcement.seizure_extension_lead_days"
EXTENSION_LEAD_DEFAULT = 5

SEIZURE_STATES = [
    ("draft", "Draft"),
    ("approval", "Awaiting Approval"),
    ("on_site", "On Site"),
    ("holding", "Seized"),
    ("testing", "Testing (Period Paused)"),
    ("releasing", "Released: Return the Items"),
    ("released", "Released"),
    ("confiscated", "Confiscated"),
    ("not_approved", "Not Approved"),
]
OPEN_STATES = ("approval", "on_site", "holding", "testing")

# Written only by the measure's steps (server code, through sudo() after the
# step's checks); a client's write of one of them is refused.
PROCESS_FIELDS = frozenset({
    "state", "started_by_id", "started_at", "approval_due", "approved", "approved_by_id", "approved_at",
    "approval_comment", "party_present", "witness", "rights_told", "statement", "onsite_record", "record_signed",
    "handed_over_at", "measure_date", "extension_days", "extension_decided", "extension_reason", "end_date",
    "end_requested", "release_reason", "released_at", "return_record", "period_change_count",
    "process_instance_key",
})
# What the officer sets before starting the measure; fixed once it has started.
FROZEN_AFTER_START = frozenset({"case_id", "kind", "emergency", "reason", "legal_basis", "place"})


class EnforcementSeizure(models.Model):
    """A seizure (查封) or detention (扣押) of a party's property in a case
    (行政强制法 arts. 18–28), run by the ``enforcement_coercive_seizure``
    process: the agency head approves before the measure, or in an emergency
    within 24 hours after it (a refusal or no approval releases at once);
    two or more certified officers notify the party, tell the reasons, basis
    and rights, hear the statement, make the on-site record and the list of
    items and hand over the decision, each a step filmed throughout (the
    audio/video gate). It lasts 30 days, extended once by up to 30 days with
    approval; testing time does not count; it ends by release (items
    returned, with a record) or by confiscation in the case's decision.

    Rights: officers of the case's agency prepare and start measures and do
    the on-site steps (持证上岗, on the case's team); leaders approve, extend,
    release and confiscate; supervisors read every agency's measures.
    """

    _name = "enforcement.seizure"
    _description = "Seizure or Detention"
    _inherit = ["mail.thread", "enforcement.process.state"]
    _order = "id desc"
    _process_fields = PROCESS_FIELDS

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, index=True,
                       default=lambda self: self.env._("New"))
    case_id = fields.Many2one("enforcement.case", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    party_name = fields.Char(related="case_id.party_name", string="Party")
    kind = fields.Selection([("seizure", "Seizure (查封)"), ("detention", "Detention (扣押)")], required=True,
                            default="detention")
    emergency = fields.Boolean(
        string="Emergency: Act First",
        help="The measure is taken on the spot and the agency head is reported to and approves within 24 hours "
             "(行政强制法 art. 19); otherwise the head approves before the measure (art. 18).")
    reason = fields.Text(string="Reasons", help="Why the measure is needed.")
    legal_basis = fields.Text()
    place = fields.Char(string="Place of the Measure")
    state = fields.Selection(SEIZURE_STATES, default="draft", required=True, readonly=True, index=True,
                             tracking=True)
    started_by_id = fields.Many2one("res.users", readonly=True)
    started_at = fields.Datetime(readonly=True)
    approval_due = fields.Datetime(string="Approve By", readonly=True,
                                   help="An emergency measure is released if not approved by then.")
    approved = fields.Boolean(readonly=True, tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approved_at = fields.Datetime(readonly=True)
    approval_comment = fields.Text(string="Opinion of the Agency Head", readonly=True)
    party_present = fields.Boolean(readonly=True)
    witness = fields.Char(readonly=True,
                          help="Invited when the party does not come or refuses to sign (art. 18).")
    rights_told = fields.Text(string="Reasons, Basis and Rights Told", readonly=True)
    statement = fields.Text(string="Statement and Defence of the Party", readonly=True)
    onsite_record = fields.Text(string="On-site Record", readonly=True)
    record_signed = fields.Boolean(string="Record and List Signed", readonly=True)
    handed_over_at = fields.Datetime(string="Decision and List Handed Over", readonly=True)
    measure_date = fields.Date(string="Measure Taken On", readonly=True)
    extension_days = fields.Integer(readonly=True)
    extension_decided = fields.Boolean(readonly=True)
    extension_reason = fields.Text(readonly=True)
    end_date = fields.Date(string="Ends On", readonly=True, tracking=True,
                           help="30 days from the measure, plus the extension and the testing days.")
    end_requested = fields.Selection([("release", "Release"), ("confiscate", "Confiscate")], readonly=True)
    release_reason = fields.Text(readonly=True)
    released_at = fields.Datetime(readonly=True)
    return_record = fields.Text(readonly=True)
    period_change_count = fields.Integer(readonly=True)
    process_instance_key = fields.Char(readonly=True)
    item_ids = fields.One2many("enforcement.seizure.item", "seizure_id", string="Seized Items")
    pause_ids = fields.One2many("enforcement.seizure.pause", "seizure_id", string="Testing Periods", readonly=True)

    # ----- creation and protected fields -----

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New") and vals.get("case_id"):
                case = self.env["enforcement.case"].browse(vals["case_id"])
                count = self.sudo().with_context(active_test=False).search_count([("case_id", "=", case.id)])
                vals["name"] = f"{case.sudo().name}-QZ{count + 1:02d}"
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            frozen = sorted(FROZEN_AFTER_START & set(vals))
            if frozen and self.filtered(lambda s: s.state != "draft"):
                raise UserError(self.env._(
                    "%(fields)s of a measure that has started cannot change.",
                    fields=", ".join(self._fields[name]._description_string(self.env) for name in frozen)))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda s: s.state != "draft"):
            raise UserError(self.env._("A measure that has started stays on record."))

    def _history(self):
        """The measure in its agency's language, for texts written into its history."""
        return self.with_context(lang=self.case_id._agency_lang())

    def _message_track(self, fields_iter, initial_values_dict):
        # Tracking values keep the selection labels as text: written in the
        # agency's language, whoever (or whichever job) made the change.
        seizures = self.with_context(lang=self[:1].case_id._agency_lang()) if self else self
        return super(EnforcementSeizure, seizures)._message_track(fields_iter, initial_values_dict)

    def _log(self, body):
        for seizure in self:
            seizure._history().sudo()._message_log(body=body)
            seizure.case_id._with_agency_lang().sudo()._message_log(body=body)

    # ----- who acts -----

    def _check_officer(self):
        """持证上岗: the user is a certified officer on the case's team, and the
        team has at least two officers who may act (art. 18 (一))."""
        for seizure in self:
            case = seizure.case_id.sudo()
            case._check_acting_officer(self.env.user)
            case._ensure_team_valid()

    def _check_leader(self):
        for seizure in self:
            seizure.case_id.sudo()._check_acting_leader(self.env.user)

    def _require_state(self, allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for seizure in self:
            if seizure.state not in allowed:
                raise UserError(self.env._("%(seizure)s is %(state)s: this cannot be done now.",
                                           seizure=seizure.name, state=labels[seizure.state]))

    # ----- configuration -----

    @api.model
    def _approval_window(self):
        value = self.env["ir.config_parameter"].sudo().get_param(APPROVAL_WINDOW_PARAM) or APPROVAL_WINDOW_DEFAULT
        try:
            parse_duration(value)
        except SeizurePeriodError as err:
            raise UserError(self.env._(
                "System parameter %(param)s must be an ISO-8601 duration such as PT24H, not %(value)s.",
                param=APPROVAL_WINDOW_PARAM, value=value)) from err
        return value

    @api.model
    def _extension_lead_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(EXTENSION_LEAD_PARAM)
        try:
            return max(int(value), 0) if value not in (None, False, "") else EXTENSION_LEAD_DEFAULT
        except ValueError as err:
            raise UserError(self.env._("System parameter %(param)s must be a number of days, not %(value)s.",
                                       param=EXTENSION_LEAD_PARAM, value=value)) from err

    def _duration_days(self):
        overrides = self.env["enforcement.calendar"]._period_overrides()
        return resolve_rule("seizure", overrides).amount

    # ----- what officers and leaders do -----

    def action_start(self):
        """Start the measure's process through the outbox (sent after commit)."""
        self._require_state({"draft"})
        self._check_officer()
        for seizure in self:
            case = seizure.case_id.sudo()
            if case.state in ("not_filed", "closed", "archived"):
                raise UserError(self.env._("Case %(case)s is closed: no measure can be taken in it.",
                                           case=case.display_name))
            missing = [self._fields[name]._description_string(self.env)
                       for name in ("reason", "legal_basis", "place") if not (seizure[name] or "").strip()]
            if missing:
                raise UserError(self.env._("Enter the %(missing)s of %(seizure)s before starting it.",
                                           missing="、".join(missing), seizure=seizure.name))
            now = datetime.now(timezone.utc).replace(microsecond=0)
            due = approval_due_iso(now, self._approval_window())
            seizure._as_step().write({
                "state": "on_site" if seizure.emergency else "approval", "started_by_id": self.env.uid,
                "started_at": now.replace(tzinfo=None), "approval_due": iso_to_utc_naive(due),
            })
            self.env["enforcement.outbox"]._enqueue_message(
                START_MESSAGE, business_key=seizure.name,
                variables={"case_id": case.id, "seizure_id": seizure.id, "emergency": bool(seizure.emergency),
                           "approval_due": due},
                message_id=f"seizure_started:{seizure.name}", case=case, starts=PROCESS_DEFINITION)
            seizure._log(seizure._history().env._("Seizure or detention %(seizure)s started.", seizure=seizure.name))
        return True

    def action_pause_testing(self, start=None, note=None):
        """The items are sent for testing, examination, quarantine or appraisal:
        the period stops until the result comes back (art. 25 para. 3)."""
        self._require_state({"holding"})
        self._check_officer()
        for seizure in self:
            day = fields.Date.to_date(start) if start else china_today()
            if day > china_today():
                raise UserError(self.env._("Testing cannot start in the future."))
            self.env["enforcement.seizure.pause"].sudo().create({
                "seizure_id": seizure.id, "date_start": day, "note": note or False})
            seizure._check_pauses()
            seizure._as_step().state = "testing"
            seizure._period_changed()
        return True

    def action_resume_testing(self, end=None):
        """The testing result is back: the period runs again, its end moved by the testing days."""
        self._require_state({"testing"})
        self._check_officer()
        for seizure in self:
            day = fields.Date.to_date(end) if end else china_today()
            if day > china_today():
                raise UserError(self.env._("Testing cannot end in the future."))
            open_pause = seizure.pause_ids.filtered(lambda p: not p.date_end)
            open_pause.sudo().date_end = day
            seizure._check_pauses()
            seizure._as_step().state = "holding"
            seizure._period_changed()
        return True

    def action_release(self, reason=None):
        """The agency decides to release (解除, art. 28): the officers return the items."""
        self._require_state({"holding", "testing"})
        self._check_leader()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for releasing the measure."))
        for seizure in self:
            seizure._request_end("release", reason)
        return True

    def action_confiscate(self):
        """The case's penalty decision confiscates the items: the measure ends in confiscation."""
        self._require_state({"holding", "testing"})
        self._check_leader()
        for seizure in self:
            case = seizure.case_id.sudo()
            if not (case.decision_number and case.decision_kind == "penalty"):
                raise UserError(self.env._(
                    "Case %(case)s has no penalty decision: the items can only be confiscated by one.",
                    case=case.display_name))
            seizure._request_end("confiscate", False)
        return True

    def _request_end(self, outcome, reason):
        self.ensure_one()
        if self.end_requested:
            raise UserError(self.env._("The end of %(seizure)s was already decided.", seizure=self.name))
        self._as_step().write({"end_requested": outcome, "release_reason": reason or False})
        self.env["enforcement.outbox"]._enqueue_message(
            ENDED_MESSAGE, business_key=self.name, variables={"seizure_outcome": outcome},
            message_id=f"{self.name}:seizure_ended", case=self.case_id, ttl_ms=MESSAGE_TTL_MS)

    def _period_changed(self):
        """The engine computes the period again (its timers do not move by themselves)."""
        self.ensure_one()
        count = self.period_change_count + 1
        self._as_step().period_change_count = count
        self.env["enforcement.outbox"]._enqueue_message(
            PERIOD_CHANGED_MESSAGE, business_key=self.name, variables={},
            message_id=f"{self.name}:period_changed:{count}", case=self.case_id, ttl_ms=MESSAGE_TTL_MS)

    def _pauses(self):
        return [InspectionPause(p.date_start, p.date_end or None) for p in self.pause_ids.sorted("date_start")]

    def _check_pauses(self):
        for seizure in self:
            try:
                seizure._compute_end(china_today())
            except SeizurePeriodError as err:
                raise ValidationError(self.env._("The testing periods of %(seizure)s are not possible: %(error)s",
                                                 seizure=seizure.name, error=str(err))) from err

    def _compute_end(self, today):
        self.ensure_one()
        if not self.measure_date:
            return False
        return seizure_end(self.measure_date, self._duration_days(), self.extension_days, self._pauses(), today)

    # ----- steps driven by the process (job handlers, as superuser) -----

    def _compute_period(self):
        """The end of the measure and when to ask for the extension, for the engine's timers."""
        self.ensure_one()
        today = china_today()
        end = self._compute_end(today)
        if not end:
            raise UserError(self.env._("%(seizure)s has not been carried out yet.", seizure=self.name))
        self._as_step().end_date = end
        prompt = extension_prompt_date(end, self._extension_lead_days(), today)
        return {
            "seizure_end": end_of_day_iso(end),
            "extension_prompt_at": start_of_day_iso(prompt),
            "extension_open": not self.extension_decided,
            "seizure_paused": self.state == "testing",
        }

    def _release_by_process(self):
        """The process releases the measure: refused or missing approval, the
        period over, or the agency's decision. The officers then return the items."""
        self.ensure_one()
        if self.state in ("releasing", "released"):
            return self.release_reason
        env = self._history().env
        reason = self.release_reason
        if not reason:
            if self.emergency and not self.approved:
                reason = self.approval_comment and env._(
                    "The agency head did not approve the emergency measure: %(opinion)s",
                    opinion=self.approval_comment) or env._(
                    "No approval of the agency head within the time limit after the emergency measure.")
            else:
                reason = env._("The period of the measure is over.")
        self._as_step().write({"state": "releasing", "release_reason": reason})
        self._log(env._("%(seizure)s released: %(reason)s", seizure=self.name, reason=reason))
        return reason

    def _confiscate_by_process(self):
        self.ensure_one()
        if self.state != "confiscated":
            self.item_ids.sudo().write({"state": "confiscated"})
            self._as_step().state = "confiscated"
            env = self._history().env
            self._log(env._("%(seizure)s: items confiscated by the decision %(decision)s.", seizure=self.name,
                            decision=self.case_id.sudo().decision_number))

    # ----- steps completed by people (from enforcement.task) -----

    def _complete_approval(self, task, values, emergency):
        self.ensure_one()
        approved = bool(values.get("seizure_approved"))
        comment = (values.get("approval_comment") or "").strip()
        if not approved and not comment:
            raise UserError(self.env._("Give a reason when the measure is not approved."))
        if emergency:
            # Late, or already released by the window's timer (which may fire
            # before this task has left the task list): no approval any more.
            late = self.approval_due and fields.Datetime.now() > self.approval_due
            if late or self.state in ("releasing", "released"):
                raise UserError(self.env._(
                    "The time to approve %(seizure)s ended at %(due)s: it is released.", seizure=self.name,
                    due=china_clock_text(self.approval_due) if self.approval_due else "—"))
            state = self.state
        else:
            state = "on_site" if approved else "not_approved"
        self._as_step().write({
            "approved": approved, "approved_by_id": self.env.uid, "approved_at": fields.Datetime.now(),
            "approval_comment": comment or False, "state": state,
        })
        return {"seizure_approved": approved}

    def _complete_notify(self, task, values):
        self._check_officer()
        present = bool(values.get("seizure_party_present"))
        witness = (values.get("seizure_witness") or "").strip()
        if not present and not witness:
            raise UserError(self.env._("The party is not present: name the witness invited (art. 18)."))
        self._as_step().write({"party_present": present, "witness": witness or False})
        return {}

    def _complete_inform(self, task, values):
        self._check_officer()
        told = (values.get("seizure_rights_told") or "").strip()
        if not told:
            raise UserError(self.env._("Record the reasons, basis and rights told to the party."))
        self._as_step().rights_told = told
        return {}

    def _complete_statement(self, task, values):
        self._check_officer()
        statement = (values.get("seizure_statement") or "").strip()
        if not statement:
            raise UserError(self.env._("Record the party's statement and defence, or that the party made none."))
        self._as_step().statement = statement
        return {}

    def _complete_record(self, task, values):
        self._check_officer()
        record = (values.get("seizure_onsite_record") or "").strip()
        if not record:
            raise UserError(self.env._("Write the on-site record."))
        if not self.item_ids:
            raise UserError(self.env._("List the items seized or detained on %(seizure)s.", seizure=self.name))
        if not values.get("seizure_record_signed"):
            raise UserError(self.env._(
                "The on-site record and the list must be signed by the party and the officers; if the party "
                "refuses, note it and have the witness sign."))
        self._as_step().write({"onsite_record": record, "record_signed": True})
        return {}

    def _complete_handover(self, task, values):
        self._check_officer()
        handed = values.get("seizure_handed_over_at")
        if not handed:
            raise UserError(self.env._("Enter when the decision and the list were handed over."))
        handed = fields.Datetime.to_datetime(handed)
        if handed > fields.Datetime.now() + timedelta(minutes=5):
            raise UserError(self.env._("The decision cannot be handed over in the future."))
        self._as_step().write({"handed_over_at": handed, "measure_date": china_day(handed), "state": "holding"})
        return {}

    def _complete_extension(self, task, values):
        self.ensure_one()
        if self.extension_decided:
            raise UserError(self.env._("%(seizure)s may be extended only once.", seizure=self.name))
        approved = bool(values.get("seizure_extension_approved"))
        days = values.get("seizure_extension_days") or 0
        reason = (values.get("seizure_extension_reason") or "").strip()
        if approved:
            if not 1 <= days <= MAX_EXTENSION_DAYS:
                raise UserError(self.env._("An extension is 1 to %(max)s days (行政强制法 art. 25).",
                                           max=MAX_EXTENSION_DAYS))
            if not reason:
                raise UserError(self.env._("Give the reason for extending the measure."))
        self._as_step().write({"extension_decided": True, "extension_days": days if approved else 0,
                               "extension_reason": reason or False})
        if approved:
            env = self._history().env
            self._log(env._("%(seizure)s extended by %(days)s days: %(reason)s", seizure=self.name, days=days,
                            reason=reason))
        return {}

    def _complete_return(self, task, values):
        self._check_officer()
        record = (values.get("seizure_return_record") or "").strip()
        if not record:
            raise UserError(self.env._("Write the record of the items returned to the party."))
        self.item_ids.filtered(lambda item: item.state == "kept").sudo().write({"state": "returned"})
        self._as_step().write({"return_record": record, "released_at": fields.Datetime.now(), "state": "released"})
        return {}


class EnforcementSeizureItem(models.Model):
    """One item of the list (清单) of a seizure or detention, with where and how it is kept."""

    _name = "enforcement.seizure.item"
    _description = "Seized or Detained Item"
    _order = "seizure_id, sequence, id"
    _rec_name = "description"

    seizure_id = fields.Many2one("enforcement.seizure", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="seizure_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    description = fields.Char(required=True)
    quantity = fields.Float(required=True, default=1.0, digits=(16, 3))
    unit = fields.Char(required=True)
    custody_place = fields.Char(string="Place of Custody")
    custody_record = fields.Text()
    state = fields.Selection([("kept", "Kept"), ("returned", "Returned"), ("confiscated", "Confiscated")],
                             default="kept", required=True, readonly=True)

    _sql_constraints = [("quantity_positive", "CHECK(quantity > 0)", "The quantity of an item must be positive.")]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if "state" in vals:
                    raise AccessError(self.env._("The state of an item is set by the measure, not edited."))
        items = super().create(vals_list)
        items._check_list_open()
        return items

    def write(self, vals):
        if not self.env.su:
            if "state" in vals or "seizure_id" in vals:
                raise AccessError(self.env._("The state of an item is set by the measure, not edited."))
            listed = set(vals) - {"custody_place", "custody_record"}
            if listed:
                self._check_list_open()
            elif self.filtered(lambda item: item.seizure_id.state not in OPEN_STATES + ("draft",)):
                raise UserError(self.env._("The measure has ended: its items' custody cannot change."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open_list(self):
        self._check_list_open()

    def _check_list_open(self):
        """The list is made on site and signed: after that only custody is recorded."""
        if self.env.su:
            return
        for item in self:
            if item.seizure_id.state not in ("draft", "approval", "on_site") or item.seizure_id.record_signed:
                raise UserError(self.env._("The list of %(seizure)s is signed: items cannot be added, changed "
                                           "or removed.", seizure=item.seizure_id.name))


class EnforcementSeizurePause(models.Model):
    """Time the items spent in testing, examination, quarantine or appraisal: not part of the period."""

    _name = "enforcement.seizure.pause"
    _description = "Seizure Testing Period"
    _order = "seizure_id, date_start, id"

    seizure_id = fields.Many2one("enforcement.seizure", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    company_id = fields.Many2one(related="seizure_id.company_id", store=True, index=True)
    date_start = fields.Date(string="Testing From", required=True, readonly=True)
    date_end = fields.Date(string="Result On", readonly=True)
    note = fields.Char(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Testing periods are recorded with the buttons of the measure."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Testing periods are recorded with the buttons of the measure."))
        return super().write(vals)


class EnforcementProcessIncident(models.Model):
    """A seizure's process carries the measure's reference as its business
    key: its incidents belong to the measure's case."""

    _inherit = "enforcement.process.incident"

    @api.model
    def _import_one(self, vals):
        incident = super()._import_one(vals)
        if not incident.case_id and vals.get("business_key"):
            seizure = self.env["enforcement.seizure"].sudo().search([("name", "=", vals["business_key"])], limit=1)
            if seizure:
                incident.sudo().case_id = seizure.case_id
                incident._record_in_case_history()
        return incident
