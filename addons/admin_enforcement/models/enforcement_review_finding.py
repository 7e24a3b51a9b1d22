from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

CHECKLIST_ITEMS = [
    ("lawful_body", "Lawful enforcement body"),
    ("officers_qualified", "Officers qualified"),
    ("lawful_procedure", "Lawful procedure"),
    ("facts_clear", "Facts clear"),
    ("evidence", "Evidence lawful and sufficient"),
    ("law_applied", "Law correctly applied"),
    ("discretion", "Discretion standard properly used"),
    ("within_powers", "Within the bureau's powers"),
    ("documents_complete", "Documents complete and in standard form"),
    ("crime_transfer", "No suspected crime to transfer"),
]


class EnforcementReviewFinding(models.Model):
    """One item of the legal review checklist (审核要点): pass or problem, with
    a note. The system pre-fills what it can check (certificates, process
    history, discretion check, documents) as a suggestion; the reviewer
    decides every item."""

    _name = "enforcement.review.finding"
    _description = "Legal Review Finding"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one("enforcement.review", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    item = fields.Selection(CHECKLIST_ITEMS, required=True, readonly=True)
    result = fields.Selection(
        [("pending", "To Check"), ("pass", "Pass"), ("problem", "Problem")],
        required=True, default="pending",
    )
    note = fields.Text(help="What the reviewer found; required for a problem.")
    system_note = fields.Text(string="Pre-filled by the System", readonly=True)
    suggested_result = fields.Selection(
        [("pass", "Pass"), ("problem", "Problem")], readonly=True,
        help="What the system's own checks suggest; the reviewer decides.",
    )

    _sql_constraints = [
        ("item_unique", "unique(review_id, item)", "Each checklist item appears once in a review."),
    ]

    @api.depends("item")
    def _compute_display_name(self):
        labels = dict(self._fields["item"]._description_selection(self.env))
        for finding in self:
            finding.display_name = labels.get(finding.item, "")

    def write(self, vals):
        """Only the reviewer giving the opinion fills the checklist, and only
        while the review waits for that opinion."""
        if not self.env.su:
            for review in self.mapped("review_id"):
                if review.state != "in_review":
                    raise UserError(self.env._("The checklist of %(review)s can only change while it is under review.",
                                               review=review.name))
                if review.reviewer_id and review.reviewer_id != self.env.user:
                    raise AccessError(self.env._("Review %(review)s is assigned to %(user)s.",
                                                 review=review.name, user=review.reviewer_id.name))
        return super().write(vals)
