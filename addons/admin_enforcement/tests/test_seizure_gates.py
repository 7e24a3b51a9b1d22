"""The legal gates of a seizure or detention (行政强制法 arts. 18-28), tried
the way a user or an RPC client would: approval by a leader, two or more
certified officers on the case team, the audio/video record of every
on-site step, one extension of at most 30 days, testing days excluded, and
the measure's state written only by its steps."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..services.user_tasks import OpenedUserTask
from .test_case_gates import PREFIX, CaseCommon

VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 4


@tagged("post_install", "-at_install")
class TestSeizureGates(CaseCommon):
    _seizure_job_keys = iter(range(2251799813885000, 2251799813895000))

    def _seizure(self, case=None, **vals):
        case = case or self._case()
        self._team(case, self.officer_1, self.officer_2)
        return self.env["enforcement.seizure"].with_user(self.user_officer_1).create({
            "case_id": case.id, "kind": "detention", "place": "城关县解放路88号惠民超市仓库",
            "reason": "涉嫌销售超过保质期的食品，可能被转移", "legal_basis": "《食品安全法》第一百一十条第（四）项",
            "item_ids": [Command.create({"description": "超过保质期的酸奶", "quantity": 12, "unit": "盒",
                                         "custody_place": "城关县市场监管局涉案财物保管室"})],
            **vals,
        })

    def _task(self, seizure, step_code, group="officer"):
        opened = OpenedUserTask(
            task_id=str(next(self._seizure_job_keys)), process_instance_id="pi-seizure-1",
            element_id=f"Task_{step_code}", step_code=step_code, candidate_groups=(f"{PREFIX}{group}",),
            assignee=None, due=None, case_id=seizure.case_id.id,
            variables={"case_id": seizure.case_id.id, "seizure_id": seizure.id})
        return self.env["enforcement.task"]._open_from_engine(opened)

    def _video(self, seizure, step_code, user=None):
        Record = self.env["enforcement.record"].with_user(user or self.user_officer_1)
        upload = Record.env["enforcement.record.file"]._store_bytes("现场执法记录仪全程录像.mp4", VIDEO)
        return Record.create({
            "case_id": seizure.case_id.id, "name": "查封扣押现场全程录像", "kind": "video", "stage": "investigation",
            "step_code": step_code, "captured_at": fields.Datetime.now(), "capture_place": seizure.place,
            "collector_ids": [Command.set(self.user_officer_1.ids)], "proves": "扣押现场全过程",
            "upload_ids": upload.ids,
        })

    def test_process_fields_and_item_states_are_not_written_by_clients(self):
        seizure = self._seizure()
        with self.refused(UserError, "can only be set by the step"):
            seizure.with_user(self.user_officer_1).write({"state": "released"})
        with self.refused(UserError, "can only be set by the step"):
            seizure.with_user(self.user_leader).write({"approved": True, "extension_days": 90})
        with self.refused(AccessError, "set by the measure"):
            seizure.item_ids.with_user(self.user_officer_1).write({"state": "returned"})
        with self.refused(AccessError, "buttons of the measure"):
            self.env["enforcement.seizure.pause"].with_user(self.user_officer_1).create({
                "seizure_id": seizure.id, "date_start": self.today})
        self.assertEqual(seizure.state, "draft")
        self.assertEqual(seizure.item_ids.state, "kept")

    def test_start_needs_two_certified_officers_and_an_acting_officer_on_the_team(self):
        seizure = self._seizure()
        with self.refused(AccessError, "case_officer_3 is not on the case team"):
            seizure.with_user(self.user_officer_3).action_start()
        self._team(seizure.case_id, self.officer_1)
        with self.refused(UserError, "at least 2"):
            seizure.with_user(self.user_officer_1).action_start()
        self._team(seizure.case_id, self.officer_1, self.officer_2)
        seizure.with_user(self.user_officer_1).action_start()
        self.assertEqual(seizure.state, "approval", "without an emergency the agency head approves first")
        row = self.env["enforcement.outbox"].search([("identity_key", "=", f"message:seizure_started:{seizure.name}")])
        self.assertEqual(row.payload["business_key"], seizure.name)
        self.assertEqual(row.payload["starts"], "enforcement_coercive_seizure")
        self.assertEqual(row.payload["variables"]["seizure_id"], seizure.id)
        self.assertEqual(row.case_id, seizure.case_id)
        # A second measure of the same case is a process of its own.
        second = self._seizure(case=seizure.case_id, emergency=True)
        second.with_user(self.user_officer_2).action_start()
        self.assertNotEqual(second.name, seizure.name)
        self.assertEqual(second.state, "on_site")
        with self.refused(UserError, "cannot change"):
            seizure.with_user(self.user_officer_1).write({"reason": "改写理由"})

    def test_only_a_leader_approves_and_a_refusal_needs_its_reason(self):
        seizure = self._seizure()
        seizure.with_user(self.user_officer_1).action_start()
        task = self._task(seizure, "seizure_approval", "leader")
        self.assertEqual(task.seizure_id, seizure)
        with self.refused(AccessError, ""):
            self._complete(task, self.user_officer_1, seizure_approved=True)
        with self.refused(UserError, "Give a reason"):
            self._complete(task, self.user_leader, seizure_approved=False)
        self._complete(task, self.user_leader, seizure_approved=True, approval_comment="同意扣押")
        self.assertEqual(task.outcome, {"seizure_approved": True})
        self.assertEqual((seizure.state, seizure.approved_by_id), ("on_site", self.user_leader))

    def test_on_site_step_needs_its_audio_video_record(self):
        """全过程音像记录: no recording of this step of this measure, no completion."""
        seizure = self._seizure(emergency=True)
        seizure.with_user(self.user_officer_1).action_start()
        task = self._task(seizure, "seizure_notify")
        with self.refused(UserError, "must be recorded on audio/video for the whole activity"):
            self._complete(task, self.user_officer_1, seizure_party_present=True)
        self.assertEqual(task.state, "open")
        photo = self._video(seizure, "seizure_notify")
        self.assertTrue(photo.file_ids)
        with self.refused(UserError, "name the witness"):
            self._complete(task, self.user_officer_1, seizure_party_present=False)
        self._complete(task, self.user_officer_1, seizure_party_present=True)
        self.assertEqual(task.state, "done")
        self.assertTrue(seizure.party_present)

        # The list is signed on site; afterwards it does not change.
        record = self._task(seizure, "seizure_record")
        self._video(seizure, "seizure_record")
        with self.refused(UserError, "must be signed"):
            self._complete(record, self.user_officer_1, seizure_onsite_record="现场笔录：扣押酸奶12盒")
        self._complete(record, self.user_officer_1, seizure_onsite_record="现场笔录：扣押酸奶12盒",
                       seizure_record_signed=True)
        with self.refused(UserError, "is signed"):
            seizure.item_ids.with_user(self.user_officer_1).write({"quantity": 2})
        seizure.item_ids.with_user(self.user_officer_1).write({"custody_record": "入库登记第008号"})

    def test_emergency_approval_after_its_window_is_refused(self):
        seizure = self._seizure(emergency=True)
        seizure.with_user(self.user_officer_1).action_start()
        self.assertAlmostEqual(seizure.approval_due, fields.Datetime.now() + timedelta(hours=24),
                               delta=timedelta(minutes=1))
        seizure._as_step().write({"state": "holding", "approval_due": fields.Datetime.now() - timedelta(minutes=1)})
        task = self._task(seizure, "seizure_emergency_approval", "leader")
        with self.refused(UserError, "time to approve .* ended"):
            self._complete(task, self.user_leader, seizure_approved=True)
        self.assertFalse(seizure.approved)
        self.assertTrue(seizure._release_by_process(), "the release names its reason")
        self.assertEqual(seizure.state, "releasing")

    def test_a_measure_released_by_its_timer_is_not_approved_afterwards(self):
        """The window's timer released the measure while its approval task was
        still on the task list: approving it then is refused, whatever the
        stored window says."""
        seizure = self._seizure(emergency=True)
        seizure.with_user(self.user_officer_1).action_start()
        task = self._task(seizure, "seizure_emergency_approval", "leader")
        seizure._release_by_process()
        self.assertEqual(seizure.state, "releasing")
        with self.refused(UserError, "time to approve .* ended"):
            self._complete(task, self.user_leader, seizure_approved=True)
        self.assertFalse(seizure.approved)

    def test_extension_once_by_at_most_thirty_days_and_testing_days_move_the_end(self):
        seizure = self._seizure()
        seizure._as_step().write({"state": "holding", "measure_date": self.today - timedelta(days=10)})
        period = seizure._compute_period()
        self.assertEqual(seizure.end_date, self.today + timedelta(days=20))
        self.assertTrue(period["extension_open"])
        self.assertTrue(period["seizure_end"].endswith("T23:59:59+08:00"))
        task = self._task(seizure, "seizure_extension", "leader")
        with self.refused(UserError, "1 to 30 days"):
            self._complete(task, self.user_leader, seizure_extension_approved=True, seizure_extension_days=31,
                           seizure_extension_reason="需要进一步检验")
        with self.refused(AccessError, ""):
            self._complete(task, self.user_officer_1, seizure_extension_approved=True, seizure_extension_days=30,
                           seizure_extension_reason="需要进一步检验")
        self._complete(task, self.user_leader, seizure_extension_approved=True, seizure_extension_days=30,
                       seizure_extension_reason="情况复杂，需要进一步调查")
        self.assertFalse(seizure._compute_period()["extension_open"])
        self.assertEqual(seizure.end_date, self.today + timedelta(days=50))
        again = self._task(seizure, "seizure_extension", "leader")
        with self.refused(UserError, "only once"):
            self._complete(again, self.user_leader, seizure_extension_approved=True, seizure_extension_days=5,
                           seizure_extension_reason="再次延长")

        seizure.with_user(self.user_officer_1).action_pause_testing(self.today - timedelta(days=6), "送检")
        self.assertTrue(seizure._compute_period()["seizure_paused"])
        seizure.with_user(self.user_officer_1).action_resume_testing(self.today - timedelta(days=2))
        self.assertEqual(seizure.state, "holding")
        seizure._compute_period()
        self.assertEqual(seizure.end_date, self.today + timedelta(days=54), "4 testing days are not counted")
        changes = self.env["enforcement.outbox"].search([("identity_key", "like", f"{seizure.name}:period_changed")])
        self.assertEqual(len(changes), 2)
        with self.refused(UserError, "future"):
            seizure.with_user(self.user_officer_1).action_pause_testing(self.today + timedelta(days=1))

    def test_release_by_a_leader_with_its_reason_and_confiscation_only_by_a_decision(self):
        seizure = self._seizure()
        seizure._as_step().write({"state": "holding", "measure_date": self.today})
        with self.refused(AccessError, ""):
            seizure.with_user(self.user_officer_1).action_release("检验合格")
        with self.refused(UserError, "no penalty decision"):
            seizure.with_user(self.user_leader).action_confiscate()
        with self.refused(UserError, "reason"):
            seizure.with_user(self.user_leader).action_release("")
        seizure.with_user(self.user_leader).action_release("经检验，扣押食品未过期")
        row = self.env["enforcement.outbox"].search([("identity_key", "=", f"message:{seizure.name}:seizure_ended")])
        self.assertEqual(row.payload["variables"], {"seizure_outcome": "release"})
        with self.refused(UserError, "already decided"):
            seizure.with_user(self.user_leader).action_release("再次解除")
        seizure._release_by_process()
        task = self._task(seizure, "seizure_return")
        with self.refused(UserError, "record of the items returned"):
            self._complete(task, self.user_officer_1)
        self._complete(task, self.user_officer_1, seizure_return_record="酸奶12盒已当场退还当事人，当事人签收")
        self.assertEqual((seizure.state, seizure.item_ids.state), ("released", "returned"))
        self.assertEqual(seizure.release_reason, "经检验，扣押食品未过期")
