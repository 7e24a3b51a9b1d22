import polib

from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChineseTranslationComplete(TransactionCase):
    """Bureau staff work in Chinese: every term the addon shows (fields,
    selections, menus, views, reports, portal pages, messages in code) has a
    zh_CN translation in i18n/zh_CN.po."""

    def test_every_term_has_a_chinese_translation(self):
        catalogue = polib.pofile(file_path("admin_enforcement/i18n/zh_CN.po"))
        translated = {entry.msgid for entry in catalogue if entry.msgstr.strip() and not entry.obsolete}
        terms = {
            row[4] for row in TranslationModuleReader(self.env.cr, modules=["admin_enforcement"])
            if row[0] == "admin_enforcement" and row[4].strip()
        }
        missing = sorted(terms - translated)
        self.assertFalse(
            missing,
            f"{len(missing)} terms have no zh_CN translation, e.g.:\n" + "\n".join(missing[:40]),
        )
