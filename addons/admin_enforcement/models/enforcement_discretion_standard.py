from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.china_clock import china_today
from .enforcement_discretion_tier import to_decimal


class EnforcementDiscretionStandard(models.Model):
    """Discretion standard (行政裁量基准) for one violation of a matter.

    Tiers give, for each degree of circumstances, the penalty types and the
    range of the amount. ``_check_proposed_penalty`` is the one check the case
    and the legal review use; the rule lives in ``enforcement_core.discretion``.
    """

    _name = "enforcement.discretion.standard"
    _description = "Discretion Standard"
    _inherit = ["mail.thread"]
    _order = "matter_id, code, id"
    _check_company_auto = True

    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Violation", required=True, tracking=True)
    matter_id = fields.Many2one(
        "enforcement.matter", required=True, index=True, ondelete="restrict", check_company=True,
        tracking=True,
    )
    agency_id = fields.Many2one(related="matter_id.agency_id", store=True, index=True)
    company_id = fields.Many2one(related="matter_id.company_id", store=True, index=True)
    violated_provision = fields.Text(
        string="Provision Violated", help="Provision the party breached, e.g. 《食品安全法》第三十四条第（十）项.",
    )
    penalty_provision = fields.Text(
        help="Provision the penalty is based on, e.g. 《食品安全法》第一百二十四条.",
    )
    tier_ids = fields.One2many("enforcement.discretion.tier", "standard_id", string="Tiers", copy=True)
    effective_from = fields.Date(default=lambda self: china_today())
    effective_to = fields.Date()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_matter_unique",
            "unique(matter_id, code)",
            "A matter cannot have two discretion standards with the same code.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for standard in self:
            standard.display_name = f"[{standard.code}] {standard.name}" if standard.code else standard.name

    @api.constrains("tier_ids")
    def _check_tiers_unique(self):
        for standard in self:
            codes = standard.tier_ids.mapped("code")
            if len(codes) != len(set(codes)):
                raise ValidationError(self.env._(
                    "The discretion standard %(name)s has the same tier twice.", name=standard.display_name,
                ))

    def _to_core_standard(self):
        """The standard as the pure-Python ``discretion.DiscretionStandard``."""
        from ..enforcement_core.discretion import DiscretionStandard

        self.ensure_one()
        return DiscretionStandard(
            code=self.code, name=self.name, tiers=tuple(tier._to_core_tier() for tier in self.tier_ids),
        )

    def _check_proposed_penalty(self, tier_code, penalty_types, fine_amount=0.0, illegal_gains=None,
                                goods_value=None, written_reason=None):
        """Core ``DiscretionResult`` of a proposed penalty against tier ``tier_code``.

        A penalty outside the tier is allowed only with a written reason,
        which the caller stores and the legal reviewer sees
        (``result.needs_written_reason``). Inconsistent input raises
        ValidationError.
        """
        from ..enforcement_core.discretion import Proposal, check_proposed_penalty

        self.ensure_one()
        try:
            proposal = Proposal(
                penalty_types=frozenset(penalty_types),
                fine_amount=to_decimal(fine_amount),
                illegal_gains=None if illegal_gains is None else to_decimal(illegal_gains),
                goods_value=None if goods_value is None else to_decimal(goods_value),
            )
            return check_proposed_penalty(
                self._to_core_standard(), tier_code, proposal, written_reason=written_reason,
            )
        except (KeyError, ValueError) as exc:
            raise ValidationError(self.env._(
                "The proposed penalty cannot be checked against %(standard)s: %(reason)s",
                standard=self.display_name, reason=str(exc),
            )) from exc
