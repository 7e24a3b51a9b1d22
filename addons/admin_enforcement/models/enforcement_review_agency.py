from odoo import fields, models


class EnforcementAgency(models.Model):
    """Legal review settings of an agency (configurable per bureau, domain.md §2.3)."""

    _inherit = "enforcement.agency"

    review_days = fields.Integer(
        string="Review Time Limit (working days)", default=5,
        help="Working days the legal review office has for one submission; a review past this limit "
        "is escalated to a leader.",
    )
    review_extension_days = fields.Integer(
        string="Review Extension (working days)", default=5,
        help="Working days a leader may add once, by approval, to an overdue review.",
    )
    max_review_rounds = fields.Integer(
        string="Maximum Review Rounds", default=3,
        help="Rounds of opinion and rework before handler and reviewer must consult.",
    )

    _sql_constraints = [
        (
            "review_settings_positive",
            "CHECK(review_days > 0 AND review_extension_days >= 0 AND max_review_rounds > 0)",
            "The review time limit and the maximum review rounds must be positive.",
        ),
    ]
