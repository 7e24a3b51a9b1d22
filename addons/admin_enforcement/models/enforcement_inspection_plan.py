import hashlib
import json
from datetime import timedelta, timezone
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..enforcement_core import random_draw
from ..enforcement_core.china_clock import CHINA, china_clock_text, china_today

PLAN_START_MESSAGE = "enforcement.inspection_plan_submitted"
PLAN_PROCESS = "enforcement_inspection_random"
PLAN_STATES = [
    ("draft", "Draft"),
    ("submitted", "Awaiting Approval"),
    ("approved", "Approved"),
    ("published", "Published"),
    ("drawn", "Drawn"),
    ("closed", "Closed"),
    ("refused", "Not Approved"),
]
# Set by the plan's steps only (the private methods below, through sudo()).
PLAN_PROCESS_FIELDS = frozenset({
    "state", "approved_by_id", "approved_at", "approval_comment", "published_at", "party_snapshot",
    "inspector_snapshot", "snapshot_hash", "inspector_snapshot_hash", "public_value", "public_value_source", "public_value_at",
    "completion_rate", "closed_at", "process_instance_key", "submission_count",
})
# What publication freezes (with the snapshot and the draw time).
PLAN_SCOPE_FIELDS = frozenset({
    "title", "kind", "agency_id", "joint_agency_ids", "matter_ids", "category_id", "area_ids", "industry",
    "risk_grades", "ratio_percent", "inspectors_per_party", "date_start", "date_end", "draw_at",
})


def iso_utc(value):
    """A stored UTC datetime as the ISO-8601 text the draw publishes (with its offset)."""
    return value.replace(microsecond=0).isoformat() + "+00:00"


class EnforcementInspectionPlan(models.Model):
    """A random-inspection plan (双随机抽查计划) of an agency, or of several
    (部门联合抽查): the items inspected, the scope of the register it draws
    from, the ratio and the number of inspectors per party.

    Its procedure is the process ``enforcement_inspection_random``: a leader
    of the lead agency approves it, the system publishes it, which freezes
    the scope, the register snapshot (its hash) and the draw time; after the
    draw time a leader enters the public value (a number published by a
    public source after the plan, e.g. that day's lottery draw), the system
    draws on the server with ``enforcement_core.random_draw`` and opens one
    inspection per drawn party, and closes the plan with its completion rate.

    Rights: officers of the agency read plans and draft them; only the
    plan's steps move its state (``PLAN_PROCESS_FIELDS``); a published plan's
    scope cannot change.
    """

    _name = "enforcement.inspection.plan"
    _description = "Random Inspection Plan"
    _inherit = ["mail.thread", "enforcement.task.subject", "enforcement.process.state"]
    _order = "id desc"
    _process_fields = PLAN_PROCESS_FIELDS

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/", index=True)
    title = fields.Char(required=True, tracking=True)
    kind = fields.Selection([("annual", "Annual Plan"), ("adhoc", "Ad-hoc Plan")], required=True,
                            default="annual", tracking=True)
    agency_id = fields.Many2one("enforcement.agency", string="Lead Agency", required=True, index=True,
                                ondelete="restrict", tracking=True)
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    joint_agency_ids = fields.Many2many(
        "enforcement.agency", "enforcement_inspection_plan_joint_rel", "plan_id", "agency_id",
        string="Joint Agencies", help="部门联合抽查: the other agencies whose register and inspectors the plan draws from.")
    matter_ids = fields.Many2many(
        "enforcement.matter", "enforcement_inspection_plan_matter_rel", "plan_id", "matter_id",
        string="Inspection Items", domain="[('is_random_inspection', '=', True)]")
    category_id = fields.Many2one("enforcement.category", string="Enforcement Category", required=True,
                                  help="The inspectors' certificates must cover it.")
    area_ids = fields.Many2many("enforcement.area", "enforcement_inspection_plan_area_rel", "plan_id", "area_id",
                                string="Areas", help="Parties located in these areas; empty = every area.")
    industry = fields.Char(help="Industries of the parties (as in the register), separated by commas; empty = all.")
    risk_grades = fields.Char(help="Risk grades drawn from, e.g. C,D; empty = all.")
    ratio_percent = fields.Float(string="Ratio (%)", digits=(16, 2), required=True, default=5.0)
    inspectors_per_party = fields.Integer(required=True, default=2)
    date_start = fields.Date(string="Period From", required=True)
    date_end = fields.Date(string="Period To", required=True)
    draw_at = fields.Datetime(string="Draw Time", required=True,
                              help="Published with the plan; the draw runs after it, with a public value "
                                   "published after it.")
    state = fields.Selection(PLAN_STATES, default="draft", required=True, readonly=True, tracking=True, index=True)
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approved_at = fields.Datetime(readonly=True)
    approval_comment = fields.Text(readonly=True)
    published_at = fields.Datetime(readonly=True)
    party_snapshot = fields.Json(readonly=True, help="Register ids of the parties in scope, frozen at publication.")
    inspector_snapshot = fields.Json(readonly=True, help="Ids of the eligible inspectors, frozen at publication.")
    snapshot_hash = fields.Char(string="Register Snapshot Hash (Parties)", readonly=True,
                                help="SHA-256 of the register ids in scope (enforcement_core.random_draw.snapshot_hash).")
    inspector_snapshot_hash = fields.Char(string="Register Snapshot Hash (Inspectors)", readonly=True)
    party_count = fields.Integer(compute="_compute_counts", string="Parties in Scope")
    inspector_count = fields.Integer(compute="_compute_counts", string="Inspectors in Scope")
    public_value = fields.Char(readonly=True)
    public_value_source = fields.Char(readonly=True)
    public_value_at = fields.Datetime(string="Public Value Entered At", readonly=True)
    draw_ids = fields.One2many("enforcement.inspection.draw", "plan_id", readonly=True)
    inspection_ids = fields.One2many("enforcement.inspection", "plan_id", readonly=True)
    inspection_count = fields.Integer(compute="_compute_counts", string="Inspections")
    completion_rate = fields.Float(string="Completion Rate (%)", digits=(16, 1), readonly=True)
    closed_at = fields.Datetime(readonly=True)
    process_instance_key = fields.Char(readonly=True)
    submission_count = fields.Integer(readonly=True, copy=False)

    _sql_constraints = [
        ("ratio_range", "CHECK(ratio_percent > 0 AND ratio_percent <= 100)",
         "The ratio is a percentage above 0 and at most 100."),
        ("inspectors_min", "CHECK(inspectors_per_party >= 2)", "At least two inspectors inspect each party."),
    ]

    @api.depends("party_snapshot", "inspector_snapshot", "inspection_ids")
    def _compute_counts(self):
        for plan in self:
            plan.party_count = len(plan.party_snapshot or [])
            plan.inspector_count = len(plan.inspector_snapshot or [])
            plan.inspection_count = len(plan.inspection_ids)

    @api.constrains("date_start", "date_end")
    def _check_period(self):
        for plan in self:
            if plan.date_end < plan.date_start:
                raise ValidationError(self.env._("The plan's period ends before it starts."))

    # ----- gates -----

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("enforcement.inspection.plan")
        return super().create(vals_list)

    def write(self, vals):
        frozen = PLAN_SCOPE_FIELDS & set(vals)
        if frozen:
            for plan in self:
                if plan.state not in ("draft", "refused"):
                    raise UserError(self.env._(
                        "Plan %(plan)s is %(state)s: its scope, ratio and draw time are fixed and cannot change.",
                        plan=plan.name, state=dict(self._fields["state"]._description_selection(self.env))[
                            plan.state]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Plan %(plan)s has been submitted and stays on record.", plan=plan.name))

    # ----- scope: parties and inspectors -----

    def _agencies(self):
        self.ensure_one()
        return self.agency_id | self.joint_agency_ids

    def _parties_in_scope(self):
        self.ensure_one()
        domain = [("agency_id", "in", self._agencies().ids), ("active", "=", True)]
        if self.area_ids:
            domain.append(("area_id", "in", self.area_ids.ids))
        industries = [part.strip() for part in (self.industry or "").replace("，", ",").split(",") if part.strip()]
        if industries:
            domain.append(("industry", "in", industries))
        grades = [part.strip().upper() for part in (self.risk_grades or "").replace("，", ",").split(",")
                  if part.strip()]
        if grades:
            domain.append(("risk_grade", "in", grades))
        return self.env["enforcement.inspection.party"].sudo().search(domain, order="id")

    def _eligible_inspectors(self):
        """Officers of the plan's agencies whose certificate is valid today and
        covers the plan's category and every area in scope (持证上岗); a
        suspended or expired certificate drops out by itself."""
        self.ensure_one()
        Officer = self.env["enforcement.officer"].sudo()
        officers = None
        for area in self.area_ids or [None]:
            found = Officer._inspectors_eligible(self._agencies(), self.category_id, area)
            officers = found if officers is None else officers & found
        return officers.sorted("id")

    def _recusals(self, parties):
        """(inspector id, party id) pairs, as text, of the recusals in the register."""
        return frozenset((str(recusal.officer_id.id), str(recusal.party_id.id))
                         for recusal in parties.sudo().recusal_ids if recusal.active)

    def _check_drawable(self, parties, inspectors):
        """Too few parties or inspectors is an error, never a smaller draw."""
        self.ensure_one()
        if not parties:
            raise UserError(self.env._("Plan %(plan)s has no party of the register in its scope.", plan=self.name))
        need = self.inspectors_per_party
        if len(inspectors) < need:
            raise UserError(self.env._(
                "Plan %(plan)s needs %(need)s inspectors per party, but only %(count)s officers of the agencies "
                "hold a valid certificate for %(category)s in the plan's areas.",
                plan=self.name, need=need, count=len(inspectors), category=self.category_id.name))
        recusals = self._recusals(parties)
        for party in parties:
            free = [i for i in inspectors if (str(i.id), str(party.id)) not in recusals]
            if len(free) < need:
                raise UserError(self.env._(
                    "Plan %(plan)s needs %(need)s inspectors for %(party)s, but after recusals only %(count)s "
                    "are left.", plan=self.name, need=need, party=party.name, count=len(free)))

    # ----- transitions -----

    def action_submit(self):
        """Send the plan to a leader for approval (starts its procedure)."""
        for plan in self:
            if plan.state not in ("draft", "refused"):
                raise UserError(self.env._("Plan %(plan)s has already been submitted.", plan=plan.name))
            plan.check_access("write")
            plan._check_drawable(plan._parties_in_scope(), plan._eligible_inspectors())
            if plan.draw_at <= fields.Datetime.now():
                raise UserError(self.env._("The draw time of plan %(plan)s must be in the future: the plan is "
                                           "published before it.", plan=plan.name))
            plan.sudo().write({"state": "submitted", "submission_count": plan.submission_count + 1})
            plan._start_process()
        return True

    def _start_process(self):
        self.ensure_one()
        approval_due = self.env["enforcement.calendar"]._due_iso("service", china_today())
        self.env["enforcement.outbox"]._enqueue_message(
            PLAN_START_MESSAGE, business_key=self.name,
            variables={"plan_id": self.id, "approval_due": approval_due},
            message_id=f"inspection_plan_submitted:{self.name}:{self.submission_count}", starts=PLAN_PROCESS)

    def _check_step_actor(self, step, user, task):
        """Approval and the public value: a leader of the lead agency."""
        self.ensure_one()
        if not user.has_group("admin_enforcement.group_enforcement_leader") or \
                self.sudo().company_id not in user.company_ids:
            raise AccessError(self.env._(
                "%(user)s may not approve or act for plan %(plan)s: only a leader of %(agency)s can.",
                user=user.name, plan=self.name, agency=self.sudo().agency_id.name))

    def _task_defaults(self, step_code):
        return {"inspection_plan_id": self.id}

    def _complete_inspection_plan_approval(self, task, values):
        if self.state != "submitted":
            raise UserError(self.env._("Plan %(plan)s is not awaiting approval.", plan=self.name))
        approved = bool(values.get("plan_approved"))
        if not approved and not values.get("approval_comment"):
            raise UserError(self.env._("Give a reason when the plan is not approved."))
        self.sudo().write({
            "state": "approved" if approved else "refused", "approved_by_id": self.env.uid,
            "approved_at": fields.Datetime.now(), "approval_comment": values.get("approval_comment") or False,
        })
        return {"plan_approved": approved}

    def _publish(self):
        """Publish the approved plan: freeze the register snapshot and its
        hash with the draw time, before any public value exists."""
        self.ensure_one()
        if self.state != "approved":
            raise UserError(self.env._("Plan %(plan)s must be approved before it is published.", plan=self.name))
        parties, inspectors = self._parties_in_scope(), self._eligible_inspectors()
        self._check_drawable(parties, inspectors)
        now = fields.Datetime.now()
        draw_at = max(self.draw_at, now + timedelta(seconds=1))
        self.sudo().write({
            "state": "published", "published_at": now, "party_snapshot": parties.ids,
            "inspector_snapshot": inspectors.ids,
            # The core's register hashes, the ones the published draw document carries.
            "snapshot_hash": random_draw.snapshot_hash(str(pid) for pid in parties.ids),
            "inspector_snapshot_hash": random_draw.snapshot_hash(str(iid) for iid in inspectors.ids),
        })
        return draw_at.replace(tzinfo=timezone.utc).astimezone(CHINA).isoformat()

    def _complete_inspection_public_value(self, task, values):
        if self.state != "published":
            raise UserError(self.env._("Plan %(plan)s is not published: nothing is drawn before publication.",
                                       plan=self.name))
        if fields.Datetime.now() < self.draw_at:
            raise UserError(self.env._("The public value is entered after the published draw time %(time)s.",
                                       time=fields.Datetime.context_timestamp(self, self.draw_at)))
        value = (values.get("inspection_public_value") or "").strip()
        source = (values.get("inspection_public_value_source") or "").strip()
        if not value or not source:
            raise UserError(self.env._("Enter the public value and where it was published."))
        self.sudo().write({"public_value": value, "public_value_source": source,
                           "public_value_at": fields.Datetime.now()})
        return {}

    def _draw_inputs(self):
        self.ensure_one()
        parties = self.env["enforcement.inspection.party"].sudo().browse(self.party_snapshot or [])
        return random_draw.DrawInputs(
            plan_id=self.name, published_at=iso_utc(self.published_at), public_value=self.public_value,
            party_ids=tuple(str(pid) for pid in self.party_snapshot or []),
            inspector_ids=tuple(str(iid) for iid in self.inspector_snapshot or []),
            ratio=str(Decimal(str(self.ratio_percent)) / 100),
            inspectors_per_party=self.inspectors_per_party, recusals=self._recusals(parties),
        )

    def _draw(self):
        """Run the draw on the server: only a published plan with its public
        value; the inspections of the drawn parties are opened in draw order."""
        self.ensure_one()
        if self.state != "published" or not self.published_at:
            raise UserError(self.env._("Plan %(plan)s is not published: nothing is drawn before publication.",
                                       plan=self.name))
        if not self.public_value or not self.public_value_at or self.public_value_at < self.published_at:
            raise UserError(self.env._("Plan %(plan)s has no public value entered after its publication.",
                                       plan=self.name))
        inputs = self._draw_inputs()
        try:
            result = random_draw.draw(inputs)
        except random_draw.DrawError as err:
            raise UserError(self.env._("The draw of plan %(plan)s is not possible: %(reason)s",
                                       plan=self.name, reason=str(err))) from err
        draw = self.env["enforcement.inspection.draw"].sudo()._record(self, inputs, result)
        Inspection = self.env["enforcement.inspection"].sudo()
        for index, (party_id, inspector_ids) in enumerate(result.assignments):
            Inspection.create({
                "plan_id": self.id, "draw_index": index, "source": "random",
                "party_id": int(party_id), "agency_id": self.agency_id.id, "category_id": self.category_id.id,
                "inspector_ids": [fields.Command.set([int(i) for i in inspector_ids])],
            })
        self.sudo().state = "drawn"
        return draw

    def _close(self):
        self.ensure_one()
        if self.state != "drawn":
            raise UserError(self.env._("Plan %(plan)s has not been drawn.", plan=self.name))
        inspections = self.inspection_ids
        done = inspections.filtered(lambda i: i.state in ("published", "transferred") or i.result_published_at)
        rate = 100.0 * len(done) / len(inspections) if inspections else 0.0
        self.sudo().write({"state": "closed", "closed_at": fields.Datetime.now(), "completion_rate": rate})
        return rate

    # ----- public page -----

    def _public_document(self):
        """The published draw: inputs and result, what scripts/verify-draw takes."""
        self.ensure_one()
        draw = self.sudo().draw_ids[:1]
        return draw.document if draw else None

    def _public_values(self):
        self.ensure_one()
        plan = self.sudo()
        return {
            "name": plan.name, "title": plan.title, "agency": plan.agency_id.name,
            "joint_agencies": plan.joint_agency_ids.mapped("name"), "items": plan.matter_ids.mapped("name"),
            "ratio": plan.ratio_percent, "inspectors_per_party": plan.inspectors_per_party,
            "period": (plan.date_start, plan.date_end), "published_at": _beijing_text(plan.published_at),
            "draw_at": _beijing_text(plan.draw_at), "snapshot_hash": plan.snapshot_hash,
            "inspector_snapshot_hash": plan.inspector_snapshot_hash, "party_count": plan.party_count,
            "inspector_count": plan.inspector_count, "public_value": plan.public_value,
            "public_value_source": plan.public_value_source, "state": plan.state,
            "draw": plan.draw_ids[:1], "inspections": plan.inspection_ids.sorted("draw_index"),
        }

    @api.model
    def _public_plans(self):
        return self.sudo().search([("state", "in", ("published", "drawn", "closed"))])


class EnforcementInspectionDraw(models.Model):
    """A draw of an inspection plan as it was run: the published document
    (inputs and result, ``enforcement_core.random_draw``) and its hash.
    Append-only, and kept in the full-process record."""

    _name = "enforcement.inspection.draw"
    _description = "Random Inspection Draw"
    _order = "id desc"

    plan_id = fields.Many2one("enforcement.inspection.plan", required=True, readonly=True, index=True,
                              ondelete="restrict")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    drawn_at = fields.Datetime(required=True, readonly=True)
    document = fields.Json(required=True, readonly=True)
    document_hash = fields.Char(required=True, readonly=True)
    seed_hex = fields.Char(string="Seed", readonly=True)
    party_count = fields.Integer(string="Parties Drawn", readonly=True)

    _sql_constraints = [("plan_unique", "unique(plan_id)", "A plan is drawn once.")]

    @api.model
    def _record(self, plan, inputs, result):
        document = random_draw.draw_document(inputs, result)
        text = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        draw = self.sudo().create({
            "plan_id": plan.id, "drawn_at": fields.Datetime.now(), "document": document,
            "document_hash": hashlib.sha256(text.encode()).hexdigest(), "seed_hex": result.seed_hex,
            "party_count": result.party_count,
        })
        # A full-process record of the plan: the draw is the first link of the plan's hash chain.
        self.env["enforcement.chain.entry"]._append_records(draw)
        return draw

    def _chain_subject(self):
        return self.plan_id

    def _chain_content(self):
        """What the plan's chain holds of the draw: its stored hash, and the
        hash of the document as it is now, so a document changed in the
        database no longer matches, with or without its stored hash."""
        self.ensure_one()
        text = json.dumps(self.document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return {
            "type": "draw",
            "id": self.id,
            "plan": self.plan_id.name,
            "drawn_at": fields.Datetime.to_string(self.drawn_at),
            "document_hash": self.document_hash,
            "document_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "seed": self.seed_hex or "",
            "party_count": self.party_count,
        }

    def write(self, vals):  # append-only: never calls super  # pylint: disable=method-required-super
        raise AccessError(self.env._("A draw is kept as it was run; it cannot be changed."))

    def unlink(self):  # append-only: never calls super  # pylint: disable=method-required-super
        # pylint: disable-next=no-raise-unlink  # the refusal is the point
        raise AccessError(self.env._("A draw is kept as it was run; it cannot be deleted."))


def _beijing_text(value):
    """A stored UTC datetime as the public reads it: Beijing time, with the offset."""
    if not value:
        return ""
    return china_clock_text(value, "%Y-%m-%d %H:%M:%S (UTC+8)")
