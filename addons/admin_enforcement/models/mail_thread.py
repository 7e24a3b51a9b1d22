from odoo import models

from .enforcement_case import agency_lang


class MailThread(models.AbstractModel):
    """The creation message of the addon's records ("已创建案件"), written in
    the agency's language: Odoo's own is "<model name> created" in the
    writer's language, which from a job (no user) is English, and reads
    "Enforcement Case 创建" when the model name is not yet translated."""

    _inherit = "mail.thread"

    def _creation_message(self):
        if not self._name.startswith("enforcement."):
            return super()._creation_message()
        company = self.company_id if "company_id" in self._fields else None
        record = self.with_context(lang=agency_lang(self.env, company[:1] if company else None))
        document = record.env["ir.model"]._get(self._name).name
        return record.env._("%(document)s created", document=document)
