from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.numbering import NumberPatternError
from ..enforcement_core.simple_procedure import SimpleLimits
from .enforcement_agency import NUMBER_PATTERN_FIELDS
from .enforcement_discretion_tier import to_decimal

DEFAULT_SIMPLE_DECISION_PATTERN = "{short}市监当罚〔{year}〕{seq:05d}号"
# The on-the-spot decision forms have a counter of their own (see _take_number).
NUMBER_PATTERN_FIELDS["simple_decision"] = "simple_decision_number_pattern"


class EnforcementSimpleLimit(models.Model):
    """The limits of the simple procedure (简易程序, 行政处罚法 arts. 51, 52, 68)
    for an agency, or for one enforcement category (sector) of it: the largest
    fine a person or an organisation may be given on the spot, the largest fine
    an officer may collect there, and whether one officer may act alone. With
    no row the statute applies (200 / 3,000 / 100 yuan, two officers); a row
    may lower the amounts (sector law), never raise them.

    Rights: every internal user reads them; the bureau administrator edits.
    """

    _name = "enforcement.simple.limit"
    _description = "Simple Procedure Limits"
    _order = "agency_id, category_id"

    agency_id = fields.Many2one("enforcement.agency", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    category_id = fields.Many2one(
        "enforcement.category", string="Enforcement Category", ondelete="restrict",
        help="Empty: the agency's limits for every category without a row of its own.")
    fine_person = fields.Float(string="Largest On-the-Spot Fine, Person (yuan)", digits=(16, 2), default=200.0)
    fine_organisation = fields.Float(
        string="Largest On-the-Spot Fine, Organisation (yuan)", digits=(16, 2), default=3000.0)
    onsite_collection = fields.Float(
        string="Largest Fine Collected on the Spot (yuan)", digits=(16, 2), default=100.0)
    officers_required = fields.Selection(
        [("1", "One Officer"), ("2", "Two Officers")], string="Officers on the Spot", required=True, default="2",
        help="Whether sector law lets one certified officer decide on the spot; the national default is two.")
    source = fields.Char(help="The law or rule that sets these limits.")

    _sql_constraints = [
        ("agency_category_unique", "unique NULLS NOT DISTINCT (agency_id, category_id)",
         "The agency already has simple procedure limits for this category."),
    ]

    def _to_limits(self):
        self.ensure_one()
        return SimpleLimits(fine_person=to_decimal(self.fine_person),
                            fine_organisation=to_decimal(self.fine_organisation),
                            onsite_collection=to_decimal(self.onsite_collection),
                            officers_required=int(self.officers_required))

    @api.constrains("fine_person", "fine_organisation", "onsite_collection")
    def _check_within_statute(self):
        for row in self:
            amounts = (row.fine_person, row.fine_organisation, row.onsite_collection)
            if any(amount < 0 for amount in amounts):
                raise ValidationError(self.env._("The limits of the simple procedure cannot be negative."))
            try:
                row._to_limits()
            except ValueError as exc:
                raise ValidationError(self.env._(
                    "Sector law may lower the limits of the simple procedure, not raise them above the statute "
                    "(200 yuan for a person, 3,000 yuan for an organisation, 100 yuan collected on the spot; "
                    "行政处罚法 arts. 51, 68).")) from exc

    @api.model
    def _limits_for(self, agency, category):
        """The category's row of the agency, else the agency's own, else the statute."""
        rows = self.sudo().search([("agency_id", "=", agency.id),
                                   ("category_id", "in", [category.id, False] if category else [False])])
        row = rows.filtered(lambda r: category and r.category_id == category)[:1] or \
            rows.filtered(lambda r: not r.category_id)[:1]
        return row._to_limits() if row else SimpleLimits()


def money_text(amount):
    """Yuan with two decimals, formatted outside _() (Odoo's term export skips f-strings in _())."""
    return f"{Decimal(amount):.2f}"


class EnforcementAgency(models.Model):
    """The agency's numbering of its pre-numbered on-the-spot decision forms
    (预定格式、编有号码的行政处罚决定书, art. 52) and its simple procedure limits."""

    _inherit = "enforcement.agency"

    simple_decision_number_pattern = fields.Char(
        string="On-the-Spot Decision Form Number Pattern", required=True, default=DEFAULT_SIMPLE_DECISION_PATTERN,
        help="Pattern of the numbers printed on the standard on-the-spot decision forms, numbered per year "
             "without gaps. Placeholders as for case numbers.")
    simple_limit_ids = fields.One2many("enforcement.simple.limit", "agency_id", string="Simple Procedure Limits")

    @api.constrains("simple_decision_number_pattern", "short_name")
    def _check_simple_decision_number_pattern(self):
        for agency in self:
            try:
                agency._format_number("simple_decision", 2000, 1, category="penalty")
            except NumberPatternError as exc:
                raise ValidationError(self.env._(
                    "The number pattern %(pattern)s (%(field)s) is not valid: %(reason)s",
                    pattern=agency.simple_decision_number_pattern,
                    field=self._fields["simple_decision_number_pattern"]._description_string(self.env),
                    reason=str(exc))) from exc


class EnforcementRuleReason(models.AbstractModel):
    _inherit = "enforcement.rule.reason"

    @api.model
    def _text(self, reason):
        code = getattr(reason, "code", None)
        params = dict(getattr(reason, "params", {}))
        if code == "simple_facts_uncertain":
            return self.env._("the facts are not certain")
        if code == "simple_no_basis":
            return self.env._("no legal basis is given")
        if code == "simple_no_penalty":
            return self.env._("no penalty is named")
        if code == "simple_penalty_type":
            return self.env._("the penalty %(penalty)s needs the ordinary procedure",
                              penalty=self._penalty_name(params["penalty_type"]))
        if code == "simple_fine_missing":
            return self.env._("a fine is named without its amount")
        if code == "simple_fine_above_limit":
            return self.env._("the fine of %(fine)s yuan is above the %(limit)s yuan a %(party)s may be fined on "
                              "the spot", fine=money_text(params["fine"]), limit=money_text(params["limit"]),
                              party=self._party_type_name(params["party_type"]))
        if code == "collection_no_fine":
            return self.env._("there is no fine to collect")
        if code == "collection_above_limit":
            return self.env._("the fine of %(fine)s yuan is above the %(limit)s yuan that may be collected on "
                              "the spot", fine=money_text(params["fine"]), limit=money_text(params["limit"]))
        if code == "collection_not_asked":
            return self.env._("in a remote area a fine is collected on the spot only when the party asks")
        return super()._text(reason)
