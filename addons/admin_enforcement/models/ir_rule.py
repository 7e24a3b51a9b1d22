import logging

from odoo import models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)


class IrRule(models.Model):
    """A refusal by a record rule on the addon's records says, in plain words
    and the user's language, who may do this and why, instead of Odoo's
    joke ("…a batch of freshly baked cookies") and its multi-company hint,
    which sends bureau staff looking for a company switcher they do not have."""

    _inherit = "ir.rule"

    def _make_access_error(self, operation, records):
        if not records._name.startswith("enforcement."):
            return super()._make_access_error(operation, records)
        _logger.info("Access Denied by record rules for operation: %s on record ids: %r, uid: %s, model: %s",
                     operation, records.ids[:6], self._uid, records._name)
        self = self.with_context(**self.env.user.context_get())  # noqa: PLW0642 (as Odoo's own method)
        user = self.env.user
        records = records.with_env(self.env)
        document = self.env["ir.model"]._get(records._name).name or records._name
        action = {
            "read": self.env._("open"),
            "write": self.env._("change"),
            "create": self.env._("create"),
            "unlink": self.env._("delete"),
        }[operation]
        own = records.sudo()
        if "company_id" in own._fields:
            own = own.filtered(lambda rec: not rec.company_id or rec.company_id in user.company_ids)
        # Name the records only where they belong to the user's own agency.
        names = "、".join(own[:3].mapped("display_name")) if own == records.sudo() else ""
        names = "「" + names + "」" if names else ""
        explain = getattr(records, "_enforcement_access_why", None)
        why = (explain(operation, user) if explain else self.env._(
            "your role does not handle them: each role sees the records of its own work.")
        ) if own == records.sudo() else self.env._(
            "they belong to another agency, and an agency's records are open only to its own staff who "
            "handle them, and to supervisors.")
        message = self.env._(
            "%(user)s may not %(action)s %(what)s: %(why)s "
            "If you need to, ask your agency's leader or the system administrator.",
            user=user.name, action=action, what=document + names, why=why)
        own.invalidate_recordset()
        return AccessError(message)
