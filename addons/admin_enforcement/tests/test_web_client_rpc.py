from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestWebClientRpc(HttpCase):
    """Every list and form the menus open loads through the web client's own
    RPC route, the way a browser calls it (a method override that breaks
    call_kw shows here, not in ORM-level tests)."""

    def test_every_action_loads_its_list_and_first_record(self):
        """Each action as the first demo role that may read its model: the
        administrator, or the supervisor for the supervisor-only desk."""
        roles = [self.env.ref("base.user_admin"), self.env.ref("admin_enforcement.demo_user_supervisor")]
        actions = self.env["ir.actions.act_window"].search([
            ("res_model", "like", "enforcement.%"),
            ("id", "in", self.env["ir.model.data"].search([
                ("module", "=", "admin_enforcement"), ("model", "=", "ir.actions.act_window"),
            ]).mapped("res_id")),
        ])
        self.assertTrue(actions)
        signed_in = None
        for action in actions:
            with self.subTest(action=action.name, model=action.res_model):
                reader = next((user for user in roles
                               if self.env[action.res_model].with_user(user).has_access("read")), None)
                self.assertTrue(reader, "no role reads the model this menu opens")
                if reader != signed_in:  # a sign-in costs a deliberately slow password hash
                    self.authenticate(reader.login, reader.login)
                    signed_in = reader
                result = self.make_jsonrpc_request(f"/web/dataset/call_kw/{action.res_model}/web_search_read", {
                    "model": action.res_model, "method": "web_search_read", "args": [],
                    "kwargs": {"domain": [], "specification": {"display_name": {}}, "limit": 1},
                })
                if result["records"]:
                    record_id = result["records"][0]["id"]
                    self.make_jsonrpc_request(f"/web/dataset/call_kw/{action.res_model}/web_read", {
                        "model": action.res_model, "method": "web_read", "args": [[record_id]],
                        "kwargs": {"specification": {"display_name": {}}},
                    })
