"""Shared fixture of the master-data tests: two agencies, each on its own
company, with users of every role and a few officers and certificates."""

from datetime import timedelta

from odoo.fields import Command
from odoo.tests.common import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user

from ..enforcement_core.china_clock import china_today

# Valid GB 32100 codes (not those of the demo agencies).
USCC_A = "111101010000000197"
USCC_B = "12440300690000023M"


class MasterDataCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Dates are Chinese dates: every "today" below (tests, computes, cron) is in Asia/Shanghai.
        cls.env = cls.env(context=dict(
            cls.env.context, tracking_disable=True, mail_create_nolog=True, tz="Asia/Shanghai",
        ))
        cls.today = china_today()
        cls.company_a = cls.env["res.company"].create({"name": "Test Bureau A"})
        cls.company_b = cls.env["res.company"].create({"name": "Test Bureau B"})
        cls.agency_a = cls.env["enforcement.agency"].create({
            "name": "测试县市场监督管理局", "short_name": "测试", "company_id": cls.company_a.id, "uscc": USCC_A,
        })
        cls.agency_b = cls.env["enforcement.agency"].create({
            "name": "测试县生态环境局", "short_name": "测环", "company_id": cls.company_b.id, "uscc": USCC_B,
        })
        cls.category_market = cls.env.ref("admin_enforcement.enforcement_category_market")
        cls.category_env = cls.env.ref("admin_enforcement.enforcement_category_environment")
        cls.area_county = cls.env["enforcement.area"].create({"code": "T00001", "name": "测试县"})
        cls.area_town = cls.env["enforcement.area"].create({
            "code": "T00001001", "name": "测试镇", "parent_id": cls.area_county.id,
        })
        cls.area_other = cls.env["enforcement.area"].create({"code": "T00002", "name": "邻县"})

        def user(login, groups, company):
            return mail_new_test_user(
                cls.env, login=login, groups=groups, company_id=company.id, tz="Asia/Shanghai",
                company_ids=[Command.set(company.ids)], name=login,
            )

        prefix = "admin_enforcement.group_enforcement_"
        cls.user_officer_a = user("officer_a", f"base.group_user,{prefix}officer", cls.company_a)
        cls.user_officer_b = user("officer_b", f"base.group_user,{prefix}officer", cls.company_b)
        cls.user_admin_a = user("bureau_admin_a", f"base.group_user,{prefix}admin", cls.company_a)
        cls.user_reviewer_a = user("reviewer_a", f"base.group_user,{prefix}legal_reviewer", cls.company_a)
        cls.user_supervisor = user("supervisor_x", f"base.group_user,{prefix}supervisor", cls.company_a)

        cls.officer_a = cls._officer(cls.agency_a, "张伟", cls.user_officer_a)
        cls.officer_b = cls._officer(cls.agency_b, "刘洋", cls.user_officer_b)
        cls.cert_a = cls._certificate(cls.officer_a, "T-A-0001")
        cls.cert_b = cls._certificate(cls.officer_b, "T-B-0001", category=cls.category_env)
        cls.matter_a = cls.env["enforcement.matter"].create({
            "code": "T-CF-001", "name": "对经营超过保质期食品的行政处罚", "category": "penalty",
            "agency_id": cls.agency_a.id,
            "basis_line_ids": [Command.create({"law": "《中华人民共和国食品安全法》", "article": "第一百二十四条"})],
        })
        cls.matter_b = cls.env["enforcement.matter"].create({
            "code": "T-HCF-001", "name": "对超标排放大气污染物的行政处罚", "category": "penalty",
            "agency_id": cls.agency_b.id,
        })

    @classmethod
    def _officer(cls, agency, name, user=None):
        return cls.env["enforcement.officer"].create({
            "name": name, "agency_id": agency.id, "user_id": user.id if user else False,
        })

    @classmethod
    def _certificate(cls, officer, number, category=None, area=None, valid_from=None, valid_to=None, **vals):
        today = cls.today
        return cls.env["enforcement.certificate"].create({
            "number": number,
            "officer_id": officer.id,
            "issuing_body": "测试县人民政府",
            "category_ids": [Command.set((category or cls.category_market).ids)],
            "area_ids": [Command.set((area or cls.area_county).ids)],
            "valid_from": valid_from or today - timedelta(days=365),
            "valid_to": valid_to or today + timedelta(days=365),
            **vals,
        })
