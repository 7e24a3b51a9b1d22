from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..enforcement_core.numbering import format_number

START_MESSAGE = "enforcement.case_created"


class EnforcementCase(models.Model):
    """An enforcement case (案件). Its procedure runs as a BPMN process on
    Zeebe; Odoo holds the case data and the tasks people work on.

    Rights: officers create and handle cases of their agency; leaders approve;
    legal reviewers read; supervisors read every agency's cases.
    """

    _name = "enforcement.case"
    _description = "Enforcement Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

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
    party_name = fields.Char(string="Party", tracking=True)
    facts = fields.Text(string="Facts")
    filing_date = fields.Date(default=fields.Date.context_today, readonly=True)
    state = fields.Selection(
        [
            ("filing", "Filing"),
            ("filed", "Filed"),
            ("not_filed", "Not Filed"),
        ],
        default="filing", required=True, readonly=True, tracking=True, copy=False, index=True,
    )
    process_instance_key = fields.Char(readonly=True, copy=False, index=True)
    task_ids = fields.One2many("enforcement.task", "case_id", readonly=True)
    open_task_count = fields.Integer(compute="_compute_open_task_count")
    event_ids = fields.One2many("enforcement.process.event", "case_id", readonly=True)
    outbox_ids = fields.One2many("enforcement.outbox", "case_id", readonly=True)

    _sql_constraints = [
        ("name_unique", "unique(name)", "The case reference must be unique."),
        ("number_unique", "unique(company_id, number)", "The case number must be unique in its agency."),
    ]

    @api.depends("task_ids.state")
    def _compute_open_task_count(self):
        for case in self:
            case.open_task_count = len(case.task_ids.filtered(lambda t: t.state == "open"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("enforcement.case.reference")
        cases = super().create(vals_list)
        for case in cases:
            case._start_process()
        return cases

    def _start_process(self):
        """Start the case's procedure through the outbox: the message is sent
        only if this transaction commits, and its id makes a resend harmless."""
        self.ensure_one()
        self.env["enforcement.outbox"]._enqueue_message(
            START_MESSAGE,
            correlation_key=self.name,
            variables=self._process_start_variables(),
            message_id=f"case_created:{self.name}",
            case=self,
        )

    def _process_start_variables(self):
        return {
            "case_id": self.id,
            "case_ref": self.name,
            "filing_due": self._filing_due_iso(),
        }

    def _filing_due_iso(self):
        """Filing approval is expected within 7 working days of receipt."""
        return self.env["enforcement.calendar"]._due_iso("service", self.filing_date or date.today())

    # ----- steps driven by the process (called by job handlers) -----

    def _assign_number(self, category="penalty"):
        """Give the case its official number, once."""
        self.ensure_one()
        if self.number:
            return self.number
        year = (self.filing_date or date.today()).year
        seq = self.env["enforcement.case.number.counter"]._take_next(self.agency_id, category, year)
        self.number = format_number(
            self.agency_id.case_number_pattern,
            short=self.agency_id.short_name or "",
            year=year,
            seq=seq,
            category=category,
        )
        return self.number

    # ----- steps completed by people (called from enforcement.task) -----

    def _complete_filing_approval(self, task, values):
        approved = bool(values.get("filing_approved"))
        if not approved and not values.get("approval_comment"):
            raise UserError(self.env._("Give a reason when the case is not filed."))
        self.state = "filed" if approved else "not_filed"
        return {"filing_approved": approved, "approval_comment": values.get("approval_comment") or ""}

    def action_open_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("admin_enforcement.action_enforcement_task")
        action["domain"] = [("case_id", "=", self.id)]
        return action
