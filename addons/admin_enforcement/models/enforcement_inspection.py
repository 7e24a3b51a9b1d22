from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..enforcement_core.china_clock import china_day, china_today
from ..enforcement_core.deadlines import end_of_day_iso
from ..services.process_steps import Actor
from .enforcement_case import iso_to_utc_naive

INSPECTION_START_MESSAGE = "enforcement.inspection_opened"
INSPECTION_PROCESS = "enforcement_inspection"
# 检查结果信息 within 20 working days of the inspection (国办发〔2019〕5号 and
# the market regulator's rules on 双随机、一公开).
RESULT_PUBLICATION_WORKING_DAYS = 20
INSPECTION_STATES = [
    ("draft", "Draft"),
    ("open", "To Inspect"),
    ("rectifying", "Ordered to Correct"),
    ("transferred", "Transferred to a Penalty Case"),
    ("done", "Result Recorded"),
    ("published", "Result Published"),
]
RESULTS = [
    ("no_problem", "No Problem Found"),
    ("correct", "Problem Found: Ordered to Correct"),
    ("violation", "Suspected Violation: Transfer to a Penalty Case"),
]
INSPECTION_PROCESS_FIELDS = frozenset({
    "state", "notice_shown", "certificate_shown", "inspection_record", "inspected_at", "result", "findings",
    "rectify_due", "followup_result", "followup_note", "case_id", "publish_due", "result_published_at",
    "process_instance_key", "plan_id", "draw_index", "inspector_ids", "party_id",
})
#: Of those, what is chosen for an inspection that is not drawn, until it starts.
CHOSEN_BEFORE_START = frozenset({"party_id", "inspector_ids"})


class EnforcementInspection(models.Model):
    """One administrative inspection (行政检查) of one party by its
    inspectors: drawn by a plan (双随机), or opened for a complaint, a report
    or a referral (投诉举报、转办). Its process ``enforcement_inspection``:
    the on-site inspection with its record (notice and certificates shown,
    检查记录/现场笔录), the result (no problem; ordered to correct with a
    deadline and a follow-up check; suspected violation, transferred to a
    penalty case with the party, facts and evidence), and the result
    published within 20 working days.

    Rights: officers of the agency read inspections; the inspection's own
    inspectors, certified for its category and area at the moment of acting,
    do its steps; a leader publishes the result. State and results are
    written by the steps only (``INSPECTION_PROCESS_FIELDS``).
    """

    _name = "enforcement.inspection"
    _description = "Administrative Inspection"
    _inherit = ["mail.thread", "enforcement.task.subject", "enforcement.process.state"]
    _order = "id desc"
    _process_fields = INSPECTION_PROCESS_FIELDS - CHOSEN_BEFORE_START

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/", index=True)
    plan_id = fields.Many2one("enforcement.inspection.plan", readonly=True, index=True, ondelete="restrict")
    draw_index = fields.Integer(string="Draw Position", readonly=True)
    source = fields.Selection(
        [("random", "Random Draw"), ("complaint", "Complaint or Report"), ("referral", "Referral"),
         ("other", "Other")], required=True, default="complaint", tracking=True)
    source_note = fields.Text(string="Complaint, Report or Referral")
    party_id = fields.Many2one("enforcement.inspection.party", required=True, index=True,
                               ondelete="restrict", tracking=True)
    party_name = fields.Char(related="party_id.name", string="Party Name")
    agency_id = fields.Many2one("enforcement.agency", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    category_id = fields.Many2one("enforcement.category", string="Enforcement Category", required=True)
    area_id = fields.Many2one(related="party_id.area_id", string="Area")
    inspector_ids = fields.Many2many("enforcement.officer", "enforcement_inspection_officer_rel", "inspection_id",
                                     "officer_id", string="Inspectors", tracking=True)
    state = fields.Selection(INSPECTION_STATES, default="draft", required=True, readonly=True, tracking=True,
                             index=True)
    notice_shown = fields.Boolean(string="Inspection Notice Shown", readonly=True)
    certificate_shown = fields.Boolean(string="Certificates Shown", readonly=True)
    inspection_record = fields.Text(readonly=True)
    inspected_at = fields.Datetime(readonly=True)
    result = fields.Selection(RESULTS, readonly=True, tracking=True)
    findings = fields.Text(readonly=True)
    rectify_due = fields.Date(string="Correct By", readonly=True)
    followup_result = fields.Selection([("corrected", "Corrected"), ("not_corrected", "Not Corrected")],
                                       readonly=True)
    followup_note = fields.Text(readonly=True)
    case_id = fields.Many2one("enforcement.case", string="Penalty Case", readonly=True, index=True)
    publish_due = fields.Datetime(string="Publish Result By", readonly=True)
    result_published_at = fields.Datetime(readonly=True)
    process_instance_key = fields.Char(readonly=True)

    _sql_constraints = [("plan_position_unique", "unique(plan_id, draw_index)",
                         "A plan opens one inspection per draw position.")]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("source") == "random":  # only a plan's draw opens one
                    self._refuse_process_fields({"plan_id"})
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("enforcement.inspection")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and any(inspection.state != "draft" for inspection in self):
            self._refuse_process_fields(set(vals), CHOSEN_BEFORE_START | {"source", "agency_id", "category_id"})
        return super().write(vals)

    # ----- an inspection not drawn: complaint, report, referral -----

    def action_start(self):
        """Start the inspection of a complaint, report or referral (the same
        record and result path as a drawn one)."""
        for inspection in self:
            if inspection.state != "draft" or inspection.plan_id:
                raise UserError(self.env._("Inspection %(name)s has already started.", name=inspection.name))
            inspection.check_access("write")
            if len(inspection.inspector_ids) < 2:
                raise UserError(self.env._("An inspection needs at least two inspectors."))
            for officer in inspection.inspector_ids:
                inspection._check_inspector(officer.user_id)
            inspection.sudo().state = "open"
            self.env["enforcement.outbox"]._enqueue_message(
                INSPECTION_START_MESSAGE, business_key=inspection.name,
                variables={"inspection_id": inspection.id}, message_id=f"inspection_opened:{inspection.name}",
                starts=INSPECTION_PROCESS)
        return True

    # ----- task subject -----

    @api.model
    def _task_subject_from_variables(self, variables):
        if isinstance(variables.get("inspection_id"), int):
            return self.browse(variables["inspection_id"]).exists()
        return self._drawn(variables.get("plan_id"), variables.get("inspection_index"))

    @api.model
    def _drawn(self, plan_id, index):
        """The inspection opened for draw position ``index`` of plan ``plan_id``."""
        if not isinstance(plan_id, int) or not isinstance(index, int):
            return self.browse()
        return self.search([("plan_id", "=", plan_id), ("draw_index", "=", index)], limit=1)

    def _task_defaults(self, step_code):
        return {"inspection_id": self.id}

    def _inspector_problems(self, user):
        self.ensure_one()
        inspection = self.sudo()
        officer = inspection.inspector_ids.filtered(lambda o: o.user_id == user)[:1]
        if not officer:
            return [self.env._("%(user)s is not an inspector of %(inspection)s.", user=user.name,
                               inspection=inspection.name)]
        reason = self.env["enforcement.rule.reason"]
        return [reason._text(r) for r in officer._eligibility_reasons(
            inspection.category_id.code, inspection.area_id.code, china_today())[officer.id]]

    def _check_inspector(self, user):
        problems = self._inspector_problems(user)
        if problems:
            raise AccessError(self.env._("%(user)s may not inspect %(inspection)s (持证上岗): %(reasons)s",
                                         user=user.name, inspection=self.name, reasons="；".join(problems)))

    def _check_step_actor(self, step, user, task):
        self.ensure_one()
        if step.actor is Actor.INSPECTOR:
            self._check_inspector(user)
        elif not user.has_group("admin_enforcement.group_enforcement_leader") or \
                self.sudo().company_id not in user.company_ids:
            raise AccessError(self.env._(
                "%(user)s may not publish the result of %(inspection)s: only a leader of %(agency)s can.",
                user=user.name, inspection=self.name, agency=self.sudo().agency_id.name))

    # ----- steps -----

    def _open_in_process(self, process_instance_id):
        self.ensure_one()
        if self.state not in ("draft", "open"):
            return self
        self.sudo().write({"state": "open", "process_instance_key": process_instance_id})
        return self

    def _complete_inspection_onsite(self, task, values):
        if self.state != "open":
            raise UserError(self.env._("Inspection %(name)s is not waiting for its on-site inspection.",
                                       name=self.name))
        if not values.get("inspection_notice_shown") or not values.get("inspection_certificate_shown"):
            raise UserError(self.env._("Show the inspection notice and your enforcement certificates to the "
                                       "party before the inspection, and record that you did."))
        record = (values.get("inspection_record") or "").strip()
        result = values.get("inspection_result")
        if not record or not result:
            raise UserError(self.env._("Write the inspection record and choose the result."))
        rectify_due = values.get("inspection_rectify_due")
        if result == "correct" and not rectify_due:
            raise UserError(self.env._("Give the date by which the party must correct the problem."))
        if result in ("correct", "violation") and not (values.get("inspection_findings") or "").strip():
            raise UserError(self.env._("Describe the problem found."))
        inspected_at = fields.Datetime.now()
        # The notice and certificates shown and the 现场笔录 are full-process records of the inspection.
        self._record_onsite(record, inspected_at)
        self.sudo().write({
            "notice_shown": True, "certificate_shown": True, "inspection_record": record, "result": result,
            "findings": values.get("inspection_findings") or False, "inspected_at": inspected_at,
            "rectify_due": rectify_due if result == "correct" else False,
            "state": {"correct": "rectifying", "violation": "open"}.get(result, "done"),
        })
        variables = {"inspection_result": result}
        if result == "correct":
            variables["rectify_due"] = end_of_day_iso(fields.Date.to_date(rectify_due))
        return variables

    def _complete_inspection_followup(self, task, values):
        if self.state != "rectifying":
            raise UserError(self.env._("Inspection %(name)s has no correction to check.", name=self.name))
        outcome = values.get("inspection_followup_result")
        if not outcome:
            raise UserError(self.env._("Record whether the problem was corrected."))
        self.sudo().write({"followup_result": outcome, "followup_note": values.get("inspection_followup_note"),
                           "state": "done" if outcome == "corrected" else "open"})
        return {"inspection_corrected": outcome == "corrected"}

    def _transfer_to_case(self):
        """A suspected violation becomes a penalty case, with the party, the
        facts and the inspection's record; creating it starts its procedure."""
        self.ensure_one()
        if self.case_id:
            return self.case_id
        inspection = self.sudo()
        party = inspection.party_id
        case = self.env["enforcement.case"].sudo().create({
            "title": self.env._("%(party)s: suspected violation found by inspection %(inspection)s",
                                party=party.name, inspection=inspection.name),
            "agency_id": inspection.agency_id.id, "category_id": inspection.category_id.id,
            "area_id": party.area_id.id, "party_name": party.name, "party_type": party.party_type,
            "facts": "\n".join(filter(None, [inspection.findings, inspection.followup_note])),
            "evidence_summary": self.env._("Inspection record of %(inspection)s:\n%(record)s",
                                           inspection=inspection.name, record=inspection.inspection_record or ""),
            "officer_ids": [fields.Command.set(inspection.inspector_ids.ids)],
            "inspection_id": inspection.id,
        })
        inspection.write({"case_id": case.id, "state": "transferred"})
        return case

    def _compute_publish_due_iso(self):
        self.ensure_one()
        start = china_day(self.inspected_at or fields.Datetime.now())
        due = self.env["enforcement.calendar"]._add_working_days(start, RESULT_PUBLICATION_WORKING_DAYS)
        due_iso = end_of_day_iso(due)
        self.sudo().publish_due = iso_to_utc_naive(due_iso)
        return due_iso

    def _complete_inspection_result_publication(self, task, values):
        if not self.result or self.result_published_at:
            raise UserError(self.env._("Inspection %(name)s has no result to publish.", name=self.name))
        self.sudo().write({"result_published_at": fields.Datetime.now(),
                           "state": "transferred" if self.case_id else "published"})
        return {}


class EnforcementCase(models.Model):
    _inherit = "enforcement.case"

    inspection_id = fields.Many2one("enforcement.inspection", string="From Inspection", readonly=True, index=True,
                                    help="The inspection whose suspected violation was transferred to this case.")

    def write(self, vals):
        if "inspection_id" in vals and not self.env.su:
            raise AccessError(self.env._("A case's inspection is set when the inspection transfers it."))
        return super().write(vals)
