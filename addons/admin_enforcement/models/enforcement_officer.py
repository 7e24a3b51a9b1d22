from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.china_clock import china_today
from .enforcement_certificate import CERTIFICATE_STATES, EXPIRY_STATUS, EXPIRY_WARNING_DAYS


class EnforcementOfficer(models.Model):
    """Enforcement officer (执法人员) of an agency.

    Only officers with a valid certificate covering the case's category and
    area may be assigned (持证上岗); ``_check_certified_for`` is the one check
    the case model, the random draw and the UI reuse. Officers read the list of
    their own agency, the bureau administrator edits it, the supervisor reads
    all agencies.
    """

    _name = "enforcement.officer"
    _description = "Enforcement Officer"
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
    employee_id = fields.Many2one(
        "hr.employee", index=True, ondelete="restrict", check_company=True,
    )
    user_id = fields.Many2one("res.users", index=True, ondelete="restrict")
    image_128 = fields.Image(related="employee_id.image_128")
    unit = fields.Char(help="Department or team of the officer (所在单位/科室).")
    post = fields.Char(help="Position held, e.g. 科员.")
    mobile = fields.Char()
    active = fields.Boolean(default=True)
    certificate_ids = fields.One2many("enforcement.certificate", "officer_id", string="Certificates")
    certificate_id = fields.Many2one(
        "enforcement.certificate", compute="_compute_certificate", string="Current Certificate",
    )
    certificate_number = fields.Char(compute="_compute_certificate")
    certificate_state = fields.Selection(
        CERTIFICATE_STATES, compute="_compute_certificate", string="Certificate Status",
    )
    certificate_valid_to = fields.Date(compute="_compute_certificate")
    certificate_expiring_soon = fields.Boolean(
        compute="_compute_certificate", search="_search_certificate_expiring_soon",
        string="Certificate Expiring within 30 Days",
        help="Every valid certificate of the officer ends within the next 30 days: time to renew it.")
    certificate_expiry_status = fields.Selection(EXPIRY_STATUS, compute="_compute_certificate", string="Renewal")
    expiry_warning = fields.Char(compute="_compute_certificate")
    is_certified = fields.Boolean(
        compute="_compute_certificate", search="_search_is_certified",
        help="The officer holds a certificate that is valid today.",
    )

    _sql_constraints = [
        ("user_agency_unique", "unique(user_id, agency_id)", "A user can be only one officer of an agency."),
        ("employee_unique", "unique(employee_id)", "An employee can be only one officer."),
    ]

    @api.model
    def get_import_templates(self):
        return [{
            "label": self.env._("Import Template for Officers and Certificates"),
            "template": "/admin_enforcement/static/templates/enforcement_officers_certificates.csv",
        }, {
            # Generated from the CSV by scripts/make_import_templates.py.
            "label": self.env._("Import Template for Officers and Certificates (Excel)"),
            "template": "/admin_enforcement/static/templates/enforcement_officers_certificates.xlsx",
        }]

    @api.onchange("employee_id")
    def _onchange_employee_id(self):
        if self.employee_id:
            self.name = self.employee_id.name
            self.user_id = self.employee_id.user_id
            self.mobile = self.mobile or self.employee_id.mobile_phone

    @api.depends(
        "certificate_ids.number", "certificate_ids.state", "certificate_ids.valid_from", "certificate_ids.valid_to",
    )
    def _compute_certificate(self):
        # Today only, never a day from the request's context: is_certified
        # counts towards the agency's reviewer ratio, which a review checks.
        today = china_today()
        for officer in self:
            valid = officer.certificate_ids.filtered(lambda c: c._is_valid_on(today))
            latest = valid or officer.certificate_ids
            current = latest.sorted(lambda c: (c.valid_to or today, c.id), reverse=True)[:1]
            officer.certificate_id = current
            officer.certificate_number = current.number
            officer.certificate_state = current.state
            officer.certificate_valid_to = current.valid_to
            officer.is_certified = bool(valid)
            officer.certificate_expiring_soon = bool(valid) and all(cert.expiring_soon for cert in valid)
            officer.certificate_expiry_status = "expiring" if officer.certificate_expiring_soon else False
            officer.expiry_warning = officer.certificate_expiring_soon and current.expiry_warning

    def _search_certificate_expiring_soon(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on certification: %(op)s", op=operator))
        certs = self.env["enforcement.certificate"]
        expiring = certs._search([("expiring_soon", "=", True)]).subselect("officer_id")
        lasting = certs._search([
            ("state", "=", "valid"), ("valid_from", "<=", china_today()),
            ("valid_to", ">", china_today() + timedelta(days=EXPIRY_WARNING_DAYS)),
        ]).subselect("officer_id")
        soon = ["&", ("id", "in", expiring), ("id", "not in", lasting)]
        return soon if (operator == "=") == value else ["!", *soon]

    def _search_is_certified(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on certification: %(op)s", op=operator))
        today = china_today()
        certified = self.env["enforcement.certificate"]._search([
            ("state", "=", "valid"),
            ("valid_from", "<=", today),
            "|", ("valid_to", "=", False), ("valid_to", ">=", today),
        ]).subselect("officer_id")
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", certified)]

    def _eligibility_reasons(self, category_code, area_code, on_date=None):
        """{officer id: reasons} for officers not allowed to act; empty reasons = eligible.

        An officer with several certificates is eligible when one of them
        covers the category and area on the day; otherwise the reasons of the
        current certificate are given. The rule is
        ``enforcement_core.certificates.check_officer_eligible``.
        """
        from ..enforcement_core.certificates import check_officer_eligible

        on_date = on_date or china_today()
        result = {}
        for officer in self:
            reasons = None
            for cert in officer.certificate_ids.sorted(lambda c: c != officer.certificate_id):
                cert_reasons = check_officer_eligible(cert._to_facts(), category_code, area_code, on_date)
                if not cert_reasons:
                    reasons = []
                    break
                if reasons is None:
                    reasons = cert_reasons
            if reasons is None:
                reasons = check_officer_eligible(None, category_code, area_code, on_date)
            result[officer.id] = reasons
        return result

    def _check_certified_for(self, category_code, area_code, on_date=None):
        """Raise ValidationError unless every officer may act (持证上岗).

        ``category_code`` is an ``enforcement.category`` code, ``area_code``
        an ``enforcement.area`` code. The case model and the random draw call
        this before assigning officers.
        """
        for officer in self:
            reasons = officer._eligibility_reasons(category_code, area_code, on_date)[officer.id]
            if reasons:
                raise ValidationError(self.env._(
                    "Officer %(name)s may not act on this matter: %(reasons)s",
                    name=officer.name, reasons=self.env["enforcement.rule.reason"]._texts(reasons),
                ))
        return True
