from odoo import models
from odoo.exceptions import AccessError

from ..enforcement_core.china_clock import china_today



class EnforcementCase(models.Model):
    """Who may act on a case at this moment: 持证上岗 for the officer who
    completes a step or adds a record, the leader role of the case's agency
    for approvals, the qualification for legal reviewers. Each check names
    the person, the certificate and the reason, and is run by the server
    (task completion, record creation), never trusted from the client."""

    _inherit = "enforcement.case"

    def _acting_officer_problems(self, user, on_date=None):
        """Every reason ``user`` may not act as an officer of this case now; empty = may act."""
        self.ensure_one()
        case = self.sudo()
        reason = self.env["enforcement.rule.reason"]
        if not case.category_id or not case.area_id:
            return [self.env._("The case has no enforcement category and area, so no certificate can be checked.")]
        on_date = on_date or china_today()
        officer = case.officer_ids.filtered(lambda o: o.user_id == user)[:1]
        if not officer and not case.officer_ids:
            # Before the team is set (立案 stage) the officer who registers
            # material must still be a certified officer of the agency.
            officer = self.env["enforcement.officer"].sudo().search(
                [("user_id", "=", user.id), ("agency_id", "=", case.agency_id.id)], limit=1)
            if not officer:
                return [self.env._("%(user)s is not an enforcement officer of %(agency)s.",
                                   user=user.name, agency=case.agency_id.name)]
        elif not officer:
            return [self.env._("%(user)s is not on the case team of %(case)s.",
                               user=user.name, case=case.display_name)]
        problems = [reason._text(r) for r in officer._eligibility_reasons(
            case.category_id.code, case.area_id.code, on_date)[officer.id]]
        if officer in case._conflicted_officers():
            problems.append(self.env._("has a conflict of interest and must recuse"))
        return problems

    def _check_acting_officer(self, user):
        for case in self:
            problems = case._acting_officer_problems(user)
            if problems:
                raise AccessError(self.env._(
                    "%(user)s may not act on case %(case)s (持证上岗): %(reasons)s",
                    user=user.name, case=case.sudo().display_name, reasons="；".join(problems)))

    def _check_acting_leader(self, user):
        for case in self:
            company = case.sudo().company_id
            if not user.has_group("admin_enforcement.group_enforcement_leader") or company not in user.company_ids:
                raise AccessError(self.env._(
                    "%(user)s may not approve or decide for case %(case)s: only a leader of %(agency)s can.",
                    user=user.name, case=case.sudo().display_name, agency=case.sudo().agency_id.name))

    def _check_acting_legal_reviewer(self, user):
        for case in self:
            agency = case.sudo().agency_id
            reviewer = self.env["enforcement.legal.reviewer"].sudo().search(
                [("user_id", "=", user.id), ("agency_id", "=", agency.id), ("state", "=", "active")], limit=1)
            if not reviewer:
                raise AccessError(self.env._(
                    "%(user)s may not review case %(case)s: not an active legal reviewer of %(agency)s.",
                    user=user.name, case=case.sudo().display_name, agency=agency.name))
            if reviewer.first_time and not (reviewer.qualification_number and reviewer.qualification_date):
                raise AccessError(self.env._(
                    "%(user)s may not review case %(case)s: a first-time reviewer needs the national legal "
                    "professional qualification.", user=user.name, case=case.sudo().display_name))
