from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .enforcement_collective_vote import VOTES

CONVENED_MESSAGE = "enforcement.collective_convened"
VOTE_RULES = [
    ("majority", "Simple Majority"),
    ("two_thirds", "Two-thirds Majority"),
]


def collective_outcome(rule, member_count, votes_for, votes_against, votes_abstain, chair_vote=None):
    """'adopted', 'rejected' or 'no_quorum' of a vote.

    Members who voted for, against or abstained are present; absent members
    are not. Simple majority: more than half of the members present, and more
    votes for than against; a tie is decided by the chair's vote. Two-thirds:
    at least two thirds of the members present, and at least two thirds of
    those present for.
    """
    present = votes_for + votes_against + votes_abstain
    if rule == "two_thirds":
        if present * 3 < member_count * 2:
            return "no_quorum"
        return "adopted" if votes_for * 3 >= present * 2 else "rejected"
    if present * 2 <= member_count:
        return "no_quorum"
    if votes_for == votes_against:
        return "adopted" if chair_vote == "for" else "rejected"
    return "adopted" if votes_for > votes_against else "rejected"


class EnforcementCollectiveDecision(models.Model):
    """A collective discussion (集体讨论, 行政处罚法 art. 57) of one or more
    cases: a leader convenes it and invites the members; each member votes
    with an opinion in their own task (a multi-instance step of the
    ``enforcement_collective_decision`` process); the outcome follows the
    meeting's rule; the chair signs the minutes (集体讨论记录).

    Rights: leaders convene and sign; members vote for themselves only (a
    leader may record an absence); officers and reviewers read; supervisors
    read every agency's meetings.
    """

    _name = "enforcement.collective.decision"
    _description = "Collective Discussion"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: self.env._("New"))
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True,
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1),
    )
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    case_ids = fields.Many2many(
        "enforcement.case", "enforcement_collective_decision_case_rel", "decision_id", "case_id",
        string="Cases", domain="[('agency_id', '=', agency_id)]",
    )
    committee_id = fields.Many2one(
        "enforcement.review.committee", domain="[('agency_id', '=', agency_id)]",
        help="Fills the members, chair and vote rule from a standing committee.",
    )
    motion = fields.Text(
        required=True, default=lambda self: self.env._("Adopt the proposed decision of the handling officers."),
        help="What the members vote for or against.",
    )
    meeting_at = fields.Datetime(string="Meeting Time", default=fields.Datetime.now)
    location = fields.Char()
    convened_by_id = fields.Many2one("res.users", readonly=True)
    chair_id = fields.Many2one("res.users", required=True)
    member_ids = fields.Many2many("res.users", "enforcement_collective_decision_member_rel", "decision_id", "user_id",
                                  string="Members")
    vote_rule = fields.Selection(VOTE_RULES, required=True, default="majority")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("voting", "Voting"),
            ("no_quorum", "No Quorum"),
            ("decided", "Decided"),
            ("signed", "Minutes Signed"),
        ],
        default="draft", required=True, readonly=True, tracking=True, index=True, copy=False,
    )
    outcome = fields.Selection(
        [("adopted", "Adopted"), ("rejected", "Rejected"), ("no_quorum", "No Quorum")],
        readonly=True, tracking=True, copy=False,
    )
    vote_ids = fields.One2many("enforcement.collective.vote", "decision_id", string="Votes", readonly=True)
    votes_for = fields.Integer(compute="_compute_votes")
    votes_against = fields.Integer(compute="_compute_votes")
    votes_abstain = fields.Integer(compute="_compute_votes")
    votes_absent = fields.Integer(compute="_compute_votes")
    minutes = fields.Text(help="Summary of the discussion, signed by the chair.")
    minutes_attachment_id = fields.Many2one("ir.attachment", readonly=True, copy=False)
    signed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    signed_at = fields.Datetime(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("enforcement.collective.decision")
        return super().create(vals_list)

    @api.depends("vote_ids.vote")
    def _compute_votes(self):
        for meeting in self:
            votes = meeting.vote_ids.mapped("vote")
            meeting.votes_for = votes.count("for")
            meeting.votes_against = votes.count("against")
            meeting.votes_abstain = votes.count("abstain")
            meeting.votes_absent = votes.count("absent")

    @api.onchange("committee_id")
    def _onchange_committee_id(self):
        if self.committee_id:
            self.chair_id = self.committee_id.chair_id
            self.member_ids = self.committee_id.member_ids
            self.vote_rule = self.committee_id.quorum_rule

    @api.constrains("case_ids", "agency_id")
    def _check_cases_of_agency(self):
        for meeting in self:
            foreign = meeting.case_ids.filtered(lambda c: c.agency_id != meeting.agency_id)
            if foreign:
                raise ValidationError(self.env._(
                    "Cases %(cases)s belong to another agency than the meeting %(meeting)s.",
                    cases=", ".join(foreign.mapped("name")), meeting=meeting.name))

    def write(self, vals):
        frozen = {"case_ids", "member_ids", "chair_id", "vote_rule", "motion", "agency_id"}
        if frozen & set(vals) and self.filtered(lambda m: m.state != "draft"):
            raise UserError(self.env._("The agenda, members and rule of a convened meeting cannot change."))
        if "minutes" in vals and self.filtered(lambda m: m.state == "signed"):
            raise UserError(self.env._("Signed minutes cannot be changed."))
        return super().write(vals)

    def _require_leader(self):
        if not self.env.user.has_group("admin_enforcement.group_enforcement_leader"):
            raise AccessError(self.env._("Only a leader can convene a collective discussion."))

    def action_convene(self):
        """Invite the members: the process opens one vote task per member."""
        self._require_leader()
        for meeting in self:
            if meeting.state != "draft":
                raise UserError(self.env._("%(meeting)s was already convened.", meeting=meeting.name))
            if not meeting.case_ids:
                raise UserError(self.env._("Put at least one case on the agenda of %(meeting)s.",
                                           meeting=meeting.name))
            if len(meeting.member_ids) < 3:
                raise UserError(self.env._("A collective discussion needs at least three members."))
            if meeting.chair_id not in meeting.member_ids:
                raise UserError(self.env._("The chair %(chair)s must be one of the members.",
                                           chair=meeting.chair_id.name))
            outsiders = meeting.member_ids.filtered(lambda u: meeting.company_id not in u.company_ids)
            if outsiders:
                raise UserError(self.env._("%(users)s do not work for %(agency)s.",
                                           users=", ".join(outsiders.mapped("name")), agency=meeting.agency_id.name))
            meeting.write({"state": "voting", "convened_by_id": self.env.uid})
            first = meeting.case_ids.sorted("id")[0]
            self.env["enforcement.outbox"]._enqueue_message(
                CONVENED_MESSAGE,
                business_key=meeting.name,
                variables={"case_id": first.id, "collective_decision_id": meeting.id,
                           "member_count": len(meeting.member_ids)},
                starts="enforcement_collective_decision",
                message_id=f"{first.name}:{CONVENED_MESSAGE}:{meeting.id}",
                case=first,
            )
            for case in meeting.case_ids:
                case._message_log(body=self.env._("Collective discussion %(meeting)s convened.",
                                                  meeting=meeting.name))
        return True

    def action_reconvene(self):
        """A meeting without a quorum is held again: a new draft with the same agenda."""
        self._require_leader()
        self.ensure_one()
        if self.state != "no_quorum":
            raise UserError(self.env._("Only a meeting without a quorum is convened again."))
        meeting = self.copy({"meeting_at": fields.Datetime.now()})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": meeting.id, "view_mode": "form"}

    # ----- steps of the collective discussion process -----

    def _member_for_vote(self, counter):
        """The member whose vote the multi-instance's ``counter``-th task is."""
        self.ensure_one()
        members = self.member_ids.sorted("id")
        if not isinstance(counter, int) or not 0 <= counter < len(members):
            raise UserError(self.env._("%(meeting)s has no member for vote %(counter)s.",
                                       meeting=self.name, counter=counter))
        return members[counter]

    def _record_vote(self, task, values):
        """A member's vote and opinion; nobody casts another member's vote."""
        self.ensure_one()
        member = task.collective_member_id
        vote = values.get("collective_vote")
        opinion = (values.get("collective_vote_opinion") or "").strip()
        if self.state != "voting":
            raise UserError(self.env._("%(meeting)s is not voting.", meeting=self.name))
        if vote not in dict(VOTES):
            raise UserError(self.env._("Choose a vote: for, against, abstain, or absent."))
        if self.env.user != member:
            if vote != "absent" or not self.env.user.has_group("admin_enforcement.group_enforcement_leader"):
                raise AccessError(self.env._(
                    "Only %(member)s can cast their vote; a leader may only record that they were absent.",
                    member=member.name))
        elif vote == "absent":
            raise UserError(self.env._("You are taking part: vote for, against or abstain."))
        if vote in ("for", "against") and not opinion:
            raise UserError(self.env._("Give your opinion with your vote."))
        self.env["enforcement.collective.vote"].sudo().create({
            "decision_id": self.id, "member_id": member.id, "vote": vote, "opinion": opinion,
            "recorded_by_id": self.env.uid, "task_id": task.id,
        })
        return {}

    def _tally(self):
        """Count the votes by the meeting's rule (called once every member's step is done)."""
        self.ensure_one()
        if self.state in ("decided", "signed", "no_quorum"):
            return self.outcome
        chair_vote = self.vote_ids.filtered(lambda v: v.member_id == self.chair_id).vote
        outcome = collective_outcome(self.vote_rule, len(self.member_ids), self.votes_for, self.votes_against,
                                     self.votes_abstain, chair_vote or None)
        self.write({"outcome": outcome, "state": "no_quorum" if outcome == "no_quorum" else "decided"})
        labels = dict(self._fields["outcome"]._description_selection(self.env))
        for case in self.case_ids:
            case._message_log(body=self.env._(
                "Collective discussion %(meeting)s: %(outcome)s (for %(for)s, against %(against)s, "
                "abstain %(abstain)s, absent %(absent)s).",
                meeting=self.name, outcome=labels[outcome], **{
                    "for": self.votes_for, "against": self.votes_against,
                    "abstain": self.votes_abstain, "absent": self.votes_absent}))
        return outcome

    def _sign_minutes(self, values):
        """The chair signs the minutes; the signed record is stored as a PDF on each case."""
        self.ensure_one()
        if self.state != "decided":
            raise UserError(self.env._("%(meeting)s has no outcome to sign.", meeting=self.name))
        if self.env.user != self.chair_id:
            raise AccessError(self.env._("Only the chair %(chair)s signs the minutes.", chair=self.chair_id.name))
        minutes = (values.get("collective_minutes") or self.minutes or "").strip()
        if not minutes:
            raise UserError(self.env._("Write the minutes of the discussion before signing them."))
        meeting = self.sudo()
        meeting.write({"minutes": minutes, "signed_by_id": self.env.uid, "signed_at": fields.Datetime.now()})
        meeting.state = "signed"
        pdf, _kind = self.env["ir.actions.report"].sudo()._render_qweb_pdf(
            "admin_enforcement.action_report_collective_minutes", meeting.ids)
        meeting.minutes_attachment_id = self.env["ir.attachment"].sudo().create({
            "name": f"{meeting.name}-集体讨论记录.pdf",
            "raw": pdf,
            "res_model": self._name,
            "res_id": meeting.id,
            "mimetype": "application/pdf",
        })
        for case in meeting.case_ids:
            if meeting.outcome == "adopted" and case.review_state == "problems" and case.collective_required:
                # The leaders' collective decision settles the disagreement with the reviewer (art. 57, 58).
                case._as_step().review_state = "passed"
            case._message_log(body=self.env._("Minutes of %(meeting)s signed.", meeting=meeting.name),
                              attachment_ids=meeting.minutes_attachment_id.ids)
        return {}

    def action_print_minutes(self):
        return self.env.ref("admin_enforcement.action_report_collective_minutes").report_action(self)
