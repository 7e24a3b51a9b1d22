"""What a clerk reads, in Chinese: the task list and the case summary on a
task, texts the server writes (also from a job, where no user's language is
known), the rules' reasons, access denials and the small labels."""

from datetime import datetime, timedelta

from lxml import etree

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from ..enforcement_core.china_clock import china_today
from ..enforcement_core.discretion import DiscretionStandard, FineRange, Proposal, Tier, check_proposed_penalty
from ..enforcement_core.hearing import hearing_eligibility
from ..services.process_steps import STEPS
from .test_case_gates import PREFIX, CaseCommon
from .chinese import load_chinese


class ChineseCommon(CaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.company.partner_id.lang = "zh_CN"
        (cls.user_officer_1 | cls.user_officer_2 | cls.user_leader | cls.user_reviewer).lang = "zh_CN"
        cls.zh = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def _job_env(self):
        """The job worker's environment (workers/runtime.py): superuser, no language."""
        return api.Environment(self.env.cr, SUPERUSER_ID, {})


@tagged("post_install", "-at_install")
class TestTaskListAndSummary(ChineseCommon):
    def test_task_list_shows_title_party_step_and_beijing_due_date(self):
        case = self._case()
        task = self._task(case, "filing_approval", "leader")
        # 2026-12-03 17:30 UTC is 2026-12-04 01:30 in Beijing
        task.sudo().date_deadline = datetime(2026, 12, 3, 17, 30)
        task = task.with_user(self.user_leader).with_context(lang="zh_CN")
        self.assertEqual(task.case_title, "某超市销售过期食品案")
        self.assertEqual(task.party_name, "城关县惠民超市有限公司")
        self.assertEqual(task.step_label, "立案审批")
        self.assertEqual(task.date_due, fields.Date.to_date("2026-12-04"))
        self.assertIn("某超市销售过期食品案", task.name)
        self.assertIn("立案审批", task.name)
        self.assertEqual(task.with_context(lang="zh_CN").search([("name", "ilike", "惠民超市")]), task)

        beijing_today = china_today()
        task.sudo().date_deadline = datetime.combine(beijing_today + timedelta(days=3), datetime.min.time())
        task.invalidate_recordset()
        self.assertEqual(task.days_left, 3)

    def test_task_form_starts_with_the_case_summary(self):
        case = self._case(facts="2026年11月28日检查发现货架上有过期食品。")
        self._team(case, self.officer_1, self.officer_2)
        task = self._task(case, "filing_approval", "leader").with_user(self.user_leader)
        self.assertEqual(task.case_ref, case.name)
        self.assertEqual(task.case_matter_id, self.matter)
        self.assertEqual(task.case_officer_ids, self.officer_1 | self.officer_2)
        self.assertEqual(task.case_facts, "2026年11月28日检查发现货架上有过期食品。")
        self.assertEqual(task.case_filing_date, case.filing_date)
        self.assertEqual(task.case_agency_id, self.agency)
        arch = task.env["enforcement.task"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertLess(arch.index('name="case_summary"'), arch.index('name="filing_approval"'))
        self.assertIn('name="action_open_case"', arch[arch.index('name="case_summary"'):])


@tagged("post_install", "-at_install")
class TestTaskFormIsTheStepDeclaration(ChineseCommon):
    """The task form's step section is services/process_steps.py: each step
    shows exactly the fields it declares, under its label in Chinese, with
    the declared rules, and nothing else is a step on the form."""

    def _form(self, user):
        views = self.env["enforcement.task"].with_user(user).with_context(lang="zh_CN").get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    def test_each_step_shows_its_declared_fields_under_its_chinese_label(self):
        for user in (self.user_officer_1, self.user_leader):
            form = self._form(user)
            step_groups = form.xpath("//group[contains(@invisible, 'step_code')]")
            self.assertEqual(sorted(g.get("name") for g in step_groups),
                             sorted(code for code, step in STEPS.items() if step.form),
                             "the step groups on the form are the declared steps that show fields, each once")
            for code, step in STEPS.items():
                with self.subTest(user=user.login, step=code):
                    groups = form.xpath(f"//group[@name='{code}']")
                    if not step.form:
                        self.assertEqual(groups, [], "a step with no fields has no group")
                        continue
                    (group,) = groups
                    self.assertEqual(group.get("invisible"), f"step_code != '{code}'")
                    self.assertEqual(group.get("string"), ZH_STEP_TITLES[code])
                    self.assertEqual([f.get("name") for f in group.xpath("./field")], [f.name for f in step.form])
                    for node in group.xpath("./field[@placeholder]"):
                        self.assertRegex(node.get("placeholder"), "[\u4e00-\u9fff]", "placeholder in Chinese")

    def test_display_rules_of_the_declaration_reach_the_form(self):
        form = self._form(self.user_leader)
        decision = form.xpath("//group[@name='decision']")[0]
        reason = decision.xpath("./field[@name='return_reason']")[0]
        self.assertEqual(reason.get("invisible"), "not decision_returned")
        self.assertEqual(reason.get("required"), "decision_returned and state == 'open'")
        self.assertEqual(reason.get("readonly"), "state != 'open'")
        self.assertEqual(reason.get("placeholder"), "需要补充调查的事项及理由")
        self.assertEqual(decision.xpath("./field[@name='decision_kind']")[0].get("widget"), "radio")
        self.assertEqual(decision.xpath("./field[@name='fine_amount']")[0].get("invisible"),
                         "decision_returned or decision_kind != 'penalty'")
        team = form.xpath("//group[@name='team_assignment']/field[@name='case_team_problems']")[0]
        self.assertEqual((team.get("class"), team.get("invisible")), ("text-danger", "not case_team_problems"))
        checklist = form.xpath("//group[@name='legal_review']/field[@name='review_finding_ids']")[0]
        self.assertEqual(checklist.get("readonly"), "state != 'open'")
        table = checklist.xpath("./list")[0]
        self.assertEqual(table.get("editable"), "bottom")
        self.assertEqual([f.get("name") for f in table.xpath("./field")],
                         ["item", "system_note", "suggested_result", "result", "note"])
        rounds = form.xpath("//group[@name='review_rework']/field[@name='review_round_ids']/list/field")
        self.assertEqual([f.get("name") for f in rounds], ["number", "outcome", "opinion", "rework_outcome"])
        vote = form.xpath("//group[@name='collective_vote']")[0]
        self.assertEqual(vote.xpath("./field[@name='collective_decision_id']")[0].get("readonly"), "1")
        meeting = form.xpath("//group[@name='collective_discussion']/field[@name='collective_decision_id']")[0]
        self.assertEqual(meeting.get("readonly"), "state != 'open'")
        self.assertIn("'signed'", meeting.get("domain"))


# The titles a clerk reads over each step's fields (the steps' zh_CN labels).
ZH_STEP_TITLES = {
    "filing_approval": "立案审批",
    "team_assignment": "办案人员",
    "investigation": "调查取证",
    "investigation_report": "调查终结报告",
    "prior_notice": "事先告知",
    "hearing_notice": "听证通知书",
    "hearing_record": "听证笔录",
    "decision": "决定",
    "deadline_escalation": "办案期限届满",
    "service": "送达处罚决定书",
    "court_enforcement": "申请法院强制执行",
    "legal_review": "法制审核",
    "review_rework": "审核意见整改",
    "review_escalate": "审核意见协商",
    "review_overdue": "法制审核超期",
    "collective_vote": "集体讨论表决",
    "collective_minutes": "集体讨论记录",
    "collective_discussion": "集体讨论",
    # random inspection (双随机、一公开)
    "inspection_plan_approval": "审批抽查计划",
    "inspection_public_value": "录入公开随机数",
    "inspection_onsite": "现场检查",
    "inspection_followup": "复查整改情况",
    "inspection_result_publication": "公示检查结果",
    # Dated duties after a decision and 行刑衔接
    "major_filing": "重大行政处罚决定备案",
    "crime_transfer": "移送公安机关",
    "transfer_receipt": "登记公安机关回执",
    "publication_withdrawal": "撤下已公示的决定",
    "lost_case_report": "行政执法败诉案件报告",
    # 简易程序 (当场处罚)
    "simple_onsite": "当场处罚决定",
    "simple_service": "当场交付决定书",
    "simple_filing": "当场处罚决定备案",
    # 查封、扣押
    "seizure_approval": "批准查封、扣押",
    "seizure_emergency_approval": "补办批准（紧急实施）",
    "seizure_notify": "通知当事人到场（或邀请见证人）",
    "seizure_inform": "告知理由、依据和权利",
    "seizure_statement": "听取陈述和申辩",
    "seizure_record": "制作现场笔录和清单并签名",
    "seizure_handover": "当场交付决定书和清单",
    "seizure_extension": "批准延长查封、扣押期限",
    "seizure_return": "退还财物并制作记录",
}


@tagged("post_install", "-at_install")
class TestServerTextsInChinese(ChineseCommon):
    def test_creation_message_reads_in_chinese(self):
        case = self.env["enforcement.case"].with_context(mail_create_nolog=False, tracking_disable=False).with_user(
            self.user_officer_1).create({"title": "某超市销售过期食品案", "agency_id": self.agency.id})
        body = case.message_ids[-1].body
        self.assertIn("案件", body)
        self.assertNotIn("Enforcement Case", body)
        self.assertNotIn("created", body)

    def test_job_written_texts_take_the_agency_language(self):
        case = self._case()
        # as after the commit that created the case (Odoo tracks no change of a record created in the transaction)
        self.env.cr.precommit.data.pop("mail.tracking.enforcement.case", None)
        job_case = self._job_env()["enforcement.case"].with_context(tracking_disable=False).browse(case.id)
        self.assertFalse(job_case.env.lang)
        self.assertEqual(job_case._with_agency_lang().env.lang, "zh_CN")
        job_case._as_step().write({"review_state": "required"})
        job_case._as_step().write({"review_state": "in_review"})
        self.env.flush_all()
        job_case._track_finalize()
        values = self.env["mail.tracking.value"].search([
            ("mail_message_id.model", "=", "enforcement.case"), ("mail_message_id.res_id", "=", case.id),
            ("field_id.name", "=", "review_state")])
        self.assertIn("审核中", values.mapped("new_value_char"))
        self.assertNotIn("In Review", values.mapped("new_value_char"))

        opened = self._task(self._job_env()["enforcement.case"].browse(case.id), "filing_approval", "leader")
        event = case.event_ids.filtered(lambda e: e.kind == "task_opened")
        self.assertEqual(event.step_name, "立案审批", opened)

    def test_review_checklist_prefill_in_the_agency_language(self):
        case = self._case()
        self._team(case, self.officer_1)
        case._as_step().write({"investigation_conclusion": "penalty"})
        prefill = self._job_env()["enforcement.case"].browse(case.id)._with_agency_lang()._review_prefill()
        officers = prefill["officers_qualified"][1]
        self.assertIn("执法证有效", officers)
        self.assertNotIn("certificate valid", officers)
        self.assertNotIn("The case file", prefill["documents_complete"][1])
        review = self._job_env()["enforcement.review"]._open_for_case(
            self._job_env()["enforcement.case"].browse(case.id), ["hearing"], 42)
        self.assertNotIn("Legal Review", review.with_context(lang="zh_CN").name)
        notes = " ".join(note or "" for note in review.finding_ids.mapped("system_note"))
        self.assertNotIn("certificate valid", notes)
        self.assertNotIn("No officers", notes)


@tagged("post_install", "-at_install")
class TestCoreReasonsInChinese(ChineseCommon):
    def test_discretion_reasons_in_chinese(self):
        standard = DiscretionStandard("S", "s", (Tier("ordinary", "一般", frozenset({"fine", "warning"}),
                                                      FineRange("fixed", 5000, 50000)),))
        result = check_proposed_penalty(standard, "ordinary", Proposal(frozenset({"fine"}), 80000))
        self.assertEqual(result.reasons[0].code, "fine_above_tier")
        text = self.zh["enforcement.rule.reason"]._text(result.reasons[0])
        self.assertIn("80000.00", text)
        self.assertIn("50000.00", text)
        self.assertNotIn("tier", text)
        self.assertNotIn("exceeds", text)

        case = self._case()
        case.sudo().write({"discretion_standard_id": self.standard.id, "discretion_tier_id": self.tier.id,
                           "proposed_fine": 80000, "penalty_type_ids": [Command.set(self.penalty_fine.ids)]})
        check = case.with_context(lang="zh_CN").discretion_check
        self.assertNotIn("yuan", check)
        self.assertNotIn("tier", check)
        self.assertIn("50000.00", check)

    def test_hearing_reasons_in_chinese(self):
        result = hearing_eligibility("person", {"fine", "licence_revocation"}, fine_amount=20000)
        self.assertEqual([r.code for r in result.reasons], ["hearing_fine_threshold", "hearing_penalty_type"])
        texts = [self.zh["enforcement.rule.reason"]._text(r) for r in result.reasons]
        for text in texts:
            self.assertNotRegex(text, r"[A-Za-z]{3,}")
        case = self._case()
        case.sudo().write({"proposed_fine": 200000, "penalty_type_ids": [Command.set(self.penalty_fine.ids)]})
        self.assertTrue(case.with_context(lang="zh_CN").hearing_basis)
        self.assertNotRegex(case.with_context(lang="zh_CN").hearing_basis, r"[A-Za-z]{3,}")

    def test_team_refusal_in_chinese(self):
        case = self._case()
        self._team(case, self.officer_1)
        with self.assertRaises(UserError) as caught:
            case.with_user(self.user_officer_1).with_context(lang="zh_CN")._ensure_team_valid()
        self.assertNotIn("eligible officer", str(caught.exception))

    def test_backfill_reason_has_the_step_label_and_beijing_time(self):
        case = self._case()
        task = self._task(case, "investigation")
        task.sudo().write({"state": "done", "completed_at": datetime(2026, 11, 30, 16, 30)})
        reason = case.with_context(lang="zh_CN")._record_backfill_reason(
            "investigation", datetime(2026, 11, 30, 17, 0), datetime(2026, 11, 30, 17, 0))
        self.assertIn("调查取证", reason)
        self.assertNotIn("investigation", reason)
        self.assertIn("2026-12-01 00:30", reason)


@tagged("post_install", "-at_install")
class TestAccessDenialInChinese(ChineseCommon):
    def test_officer_opening_a_leaders_task_is_told_who_may(self):
        case = self._case()
        task = self._task(case, "filing_approval", "leader")
        with self.assertRaises(AccessError) as caught:
            task.with_user(self.user_officer_1).read(["name"])
        message = str(caught.exception)
        self.assertIn("负责人", message)  # the step's group, by its Chinese name
        for stock in ("饼干", "哦豁", "cookies", "multi-company", "多公司"):
            self.assertNotIn(stock, message)

    def test_other_agencys_case_is_refused_in_plain_chinese(self):
        other = self.env["res.company"].create({"name": "他局（单元测试）"})
        outsider = mail_new_test_user(self.env, login="outsider", groups=f"base.group_user,{PREFIX}officer",
                                      company_id=other.id, company_ids=[Command.set(other.ids)], lang="zh_CN")
        case = self._case()
        with self.assertRaises(AccessError) as caught:
            case.with_user(outsider).read(["title"])
        message = str(caught.exception)
        self.assertIn("本机关", message)
        self.assertNotIn("饼干", message)


@tagged("post_install", "-at_install")
class TestSmallLabels(ChineseCommon):
    def test_tier_display_name(self):
        name = self.tier.with_context(lang="zh_CN").display_name
        self.assertNotIn("enforcement.discretion.tier", name)
        self.assertIn("一般", name)

    def test_certificates_expiring_within_30_days_are_flagged(self):
        cert = self.officer_1.certificate_ids
        self.assertFalse(cert.expiring_soon)
        cert.valid_to = self.today + timedelta(days=20)
        self.assertTrue(cert.expiring_soon)
        self.assertTrue(self.officer_1.certificate_expiring_soon)
        Cert = self.env["enforcement.certificate"]
        self.assertIn(cert, Cert.search([("expiring_soon", "=", True)]))
        self.assertNotIn(self.officer_2.certificate_ids, Cert.search([("expiring_soon", "=", True)]))
        self.assertIn(self.officer_1, self.env["enforcement.officer"].search([("certificate_expiring_soon", "=", True)]))

    def test_demo_admin_company_is_the_bureau(self):
        admin = self.env.ref("base.user_admin")
        self.assertNotEqual(admin.company_id.name, "YourCompany")
        self.assertNotEqual(self.env.ref("base.main_company").name, "YourCompany")
