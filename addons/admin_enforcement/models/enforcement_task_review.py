from odoo import api, fields, models

from ..services.process_steps import STEPS

REVIEW_TASK_STEPS = tuple(code for code, step in STEPS.items() if step.shows_review)


class EnforcementTask(models.Model):
    _inherit = "enforcement.task"

    review_id = fields.Many2one("enforcement.review", compute="_compute_review_id", search="_search_review_id",
                                string="Legal Review")
    review_finding_ids = fields.One2many(related="review_id.finding_ids", readonly=False, string="Checklist")
    review_round_ids = fields.One2many(related="review_id.round_ids", string="Review Rounds")
    review_outcome = fields.Selection([("agree", "Agree"), ("problems", "Problems Found")], string="Opinion")
    review_opinion = fields.Text(string="Opinion and Required Fixes")
    rework_outcome = fields.Selection(
        [("fixed", "Fixed: Resubmit"), ("disagree", "Disagree with the Opinion")], string="Answer")
    rework_note = fields.Text(string="Fixes Made or Reasons for Disagreeing")
    consultation_outcome = fields.Selection(
        [("agreed", "Agreed: Review Again"), ("disagree", "Still Disagree: Collective Discussion")])
    consultation_note = fields.Text(string="Consultation Record")
    review_extension_approved = fields.Boolean(string="Extend the Review")
    review_extension_reason = fields.Text(string="Reason for Extending")
    collective_decision_id = fields.Many2one("enforcement.collective.decision", string="Collective Discussion")
    collective_member_id = fields.Many2one("res.users", string="Voting Member", readonly=True)
    collective_vote = fields.Selection(
        [("for", "For"), ("against", "Against"), ("abstain", "Abstain"), ("absent", "Absent")], string="Vote")
    collective_vote_opinion = fields.Text(string="Opinion")
    collective_minutes = fields.Text(string="Minutes")

    @api.depends("case_id.review_ids", "step_code")
    def _compute_review_id(self):
        for task in self:
            task.review_id = task.step_code in REVIEW_TASK_STEPS and task.case_id.current_review_id

    def _search_review_id(self, operator, value):
        return [("step_code", "in", list(REVIEW_TASK_STEPS)), ("case_id.review_ids", operator, value)]

    @api.depends("case_id.name", "step_code", "collective_decision_id.name", "collective_member_id.name")
    @api.depends_context("lang")
    def _compute_name(self):  # pylint: disable=missing-return  # a compute returns nothing
        """Meeting steps are named after the meeting (and the voting member)."""
        super()._compute_name()
        for task in self.filtered("collective_decision_id"):
            parts = [task.collective_decision_id.name]
            if task.collective_member_id:
                parts.append(task.collective_member_id.name)
            task.name = " · ".join([*parts, task._step_label(task.step_code)])

    @api.model
    def _open_from_engine(self, opened):
        """Vote steps go to their member; opinion steps to the assigned reviewer."""
        task = super()._open_from_engine(opened)
        if task.step_code == "collective_vote" and not task.collective_member_id:
            meeting = self.env["enforcement.collective.decision"].sudo().browse(
                opened.variables.get("collective_decision_id")).exists()
            # The n-th vote of the multi-instance is the n-th member by user id
            # (the order the meeting counted when it was convened).
            member = meeting._member_for_vote(opened.variables.get("loopCounter"))
            task.sudo().write({
                "collective_decision_id": meeting.id, "collective_member_id": member.id, "user_id": member.id,
            })
        elif task.step_code == "collective_minutes" and not task.collective_decision_id:
            meeting = self.env["enforcement.collective.decision"].sudo().browse(
                opened.variables.get("collective_decision_id")).exists()
            task.sudo().write({"collective_decision_id": meeting.id, "user_id": meeting.chair_id.id,
                               "collective_minutes": meeting.minutes})
        elif task.step_code == "legal_review" and not task.user_id:
            reviewer = task.case_id.sudo().current_review_id.reviewer_id
            if reviewer:
                task.sudo().user_id = reviewer
        return task
