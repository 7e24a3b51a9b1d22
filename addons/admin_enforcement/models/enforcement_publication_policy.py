from odoo import api, fields, models

PUBLICATION_CATEGORIES = [
    ("penalty", "Administrative Penalty"),
    ("licence", "Administrative Licence"),
    ("other", "Other Decision"),
]
SEVERITIES = [
    ("minor", "Minor"),
    ("general", "General"),
]
#: The publicity rule (rule code of ``enforcement_core.deadlines``) that sets
#: how many working days after the decision it must be published. The number
#: of days is configurable under Configuration > Statutory Periods.
PUBLISH_RULE = {
    "penalty": "publication_penalty",
    "licence": "publication_penalty",
    "other": "publication_other",
}
#: Kinds of ``enforcement_core.redaction`` and the policy field that switches each on.
REDACTION_FIELDS = {
    "person_name": "redact_person_name",
    "id_number": "redact_id_number",
    "mobile": "redact_mobile",
    "landline": "redact_landline",
    "address": "redact_address",
    "bank_account": "redact_bank_account",
}


class EnforcementPublicationPolicy(models.Model):
    """How an agency publishes its decisions (事后公开), by category and severity.

    Which decisions are published, how long they stay public (e.g. market
    regulation: 3 months for minor penalties, 3 years otherwise), whether the
    full text of the decision goes out, and which personal data is redacted.
    A line with no severity applies to both; without any line the defaults
    of the fields apply. Bureau administrators maintain it.
    """

    _name = "enforcement.publication.policy"
    _description = "Publication Policy"
    _order = "company_id, decision_category, severity"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
        string="Agency Company",
    )
    decision_category = fields.Selection(PUBLICATION_CATEGORIES, required=True)
    severity = fields.Selection(SEVERITIES, help="Empty: applies to minor and general decisions alike.")
    publish = fields.Boolean(
        default=True, help="Decisions of this category are published. Unticked: no publication is created.",
    )
    period_months = fields.Integer(
        string="Publication Period (months)", default=36,
        help="How long a decision stays public after publication; 0 = without end.",
    )
    full_text = fields.Boolean(
        string="Publish Full Text", help="Publish the (redacted) full text of the decision, not only its result.",
    )
    redact_person_name = fields.Boolean(string="Redact Natural Persons' Names", default=True)
    redact_id_number = fields.Boolean(string="Redact ID Numbers", default=True)
    redact_mobile = fields.Boolean(string="Redact Mobile Numbers", default=True)
    redact_landline = fields.Boolean(string="Redact Landline Numbers", default=True)
    redact_address = fields.Boolean(string="Redact Addresses", default=True)
    redact_bank_account = fields.Boolean(string="Redact Bank Accounts", default=True)

    _sql_constraints = [
        (
            "category_severity_unique",
            "unique NULLS NOT DISTINCT (company_id, decision_category, severity)",
            "An agency has one publication policy line per category and severity.",
        ),
        ("period_not_negative", "CHECK(period_months >= 0)", "The publication period cannot be negative."),
    ]

    @api.model
    def _policy_for(self, company, category, severity):
        """The line for (category, severity), else the category's line, else the defaults."""
        lines = self.sudo().search([
            ("company_id", "=", company.id), ("decision_category", "=", category),
            ("severity", "in", [severity, False]),
        ])
        exact = lines.filtered(lambda line: line.severity == severity)
        return exact[:1] or lines[:1] or self.sudo().new({
            "company_id": company.id, "decision_category": category, "severity": severity,
        })

    def _redaction_kinds(self):
        """The ``enforcement_core.redaction`` kinds this line switches on (publisher marks always are)."""
        self.ensure_one()
        return frozenset({"marked"} | {kind for kind, field in REDACTION_FIELDS.items() if self[field]})
