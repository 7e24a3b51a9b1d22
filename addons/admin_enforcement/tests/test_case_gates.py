"""The legal gates of the ordinary penalty procedure, tried the way a user
(or an RPC client) would try to get past them: each refusal names what is
wrong and leaves the case as it was."""

from contextlib import contextmanager
from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.mail.tests.common import mail_new_test_user

from ..enforcement_core.china_clock import china_today
from ..services.process_steps import STEPS
from ..services.user_tasks import OpenedUserTask
from .chinese import load_chinese

PREFIX = "admin_enforcement.group_enforcement_"


class CaseCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True,
                                       tz="Asia/Shanghai"))
        cls.today = china_today()
        cls.company = cls.env["res.company"].create({"name": "城关县市场监督管理局（单元测试）"})
        cls.agency = cls.env["enforcement.agency"].create({
            "name": "城关县市场监督管理局（单元测试）", "short_name": "城关", "company_id": cls.company.id,
        })
        cls.category = cls.env.ref("admin_enforcement.enforcement_category_market")
        cls.area = cls.env["enforcement.area"].create({"code": "U62010", "name": "城关县"})

        def user(login, groups):
            return mail_new_test_user(cls.env, login=login, groups=groups, company_id=cls.company.id,
                                      company_ids=[Command.set(cls.company.ids)], name=login, tz="Asia/Shanghai")

        cls.user_officer_1 = user("case_officer_1", f"base.group_user,{PREFIX}officer")
        cls.user_officer_2 = user("case_officer_2", f"base.group_user,{PREFIX}officer")
        cls.user_officer_3 = user("case_officer_3", f"base.group_user,{PREFIX}officer")
        cls.user_leader = user("case_leader", f"base.group_user,{PREFIX}leader")
        cls.user_reviewer = user("case_reviewer", f"base.group_user,{PREFIX}legal_reviewer")

        cls.officer_1 = cls._certified_officer("王建国", cls.user_officer_1, "62-GS-0001")
        cls.officer_2 = cls._certified_officer("李晓梅", cls.user_officer_2, "62-GS-0002")
        cls.officer_3 = cls._certified_officer("赵志强", cls.user_officer_3, "62-GS-0003")
        cls.officer_uncertified = cls.env["enforcement.officer"].create({"name": "陈新", "agency_id": cls.agency.id})

        cls.matter = cls.env["enforcement.matter"].create({
            "code": "GS-SP-124", "name": "对经营超过保质期食品的行政处罚", "category": "penalty",
            "agency_id": cls.agency.id,
        })
        fine = cls.env.ref("admin_enforcement.penalty_type_fine")
        warning = cls.env.ref("admin_enforcement.penalty_type_warning")
        cls.standard = cls.env["enforcement.discretion.standard"].create({
            "code": "SP-124-1", "name": "经营超过保质期的食品", "matter_id": cls.matter.id,
            "tier_ids": [Command.create({
                "code": "ordinary", "circumstances": "货值金额一万元以下，初次违法",
                "penalty_type_ids": [Command.set((fine | warning).ids)],
                "range_kind": "fixed", "amount_min": 5000, "amount_max": 50000,
            })],
        })
        cls.tier = cls.standard.tier_ids
        cls.penalty_fine = fine

    @classmethod
    def _certified_officer(cls, name, user, number):
        officer = cls.env["enforcement.officer"].create({"name": name, "agency_id": cls.agency.id,
                                                         "user_id": user.id})
        cls.env["enforcement.certificate"].create({
            "number": number, "officer_id": officer.id, "issuing_body": "城关县人民政府",
            "category_ids": [Command.set(cls.category.ids)], "area_ids": [Command.set(cls.area.ids)],
            "valid_from": cls.today - timedelta(days=365), "valid_to": cls.today + timedelta(days=365),
        })
        return officer

    def _case(self, **vals):
        return self.env["enforcement.case"].with_user(self.user_officer_1).create({
            "title": "某超市销售过期食品案", "agency_id": self.agency.id, "party_name": "城关县惠民超市有限公司",
            "matter_id": self.matter.id, "category_id": self.category.id, "area_id": self.area.id, **vals,
        })

    _job_keys = iter(range(2251799813685000, 2251799813695000))

    def _task(self, case, step_code, group="officer"):
        """A task as the worker opens it when the engine creates the user task."""
        opened = OpenedUserTask(
            task_id=str(next(self._job_keys)), process_instance_id="pi-2251799813600001",
            element_id=f"Task_{step_code}",
            step_code=step_code, candidate_groups=(f"{PREFIX}{group}",), assignee=None, due=None,
            case_id=case.id, variables={},
        )
        return self.env["enforcement.task"]._open_from_engine(opened)

    @contextmanager
    def refused(self, exception, pattern):
        """Like an RPC call that fails: the error names the problem and the
        request's changes are rolled back, so the case is re-read from the database."""
        with self.assertRaisesRegex(exception, pattern), self.env.cr.savepoint():
            yield
        self.env.invalidate_all()

    def _complete(self, task, user, **values):
        task = task.with_user(user)
        task.write(values)
        return task.action_complete()

    def _team(self, case, *officers):
        case.sudo().officer_ids = [Command.set([o.id for o in officers])]

    def _noticed_case(self, **vals):
        """A case after the investigation report proposed a 20,000 yuan fine and notice was served."""
        case = self._case(**vals)
        self._team(case, self.officer_1, self.officer_2)
        case.sudo().write({
            "discretion_standard_id": self.standard.id, "discretion_tier_id": self.tier.id,
            "proposed_fine": 20000, "penalty_type_ids": [Command.set(self.penalty_fine.ids)],
        })
        case._as_step().write({"investigation_conclusion": "penalty", "state": "notice",
                               "notice_served_at": fields.Datetime.now() - timedelta(days=10)})
        return case


@tagged("post_install", "-at_install")
class TestCaseTeamGates(CaseCommon):
    def test_team_of_one_certified_officer_is_refused(self):
        """Art. 42: a case needs at least two certified officers; the leader's team step refuses one."""
        case = self._case()
        task = self._task(case, "team_assignment", "leader")
        with self.refused(UserError, "1 eligible officer.*at least 2"):
            self._complete(task, self.user_leader, team_officer_ids=[Command.set(self.officer_1.ids)])
        self.assertFalse(case.officer_ids, "the refused team was not saved")
        self.assertEqual(task.state, "open")
        self.assertFalse(self.env["enforcement.outbox"].search([("identity_key", "=", f"complete:{task.job_key}")]))

        self._complete(task, self.user_leader,
                       team_officer_ids=[Command.set((self.officer_1 | self.officer_2).ids)])
        self.assertEqual(case.officer_ids, self.officer_1 | self.officer_2)
        self.assertEqual(task.state, "done")

    def test_uncertified_officer_cannot_join_the_team(self):
        case = self._case()
        with self.refused(ValidationError, "陈新 may not act.*no enforcement certificate"):
            case.with_user(self.user_officer_1).write({
                "officer_ids": [Command.set((self.officer_1 | self.officer_uncertified).ids)]})

    def test_certificate_for_another_area_does_not_count(self):
        other_area = self.env["enforcement.area"].create({"code": "U62099", "name": "邻县"})
        self.officer_2.certificate_ids.area_ids = [Command.set(other_area.ids)]
        case = self._case()
        with self.refused(ValidationError, "李晓梅 may not act.*does not cover the area"):
            case.with_user(self.user_officer_1).officer_ids = [Command.set((self.officer_1 | self.officer_2).ids)]

    def test_conflicted_officer_is_refused_and_upheld_recusal_takes_them_off(self):
        """Art. 43: an officer with a pending or upheld recusal may not act."""
        case = self._case()
        self._team(case, self.officer_1, self.officer_2)
        recusal = self.env["enforcement.case.recusal"].with_user(self.user_officer_2).create({
            "case_id": case.id, "officer_id": self.officer_2.id, "source": "requested",
            "reason": "当事人称执法人员李晓梅系其法定代表人近亲属",
        })
        self.assertIn("conflict of interest", case.team_problems)
        task = self._task(case, "investigation")
        with self.refused(UserError, "conflict of interest"):
            self._complete(task, self.user_officer_1, evidence_summary="现场检查笔录一份")
        with self.refused(AccessError, ""):
            recusal.with_user(self.user_officer_1).action_uphold()
        recusal.with_user(self.user_leader).action_uphold()
        self.assertEqual(case.officer_ids, self.officer_1)
        with self.refused(ValidationError, "李晓梅 must recuse"):
            case.with_user(self.user_officer_1).officer_ids = [Command.link(self.officer_2.id)]
        self._team(case, self.officer_1, self.officer_3)
        self._complete(task, self.user_officer_1, evidence_summary="现场检查笔录一份")
        self.assertEqual(task.state, "done")


@tagged("post_install", "-at_install")
class TestActingPersonGates(CaseCommon):
    """持证上岗 for the person who acts, at the moment of acting: being in the
    officer group is not enough."""

    def test_officer_not_on_the_team_cannot_complete_an_officer_step(self):
        case = self._case()
        self._team(case, self.officer_1, self.officer_2)
        task = self._task(case, "investigation")
        self.assertFalse(task.with_user(self.user_officer_3).can_complete)
        with self.refused(AccessError, "case_officer_3 may not act on case .*: case_officer_3 is not on the case team"):
            self._complete(task, self.user_officer_3, evidence_summary="现场检查笔录一份")
        self.assertEqual(task.state, "open")
        self.assertFalse(case.evidence_summary)
        self.assertTrue(task.with_user(self.user_officer_1).can_complete)
        self._complete(task, self.user_officer_1, evidence_summary="现场检查笔录一份")
        self.assertEqual(task.state, "done")

    def test_certificate_suspended_mid_case_stops_that_officer_at_once(self):
        """The refusal names the person, the certificate and the reason, in Chinese."""
        case = self._noticed_case()
        task = self._task(case, "service")
        self.officer_1.certificate_ids.action_suspend(reason="年度考核不合格")
        load_chinese(self.env)
        self.env = self.env(context=dict(self.env.context, lang="zh_CN"))  # as the officer's browser sends it
        with self.refused(AccessError, "case_officer_1 不能办理案件 .*（持证上岗）：执法证 62-GS-0001 已暂扣"):
            self._complete(task.with_env(self.env), self.user_officer_1, served_at=fields.Datetime.now(),
                           service_method="direct")
        self.assertFalse(case.served_at)
        with self.refused(AccessError, "62-GS-0001"):
            self._record(case, self.user_officer_1)
        self.assertFalse(case.record_ids)

    def test_leader_steps_need_the_leader_of_the_case_agency(self):
        case = self._case()
        task = self._task(case, "filing_approval", "leader")
        other = self.env["res.company"].create({"name": "河西区市场监督管理局（单元测试）"})
        self.env["enforcement.agency"].create({"name": "河西区市场监督管理局（单元测试）", "short_name": "河西",
                                               "company_id": other.id})
        outsider = mail_new_test_user(self.env, login="case_other_leader", name="case_other_leader",
                                      groups=f"base.group_user,{PREFIX}leader", company_id=other.id,
                                      company_ids=[Command.set(other.ids)])
        with self.refused(AccessError, ""):
            self._complete(task, outsider, filing_approved=True)
        self.assertEqual(case.state, "filing")

    def test_review_steps_need_an_active_qualified_reviewer(self):
        case = self._noticed_case()
        task = self._task(case, "review_escalate", "legal_reviewer")
        with self.refused(AccessError, "not an active legal reviewer"):
            task.with_user(self.user_reviewer).action_complete()
        self.assertEqual(task.state, "open")

    def test_filing_approval_needs_matter_category_and_area(self):
        case = self._case(matter_id=False, area_id=False)
        task = self._task(case, "filing_approval", "leader")
        with self.refused(UserError, "cannot be filed without its Enforcement Matter、Enforcement Area"):
            self._complete(task, self.user_leader, filing_approved=True)
        self.assertEqual(case.state, "filing")
        case.with_user(self.user_officer_1).write({"matter_id": self.matter.id, "area_id": self.area.id})
        self._complete(task, self.user_leader, filing_approved=True)
        self.assertEqual(case.state, "filed")

    def test_record_captured_before_the_case_is_refused_and_before_its_step_is_backfill(self):
        case = self._case()
        self._team(case, self.officer_1, self.officer_2)
        with self.refused(ValidationError, "before case .* was registered"):
            self._record(case, self.user_officer_1, captured_at=fields.Datetime.now() - timedelta(days=2))
        self.assertFalse(case.record_ids)
        task = self._task(case, "investigation")
        self.env.cr.execute("UPDATE enforcement_case SET create_date = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(days=3), case.id))
        self.env.cr.execute("UPDATE enforcement_task SET create_date = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(hours=2), task.id))
        self.env.invalidate_all()
        early = self._record(case, self.user_officer_1, step_code="investigation",
                             captured_at=fields.Datetime.now() - timedelta(days=1))
        self.assertTrue(early.is_backfill)
        self.assertFalse(early.in_decision_basis)
        self.assertIn("before step Investigation started", early.backfill_reason)
        in_time = self._record(case, self.user_officer_1, step_code="investigation")
        self.assertFalse(in_time.is_backfill)

    def _record(self, case, user, **vals):
        return self.env["enforcement.record"].with_user(user).create({
            "case_id": case.id, "name": "询问笔录", "kind": "written", "stage": "investigation",
            "captured_at": fields.Datetime.now(), "collector_ids": [Command.set(user.ids)], **vals,
        })


@tagged("post_install", "-at_install")
class TestCaseDecisionGates(CaseCommon):
    def test_decision_without_prior_notice_is_refused(self):
        case = self._noticed_case()
        case._as_step().notice_served_at = False
        task = self._task(case, "decision", "leader")
        with self.refused(ValidationError, "not given prior notice"):
            self._complete(task, self.user_leader, decision_kind="penalty", fine_amount=20000)
        self.assertFalse(case.decision_kind)
        self.assertEqual(task.state, "open")

    def test_decision_returned_needs_a_reason_and_requires_a_new_prior_notice(self):
        case = self._noticed_case()
        task = self._task(case, "decision", "leader")
        with self.refused(UserError, "reason for returning"):
            self._complete(task, self.user_leader, decision_returned=True, return_reason="  ")
        self.assertEqual((case.state, task.state), ("notice", "open"))
        self._complete(task, self.user_leader, decision_returned=True, return_reason="进货来源未查清，需补充调查")
        self.assertEqual(task.outcome, {"decision_returned": True})
        self.assertEqual(case.state, "investigation")
        self.assertFalse(case.notice_served_at)
        self.assertFalse(case.decision_kind)
        redo = self._task(case, "decision", "leader")
        with self.refused(ValidationError, "not given prior notice"):
            self._complete(redo, self.user_leader, decision_kind="penalty", fine_amount=20000)

    def test_process_fields_cannot_be_written_directly(self):
        """An RPC write of a decision or of the review outcome would skip every gate."""
        case = self._noticed_case()
        for vals in ({"decision_kind": "penalty", "fine_amount": 1}, {"review_state": "passed"},
                     {"notice_served_at": fields.Datetime.now()}, {"state": "archived"}):
            with self.refused(UserError, "can only be set by the step"):
                case.with_user(self.user_leader).write(vals)
        self.assertFalse(case.decision_kind)

    def test_major_decision_needs_passed_review(self):
        case = self._noticed_case()
        case._as_step().review_state = "problems"
        task = self._task(case, "decision", "leader")
        with self.refused(ValidationError, "legal review has not passed"):
            self._complete(task, self.user_leader, decision_kind="penalty", fine_amount=20000)
        self.assertFalse(case.decision_kind)
        case._as_step().review_state = "passed"
        self._complete(task, self.user_leader, decision_kind="penalty", fine_amount=20000)
        self.assertEqual((case.decision_kind, case.fine_amount), ("penalty", 20000))
        completion = self.env["enforcement.outbox"].search([("identity_key", "=", f"complete:{task.job_key}")])
        self.assertEqual(completion.payload["variables"], {"decision_returned": False, "payment_required": True})

    def test_reviewer_who_handled_the_case_is_refused(self):
        case = self._noticed_case()
        with self.refused(ValidationError, "handled case .* cannot review it"):
            case._as_step().review_reviewer_id = self.user_officer_1
        case._as_step().review_reviewer_id = self.user_reviewer
        self.assertEqual(case.review_reviewer_id, self.user_reviewer)

    def test_penalty_outside_the_tier_needs_a_written_reason(self):
        case = self._case()
        self._team(case, self.officer_1, self.officer_2)
        task = self._task(case, "investigation_report")
        proposal = dict(investigation_conclusion="penalty", discretion_standard_id=self.standard.id,
                        discretion_tier_id=self.tier.id, penalty_type_ids=[Command.set(self.penalty_fine.ids)],
                        proposed_fine=60000)
        with self.refused(UserError, "above the Ordinary tier's maximum of 50000.00"):
            self._complete(task, self.user_officer_1, **proposal)
        self.assertFalse(case.investigation_conclusion)
        self.assertFalse(case.proposed_fine, "the refused proposal was not saved")
        self._complete(task, self.user_officer_1, discretion_reason="货值金额大且拒不改正，经集体研究从重", **proposal)
        self.assertEqual((case.investigation_conclusion, case.proposed_fine, case.state), ("penalty", 60000, "notice"))

    def test_hearing_notice_respects_seven_working_days_and_an_independent_chair(self):
        case = self._noticed_case()
        task = self._task(case, "hearing_notice")
        too_soon = datetime.combine(date(2026, 11, 25), datetime.min.time()) + timedelta(hours=1)
        with self.refused(UserError, "less than 7 working days"):
            self._complete(task, self.user_officer_1, hearing_at=too_soon, hearing_chair_id=self.user_reviewer.id)
        late_enough = datetime(2026, 12, 20, 1, 0)
        with self.refused(ValidationError, "investigated case .* cannot chair"):
            self._complete(task, self.user_officer_1, hearing_at=late_enough, hearing_chair_id=self.user_officer_2.id)
        self.assertFalse(case.hearing_chair_id)
        self._complete(task, self.user_officer_1, hearing_at=late_enough, hearing_chair_id=self.user_reviewer.id)
        self.assertEqual(case.hearing_chair_id, self.user_reviewer)

        record = self._task(case, "hearing_record", "legal_reviewer")
        other_reviewer = mail_new_test_user(self.env, login="case_reviewer_2", name="case_reviewer_2",
                                            groups=f"base.group_user,{PREFIX}legal_reviewer",
                                            company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        with self.refused(AccessError, "only the hearing chair"):
            self._complete(record, other_reviewer, hearing_record="听证笔录")
        self._complete(record, self.user_reviewer, hearing_record="当事人对违法事实无异议，请求从轻处罚。")
        self.assertTrue(case.hearing_record)

    def test_hearing_request_is_refused_outside_the_notice_period_state(self):
        case = self._case()
        with self.refused(UserError, "cannot receive a hearing request now"):
            case.with_user(self.user_officer_1).action_record_hearing_request()
        case = self._noticed_case()
        case.with_user(self.user_officer_1).action_record_hearing_request()
        message = self.env["enforcement.outbox"].search([("case_id", "=", case.id),
                                                         ("identity_key", "like", "hearing_requested")])
        # Only the fact goes to the process; the process reads the date from the case.
        self.assertEqual((message.payload["business_key"], message.payload["variables"]), (case.name, {}))
        self.assertTrue(case.hearing_requested_at)


@tagged("post_install", "-at_install")
class TestCaseExecution(CaseCommon):
    def _executing_case(self, fine=1000.0):
        case = self._noticed_case()
        case._as_step().write({"decision_kind": "penalty", "fine_amount": fine, "state": "execution",
                               "served_at": datetime(2026, 11, 2, 2, 0), "service_method": "direct",
                               "payment_due": datetime(2026, 11, 17, 15, 59, 59)})
        return case

    def test_late_surcharge_is_three_percent_a_day_capped_at_the_fine(self):
        case = self._executing_case(fine=1000.0)
        self.assertEqual(case.with_context(date=date(2026, 11, 27)).surcharge_amount, 300.0)  # 10 days
        capped = case.with_context(date=date(2027, 1, 31))
        self.assertEqual((capped.surcharge_amount, capped.surcharge_capped), (1000.0, True))

    def test_surcharge_pauses_during_reconsideration(self):
        case = self._executing_case(fine=1000.0)
        self.env["enforcement.surcharge.pause"].create({
            "case_id": case.id, "reason": "reconsideration", "date_start": date(2026, 11, 20),
            "date_end": date(2026, 11, 24),
        })
        self.assertEqual(case.with_context(date=date(2026, 11, 27)).surcharge_days, 5)

    def test_payment_short_of_fine_and_surcharge_is_refused(self):
        case = self._executing_case(fine=1000.0)
        paid_at = datetime(2026, 11, 21, 2, 0)  # 4 days late: 120 yuan surcharge
        with self.refused(UserError, "less than the 1120.00 yuan owed"):
            case.with_user(self.user_officer_1).action_confirm_payment(1000.0, "ICBC-20261121-0001", paid_at)
        self.assertFalse(case.paid_at)
        case.with_user(self.user_officer_1).action_confirm_payment(1120.0, "ICBC-20261121-0001", paid_at)
        message = self.env["enforcement.outbox"].search([("case_id", "=", case.id),
                                                         ("identity_key", "like", "payment_confirmed")])
        self.assertEqual((message.payload["business_key"], case.paid_amount), (case.name, 1120.0))
        with self.refused(UserError, "already recorded"):
            case.with_user(self.user_officer_1).action_confirm_payment(1120.0, "ICBC-20261122-0009", paid_at)
        self.assertEqual(case.payment_reference, "ICBC-20261121-0001")


@tagged("post_install", "-at_install")
class TestCaseIncidents(CaseCommon):
    def _failure(self, case, job_key, retries_left):
        return self.env["enforcement.job.log"]._record_failure(
            {"job_key": job_key, "job_type": "enforcement.decision.issue",
             "process_instance_key": "pi-1", "element_id": "Task_IssueDecision",
             "element_instance_key": "Task_IssueDecision:ai-77", "case_id": case.id},
            "UserError: The holidays of 2027 are not known yet", retries_left=retries_left)

    def test_failed_job_is_listed_and_retried_through_the_outbox(self):
        case = self._case()
        spent = self._failure(case, "2251799813700001", retries_left=0)
        retrying = self._failure(case, "2251799813700002", retries_left=2)
        incidents = self.env["enforcement.job.log"].search([("is_incident", "=", True), ("case_id", "=", case.id)])
        self.assertEqual(incidents, spent)
        admin = mail_new_test_user(self.env, login="case_admin", name="case_admin",
                                   groups=f"base.group_user,{PREFIX}admin", company_id=self.company.id,
                                   company_ids=[Command.set(self.company.ids)])
        with self.refused(AccessError, ""):
            spent.with_user(self.user_officer_1).action_retry()
        (spent | retrying).with_user(admin).action_retry()
        outbox = self.env["enforcement.outbox"]
        for log in (spent, retrying):
            retries = outbox.search([("identity_key", "=", f"retries:{log.job_key}:1")])
            self.assertEqual((retries.command, retries.payload), ("set_retries", {"task_id": log.job_key, "retries": 3}))
        self.assertEqual((spent.state, spent.is_incident, retrying.retries_left), ("retried", False, 3))
        with self.refused(UserError, "has not failed"):
            spent.with_user(admin).action_retry()


@tagged("post_install", "-at_install")
class TestEngineIncidents(CaseCommon):
    """The worker's import of the engine's incidents (workers/incident_sync.py
    hands over what it listed) and the repairs an administrator sends."""

    def _engine_incident(self, case, incident_id="inc-1", kind="failedJob", **vals):
        return {"incident_id": incident_id, "incident_type": kind, "business_key": case.name,
                "process_instance_id": "pi-1", "process_definition_id": "enforcement_penalty_ordinary:3:x",
                "activity_id": "Event_PaymentDue", "step_name": "缴款期限届满", "activity_instance_id": "exec-1",
                "is_transition": True, "configuration": "job-1",
                "message": "Unknown property used in expression: ${payment_due}",
                "incident_time": datetime(2026, 12, 1, 2, 0), **vals}

    def _admin(self):
        return mail_new_test_user(self.env, login="incident_admin", name="incident_admin",
                                  groups=f"base.group_user,{PREFIX}admin", company_id=self.company.id,
                                  company_ids=[Command.set(self.company.ids)])

    def test_engine_incident_is_imported_once_with_its_case_and_a_chinese_history_row(self):
        load_chinese(self.env)
        self.company.partner_id.lang = "zh_CN"
        case = self._case()
        incidents = self.env["enforcement.process.incident"]
        listed = [self._engine_incident(case)]
        created, _resolved = incidents._sync_from_engine(listed, ["inc-1"])
        again, _resolved = incidents._sync_from_engine(listed, ["inc-1"])
        self.assertEqual((len(created), len(again)), (1, 0))
        self.assertEqual((created.case_id, created.incident_type, created.step_name, created.state),
                         (case, "failedJob", "缴款期限届满", "open"))
        [event] = self.env["enforcement.process.event"].search([("case_id", "=", case.id), ("kind", "=", "incident")])
        self.assertEqual(event.step, "Event_PaymentDue")
        self.assertIn("流程引擎", event.outcome)
        # The engine's JUEL message, said in the bureau's words with the variable it names.
        self.assertIn("流程中没有本环节所需的数据 payment_due", event.outcome)
        self.assertIn("流程中没有本环节所需的数据 payment_due", created.with_context(lang="zh_CN").explanation)
        self.assertIn("${payment_due}", created.message)
        _created, resolved = incidents._sync_from_engine([], [])
        self.assertEqual((resolved, created.state), (created, "resolved"))
        self.assertTrue(created.resolved_at)

    def test_only_an_administrator_repairs_and_each_repair_is_sent_once(self):
        case = self._case()
        incidents = self.env["enforcement.process.incident"]
        job, _ = incidents._sync_from_engine([self._engine_incident(case)], ["inc-1"])
        task, _ = incidents._sync_from_engine([self._engine_incident(
            case, "inc-2", "failedExternalTask", configuration="task-9", activity_id="Task_Check",
            activity_instance_id="Task_Check:ai-9", is_transition=False)], ["inc-1", "inc-2"])
        with self.refused(AccessError, "Only a bureau administrator"):
            job.with_user(self.user_leader).action_retry()
        with self.refused(AccessError, "Only a bureau administrator"):
            task.with_user(self.user_officer_1).action_restart()
        admin = self._admin()
        job.with_user(admin).action_retry()
        job.with_user(admin).action_retry()  # a second click
        task.with_user(admin).action_restart()
        task.with_user(admin).action_restart()
        outbox = self.env["enforcement.outbox"].search([
            ("case_id", "=", case.id), ("command", "in", ("restart_activity", "set_job_retries"))])
        self.assertEqual(sorted((row.command, row.identity_key) for row in outbox), [
            ("restart_activity", "restart:inc-2"), ("set_job_retries", "incident-retries:inc-1")])
        restart = outbox.filtered(lambda row: row.command == "restart_activity")
        self.assertEqual(restart.payload, {"incident_id": "inc-2", "process_instance_id": "pi-1",
                                           "activity_id": "Task_Check", "activity_instance_id": "Task_Check:ai-9",
                                           "transition": False})
        self.assertEqual((job.state, task.state, job.repaired_by_id), ("retry_sent", "restart_sent", admin))
        with self.refused(UserError, "no longer open"):
            job.with_user(admin).action_restart()
        with self.refused(AccessError, ""):
            job.with_user(admin).write({"state": "open"})

    def test_a_repair_the_engine_never_received_is_shown_on_its_incident(self):
        """The outbox gave up on the Retry (the engine was unreachable too
        long): the incident says so with the reason, in Chinese, instead of
        looking repaired."""
        load_chinese(self.env)
        case = self._case()
        incident, _ = self.env["enforcement.process.incident"]._sync_from_engine(
            [self._engine_incident(case)], ["inc-1"])
        admin = self._admin()
        incident.with_user(admin).action_retry()
        incident.outbox_id.sudo().write({"state": "failed", "last_error": "EngineUnavailable: no answer"})
        self.assertEqual((incident.state, incident.repair_state, incident.repair_error),
                         ("retry_sent", "failed", "EngineUnavailable: no answer"))
        arch = incident.with_user(admin).with_context(lang="zh_CN").get_views([(False, "form")])[
            "views"]["form"]["arch"]
        self.assertIn("修复指令未能送达流程引擎", arch)
        self.assertIn("repair_state != 'failed'", arch)

    def test_an_incident_without_a_job_is_not_retried_and_its_error_reads_in_chinese(self):
        load_chinese(self.env)
        case = self._case()
        other, _ = self.env["enforcement.process.incident"]._sync_from_engine(
            [self._engine_incident(case, kind="customIncident", configuration=False)], ["inc-1"])
        self.assertEqual((other.incident_type, other.can_retry, other.can_restart), ("other", False, True))
        admin = self._admin()
        with self.refused(UserError, "无法重试"):
            other.with_user(admin).with_context(lang="zh_CN").action_retry()


@tagged("post_install", "-at_install")
class TestCaseTasks(CaseCommon):
    def test_every_declared_step_has_its_completion_and_reads_in_chinese(self):
        """services/process_steps.py declares each step once: its completion
        exists on its subject (the case by default), and its label reaches
        the clerk in Chinese."""
        load_chinese(self.env)
        labels = self.env["enforcement.task"].with_context(lang="zh_CN")._step_labels()
        for code, step in STEPS.items():
            with self.subTest(step=code):
                self.assertTrue(callable(getattr(self.env[step.subject], step.handler, None)), step.handler)
                self.assertNotEqual(labels[code], step.label, "no zh_CN label")
        self.assertEqual(labels["filing_approval"], "立案审批")

    def test_task_state_is_not_writable_and_only_a_leader_reassigns(self):
        case = self._case()
        task = self._task(case, "investigation")
        with self.refused(AccessError, "set by the process"):
            task.with_user(self.user_officer_1).write({"state": "done"})
        with self.refused(AccessError, "Only a leader can reassign"):
            task.with_user(self.user_officer_1).write({"user_id": self.user_officer_2.id})
        task.with_user(self.user_officer_1).action_claim()
        self.assertEqual(task.user_id, self.user_officer_1)
        with self.refused(AccessError, "assigned to case_officer_1"):
            self._complete(task, self.user_officer_2, evidence_summary="询问笔录")
        with self.refused(UserError, "case_reviewer is not in a group"):
            task.with_user(self.user_leader).action_reassign(self.user_reviewer.id)
        task.with_user(self.user_leader).action_reassign(self.user_officer_2.id)
        self.assertEqual(task.user_id, self.user_officer_2)

    def test_case_shows_where_it_stands(self):
        case = self._case()
        self.assertEqual(case.current_step, "Filing")
        self._task(case, "filing_approval", "leader")
        self.assertEqual(case.current_step, "Filing Approval")


@tagged("post_install", "-at_install")
class TestOfficialNumbers(CaseCommon):
    """文号 and 档案号 follow the agency's own pattern, numbered per agency and
    year without gaps, and never contain a translated word."""

    def _decided_case(self):
        case = self._noticed_case()
        case._as_step().write({"decision_kind": "penalty", "fine_amount": 20000, "state": "decision"})
        return case

    def test_decision_and_archive_numbers_follow_the_agency_pattern_in_any_language(self):
        year = self.today.year
        self.env["res.lang"]._activate_lang("zh_CN")
        numbers = []
        for lang in ("en_US", "zh_CN"):
            case = self._decided_case().with_context(lang=lang)
            case._issue_decision()
            case._seal_archive()
            numbers.append((case.decision_number, case.archive_number))
        self.assertEqual(numbers, [
            (f"城关市监罚决〔{year}〕1号", f"城关市监档〔{year}〕00001号"),
            (f"城关市监罚决〔{year}〕2号", f"城关市监档〔{year}〕00002号"),
        ])

    def test_each_agency_numbers_on_its_own_counter_and_a_number_is_given_once(self):
        year = self.today.year
        first = self._decided_case()
        first._issue_decision()
        first._issue_decision()
        self.assertEqual(first.decision_number, f"城关市监罚决〔{year}〕1号")
        self.agency.decision_number_pattern = "{short}罚决字〔{year}〕第{seq:03d}号"
        second = self._decided_case()
        second._issue_decision()
        self.assertEqual(second.decision_number, f"城关罚决字〔{year}〕第002号")
        other_company = self.env["res.company"].create({"name": "河西区市场监督管理局（编号测试）"})
        other = self.env["enforcement.agency"].create({
            "name": "河西区市场监督管理局（编号测试）", "short_name": "河西", "company_id": other_company.id})
        self.assertEqual(other._take_number("decision", year), f"河西市监罚决〔{year}〕1号")

    def test_a_bad_pattern_is_refused_naming_it(self):
        with self.refused(ValidationError, r"\{seqq\}.*Decision Number Pattern"):
            self.agency.decision_number_pattern = "{short}罚决〔{year}〕{seqq}号"
