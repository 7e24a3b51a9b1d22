"""Legal gates over JSON-RPC, the way a client outside the web client would
try them: every role, with every context key the addon reads (and the one
it used to trust) set to each value that could relax a check. Every attempt
is refused and leaves the case, its tasks, records, outbox rows, chain and
counters exactly as they were."""

from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.mail.tests.common import mail_new_test_user

from ..models.enforcement_case import PROCESS_FIELDS
from ..models.enforcement_statistics_report import PROTECTED_FIELDS as STATISTICS_PROTECTED_FIELDS
from .test_case_gates import PREFIX, CaseCommon

# Each context key the addon reads, and the key it once trusted, at values
# that would relax a check if any code took them at face value.
RELAXING_CONTEXTS = [
    {"enforcement_process_step": True, "date": "2000-01-01", "review_category": "penalty",
     "enforcement_reason": "RPC", "certificate_action": "reinstate", "active_test": False,
     "tracking_disable": True, "install_mode": True, "su": True, "sudo": True},
    {"enforcement_process_step": 1, "date": "2099-12-31", "import_file": True, "module": "admin_enforcement",
     "mail_notrack": True, "_force_unlink": True},
]


@tagged("post_install", "-at_install")
class TestGatesOverRpc(CaseCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups, company=cls.company):
            return mail_new_test_user(cls.env, login=login, groups=groups, company_id=company.id,
                                      company_ids=[Command.set(company.ids)], name=login)

        cls.user_supervisor = user("case_supervisor", f"base.group_user,{PREFIX}supervisor")
        cls.user_admin = user("case_admin", f"base.group_user,{PREFIX}admin")
        other = cls.env["res.company"].create({"name": "河西区市场监督管理局（RPC测试）"})
        cls.env["enforcement.agency"].create({"name": "河西区市场监督管理局（RPC测试）", "short_name": "河西",
                                              "company_id": other.id})
        cls.user_other_officer = user("case_other_officer", f"base.group_user,{PREFIX}officer", other)
        cls.roles = [cls.user_officer_1, cls.user_officer_3, cls.user_leader, cls.user_reviewer,
                     cls.user_supervisor, cls.user_admin, cls.user_other_officer]

    def setUp(self):
        super().setUp()
        self.case = self._noticed_case()
        self.case._as_step().review_state = "required"
        self.decision_task = self._task(self.case, "decision", "leader")
        self.service_task = self._task(self.case, "service")
        self.record = self.env["enforcement.record"].with_user(self.user_officer_1).create({
            "case_id": self.case.id, "name": "询问笔录", "kind": "written", "stage": "investigation",
            "captured_at": fields.Datetime.now(), "collector_ids": [Command.set(self.user_officer_1.ids)],
        })
        self.env["enforcement.outbox"]._enqueue("complete_task", {"task_id": "t-1", "variables": {}}, "complete:t-1",
                                                self.case)
        self.env["enforcement.case.number.counter"]._take_next(self.agency, "penalty", 2026)

    def _snapshot(self):
        """What a successful attack would change, read past every access rule."""
        self.env.invalidate_all()
        env = self.env(su=True)
        case = env["enforcement.case"].browse(self.case.id)
        return {
            "case": case.read(sorted(PROCESS_FIELDS | {"officer_ids", "evidence_summary", "proposed_fine"}))[0],
            "tasks": case.task_ids.read(["state", "outcome", "completed_by_id", "user_id", "candidate_group_ids"]),
            "records": case.record_ids.read(["name", "captured_at", "is_backfill"]),
            "outbox": env["enforcement.outbox"].search([]).read(["command", "payload", "state", "identity_key"]),
            "chain": env["enforcement.chain.entry"].search([]).read(["seq", "entry_hash", "prev_hash"]),
            "events": env["enforcement.process.event"].search_count([]),
            "job_log": env["enforcement.job.log"].search([]).read(["job_key", "state"]),
            "counters": env["enforcement.case.number.counter"].search([]).read(["last_seq"]),
            "publications": env["enforcement.publication"].search_count([]),
        }

    def _call(self, model, method, args, kwargs=None, context=None):
        return self.make_jsonrpc_request("/web/dataset/call_kw", {
            "model": model, "method": method, "args": args,
            "kwargs": dict(kwargs or {}, context=dict(context or {})),
        })

    def _refused(self, model, method, args, kwargs=None, context=None):
        with self.assertRaises(JsonRpcException, msg=f"{model}.{method}{args} was accepted"):
            self._call(model, method, args, kwargs, context)

    def _forged_value(self, name):
        field = self.env["enforcement.case"]._fields[name]
        if field.type == "selection":
            choices = [value for value, _label in field._description_selection(self.env)]
            return "decided" if name == "state" else ("passed" if "passed" in choices else choices[0])
        return {
            "char": "FORGED-1", "text": "forged", "boolean": True, "float": 5000.0, "integer": 1, "binary": "Zm9yZ2Vk",
            "date": fields.Date.to_string(self.today), "many2one": self.user_leader.id,
            "datetime": fields.Datetime.to_string(fields.Datetime.now() - timedelta(days=3)),
        }[field.type]

    def test_no_role_writes_a_process_field_whatever_the_context(self):
        before = self._snapshot()
        for user in self.roles:
            self.authenticate(user.login, user.login)
            for context in RELAXING_CONTEXTS:
                for name in sorted(PROCESS_FIELDS):
                    with self.subTest(user=user.login, field=name, context=context):
                        self._refused("enforcement.case", "write",
                                      [[self.case.id], {name: self._forged_value(name)}], context=context)
                with self.subTest(user=user.login, what="decision in one write", context=context):
                    self._refused("enforcement.case", "write", [[self.case.id], {
                        "decision_kind": "penalty", "fine_amount": 5000, "state": "decided"}], context=context)
                    self._refused("enforcement.case", "create", [{
                        "title": "伪造案件", "agency_id": self.agency.id, "state": "decided",
                        "review_state": "passed", "notice_served_at": fields.Datetime.to_string(
                            fields.Datetime.now())}], context=context)
        self.assertEqual(self._snapshot(), before)

    def test_no_role_opens_a_gate_through_tasks_private_methods_or_system_rows(self):
        before = self._snapshot()
        task_ids = [self.decision_task.id, self.service_task.id]
        for user in self.roles:
            self.authenticate(user.login, user.login)
            entitled_to_decide = user == self.user_leader or user == self.user_admin
            for context in RELAXING_CONTEXTS:
                with self.subTest(user=user.login, context=context):
                    for name, value in (("state", "done"), ("outcome", {"decision_kind": "penalty"}),
                                        ("completed_by_id", self.user_leader.id), ("case_id", self.case.id),
                                        ("step_code", "closing"), ("candidate_group_ids", [])):
                        self._refused("enforcement.task", "write", [task_ids, {name: value}], context=context)
                    # The decision's gates (a leader of the agency, a passed legal review) and the service
                    # step's (the case team, its date and method) hold whatever the context says.
                    if not entitled_to_decide:
                        self._refused("enforcement.task", "action_complete", [[self.decision_task.id]],
                                      context=context)
                    self._refused("enforcement.task", "action_complete", [[self.service_task.id]], context=context)
                    for method in ("_as_step", "_complete_decision", "_assign_number", "_seal_archive",
                                   "_issue_decision", "_refuse_process_fields", "_check_capture_time"):
                        self._refused("enforcement.case", method, [[self.case.id]], context=context)
                    self._refused("enforcement.task", "_check_actor_entitled", [[self.decision_task.id], user.id],
                                  context=context)
                    self._refused("enforcement.outbox", "create", [{
                        "command": "publish_message", "identity_key": f"forged:{user.id}", "case_id": self.case.id,
                        "payload": {"name": "enforcement.payment_confirmed", "business_key": self.case.name}}],
                        context=context)
                    self._refused("enforcement.outbox", "_enqueue_message",
                                  ["enforcement.payment_confirmed", self.case.name, {}, "forged"], context=context)
                    outbox = self.env["enforcement.outbox"].search([], limit=1).id
                    self._refused("enforcement.outbox", "write", [[outbox], {"state": "pending"}], context=context)
                    self._refused("enforcement.record", "write", [[self.record.id], {"name": "篡改"}], context=context)
                    self._refused("enforcement.record", "unlink", [[self.record.id]], context=context)
                    self._refused("enforcement.record", "create", [{
                        "case_id": self.case.id, "name": "系统事件", "kind": "system_event", "stage": "decision",
                        "captured_at": fields.Datetime.to_string(fields.Datetime.now())}], context=context)
                    entry = self.env["enforcement.chain.entry"].search([], limit=1).id
                    self._refused("enforcement.chain.entry", "write", [[entry], {"entry_hash": "0" * 64}],
                                  context=context)
                    self._refused("enforcement.chain.entry", "create", [{
                        "case_id": self.case.id, "seq": 99, "res_model": "enforcement.record", "res_id": 1}],
                        context=context)
                    self._refused("enforcement.process.event", "create", [{
                        "case_id": self.case.id, "kind": "task_completed", "step": "Task_Decision"}],
                        context=context)
                    self._refused("enforcement.job.log", "create", [{"job_key": "1", "job_type": "x"}],
                                  context=context)
                    self._refused("enforcement.publication", "create", [{
                        "title": "伪造公示", "decision_number": f"伪罚〔2026〕{user.id}号", "agency_id": self.agency.id,
                        "decision_category": "penalty", "decided_on": fields.Date.to_string(self.today),
                        "party_type": "organisation", "party_name": "某公司", "conclusion": "罚款人民币5000元。",
                        "full_text": "当事人某公司……", "state": "published",
                        "redaction_confirmed": True, "published_on": fields.Date.to_string(self.today)}],
                        context=context)
                    counter = self.env["enforcement.case.number.counter"].search([], limit=1).id
                    self._refused("enforcement.case.number.counter", "write", [[counter], {"last_seq": 0}],
                                  context=context)
        self.assertEqual(self._snapshot(), before)

    # ----- supervision desk: 案卷评查 and warnings -----

    def test_no_role_moves_a_file_review_or_a_warning_whatever_the_context(self):
        """A file review's state, score and draw, a correction's state and the
        warnings move only through their buttons and the scheduled action: no
        role writes them, the supervisor included, and only the supervisor
        scores."""
        env = self.env(su=True)
        self.case._as_step().write({"state": "archived", "archive_number": "城关档〔2026〕1号",
                                    "archived_at": fields.Datetime.now()})
        review = env["enforcement.file.review"].with_user(self.user_supervisor).create({"case_id": self.case.id})
        correction = env["enforcement.file.review.correction"].with_user(self.user_supervisor).create({
            "review_id": review.id, "description": "补正送达回证。"})
        rule = self.env.ref("admin_enforcement.warning_rule_decision_period")
        warning = env["enforcement.warning"].create({
            "rule_id": rule.id, "case_id": self.case.id, "subject_key": "decision:1",
            "raised_at": fields.Datetime.now()})

        def snapshot():
            self.env.invalidate_all()
            return (review.sudo().read(["state", "score", "reviewer_id", "selection", "draw_seed", "scored_at"]),
                    review.sudo().line_ids.read(["deducted", "finding"]),
                    correction.sudo().read(["state", "closed_by_id", "reported_by_id"]),
                    warning.sudo().read(["state", "subject_key", "user_ids"]))

        before = snapshot()
        for user in self.roles:
            self.authenticate(user.login, user.login)
            for context in RELAXING_CONTEXTS:
                with self.subTest(user=user.login, context=context):
                    for name, value in (("state", "closed"), ("reviewer_id", user.id), ("selection", "random"),
                                        ("draw_seed", "0" * 64), ("scored_at", "2026-01-01 00:00:00")):
                        self._refused("enforcement.file.review", "write", [[review.id], {name: value}],
                                      context=context)
                    for name, value in (("state", "closed"), ("closed_by_id", user.id)):
                        self._refused("enforcement.file.review.correction", "write", [[correction.id],
                                      {name: value}], context=context)
                    self._refused("enforcement.file.review.correction", "action_accept", [[correction.id]],
                                  context=context)
                    if user != self.user_supervisor:
                        self._refused("enforcement.file.review", "action_score", [[review.id]], context=context)
                        self._refused("enforcement.file.review.line", "write",
                                      [review.line_ids[:1].ids, {"deducted": 5}], context=context)
                    for method in ("_check_state", "_refuse_process_fields"):
                        self._refused("enforcement.file.review", method, [[review.id]], context=context)
                    self._refused("enforcement.warning", "write", [[warning.id], {"state": "resolved"}],
                                  context=context)
                    self._refused("enforcement.warning", "create", [{
                        "rule_id": rule.id, "case_id": self.case.id, "subject_key": f"forged:{user.id}",
                        "raised_at": fields.Datetime.to_string(fields.Datetime.now())}], context=context)
                    self._refused("enforcement.warning", "_resolve", [[warning.id]], context=context)
                    self._refused("enforcement.warning.rule", "_cron_raise_warnings", [], context=context)
        self.assertEqual(snapshot(), before)

    def test_what_stays_on_record_is_not_deleted_whatever_the_context(self):
        """A publication once public, an abolished matter, a certificate with a
        status history and a published list version refuse deletion for every
        role, with Odoo's uninstall flag (`_force_unlink`, which switches off
        at_uninstall=False guards) among the relaxing keys."""
        env = self.env(su=True)
        publication = env["enforcement.publication"].create({
            "title": "已公示的处罚决定", "decision_number": "城关市监罚决〔2026〕1号", "agency_id": self.agency.id,
            "decision_category": "penalty", "decided_on": fields.Date.to_string(self.today),
            "party_type": "organisation", "party_name": "某公司", "conclusion": "罚款人民币5000元。",
            "full_text": "当事人某公司……", "state": "published", "redaction_confirmed": True,
            "published_on": fields.Date.to_string(self.today)})
        self.matter.with_user(self.user_admin).action_new_version()
        certificate = self.officer_3.certificate_ids[:1]
        certificate.action_suspend(reason="年度考核不合格")
        env["enforcement.publication.list.version"]._publish_lists(self.agency)
        kept = {
            "enforcement.publication": publication.ids,
            "enforcement.matter": self.matter.ids,
            "enforcement.certificate": certificate.ids,
            "enforcement.publication.list.version": env["enforcement.publication.list.version"].search([
                ("agency_id", "=", self.agency.id)]).ids,
        }
        self.assertTrue(all(kept.values()), kept)
        for user in self.roles:
            self.authenticate(user.login, user.login)
            for context in RELAXING_CONTEXTS:
                for model, ids in kept.items():
                    with self.subTest(user=user.login, model=model, context=context):
                        self._refused(model, "unlink", [ids], context=context)
        for model, ids in kept.items():
            self.assertEqual(env[model].with_context(active_test=False).browse(ids).exists().ids, ids, model)

    def test_officer_step_and_record_need_the_acting_officer_certified_now(self):
        """A suspended certificate stops its holder's next step at once, even with every relaxing key."""
        self.case._as_step().review_state = "none"
        self.officer_1.certificate_ids.action_suspend(reason="年度考核不合格")
        before = self._snapshot()
        self.authenticate(self.user_officer_1.login, self.user_officer_1.login)
        for context in RELAXING_CONTEXTS:
            self._call("enforcement.task", "write", [[self.service_task.id], {
                "served_at": fields.Datetime.to_string(fields.Datetime.now()), "service_method": "direct"}],
                context=context)
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call("enforcement.task", "action_complete", [[self.service_task.id]], context=context)
            self._refused("enforcement.record", "create", [{
                "case_id": self.case.id, "name": "送达回证", "kind": "written", "stage": "service",
                "captured_at": fields.Datetime.to_string(fields.Datetime.now())}], context=context)
        after = self._snapshot()
        before["tasks"] = after["tasks"] = None  # the form fields the officer typed are theirs to type
        self.assertEqual(after, before)
        self.env.invalidate_all()
        self.assertEqual(self.service_task.state, "open")
        self.assertFalse(self.case.served_at)

        # The gate is the person's: the other officer of the team, certified, serves the decision.
        self.authenticate(self.user_officer_2.login, self.user_officer_2.login)
        self._call("enforcement.task", "action_complete", [[self.service_task.id]])
        self.env.invalidate_all()
        self.assertEqual((self.service_task.state, self.service_task.completed_by_id), ("done", self.user_officer_2))

    # ------------------------------------------------------------------
    # statutory statistics reports (执法数据报送)
    # ------------------------------------------------------------------
    def _statistics_snapshot(self, report):
        self.env.invalidate_all()
        env = self.env(su=True)
        report = env["enforcement.statistics.report"].browse(report.id)
        return {
            "report": report.read(sorted(STATISTICS_PROTECTED_FIELDS))[0],
            "lines": report.line_ids.read(["category", "source", "case_count", "fine_total", "zero_reason"]),
        }

    def test_no_role_moves_a_statistics_report_or_its_figures_whatever_the_context(self):
        """An approved report with zero categories lacking their reason: no role submits it, writes its
        state, chain or computed figures, adds a line, or calls the private steps, whatever the context."""
        report = self.env["enforcement.statistics.report"].sudo().create({
            "agency_id": self.agency.id, "period_kind": "annual", "year": 2026})
        report.write({"state": "approved"})
        penalty = report.line_ids.filtered(lambda line: line.category == "penalty")
        before = self._statistics_snapshot(report)
        for user in self.roles:
            self.authenticate(user.login, user.login)
            for context in RELAXING_CONTEXTS:
                with self.subTest(user=user.login, context=context):
                    self._refused("enforcement.statistics.report", "action_submit", [[report.id]], context=context)
                    for name, value in (("state", "submitted"), ("chain_seq", 1), ("entry_hash", "0" * 64),
                                        ("approved_by_id", self.user_leader.id), ("year", 2025)):
                        self._refused("enforcement.statistics.report", "write", [[report.id], {name: value}],
                                      context=context)
                    self._refused("enforcement.statistics.line", "write", [penalty.ids, {"case_count": 99}],
                                  context=context)
                    self._refused("enforcement.statistics.line", "write",
                                  [report.line_ids.ids, {"zero_reason": "补写"}], context=context)
                    self._refused("enforcement.statistics.line", "create", [{
                        "report_id": report.id, "category": "penalty", "source": "manual"}], context=context)
                    for method in ("_archive_in_chain", "_compute_lines", "_check_zero_reasons", "_check_leader"):
                        self._refused("enforcement.statistics.report", method, [[report.id]], context=context)
                    self._refused("enforcement.statistics.report", "create", [{
                        "agency_id": self.agency.id, "period_kind": "half_year", "year": 2026,
                        "state": "submitted"}], context=context)
        self.assertEqual(self._statistics_snapshot(report), before)

    # ----- random inspection: plans, draws and inspections -----

    def test_no_role_moves_an_inspection_plan_or_an_inspection_whatever_the_context(self):
        """A plan's state, snapshot, public value and draw, and an
        inspection's state and result, are written by their steps only."""
        env = self.env(su=True)
        plan = env["enforcement.inspection.plan"].create({
            "title": "RPC测试抽查计划", "agency_id": self.agency.id, "category_id": self.category.id,
            "date_start": fields.Date.to_string(self.today), "date_end": fields.Date.to_string(self.today),
            "draw_at": fields.Datetime.to_string(fields.Datetime.now() + timedelta(days=1)),
        })
        forged_plan = {"state": "drawn", "published_at": fields.Datetime.to_string(fields.Datetime.now()),
                       "public_value": "1", "snapshot_hash": "0" * 64, "completion_rate": 100.0,
                       "approved_by_id": self.user_leader.id}
        before = plan.read(sorted(forged_plan))
        for user in self.roles:
            self.authenticate(user.login, user.login)
            for context in RELAXING_CONTEXTS:
                with self.subTest(user=user.login, context=context):
                    for name, value in forged_plan.items():
                        self._refused("enforcement.inspection.plan", "write", [[plan.id], {name: value}],
                                      context=context)
                    for method in ("_publish", "_draw", "_close", "_complete_inspection_plan_approval"):
                        self._refused("enforcement.inspection.plan", method, [[plan.id]], context=context)
                    self._refused("enforcement.inspection.draw", "create", [{
                        "plan_id": plan.id, "drawn_at": fields.Datetime.to_string(fields.Datetime.now()),
                        "document": {}, "document_hash": "0" * 64}], context=context)
                    self._refused("enforcement.inspection", "create", [{
                        "plan_id": plan.id, "source": "random", "agency_id": self.agency.id,
                        "category_id": self.category.id, "state": "published", "result": "no_problem"}],
                        context=context)
        self.env.invalidate_all()
        self.assertEqual(plan.read(sorted(forged_plan)), before)
        self.assertFalse(env["enforcement.inspection.draw"].search([("plan_id", "=", plan.id)]))
        self.assertFalse(env["enforcement.inspection"].search([("plan_id", "=", plan.id)]))

    # ----- the simple procedure (当场处罚) -----

    def test_an_uncertified_officer_decides_nothing_on_the_spot(self):
        """The on-the-spot step is an officer's step (持证上岗): with a suspended
        certificate the officer's RPC call is refused whatever the context, and
        a client cannot write the decision's fields or convert on their behalf."""
        case = self._case(procedure="simple", party_type="person", party_name="张三", facts="无证摆摊销售散装食品")
        self._team(case, self.officer_1, self.officer_2)
        task = self._task(case, "simple_onsite")
        self.officer_1.certificate_ids.action_suspend(reason="年度考核不合格")
        self.authenticate(self.user_officer_1.login, self.user_officer_1.login)
        self._call("enforcement.task", "write", [[task.id], {
            "certificate_shown": True, "facts_certain": True, "legal_basis": "《食品安全法》第一百三十二条",
            "party_statement": "无异议", "fine_amount": 100.0}])
        for context in RELAXING_CONTEXTS:
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call("enforcement.task", "action_complete", [[task.id]], context=context)
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                self._call("enforcement.case", "action_convert_to_ordinary", [[case.id]], context=context)
            self._refused("enforcement.case", "write", [[case.id], {"decision_kind": "penalty", "fine_amount": 100.0,
                                                                    "procedure": "ordinary"}], context=context)
            self._refused("enforcement.case", "_complete_simple_onsite", [[case.id], task.id, {}], context=context)
        self.env.invalidate_all()
        self.assertEqual((task.state, case.procedure, case.decision_kind), ("open", "simple", False))

        # Nor may the team act while it counts an uncertified officer; once the
        # leader has replaced that officer, the certified officer decides on the spot.
        self.authenticate(self.user_officer_2.login, self.user_officer_2.login)
        with self.assertRaisesRegex(JsonRpcException, "UserError"):
            self._call("enforcement.task", "action_complete", [[task.id]])
        self._team(case, self.officer_2, self.officer_3)
        self._call("enforcement.task", "action_complete", [[task.id]])
        self.env.invalidate_all()
        self.assertEqual((task.state, case.decision_kind, case.fine_amount), ("done", "penalty", 100.0))

    # ----- Dated duties after a decision: reconsideration and litigation (enforcement.remedy) -----

    def test_no_role_writes_a_remedys_outcome_or_duties_whatever_the_context(self):
        """The state, the lost-lawsuit flag, the report and the withdrawal of a
        remedy move only through its buttons and tasks; a result is fixed once
        recorded; only the agency's officers and leaders record one."""
        from ..models.enforcement_remedy import TRANSITION_FIELDS

        self.case._as_step().review_state = "none"
        self.case._as_step().write({"decision_kind": "penalty", "fine_amount": 20000, "state": "decision"})
        self.case._issue_decision()
        remedy = self.env["enforcement.remedy"].with_user(self.user_officer_1).create({
            "case_id": self.case.id, "kind": "litigation", "body": "城关县人民法院", "applied_on": self.today})
        forged = {"state": "effective", "lost_case": True, "report_due": fields.Date.to_string(self.today),
                  "report_submitted_on": fields.Date.to_string(self.today), "report_submitted_by_id": self.user_leader.id,
                  "withdrawal_due": fields.Date.to_string(self.today), "publication_ids": [], "pause_id": False,
                  "report_original": "伪造", "report_court": "伪造", "report_change": "伪造", "report_lessons": "伪造",
                  "report_to": "伪造"}
        self.assertEqual(set(forged), TRANSITION_FIELDS)

        def remedy_state():
            self.env.invalidate_all()
            return remedy.sudo().read(sorted(TRANSITION_FIELDS | {"result", "result_on"}))

        before = remedy_state()
        for user in self.roles:
            self.authenticate(user.login, user.login)
            for context in RELAXING_CONTEXTS:
                for name, value in forged.items():
                    with self.subTest(user=user.login, field=name, context=context):
                        self._refused("enforcement.remedy", "write", [[remedy.id], {name: value}], context=context)
                with self.subTest(user=user.login, what="create with an outcome", context=context):
                    self._refused("enforcement.remedy", "create", [{
                        "case_id": self.case.id, "kind": "litigation", "body": "某法院",
                        "applied_on": fields.Date.to_string(self.today), "state": "effective", "lost_case": True}],
                        context=context)
                    self._refused("enforcement.remedy", "_as_step", [[remedy.id]],
                                  context=context)
                    self._refused("enforcement.remedy", "_start_duties", [[remedy.id]], context=context)
                if user not in (self.user_officer_1, self.user_officer_3, self.user_leader, self.user_admin):
                    with self.subTest(user=user.login, what="record a result", context=context):
                        self._refused("enforcement.remedy", "write", [[remedy.id], {
                            "result": "revoked", "result_on": fields.Date.to_string(self.today)}], context=context)
                        self._refused("enforcement.remedy", "action_record_result", [[remedy.id]], context=context)
        self.assertEqual(remedy_state(), before)
