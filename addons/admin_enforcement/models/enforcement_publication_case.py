from odoo import models
from odoo.exceptions import UserError

from ..enforcement_core.china_clock import china_today


class EnforcementCase(models.Model):
    _inherit = "enforcement.case"

    def _publication_source_values(self):
        """What the publication of this case's decision starts from (unredacted);
        the publisher completes the rest (ID number, address, full text) before
        confirming the redaction. The result is written in the portal language."""
        self.ensure_one()
        env = self.with_context(lang=self.env["enforcement.publication.list.version"]._portal_lang()).env
        if self.decision_kind == "no_penalty":
            conclusion = env._("No administrative penalty.")
        elif self.fine_amount:
            # formatted outside _(): Odoo's term export skips a file with f-strings in _() arguments
            amount = f"{self.fine_amount:,.2f}"
            conclusion = env._("Fine of %(amount)s yuan.", amount=amount)
        else:
            conclusion = self.title
        return {
            "title": self.title,
            "party_name": self.party_name or env._("(party not recorded)"),
            "party_type": self.party_type,
            "decision_number": self.decision_number,
            "conclusion": conclusion,
            "full_text": self.facts or False,
        }

    def _publication_decision_date(self):
        """Day of the decision the publication deadline counts from."""
        self.ensure_one()
        return self.decision_date or china_today()

    def _complete_publication(self, task, values):
        """The publishing task closes once the decision is on the portal."""
        pending = self.env["enforcement.publication"].sudo().search(
            [("case_id", "=", self.id), ("state", "=", "draft")])
        if pending:
            raise UserError(self.env._(
                "Publish decision %(number)s on the portal (confirm its redaction, then Publish) "
                "before closing this task.", number=", ".join(pending.mapped("decision_number"))))
        return {"publication_done": True}
