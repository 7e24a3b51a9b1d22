from odoo import api, models

# Every enforcement role implies one of these (leader → officer, bureau
# administrator → leader and committee member → legal reviewer).
ENFORCEMENT_BASE_GROUPS = (
    "admin_enforcement.group_enforcement_officer",
    "admin_enforcement.group_enforcement_legal_reviewer",
    "admin_enforcement.group_enforcement_supervisor",
)
HOME_ACTION = "admin_enforcement.action_enforcement_task"


class ResUsers(models.Model):
    """Enforcement staff start on 我的待办 (My Tasks), not on Discuss.

    Odoo's web client opens the user's *Home Action* (``res.users.action_id``,
    handed to the client as ``home_action_id``) when the URL names none. A
    user who joins an enforcement group without a home action of their own
    gets the task list: on creation, when their groups change, when a group
    gains users, and for the users already there when the module is
    installed or updated. A home action chosen by hand is kept.
    """

    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._enforcement_set_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        # the user form writes groups as in_group_<id> / sel_groups_<ids> fields
        if vals.get("action_id") is False or any(
                key == "groups_id" or key.startswith(("in_group_", "sel_groups_")) for key in vals):
            self._enforcement_set_home_action()
        return result

    def _enforcement_staff(self):
        groups = self.env["res.groups"]
        for xmlid in ENFORCEMENT_BASE_GROUPS:
            groups |= self.env.ref(xmlid, raise_if_not_found=False) or groups
        return self.filtered(lambda user: not user.share and user.groups_id & groups)

    def _enforcement_set_home_action(self):
        action = self.env.ref(HOME_ACTION, raise_if_not_found=False)
        if not action:
            return  # still installing: the data file's call below sets it
        staff = self.sudo()._enforcement_staff().filtered(lambda user: not user.action_id)
        if staff:
            staff.write({"action_id": action.id})  # sets an action: write() does not come back here

    @api.model
    def _enforcement_set_home_action_all(self):
        """Called by data/res_users_data.xml at install and update."""
        self.sudo().with_context(active_test=False).search([("share", "=", False)])._enforcement_set_home_action()


class ResGroups(models.Model):
    _inherit = "res.groups"

    def write(self, vals):
        result = super().write(vals)
        if "users" in vals or "implied_ids" in vals:
            self.sudo().with_context(active_test=False).users._enforcement_set_home_action()
        return result
