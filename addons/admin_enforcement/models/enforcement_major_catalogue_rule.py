from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .enforcement_matter import MATTER_CATEGORIES

RULE_KINDS = [
    ("category", "Category of Decision"),
    ("matter", "Enforcement Matters"),
    ("fine_threshold", "Fine Amount Threshold"),
    ("penalty_type", "Penalty Types"),
    ("hearing_held", "Decided After a Hearing"),
    ("complex", "Complex Case or Several Legal Relations"),
    ("all_ordinary", "All Ordinary-Procedure Decisions"),
]


class EnforcementMajorCatalogueRule(models.Model):
    """One line of an agency's catalogue of major decisions (法制审核目录清单).

    A case needs legal review when any active line of its agency fires, or
    when the agency reviews every ordinary-procedure penalty
    (``enforcement.agency.review_all_ordinary_penalties``). Each line is
    converted with ``_to_core_rule`` and evaluated by
    ``enforcement_core.catalogue``, which reports every line that fired with a
    reason the review opinion cites.
    """

    _name = "enforcement.major.catalogue.rule"
    _description = "Major-Decision Catalogue Rule"
    _inherit = ["mail.thread"]
    _order = "agency_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, tracking=True, help="Wording published in the catalogue.")
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True, ondelete="cascade", tracking=True,
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1),
    )
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)
    ground = fields.Selection(
        [
            ("public_interest", "Major Public Interest"),
            ("social_impact", "Major Social Impact or Risk"),
            ("party_rights", "Major Rights of Parties or Third Parties"),
            ("hearing", "Decided After a Hearing"),
            ("complex", "Complex Case or Several Legal Relations"),
            ("other", "Other"),
        ],
        required=True, default="party_rights",
        help="Ground of the catalogue (国办发〔2018〕118号) this line implements.",
    )
    kind = fields.Selection(RULE_KINDS, string="Condition", required=True, default="fine_threshold", tracking=True)
    category = fields.Selection(
        MATTER_CATEGORIES,
        help="For 'Category of Decision': the category; for 'All Ordinary-Procedure Decisions': "
        "limits the line to this category (empty = every category).",
    )
    matter_ids = fields.Many2many(
        "enforcement.matter", "enforcement_catalogue_rule_matter_rel", "rule_id", "matter_id",
        string="Matters", check_company=True,
    )
    penalty_type_ids = fields.Many2many(
        "enforcement.penalty.type", "enforcement_catalogue_rule_penalty_type_rel", "rule_id", "penalty_type_id",
        string="Penalty Types",
    )
    person_threshold = fields.Float(
        string="Threshold for Natural Persons (yuan)", digits=(16, 2),
        help="Fines at or above this amount against a natural person are major; 0 = not applicable.",
    )
    organisation_threshold = fields.Float(
        string="Threshold for Organisations (yuan)", digits=(16, 2),
        help="Fines at or above this amount against a legal person or organisation are major; "
        "0 = not applicable.",
    )
    description = fields.Text()

    _sql_constraints = [
        (
            "thresholds_positive",
            "CHECK(person_threshold >= 0 AND organisation_threshold >= 0)",
            "Amount thresholds cannot be negative.",
        ),
    ]

    def _to_core_rule(self):
        """The line as the pure-Python ``catalogue.CatalogueRule`` (ValueError if incomplete)."""
        from ..enforcement_core.catalogue import CatalogueRule

        self.ensure_one()
        values = frozenset()
        if self.kind in ("category", "all_ordinary") and self.category:
            values = frozenset([self.category])
        elif self.kind == "matter":
            values = frozenset(self.matter_ids.mapped("code"))
        elif self.kind == "penalty_type":
            values = frozenset(self.penalty_type_ids.mapped("code"))
        threshold = self.kind == "fine_threshold"
        return CatalogueRule(
            code=str(self.id),
            kind=self.kind,
            label=self.name,
            values=values,
            person_threshold=Decimal(str(self.person_threshold)) if threshold and self.person_threshold else None,
            organisation_threshold=Decimal(str(self.organisation_threshold))
            if threshold and self.organisation_threshold else None,
        )

    @api.constrains(
        "kind", "category", "matter_ids", "penalty_type_ids", "person_threshold", "organisation_threshold",
    )
    def _check_rule(self):
        for rule in self:
            try:
                rule._to_core_rule()
            except ValueError as exc:
                raise ValidationError(self.env._(
                    "The catalogue rule %(name)s is incomplete: %(reason)s", name=rule.name, reason=str(exc),
                )) from exc

    @api.model
    def _core_rules_for_agency(self, agency):
        """All core rules of ``agency``, including its 'review every ordinary-procedure penalty' switch."""
        from ..enforcement_core.catalogue import ALL_ORDINARY, CatalogueRule

        rules = [rule._to_core_rule() for rule in self.search([("agency_id", "=", agency.id)])]
        if agency.review_all_ordinary_penalties:
            rules.append(CatalogueRule(
                code=f"agency-{agency.id}-all-ordinary",
                kind=ALL_ORDINARY,
                label=self.env._("All ordinary-procedure penalties are reviewed"),
                values=frozenset(["penalty"]),
            ))
        return rules

    @api.model
    def _evaluate_for_agency(self, agency, case_facts):
        """Fired rules (core ``FiredRule`` list) for ``case_facts`` (a core ``CaseFacts``) in ``agency``."""
        from ..enforcement_core.catalogue import evaluate

        return evaluate(self._core_rules_for_agency(agency), case_facts)
