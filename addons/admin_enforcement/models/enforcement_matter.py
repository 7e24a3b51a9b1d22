from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..enforcement_core.china_clock import china_today
from ..services.record_keeping import removing_the_addon

MATTER_CATEGORIES = [
    ("penalty", "Administrative Penalty"),
    ("licence", "Administrative Licence"),
    ("compulsion", "Administrative Compulsion"),
    ("levy", "Administrative Levy"),
    ("inspection", "Administrative Inspection"),
    ("adjudication", "Administrative Adjudication"),
    ("benefit", "Administrative Benefit"),
    ("confirmation", "Administrative Confirmation"),
    ("reward", "Administrative Reward"),
    ("other", "Other"),
]


class EnforcementMatter(models.Model):
    """Enforcement matter (执法事项) of an agency's list of powers (权责清单).

    Lists change with the law, so a matter is versioned: ``action_new_version``
    copies it as version + 1 and closes the old version. Cases keep the version
    they were opened under. Officers read, the bureau administrator edits, the
    supervisor reads all agencies.
    """

    _name = "enforcement.matter"
    _description = "Enforcement Matter"
    _inherit = ["mail.thread"]
    _order = "agency_id, category, code, version desc"
    _check_company_auto = True

    code = fields.Char(required=True, index=True, tracking=True)
    name = fields.Char(required=True, tracking=True)
    category = fields.Selection(MATTER_CATEGORIES, required=True, default="penalty", tracking=True, index=True)
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True, ondelete="restrict", tracking=True,
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1),
    )
    company_id = fields.Many2one(
        related="agency_id.company_id", store=True, index=True,
    )
    basis_line_ids = fields.One2many(
        "enforcement.matter.basis", "matter_id", string="Legal Basis", copy=True,
    )
    legal_basis_summary = fields.Text(compute="_compute_legal_basis_summary", string="Legal Basis (text)")
    implementing_unit = fields.Char(help="Internal unit that handles the matter (承办机构).")
    description = fields.Text()

    # Random inspection (双随机、一公开) item
    is_random_inspection = fields.Boolean(string="Random-Inspection Item", tracking=True)
    inspection_object = fields.Char()
    inspection_content = fields.Text()
    inspection_ratio = fields.Float(
        string="Inspection Ratio (%)", digits=(16, 2),
        help="Share of the inspected parties drawn for each plan, in percent.",
    )
    inspection_method = fields.Selection(
        [
            ("onsite", "On-site Inspection"),
            ("documents", "Document Review"),
            ("sampling", "Sampling Test"),
            ("online", "Online Monitoring"),
            ("mixed", "Mixed"),
        ],
    )
    inspection_frequency = fields.Selection(
        [
            ("yearly", "Once a Year"),
            ("half_yearly", "Twice a Year"),
            ("quarterly", "Quarterly"),
            ("monthly", "Monthly"),
            ("as_needed", "As Needed"),
        ],
    )

    # Versions
    version = fields.Integer(required=True, default=1, copy=False, tracking=True)
    effective_from = fields.Date(required=True, default=lambda self: china_today(), tracking=True)
    effective_to = fields.Date(copy=False, tracking=True)
    previous_version_id = fields.Many2one("enforcement.matter", copy=False, readonly=True, index=True)
    next_version_ids = fields.One2many("enforcement.matter", "previous_version_id", string="Next Versions")
    next_version_id = fields.Many2one(
        "enforcement.matter", compute="_compute_next_version_id",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("current", "In Force"), ("closed", "Abolished")],
        required=True, default="current", copy=False, tracking=True, index=True,
    )
    active = fields.Boolean(default=True)
    discretion_standard_ids = fields.One2many(
        "enforcement.discretion.standard", "matter_id", string="Discretion Standards",
    )

    _sql_constraints = [
        (
            "code_version_unique",
            "unique(agency_id, code, version)",
            "An agency cannot have two matters with the same code and version.",
        ),
        ("version_positive", "CHECK(version > 0)", "The version must be positive."),
        (
            "inspection_ratio_range",
            "CHECK(inspection_ratio >= 0 AND inspection_ratio <= 100)",
            "The inspection ratio is a percentage between 0 and 100.",
        ),
    ]

    @api.model
    def get_import_templates(self):
        return [{
            "label": self.env._("Import Template for Enforcement Matters"),
            "template": "/admin_enforcement/static/templates/enforcement_matters.csv",
        }, {
            # Generated from the CSV by scripts/make_import_templates.py.
            "label": self.env._("Import Template for Enforcement Matters (Excel)"),
            "template": "/admin_enforcement/static/templates/enforcement_matters.xlsx",
        }]

    @api.depends("code", "name", "version")
    def _compute_display_name(self):
        for matter in self:
            label = f"[{matter.code}] {matter.name}" if matter.code else (matter.name or "")
            if matter.version and matter.version > 1:
                label += f" (v{matter.version})"
            matter.display_name = label

    @api.depends("basis_line_ids.law", "basis_line_ids.article")
    def _compute_legal_basis_summary(self):
        for matter in self:
            matter.legal_basis_summary = "\n".join(
                line.display_name for line in matter.basis_line_ids
            )

    @api.depends("next_version_ids")
    def _compute_next_version_id(self):
        for matter in self:
            matter.next_version_id = matter.with_context(active_test=False).next_version_ids[:1]

    def _check_effective_dates(self):
        for matter in self:
            if matter.effective_to and matter.effective_to < matter.effective_from:
                raise ValidationError(self.env._(
                    "The matter %(name)s cannot end (%(to)s) before it takes effect (%(from_)s).",
                    name=matter.display_name, to=matter.effective_to, from_=matter.effective_from,
                ))

    @api.constrains("effective_from", "effective_to")
    def _constrains_effective_dates(self):
        self._check_effective_dates()

    @api.constrains("is_random_inspection", "inspection_ratio")
    def _check_random_inspection(self):
        for matter in self:
            if matter.is_random_inspection and not matter.inspection_ratio:
                raise ValidationError(self.env._(
                    "The random-inspection item %(name)s needs an inspection ratio.",
                    name=matter.display_name,
                ))

    def is_effective_on(self, day):
        """Whether the matter is in force on ``day``."""
        self.ensure_one()
        return (
            self.state == "current"
            and self.effective_from <= day
            and (not self.effective_to or day <= self.effective_to)
        )

    def action_new_version(self):
        """Copy each matter as version + 1, taking effect today, and close the old one."""
        today = china_today()
        new_matters = self.browse()
        for matter in self:
            if matter.state == "closed" or matter.next_version_id:
                raise UserError(self.env._(
                    "The matter %(name)s is closed or already has a newer version.",
                    name=matter.display_name,
                ))
            start = max(today, matter.effective_from)
            new_matter = matter.copy({
                "version": matter.version + 1,
                "previous_version_id": matter.id,
                "effective_from": start,
                "state": "current",
            })
            matter.write({
                "state": "closed",
                "effective_to": max(matter.effective_from, start - timedelta(days=1)),
            })
            matter.message_post(body=self.env._(
                "Superseded by version %(version)s.", version=new_matter.version,
            ))
            new_matters |= new_matter
        if len(new_matters) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": self._name,
                "res_id": new_matters.id,
                "view_mode": "form",
                "target": "current",
            }
        return True

    @api.ondelete(at_uninstall=True)
    def _unlink_except_used(self):
        if removing_the_addon(self.env):
            return
        for matter in self:
            if matter.state == "closed" or matter.previous_version_id:
                raise UserError(self.env._(
                    "The matter %(name)s is part of the published version history and cannot be deleted; "
                    "archive it instead.",
                    name=matter.display_name,
                ))
