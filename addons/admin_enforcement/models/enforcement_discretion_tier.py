from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

TIER_CODES = [
    ("exempt", "Exempt (minor, no penalty)"),
    ("first_offence_exempt", "First Offence Exempt"),
    ("lighter", "Lighter"),
    ("ordinary", "Ordinary"),
    ("heavier", "Heavier"),
]


def to_decimal(value):
    """An Odoo float as an exact Decimal for the core (which refuses floats)."""
    return Decimal(str(value or 0))


class EnforcementDiscretionTier(models.Model):
    """One tier of a discretion standard: circumstances → penalty types and fine range.

    The fine range is either fixed yuan (``fixed``) or a multiple of the
    illegal gains or of the goods' value, as many penalty provisions say
    (e.g. 货值金额五倍以上十倍以下罚款). A tier without the penalty type
    "fine" allows no fine.
    """

    _name = "enforcement.discretion.tier"
    _description = "Discretion Tier"
    _order = "standard_id, sequence, id"

    sequence = fields.Integer(default=10)
    standard_id = fields.Many2one(
        "enforcement.discretion.standard", required=True, ondelete="cascade", index=True,
    )
    company_id = fields.Many2one(related="standard_id.company_id", store=True, index=True)
    code = fields.Selection(TIER_CODES, string="Tier", required=True)
    circumstances = fields.Text(required=True, help="Facts and circumstances that put a case in this tier.")
    penalty_type_ids = fields.Many2many(
        "enforcement.penalty.type", "enforcement_discretion_tier_penalty_type_rel", "tier_id", "penalty_type_id",
        string="Penalty Types",
    )
    allows_fine = fields.Boolean(compute="_compute_allows_fine")
    range_kind = fields.Selection(
        [
            ("fixed", "Fixed Amount (yuan)"),
            ("illegal_gains_multiple", "Multiple of Illegal Gains"),
            ("goods_value_multiple", "Multiple of Goods Value"),
        ],
        required=True, default="fixed",
    )
    fine_required = fields.Boolean(
        string="Fine Mandatory",
        help="The law says 并处罚款 (a fine must be imposed) rather than 可以并处 (a fine may be imposed).",
    )
    amount_min = fields.Float(string="Minimum", digits=(16, 2))
    amount_max = fields.Float(string="Maximum", digits=(16, 2))
    range_display = fields.Char(compute="_compute_range_display", string="Range")
    note = fields.Text()

    @api.depends("code", "circumstances")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """"一般：货值金额一万元以下，初次违法" rather than the model's name and id."""
        labels = dict(self._fields["code"]._description_selection(self.env))
        for tier in self:
            circumstances = " ".join((tier.circumstances or "").split())
            if len(circumstances) > 30:
                circumstances = circumstances[:29] + "…"
            tier.display_name = self.env._("%(tier)s: %(circumstances)s", tier=labels.get(tier.code, tier.code or ""),
                                           circumstances=circumstances) if circumstances else labels.get(tier.code, "")

    _sql_constraints = [
        ("amount_min_positive", "CHECK(amount_min >= 0)", "The minimum cannot be negative."),
        ("amount_ordered", "CHECK(amount_min <= amount_max)", "The minimum of a tier cannot exceed its maximum."),
    ]

    @api.depends("penalty_type_ids.code")
    def _compute_allows_fine(self):
        for tier in self:
            tier.allows_fine = "fine" in tier.penalty_type_ids.mapped("code")

    @api.depends("allows_fine", "range_kind", "amount_min", "amount_max")
    def _compute_range_display(self):
        labels = dict(self._fields["range_kind"]._description_selection(self.env))
        for tier in self:
            if not tier.allows_fine:
                tier.range_display = ""
            elif tier.range_kind == "fixed":
                tier.range_display = f"{tier.amount_min:,.2f} – {tier.amount_max:,.2f}"
            else:
                tier.range_display = f"{labels[tier.range_kind]} × {tier.amount_min:g} – {tier.amount_max:g}"

    def _to_core_tier(self):
        """The tier as the pure-Python ``discretion.Tier`` (raises ValueError if inconsistent)."""
        from ..enforcement_core import discretion

        self.ensure_one()
        fine_range = None
        if self.allows_fine:
            fine_range = discretion.FineRange(
                kind=self.range_kind,
                minimum=to_decimal(self.amount_min),
                maximum=to_decimal(self.amount_max),
            )
        return discretion.Tier(
            code=self.code,
            circumstances=self.circumstances or "",
            penalty_types=frozenset(self.penalty_type_ids.mapped("code")),
            fine_range=fine_range,
            fine_required=bool(self.fine_required and fine_range),
        )

    @api.constrains("code", "penalty_type_ids", "range_kind", "amount_min", "amount_max")
    def _check_tier(self):
        for tier in self:
            if tier.code in ("exempt", "first_offence_exempt") and tier.penalty_type_ids:
                raise ValidationError(self.env._(
                    "The exempt tier of %(standard)s cannot carry a penalty.",
                    standard=tier.standard_id.display_name,
                ))
            if tier.allows_fine and not tier.amount_max:
                raise ValidationError(self.env._(
                    "The %(tier)s tier of %(standard)s allows a fine but has no maximum.",
                    tier=tier.code, standard=tier.standard_id.display_name,
                ))
            try:
                tier._to_core_tier()
            except ValueError as exc:
                raise ValidationError(self.env._(
                    "The %(tier)s tier of %(standard)s is not valid: %(reason)s",
                    tier=tier.code, standard=tier.standard_id.display_name, reason=str(exc),
                )) from exc
