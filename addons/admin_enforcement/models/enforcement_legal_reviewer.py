from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..enforcement_core.china_clock import china_today


class EnforcementLegalReviewer(models.Model):
    """Legal reviewer (法制审核人员) of an agency.

    A reviewer appointed for the first time needs the national legal
    professional qualification (行政处罚法 art. 58): such a reviewer cannot be
    active without the certificate number and date.
    """

    _name = "enforcement.legal.reviewer"
    _description = "Legal Reviewer"
    _inherit = ["mail.thread"]
    _order = "agency_id, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True, ondelete="restrict", tracking=True,
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1),
    )
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", index=True, ondelete="restrict")
    employee_id = fields.Many2one("hr.employee", ondelete="restrict", check_company=True)
    kind = fields.Selection(
        [
            ("staff", "Staff Reviewer"),
            ("legal_adviser", "Legal Adviser"),
            ("public_lawyer", "Public Lawyer"),
        ],
        required=True, default="staff",
    )
    first_time = fields.Boolean(
        string="First-time Reviewer", default=True, tracking=True,
        help="Appointed to legal review for the first time (since 15 July 2021): "
        "needs the national legal professional qualification.",
    )
    qualification_number = fields.Char(
        string="Legal Professional Qualification No.", tracking=True,
        help="Number of the national legal professional qualification certificate (法律职业资格证书).",
    )
    qualification_date = fields.Date(tracking=True)
    appointed_on = fields.Date(default=lambda self: china_today())
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("inactive", "Inactive")],
        required=True, default="draft", tracking=True, copy=False, index=True,
    )

    _sql_constraints = [
        ("user_agency_unique", "unique(user_id, agency_id)", "A user can be only one legal reviewer of an agency."),
    ]

    def _check_can_activate(self):
        """Raise ValidationError for first-time reviewers without the qualification."""
        for reviewer in self:
            if reviewer.first_time and not (reviewer.qualification_number and reviewer.qualification_date):
                raise ValidationError(self.env._(
                    "%(name)s is a first-time legal reviewer and needs the national legal professional "
                    "qualification (number and date) before being activated.",
                    name=reviewer.name,
                ))

    @api.constrains("state", "first_time", "qualification_number", "qualification_date")
    def _constrains_qualification(self):
        self.filtered(lambda r: r.state == "active")._check_can_activate()

    def action_activate(self):
        wrong = self.filtered(lambda r: r.state == "active")
        if wrong:
            raise UserError(self.env._("%(names)s is already active.", names=", ".join(wrong.mapped("name"))))
        self._check_can_activate()
        self.write({"state": "active"})
        return True

    def action_deactivate(self):
        self.write({"state": "inactive"})
        return True
