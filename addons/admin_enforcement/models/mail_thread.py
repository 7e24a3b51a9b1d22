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
    """The creation message of the addon's records ("已创建案件"), written in
    the agency's language: Odoo's own is "<model name> created" in the
    writer's language, which from a job (no user) is English, and reads
    "Enforcement Case 创建" when the model name is not translated yet (the
    demo data is loaded before the module's translations)."""

    _inherit = "mail.thread"

    def _creation_message(self):
        if not self._name.startswith("enforcement."):
            return super()._creation_message()
        company = self.company_id if "company_id" in self._fields else None
        lang = agency_lang(self.env, company[:1] if company else None)
        record = self.with_context(lang=lang)
        document = record.env["ir.model"]._get(self._name).name
        if document == self._description:  # not in the database yet: from the addon's own file
            document = _model_names_in_po(lang).get("model_" + self._name.replace(".", "_"), document)
        return record.env._("%(document)s created", document=document)
