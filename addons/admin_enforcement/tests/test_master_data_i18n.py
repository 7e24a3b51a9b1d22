from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from .chinese import load_chinese


@tagged("post_install", "-at_install")
class TestMasterDataTranslations(TransactionCase):
    """The master-data screens and messages are usable in Chinese (zh_CN.po loads and applies)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.env_zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def test_labels_translated(self):
        cases = [
            (self.env_zh.ref("admin_enforcement.menu_enforcement_officer").name, "执法人员"),
            (self.env_zh.ref("admin_enforcement.enforcement_certificate_action").name, "执法证"),
            (self.env_zh["enforcement.agency"]._fields["uscc"].get_description(self.env_zh)["string"],
             "统一社会信用代码"),
            (dict(self.env_zh["enforcement.matter"]._fields["category"]._description_selection(self.env_zh))
             ["penalty"], "行政处罚"),
            (self.env_zh.ref("admin_enforcement.penalty_type_fine").name, "罚款"),
        ]
        for got, expected in cases:
            with self.subTest(expected=expected):
                self.assertEqual(got, expected)

    def test_each_state_reads_right(self):
        """A closed case is 已结案 and a closed matter 已废止: no English word is shared between them."""
        def label(model, value):
            return dict(self.env_zh[model]._fields["state"]._description_selection(self.env_zh))[value]

        self.assertEqual(label("enforcement.case", "closed"), "已结案")
        self.assertEqual(label("enforcement.case", "decided"), "已作出决定")
        self.assertEqual(label("enforcement.matter", "closed"), "已废止")

    def test_error_message_translated(self):
        company = self.env["res.company"].create({"name": "i18n bureau"})
        with self.assertRaises(ValidationError) as caught:
            self.env_zh["enforcement.agency"].create({
                "name": "测试局", "company_id": company.id, "uscc": "111101010000000198",
            })
        self.assertIn("统一社会信用代码 111101010000000198 无效", str(caught.exception))
