"""The gates of random inspection (双随机、一公开), tried the way a user or an
RPC client would: only a leader approves a plan, nothing is drawn before
the plan is published with its register snapshot, too few eligible
inspectors is refused with the reason, and only the steps move a plan's or
an inspection's state."""

from datetime import timedelta

from stdnum.cn import uscc

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..services.user_tasks import OpenedUserTask
from .chinese import load_chinese
from .test_case_gates import PREFIX, CaseCommon


def make_uscc(serial):
    base = f"91330127MA{serial:07d}"[:17]
    return base + uscc.calc_check_digit(base)


@tagged("post_install", "-at_install")
class TestInspectionGates(CaseCommon):
    _job_keys = iter(range(3251799813685000, 3251799813695000))

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Party = cls.env["enforcement.inspection.party"]
        cls.parties = Party.create([{
            "name": f"城关县第{n}食品店有限公司", "party_type": "organisation", "uscc": make_uscc(n),
            "agency_id": cls.agency.id, "area_id": cls.area.id, "industry": "5221", "risk_grade": "C",
        } for n in range(1, 11)])

    def _plan(self, **vals):
        return self.env["enforcement.inspection.plan"].with_user(self.user_officer_1).create({
            "title": "2027年食品经营者双随机抽查", "agency_id": self.agency.id, "category_id": self.category.id,
            "area_ids": [fields.Command.set(self.area.ids)], "ratio_percent": 20.0,
            "date_start": self.today, "date_end": self.today + timedelta(days=90),
            "draw_at": fields.Datetime.now() + timedelta(days=1), **vals,
        })

    def _task(self, subject, step_code, variables, group="leader"):
        return self.env["enforcement.task"]._open_from_engine(OpenedUserTask(
            task_id=str(next(self._job_keys)), process_instance_id="pi-insp", element_id=f"Task_{step_code}",
            step_code=step_code, candidate_groups=(f"{PREFIX}{group}",), assignee=None, due=None,
            case_id=None, variables=variables, subject_model=subject._name,
        ))

    def test_a_plan_task_belongs_to_the_plan_not_to_a_case(self):
        plan = self._plan()
        plan.with_user(self.user_officer_1).action_submit()
        task = self._task(plan, "inspection_plan_approval", {"plan_id": plan.id})
        self.assertFalse(task.case_id)
        self.assertEqual((task.subject_model, task.subject_id, task.company_id), (plan._name, plan.id, self.company))
        self.assertEqual(task.inspection_plan_id, plan)
        self.assertIn(plan.name, task.with_user(self.user_leader).name)

    def test_only_a_leader_approves_a_plan(self):
        plan = self._plan()
        plan.with_user(self.user_officer_1).action_submit()
        self.assertEqual(plan.state, "submitted")
        task = self._task(plan, "inspection_plan_approval", {"plan_id": plan.id}, group="officer")
        task.plan_approved = True
        with self.assertRaisesRegex(AccessError, "leader"):
            task.with_user(self.user_officer_2).action_complete()
        self.assertEqual(plan.state, "submitted")
        task.with_user(self.user_leader).action_complete()
        self.assertEqual((plan.state, plan.approved_by_id), ("approved", self.user_leader))
        outbox = self.env["enforcement.outbox"].search([("identity_key", "=", f"complete:{task.job_key}")])
        self.assertEqual(outbox.payload["variables"], {"plan_approved": True})

    def test_nothing_is_drawn_before_publication(self):
        plan = self._plan()
        plan.with_user(self.user_officer_1).action_submit()
        plan.sudo().write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "not published"):
            plan._draw()
        task = self._task(plan, "inspection_public_value", {"plan_id": plan.id})
        task.write({"inspection_public_value": "123", "inspection_public_value_source": "福彩3D"})
        with self.assertRaisesRegex(UserError, "not published"):
            task.with_user(self.user_leader).action_complete()
        plan._publish()
        self.assertEqual((plan.state, plan.party_count, plan.inspector_count), ("published", 10, 3))
        self.assertEqual(len(plan.snapshot_hash), 64)
        # Published: the public value only after the published draw time, and no draw without it.
        with self.assertRaisesRegex(UserError, "draw time"):
            task.with_user(self.user_leader).action_complete()
        with self.assertRaisesRegex(UserError, "public value"):
            plan._draw()
        with self.assertRaisesRegex(UserError, "fixed"):
            plan.with_user(self.user_officer_1).write({"ratio_percent": 50.0})

    def test_the_draw_is_the_cores_and_opens_one_inspection_per_party(self):
        plan = self._plan()
        plan.with_user(self.user_officer_1).action_submit()
        plan.sudo().write({"state": "approved"})
        plan._publish()
        # The published draw time has passed (moved back in the database: publication froze it).
        self.env.cr.execute("UPDATE enforcement_inspection_plan SET draw_at = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(minutes=1), plan.id))
        plan.invalidate_recordset(["draw_at"])
        task = self._task(plan, "inspection_public_value", {"plan_id": plan.id})
        task.write({"inspection_public_value": "0471", "inspection_public_value_source": "福彩3D 2027001期"})
        task.with_user(self.user_leader).action_complete()
        draw = plan._draw()
        self.assertEqual((plan.state, draw.party_count, len(plan.inspection_ids)), ("drawn", 2, 2))
        from ..enforcement_core import random_draw
        again = random_draw.draw(plan._draw_inputs())
        self.assertEqual([(str(i.party_id.id), tuple(str(o) for o in sorted(i.inspector_ids.ids)))
                          for i in plan.inspection_ids.sorted("draw_index")],
                         [(party, tuple(sorted(team))) for party, team in again.assignments])
        with self.assertRaises(AccessError):
            draw.write({"seed_hex": "0" * 64})

    def test_too_few_eligible_inspectors_is_refused_in_chinese(self):
        load_chinese(self.env)
        self.officer_2.certificate_ids.action_suspend(reason="年度考核不合格")
        self.officer_3.certificate_ids.action_suspend(reason="年度考核不合格")
        plan = self._plan()
        with self.assertRaisesRegex(UserError, "检查人员") as refused:
            plan.with_user(self.user_officer_1).with_context(lang="zh_CN").action_submit()
        self.assertIn("1", str(refused.exception))
        self.assertEqual(plan.state, "draft")

    def test_no_client_writes_a_plans_or_an_inspections_state(self):
        plan = self._plan()
        for user in (self.user_officer_1, self.user_leader):
            with self.assertRaises(AccessError):
                plan.with_user(user).write({"state": "drawn"})
            with self.assertRaises(AccessError):
                plan.with_user(user).write({"public_value": "1"})
        inspection = self.env["enforcement.inspection"].with_user(self.user_officer_1).create({
            "party_id": self.parties[0].id, "agency_id": self.agency.id, "category_id": self.category.id,
            "source": "complaint", "inspector_ids": [fields.Command.set((self.officer_1 | self.officer_2).ids)],
        })
        for vals in ({"state": "published"}, {"result": "no_problem"}, {"case_id": False},
                     {"plan_id": plan.id}, {"result_published_at": fields.Datetime.now()}):
            with self.assertRaises(AccessError):
                inspection.with_user(self.user_leader).write(vals)
        with self.assertRaises(AccessError):
            self.env["enforcement.inspection"].with_user(self.user_officer_1).create({
                "party_id": self.parties[1].id, "agency_id": self.agency.id, "category_id": self.category.id,
                "source": "random"})

    def test_an_inspector_records_the_inspection_and_a_violation_becomes_a_case(self):
        inspection = self.env["enforcement.inspection"].with_user(self.user_officer_1).create({
            "party_id": self.parties[0].id, "agency_id": self.agency.id, "category_id": self.category.id,
            "source": "complaint", "source_note": "群众举报销售过期食品",
            "inspector_ids": [fields.Command.set((self.officer_1 | self.officer_2).ids)],
        })
        inspection.with_user(self.user_officer_1).action_start()
        task = self._task(inspection, "inspection_onsite", {"inspection_id": inspection.id}, group="officer")
        task.write({"inspection_record": "货架上有过期牛奶12盒", "inspection_result": "violation",
                    "inspection_findings": "销售超过保质期的食品"})
        with self.assertRaisesRegex(UserError, "notice"):
            task.with_user(self.user_officer_1).action_complete()
        task.write({"inspection_notice_shown": True, "inspection_certificate_shown": True})
        with self.assertRaisesRegex(AccessError, "not an inspector"):
            task.with_user(self.user_officer_3).action_complete()
        task.with_user(self.user_officer_1).action_complete()
        case = inspection._transfer_to_case()
        self.assertEqual((case.party_name, case.inspection_id, case.officer_ids),
                         (self.parties[0].name, inspection, self.officer_1 | self.officer_2))
        self.assertIn("过期牛奶", case.evidence_summary)
        self.assertTrue(self.env["enforcement.outbox"].search([("identity_key", "=", f"message:case_created:{case.name}")]))
        due = inspection._compute_publish_due_iso()
        self.assertTrue(due.endswith("T23:59:59+08:00"))
