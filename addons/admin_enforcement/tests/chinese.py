"""The one way the tests load the addon's zh_CN translations."""


def load_chinese(env):
    """Activate zh_CN and load admin_enforcement's zh_CN.po into ``env``'s database."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"].search([("name", "=", "admin_enforcement")])._update_translations(["zh_CN"])
