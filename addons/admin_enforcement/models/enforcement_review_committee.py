from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.china_clock import china_today


class EnforcementReviewCommittee(models.Model):
    """Legal review committee (法制审核委员会) of an agency for a term.

    ``quorum_rule`` says how many members must agree; a tie is decided by the
    chair.
    """

    _name = "enforcement.review.committee"
    _description = "Review Committee"
    _inherit = ["mail.thread"]
    _order = "agency_id, term_from desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True, ondelete="restrict",
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1),
    )
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    chair_id = fields.Many2one("res.users", required=True, tracking=True)
    member_ids = fields.Many2many(
        "res.users", "enforcement_review_committee_member_rel", "committee_id", "user_id", string="Members",
    )
    member_count = fields.Integer(compute="_compute_member_count")
    term_from = fields.Date(required=True, default=lambda self: china_today(), tracking=True)
    term_to = fields.Date(required=True, tracking=True)
    quorum_rule = fields.Selection(
        [("majority", "Simple Majority"), ("two_thirds", "Two-thirds Majority")],
        required=True, default="majority", tracking=True,
    )
    tie_rule = fields.Selection(
        [("chair_decides", "Chair Decides")], required=True, default="chair_decides",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("term_ordered", "CHECK(term_from <= term_to)", "A committee term cannot end before it starts."),
    ]

    @api.depends("member_ids", "chair_id")
    def _compute_member_count(self):
        for committee in self:
            committee.member_count = len(committee.member_ids | committee.chair_id)

    @api.constrains("chair_id", "member_ids")
    def _check_chair_is_member(self):
        for committee in self:
            if committee.chair_id not in committee.member_ids:
                raise ValidationError(self.env._(
                    "The chair %(chair)s must be a member of the committee %(name)s.",
                    chair=committee.chair_id.name, name=committee.name,
                ))
            if len(committee.member_ids) < 3:
                raise ValidationError(self.env._(
                    "The committee %(name)s needs at least three members.", name=committee.name,
                ))

    @api.constrains("term_from", "term_to", "agency_id", "active")
    def _check_term_overlap(self):
        for committee in self.filtered("active"):
            overlapping = self.search_count([
                ("id", "!=", committee.id),
                ("agency_id", "=", committee.agency_id.id),
                ("term_from", "<=", committee.term_to),
                ("term_to", ">=", committee.term_from),
            ])
            if overlapping:
                raise ValidationError(self.env._(
                    "The term of %(name)s overlaps another committee of the same agency.",
                    name=committee.name,
                ))

    def _decide(self, votes_for, votes_against, chair_vote=None):
        """Outcome of a vote: 'adopted', 'rejected' or 'no_quorum'.

        ``chair_vote`` (True/False) breaks a tie (tie rule: chair decides).
        """
        self.ensure_one()
        voting = votes_for + votes_against
        members = self.member_count
        if self.quorum_rule == "two_thirds":
            if voting * 3 < members * 2:
                return "no_quorum"
            return "adopted" if votes_for * 3 >= voting * 2 else "rejected"
        if voting * 2 <= members:
            return "no_quorum"
        if votes_for == votes_against:
            return "adopted" if chair_vote else "rejected"
        return "adopted" if votes_for > votes_against else "rejected"
