from odoo import fields, models


class EnforcementReviewRound(models.Model):
    """One round of a legal review: the reviewer's written opinion
    (法制审核意见书) and the handler's answer (fixed, or disagree), and the
    consultation when they disagree. Rows are written by the task steps only."""

    _name = "enforcement.review.round"
    _description = "Legal Review Round"
    _order = "review_id, number"

    review_id = fields.Many2one("enforcement.review", required=True, index=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    case_id = fields.Many2one(related="review_id.case_id", store=True)
    number = fields.Integer(required=True, readonly=True)
    reviewer_id = fields.Many2one("res.users", readonly=True)
    opinion_date = fields.Datetime(readonly=True)
    outcome = fields.Selection(
        [("agree", "Agree"), ("problems", "Problems Found")], required=True, readonly=True,
    )
    opinion = fields.Text(string="Opinion and Required Fixes", readonly=True)
    findings_summary = fields.Text(readonly=True, help="The checklist as it stood when the opinion was given.")
    rework_outcome = fields.Selection(
        [("fixed", "Fixed and Resubmitted"), ("disagree", "Handler Disagrees")], readonly=True,
    )
    rework_note = fields.Text(string="Handler's Answer", readonly=True)
    rework_by_id = fields.Many2one("res.users", string="Answered By", readonly=True)
    rework_date = fields.Datetime(string="Answered On", readonly=True)
    consultation_outcome = fields.Selection(
        [("agreed", "Agreed after Consultation"), ("disagree", "Still Disagree")], readonly=True,
    )
    consultation_note = fields.Text(string="Consultation Record", readonly=True)
    consultation_date = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("number_unique", "unique(review_id, number)", "Review rounds are numbered once."),
    ]
