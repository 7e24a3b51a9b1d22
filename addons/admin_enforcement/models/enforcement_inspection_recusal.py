from odoo import fields, models

RECUSAL_REASONS = [
    ("kinship", "Close Relative of the Party"),
    ("interest", "Direct Interest in the Party"),
    ("other_relation", "Other Relation that May Affect Impartiality"),
]


class EnforcementInspectionRecusal(models.Model):
    """Standing recusal (回避) of an inspector from one inspected party, kept in
    the register: a random draw never pairs them (``party.recusal_ids``).

    The case recusal (``enforcement.case.recusal``) is decided within one case;
    this one holds for every inspection of the party until it is archived.
    The bureau administrator records it; officers read their agency's.
    """

    _name = "enforcement.inspection.recusal"
    _description = "Inspector Recusal from an Inspected Party"
    _inherit = ["mail.thread"]
    _order = "party_id, officer_id"
    _check_company_auto = True

    party_id = fields.Many2one(
        "enforcement.inspection.party", string="Inspected Party", required=True, index=True,
        ondelete="cascade", tracking=True,
    )
    company_id = fields.Many2one(related="party_id.company_id", store=True, index=True)
    officer_id = fields.Many2one(
        "enforcement.officer", string="Inspector", required=True, index=True, ondelete="restrict", tracking=True,
    )
    reason = fields.Selection(RECUSAL_REASONS, required=True, default="kinship", tracking=True)
    note = fields.Text(string="Details", tracking=True)
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        ("party_officer_unique", "unique(party_id, officer_id)",
         "This inspector is already recused from this party."),
    ]
