"""Enforcement staff land on 我的待办 after login and see only the menus of their work."""

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

PREFIX = "admin_enforcement.group_enforcement_"
ROLES = ("officer", "leader", "legal_reviewer", "committee_member", "supervisor", "admin")


@tagged("post_install", "-at_install")
class TestStaffHome(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.home = cls.env.ref("admin_enforcement.action_enforcement_task")

    def _user(self, login, role):
        return mail_new_test_user(self.env, login=login, groups=f"base.group_user,{PREFIX}{role}", name=login)

    def test_every_role_starts_on_the_task_list(self):
        for role in ROLES:
            with self.subTest(role=role):
                user = self._user(f"home_{role}", role)
                self.assertEqual(user.action_id.id, self.home.id)

    def test_demo_users_and_the_web_session_start_on_the_task_list(self):
        for login in ("officer", "leader", "reviewer", "supervisor", "admin"):
            with self.subTest(login=login):
                user = self.env["res.users"].search([("login", "=", login)])
                self.assertEqual(user.action_id.id, self.home.id)
        self.authenticate("leader", "leader")
        info = self.make_jsonrpc_request("/web/session/get_session_info", {})
        self.assertEqual(info["home_action_id"], self.home.id)

    def test_joining_a_group_later_sets_the_home_action_but_keeps_a_chosen_one(self):
        plain = mail_new_test_user(self.env, login="home_plain", groups="base.group_user", name="plain")
        self.assertFalse(plain.action_id)
        self.env.ref(f"{PREFIX}officer").users = [Command.link(plain.id)]
        self.assertEqual(plain.action_id.id, self.home.id)

        chosen = self.env.ref("base.action_res_users")
        other = mail_new_test_user(self.env, login="home_chosen", groups="base.group_user", name="chosen")
        other.action_id = chosen.id
        other.groups_id = [Command.link(self.env.ref(f"{PREFIX}leader").id)]
        self.assertEqual(other.action_id.id, chosen.id)

    def test_a_leader_sees_neither_apps_nor_employees(self):
        menus = self.env["ir.ui.menu"]
        hidden = [self.env.ref("base.menu_management"), self.env.ref("hr.menu_hr_root")]
        for login in ("leader", "officer", "reviewer", "supervisor"):
            user = self.env["res.users"].search([("login", "=", login)])
            visible = menus.with_user(user)._visible_menu_ids()
            with self.subTest(login=login):
                self.assertIn(self.env.ref("admin_enforcement.menu_enforcement_root").id, visible)
                for menu in hidden:
                    self.assertNotIn(menu.id, visible, menu.name)
        admin_visible = menus.with_user(self.env.ref("base.user_admin"))._visible_menu_ids()
        for menu in hidden:
            self.assertIn(menu.id, admin_visible)
