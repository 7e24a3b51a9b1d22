"""Dated duties of a case after its decision, and the transfer of a suspected
crime (seed policy 001 items 三十, 三十二; 行政处罚法 27, 82).

- 重大行政处罚决定备案: a major penalty decision (``enforcement_core.duties``)
  opens the leader's filing task, due ``agency.major_filing_days`` calendar
  days after the decision (15 by default); completing it records to whom, on
  which day, under which number (the agency's pattern) and with which file
  the decision was filed.
- 行刑衔接: an investigation report may conclude that the facts amount to a
  suspected crime. The process then leaves the decision period: the officers
  send the transfer documents (涉嫌犯罪案件移送书, a report of this case) and
  the case is suspended until the public-security organ's receipt is
  recorded. When the organ files the case the administrative case is closed
  (结案, then archived); when it declines, the investigation resumes.
"""
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..enforcement_core.china_clock import china_today
from .enforcement_discretion_tier import to_decimal

TRANSFER_RECEIPTS = [("accepted", "Case Filed by Public Security"), ("declined", "Not Filed, Returned")]


class EnforcementCaseDuties(models.Model):
    _inherit = "enforcement.case"

    state = fields.Selection(
        selection_add=[("investigation",), ("transferred", "Transferred to Public Security (Suspended)")],
        ondelete={"transferred": "set default"},
    )
    investigation_conclusion = fields.Selection(
        selection_add=[("transfer", "Transfer to Public Security (Suspected Crime)")],
        ondelete={"transfer": "set null"},
    )

    # 重大行政处罚决定备案 (item 三十)
    major_filing_required = fields.Boolean(
        string="Major Decision to File", readonly=True, tracking=True,
        help="The decision orders suspension of production or business, revokes a licence or imposes a large "
             "fine: it is filed with the government's office for law-based administration.")
    major_filing_reasons = fields.Text(string="Why It Is Filed", readonly=True)
    major_filing_due = fields.Date(string="File By", readonly=True, tracking=True)
    major_filed_to = fields.Char(string="Filed With", readonly=True, tracking=True)
    major_filed_on = fields.Date(string="Filed On", readonly=True, tracking=True)
    major_filing_number = fields.Char(string="Filing Number", readonly=True, copy=False, tracking=True)
    major_filing_attachment = fields.Binary(string="Filing Report", readonly=True, attachment=True, copy=False)
    major_filing_attachment_name = fields.Char(string="Filing Report File Name", readonly=True, copy=False)

    # 行刑衔接 (arts. 27, 82)
    transfer_reason = fields.Text(string="Facts of the Suspected Crime", readonly=True)
    transfer_organ = fields.Char(string="Transferred To", readonly=True, tracking=True)
    transfer_sent_on = fields.Date(string="Transferred On", readonly=True, tracking=True)
    transfer_number = fields.Char(string="Transfer Document Number", readonly=True, copy=False, tracking=True)
    transfer_receipt_on = fields.Date(string="Receipt Date", readonly=True, tracking=True)
    transfer_accepted = fields.Selection(TRANSFER_RECEIPTS, string="Receipt", readonly=True, tracking=True)
    transfer_receipt_note = fields.Text(string="Receipt Details", readonly=True)

    # 行政复议 / 行政诉讼 (enforcement.remedy)
    remedy_ids = fields.One2many("enforcement.remedy", "case_id", string="Reconsideration and Litigation")
    remedy_count = fields.Integer(compute="_compute_remedy_count")

    @api.depends("remedy_ids")
    def _compute_remedy_count(self):
        for case in self:
            case.remedy_count = len(case.remedy_ids)

    # ------------------------------------------------------------------
    # 备案
    # ------------------------------------------------------------------
    def _major_decision_reasons(self):
        """Why the decision is major in the sense of item 三十 (empty if it is not)."""
        from ..enforcement_core.duties import MajorThresholds, major_decision_reasons

        self.ensure_one()
        if self.decision_kind != "penalty":
            return []
        codes = set(self.penalty_type_ids.mapped("code"))
        if self.fine_amount:
            codes.add("fine")
        agency = self.agency_id.sudo()
        thresholds = MajorThresholds(fine_person=Decimal(str(agency.major_fine_person)),
                                     fine_organisation=Decimal(str(agency.major_fine_organisation)))
        return major_decision_reasons(self.party_type, codes, to_decimal(self.fine_amount), thresholds)

    def _major_reason_text(self, reason):
        if reason.code == "major_penalty_type":
            return self.env._("the decision imposes %(penalty)s",
                              penalty=self.env["enforcement.rule.reason"]._penalty_name(reason.params["penalty_type"]))
        # formatted outside _(): Odoo's term export skips a file with f-strings in _() arguments
        fine, threshold = f"{reason.params['fine']:.2f}", f"{reason.params['threshold']:.2f}"
        return self.env._("the fine of %(fine)s yuan reaches the large-amount threshold of %(threshold)s yuan",
                          fine=fine, threshold=threshold)

    def _open_major_filing(self):
        """At the decision: is it to be filed, and by when (calendar days, not rolled)."""
        from ..enforcement_core.deadlines import end_of_day_iso
        from ..enforcement_core.duties import filing_due

        self.ensure_one()
        reasons = self._major_decision_reasons()
        if not reasons:
            self._as_step().write({"major_filing_required": False})
            return {"major_filing_required": False, "major_filing_due": ""}
        due = filing_due(self.decision_date or china_today(),
                         self.agency_id.sudo().major_filing_days)
        case = self._with_agency_lang()
        self._as_step().write({
            "major_filing_required": True, "major_filing_due": due,
            "major_filing_reasons": "；".join(case._major_reason_text(r) for r in reasons),
        })
        return {"major_filing_required": True, "major_filing_due": end_of_day_iso(due)}

    def _complete_major_filing(self, task, values):
        filed_to = (values.get("filing_filed_to") or "").strip()
        filed_on = values.get("filing_filed_on")
        if not filed_to or not filed_on or not values.get("filing_attachment"):
            raise UserError(self.env._(
                "Enter to whom and on which day the decision was filed, and attach the filing report."))
        filed_on = fields.Date.to_date(filed_on)
        if self.decision_date and filed_on < self.decision_date:
            raise UserError(self.env._("The decision cannot be filed before it was made."))
        if filed_on > china_today():
            raise UserError(self.env._("A filing cannot be dated in the future."))
        vals = {
            "major_filed_to": filed_to, "major_filed_on": filed_on,
            "major_filing_attachment": values["filing_attachment"],
            "major_filing_attachment_name": values.get("filing_attachment_name") or "filing.pdf",
        }
        if not self.major_filing_number:
            vals["major_filing_number"] = self.agency_id.sudo()._take_number("filing", filed_on.year,
                                                                            category="penalty")
        self._as_step().write(vals)
        return {}

    # ------------------------------------------------------------------
    # 行刑衔接
    # ------------------------------------------------------------------
    def _conclude_transfer(self, values):
        """The investigation report finds a suspected crime (called by _complete_investigation_report)."""
        reason = (values.get("transfer_reason") or "").strip()
        if not reason:
            raise UserError(self.env._(
                "Describe the facts that amount to a suspected crime before transferring the case."))
        self._as_step().write({"investigation_conclusion": "transfer", "transfer_reason": reason})
        return {"investigation_conclusion": "transfer"}

    def _complete_crime_transfer(self, task, values):
        organ = (values.get("transfer_organ") or "").strip()
        sent_on = values.get("transfer_sent_on")
        if not organ or not sent_on:
            raise UserError(self.env._("Enter the public-security organ and the day the case was transferred."))
        sent_on = fields.Date.to_date(sent_on)
        if sent_on > china_today():
            raise UserError(self.env._("A transfer cannot be dated in the future."))
        vals = {"transfer_organ": organ, "transfer_sent_on": sent_on, "state": "transferred",
                "transfer_accepted": False, "transfer_receipt_on": False}
        if not self.transfer_number:
            vals["transfer_number"] = self.agency_id.sudo()._take_number("transfer", sent_on.year,
                                                                        category="penalty")
        self._as_step().write(vals)
        return {}

    def _complete_transfer_receipt(self, task, values):
        accepted = values.get("transfer_accepted")
        received = values.get("transfer_receipt_on")
        if accepted not in dict(TRANSFER_RECEIPTS) or not received:
            raise UserError(self.env._(
                "Enter the day of the public-security organ's receipt and whether it filed the case."))
        received = fields.Date.to_date(received)
        if self.transfer_sent_on and received < self.transfer_sent_on:
            raise UserError(self.env._("The receipt cannot predate the transfer."))
        if received > china_today():
            raise UserError(self.env._("A receipt cannot be dated in the future."))
        vals = {"transfer_accepted": accepted, "transfer_receipt_on": received,
                "transfer_receipt_note": values.get("transfer_receipt_note") or False}
        if accepted == "declined":
            # The organ did not file it: the administrative case goes on (investigation anew).
            vals.update(state="investigation", investigation_conclusion=False)
        self._as_step().write(vals)
        case = self._with_agency_lang()
        case._message_log(body=case.env._(
            "Public security receipt of %(date)s: %(receipt)s", date=received,
            receipt=dict(self._fields["transfer_accepted"]._description_selection(case.env))[accepted]))
        return {"transfer_accepted": accepted}

    # ------------------------------------------------------------------
    # After a remedy's result took effect (enforcement.remedy, process enforcement_remedy_duties)
    # ------------------------------------------------------------------
    def _complete_publication_withdrawal(self, task, values):
        """Withdraw from the portal every publication of the case whose
        withdrawal the remedy's result requested (the leader's gate applies)."""
        pending = self.env["enforcement.publication"].search([
            ("case_id", "=", self.id), ("state", "=", "published"), ("withdrawal_requested_on", "!=", False)])
        if pending:
            pending.action_withdraw()
        return {}

    def _complete_lost_case_report(self, task, values):
        remedy = self.remedy_ids.filtered(lambda r: r.lost_case and not r.report_submitted_on).sorted("id")[:1]
        if not remedy:
            raise UserError(self.env._("Case %(case)s has no lost lawsuit waiting for its report.",
                                       case=self.display_name))
        remedy._submit_report(values)
        return {}

    def _transfer_print_date(self):
        """Day shown on the transfer document (Beijing)."""
        self.ensure_one()
        return self.transfer_sent_on or china_today()

    def action_print_transfer(self):
        self.ensure_one()
        if not self.transfer_reason:
            raise UserError(self.env._("Case %(case)s is not being transferred to public security.",
                                       case=self.display_name))
        return self.env.ref("admin_enforcement.action_report_crime_transfer").report_action(self)

    def action_open_remedies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("admin_enforcement.action_enforcement_remedy")
        action["domain"] = [("case_id", "=", self.id)]
        action["context"] = {"default_case_id": self.id}
        return action
