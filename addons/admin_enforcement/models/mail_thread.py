import functools
from pathlib import Path

from odoo import models
from odoo.tools.translate import PoFileReader

from .enforcement_case import agency_lang

I18N = Path(__file__).resolve().parent.parent / "i18n"


@functools.lru_cache(maxsize=4)
def _model_names_in_po(lang):
    """{ir.model xmlid name: translated model name} from the addon's own .po file."""
    path = I18N / f"{lang}.po"
    if not path.exists():
        return {}
    return {entry["imd_name"]: entry["value"] for entry in PoFileReader(str(path))
            if entry["type"] == "model" and entry["name"] == "ir.model,name" and entry["value"]}


class MailThread(models.AbstractModel):
    """The history of the addon's records in the agency's language: the
    creation message ("已创建案件") and the tracked changes ("待公示 → 已公示"),
    which Odoo stores as text in the writer's language, from a job (no user)
    English. Odoo's creation message also reads "Enforcement Case 创建" when
    the model name is not translated yet (the demo data is loaded before the
    module's translations)."""

    _inherit = "mail.thread"

    def _enforcement_history_lang(self):
        company = self.company_id if "company_id" in self._fields else None
        return agency_lang(self.env, company[:1] if company else None)

    def _message_track(self, fields_iter, initial_values_dict):
        if not self._name.startswith("enforcement.") or not self:
            return super()._message_track(fields_iter, initial_values_dict)
        records = self.with_context(lang=self[:1]._enforcement_history_lang())
        return super(MailThread, records)._message_track(fields_iter, initial_values_dict)

    def _creation_message(self):
        if not self._name.startswith("enforcement."):
            return super()._creation_message()
        lang = self._enforcement_history_lang()
        record = self.with_context(lang=lang)
        document = record.env["ir.model"]._get(self._name).name
        if document == self._description:  # not in the database yet: from the addon's own file
            document = _model_names_in_po(lang).get("model_" + self._name.replace(".", "_"), document)
        return record.env._("%(document)s created", document=document)
