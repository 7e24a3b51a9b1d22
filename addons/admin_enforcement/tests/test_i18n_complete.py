import polib

from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChineseTranslationComplete(TransactionCase):
    """Bureau staff work in Chinese: every term the addon shows (fields,
    selections, menus, views, reports, portal pages, messages in code) has a
    zh_CN translation in i18n/zh_CN.po, reaching every place it is used."""

    def test_every_term_has_a_chinese_translation(self):
        catalogue = polib.pofile(file_path("admin_enforcement/i18n/zh_CN.po"))
        translated = [entry for entry in catalogue if entry.msgstr.strip() and not entry.obsolete]
        # Odoo loads a record's term (menu, field, selection, view) only through
        # the entry's `#:` reference to that record, and a term of code only
        # from an entry marked `#. odoo-python` / `#. odoo-javascript`.
        by_reference = {(reference, entry.msgid) for entry in translated for reference, _line in entry.occurrences}
        by_comment = {(comment, entry.msgid) for entry in translated for comment in entry.comment.split("\n")}
        missing = set()
        for module, kind, name, res_id, source, _value, comments in TranslationModuleReader(
                self.env.cr, modules=["admin_enforcement"]):
            if module != "admin_enforcement" or not source.strip():
                continue
            if kind == "code":
                if not any((comment, source) in by_comment for comment in comments):
                    missing.add(f"{source} (in code)")
            elif (f"{kind}:{name}:{res_id}", source) not in by_reference:
                missing.add(f"{source} ({kind}:{name}:{res_id})")
        missing = sorted(missing)
        self.assertFalse(
            missing,
            f"{len(missing)} uses of terms have no zh_CN translation (scripts/i18n_missing.py lists and adds "
            "them), e.g.:\n" + "\n".join(missing[:40]),
        )
