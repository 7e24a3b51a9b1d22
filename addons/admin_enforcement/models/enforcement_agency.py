from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.numbering import NumberPatternError, format_number
from ..enforcement_core.uscc import InvalidUSCC, validate_uscc

DEFAULT_CASE_NUMBER_PATTERN = "{short}市监处罚〔{year}〕{seq}号"
# 文号 of penalty decisions and 档案号 of archived case files: the same kind of
# pattern, each on its own gap-free counter per agency and year.
DEFAULT_DECISION_NUMBER_PATTERN = "{short}市监罚决〔{year}〕{seq}号"
DEFAULT_ARCHIVE_NUMBER_PATTERN = "{short}市监档〔{year}〕{seq:05d}号"
# The counter each official number is taken from (enforcement.case.number.counter.category).
NUMBER_PATTERN_FIELDS = {
    "case": "case_number_pattern",
    "decision": "decision_number_pattern",
    "archive": "archive_number_pattern",
}


class EnforcementAgency(models.Model):
    """An enforcement body (执法主体). Each agency is backed by its own company so
    Odoo's multi-company record rules keep one agency's data to itself.

    Rights: officers, reviewers and leaders read their own agency; the bureau
    administrator edits it; the supervisor (司法局) reads every agency.
    """

    _name = "enforcement.agency"
    _description = "Enforcement Agency"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, translate=False, tracking=True)
    short_name = fields.Char(
        help="Abbreviation used in document numbers, e.g. 城关 in 城关市监处罚〔2026〕1号.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, ondelete="restrict", index=True,
        default=lambda self: self.env.company,
    )
    active = fields.Boolean(default=True)

    # Identity and place in the administration
    uscc = fields.Char(
        string="Unified Social Credit Code", tracking=True,
        help="18-character unified social credit code (GB 32100-2015) of the agency.",
    )
    level = fields.Selection(
        [
            ("national", "National"),
            ("provincial", "Provincial"),
            ("city", "City"),
            ("county", "County"),
            ("township", "Township"),
        ],
        required=True, default="county", tracking=True,
    )
    region = fields.Char(help="Administrative region the agency has jurisdiction over, e.g. 城关县.")
    parent_id = fields.Many2one(
        "enforcement.agency", string="Parent Body", index=True, ondelete="restrict",
        help="Body the agency reports to, if it is itself an enforcement agency.",
    )
    child_ids = fields.One2many("enforcement.agency", "parent_id", string="Subordinate Bodies")
    parent_body = fields.Char(
        string="Parent Body (name)",
        help="Name of the government or department the agency belongs to, e.g. 城关县人民政府.",
    )
    authority_basis = fields.Text(
        string="Legal Basis of Authority",
        help="Laws, regulations and decisions (三定方案) from which the agency's enforcement powers derive.",
    )

    # Remedies told to parties in every decision
    reconsideration_body = fields.Char(
        help="Body that hears applications for administrative reconsideration (行政复议机关).",
    )
    court = fields.Char(string="Competent Court", help="People's court competent for administrative litigation.")

    # Contact
    address = fields.Char()
    phone = fields.Char()
    email = fields.Char()
    website = fields.Char()

    # Publication settings (configurable per agency, see domain 2.1)
    publish_officers = fields.Boolean(string="Publish Officers List", default=True)
    publish_matters = fields.Boolean(string="Publish Matters List", default=True)
    publish_discretion = fields.Boolean(string="Publish Discretion Standards", default=True)
    publish_catalogue = fields.Boolean(string="Publish Major-Decision Catalogue", default=True)
    publication_days_penalty = fields.Integer(
        string="Publish Penalties/Licences Within (working days)", default=7,
    )
    publication_days_other = fields.Integer(
        string="Publish Other Decisions Within (working days)", default=20,
    )
    withdrawal_days = fields.Integer(string="Withdraw Publication Within (working days)", default=3)

    # Numbering (the case model formats case numbers with this pattern)
    case_number_pattern = fields.Char(
        required=True, default=DEFAULT_CASE_NUMBER_PATTERN,
        help="Pattern of case numbers. Placeholders: {short} short name, {year} year, {seq} sequence "
        "(e.g. {seq:04d} for 0001), {category} category.",
    )
    decision_number_pattern = fields.Char(
        required=True, default=DEFAULT_DECISION_NUMBER_PATTERN,
        help="Pattern of decision document numbers (文号), numbered per year without gaps. "
        "Placeholders as for case numbers.",
    )
    archive_number_pattern = fields.Char(
        required=True, default=DEFAULT_ARCHIVE_NUMBER_PATTERN,
        help="Pattern of archive numbers (档案号) of sealed case files, numbered per year without gaps. "
        "Placeholders as for case numbers.",
    )

    # Officers and legal review staffing
    required_training_hours = fields.Float(
        string="Required Yearly Training Hours", default=40.0,
        help="Training hours an officer must have in a year to pass the yearly certificate review.",
    )
    review_all_ordinary_penalties = fields.Boolean(
        string="Review All Ordinary-Procedure Penalties",
        help="Some provinces require legal review of every penalty decided under the ordinary procedure.",
    )
    reviewer_ratio_min = fields.Float(
        string="Minimum Reviewer Ratio", default=0.05, digits=(16, 4),
        help="Legal reviewers must number at least this share of the certified officers (5% by default).",
    )
    officer_ids = fields.One2many("enforcement.officer", "agency_id", string="Officers")
    legal_reviewer_ids = fields.One2many("enforcement.legal.reviewer", "agency_id", string="Legal Reviewers")
    certified_officer_count = fields.Integer(compute="_compute_reviewer_ratio")
    active_reviewer_count = fields.Integer(compute="_compute_reviewer_ratio")
    reviewer_ratio = fields.Float(compute="_compute_reviewer_ratio", digits=(16, 4))
    reviewer_ratio_warning = fields.Boolean(compute="_compute_reviewer_ratio")

    _sql_constraints = [
        ("company_unique", "unique(company_id)", "Each company can back only one enforcement agency."),
        ("uscc_unique", "unique(uscc)", "Another agency already has this unified social credit code."),
        (
            "reviewer_ratio_min_range",
            "CHECK(reviewer_ratio_min >= 0 AND reviewer_ratio_min <= 1)",
            "The minimum reviewer ratio must be between 0 and 1.",
        ),
        (
            "publication_days_positive",
            "CHECK(publication_days_penalty > 0 AND publication_days_other > 0 AND withdrawal_days > 0)",
            "Publication periods must be positive.",
        ),
    ]

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _check_uscc_value(self, code):
        """Return the normalised code or raise ValidationError naming it."""
        try:
            return validate_uscc(code)
        except InvalidUSCC as exc:
            raise ValidationError(self.env._(
                "The unified social credit code %(code)s is not valid: %(reason)s",
                code=code, reason=str(exc),
            )) from exc

    @api.constrains("uscc")
    def _check_uscc(self):
        for agency in self.filtered("uscc"):
            agency._check_uscc_value(agency.uscc)

    @api.constrains("parent_id")
    def _check_parent_recursion(self):
        if self._has_cycle():
            raise ValidationError(self.env._("An agency cannot be its own parent body."))

    @api.constrains("case_number_pattern", "decision_number_pattern", "archive_number_pattern", "short_name")
    def _check_case_number_pattern(self):
        """Each pattern uses only known placeholders, has {seq} and can be filled."""
        for agency in self:
            for kind, field in NUMBER_PATTERN_FIELDS.items():
                try:
                    agency._format_number(kind, 2000, 1, category="penalty")
                except NumberPatternError as exc:
                    raise ValidationError(self.env._(
                        "The number pattern %(pattern)s (%(field)s) is not valid: %(reason)s",
                        pattern=agency[field], field=self._fields[field]._description_string(self.env),
                        reason=str(exc),
                    )) from exc

    @api.onchange("uscc")
    def _onchange_uscc(self):
        if self.uscc:
            self.uscc = self.uscc.strip().upper()

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "reviewer_ratio_min",
        "officer_ids.is_certified",
        "legal_reviewer_ids.state",
    )
    def _compute_reviewer_ratio(self):
        for agency in self:
            officers = agency.officer_ids.filtered("is_certified")
            reviewers = agency.legal_reviewer_ids.filtered(lambda r: r.state == "active")
            agency.certified_officer_count = len(officers)
            agency.active_reviewer_count = len(reviewers)
            agency.reviewer_ratio = len(reviewers) / len(officers) if officers else 0.0
            agency.reviewer_ratio_warning = bool(officers) and agency.reviewer_ratio < agency.reviewer_ratio_min

    # ------------------------------------------------------------------
    # Business helpers
    # ------------------------------------------------------------------
    def format_case_number(self, year, seq, category=None):
        """A case number from the agency's pattern (``enforcement_core.numbering``)."""
        return self._format_number("case", year, seq, category=category)

    def _format_number(self, kind, year, seq, category=None):
        """An official number of ``kind`` (see NUMBER_PATTERN_FIELDS) from the agency's own pattern."""
        self.ensure_one()
        return format_number(
            self[NUMBER_PATTERN_FIELDS[kind]], short=self.short_name or "", year=year, seq=seq, category=category,
        )

    def _take_number(self, kind, year, category=None):
        """The next official number of ``kind`` for ``year``, gap-free: the
        counter row stays locked until this transaction ends, and a rollback
        returns the number."""
        self.ensure_one()
        counter = kind if kind != "case" else (category or "penalty")
        seq = self.env["enforcement.case.number.counter"]._take_next(self, counter, year)
        return self._format_number(kind, year, seq, category=category)

    @api.model
    def _demo_set_passwords(self, user_xmlids):
        """Demo data only: give demo users a password equal to their login.

        The password policy (minimum length 8) would refuse short logins such
        as ``officer`` through the normal password write; demo users are a
        convenience for trying the product, never a production account.
        """
        for xmlid in user_xmlids:
            user = self.env.ref(xmlid, raise_if_not_found=False)
            if user:
                user.sudo()._set_encrypted_password(user.id, user._crypt_context().hash(user.login))
