from odoo import fields, models

VOTES = [
    ("for", "For"),
    ("against", "Against"),
    ("abstain", "Abstain"),
    ("absent", "Absent"),
]


class EnforcementCollectiveVote(models.Model):
    """One member's vote and opinion in a collective discussion. Written only
    by the member's vote step (a leader may record an absence)."""

    _name = "enforcement.collective.vote"
    _description = "Collective Discussion Vote"
    _order = "decision_id, id"

    decision_id = fields.Many2one("enforcement.collective.decision", required=True, index=True,
                                  ondelete="cascade", readonly=True)
    company_id = fields.Many2one(related="decision_id.company_id", store=True, index=True)
    member_id = fields.Many2one("res.users", required=True, readonly=True)
    vote = fields.Selection(VOTES, required=True, readonly=True)
    opinion = fields.Text(readonly=True)
    recorded_by_id = fields.Many2one("res.users", readonly=True)
    voted_at = fields.Datetime(readonly=True, default=fields.Datetime.now)
    task_id = fields.Many2one("enforcement.task", readonly=True)

    _sql_constraints = [
        ("member_unique", "unique(decision_id, member_id)", "Each member votes once in a meeting."),
    ]
