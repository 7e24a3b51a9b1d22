"""Records that stay on record (a public publication, a closed matter, an
issued certificate, a published list version) refuse deletion whatever the
caller sends.

Odoo skips ``@api.ondelete(at_uninstall=False)`` checks whenever the
context carries its uninstall flag, and any RPC client can set a context
key. So the guards run at uninstall too and stand aside only for what Odoo
itself accepts as an uninstall: the flag set by a system administrator, the
only user ``ir.model.data._module_data_uninstall`` lets remove a module's
data.
"""
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def removing_the_addon(env) -> bool:
    return bool(env.context.get(MODULE_UNINSTALL_FLAG)) and env.is_system()
