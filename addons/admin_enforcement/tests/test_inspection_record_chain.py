"""An inspection's full-process record (全过程记录) and the draw's place in
it: the on-site step writes the notice and certificates shown and the
现场笔录 as records in the inspection's own signed hash chain, the
audio/video list's gate holds for a high-risk party's on-site step, and a
record or a draw changed directly in PostgreSQL is found by the chain
verification (also by scripts/verify-chain)."""

import contextlib
import io
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..enforcement_core.china_clock import china_today
from .chinese import load_chinese
from .test_case_gates import CaseCommon
from .test_inspection_gates import TestInspectionGates, make_uscc


@tagged("post_install", "-at_install")
class TestInspectionRecordChain(CaseCommon):
    _job_keys = iter(range(3251799813785000, 3251799813795000))
    _plan = TestInspectionGates._plan
    _task = TestInspectionGates._task

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Party = cls.env["enforcement.inspection.party"]
        cls.parties = Party.create([{
            "name": f"城关县第{n}餐饮店有限公司", "party_type": "organisation", "uscc": make_uscc(100 + n),
            "agency_id": cls.agency.id, "area_id": cls.area.id, "industry": "6210",
            "risk_grade": "D" if n == 1 else "C", "address": f"城关县解放路{n}号",
        } for n in range(1, 11)])
        cls.high_risk, cls.ordinary = cls.parties[0], cls.parties[1]

    def _open_inspection(self, party):
        inspection = self.env["enforcement.inspection"].with_user(self.user_officer_1).create({
            "party_id": party.id, "agency_id": self.agency.id, "category_id": self.category.id,
            "source": "complaint", "source_note": "群众举报后厨卫生问题",
            "inspector_ids": [fields.Command.set((self.officer_1 | self.officer_2).ids)],
        })
        inspection.with_user(self.user_officer_1).action_start()
        task = self._task(inspection, "inspection_onsite", {"inspection_id": inspection.id}, group="officer")
        task.write({"inspection_notice_shown": True, "inspection_certificate_shown": True,
                    "inspection_record": "后厨地面积水，冷藏柜温度8℃", "inspection_result": "no_problem"})
        return inspection, task

    def _sql(self, query, params=()):
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    def _cli(self, ref=None):
        from ..cli.verify_chain import verify
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = verify(self.env, ref)
        return status, out.getvalue()

    def test_the_onsite_step_records_into_the_inspections_chain_and_tampering_is_named(self):
        """The on-site step's notice, certificates and 现场笔录 are records of
        the inspection, in its chain; one changed in the database is named."""
        inspection, task = self._open_inspection(self.ordinary)
        task.with_user(self.user_officer_1).action_complete()
        records = inspection.record_ids
        self.assertEqual(len(records), 2)
        self.assertEqual(set(records.mapped("step_code")), {"inspection_onsite"})
        self.assertEqual(records.mapped("collector_ids"), self.user_officer_1)
        onsite = records.filtered(lambda r: "后厨地面积水" in (r.proves or ""))
        shown = records - onsite
        self.assertIn(self.officer_1.name, shown.proves)
        self.assertFalse(records.mapped("case_id"))
        entries = inspection.sudo().chain_entry_ids.sorted("seq")
        self.assertEqual([(e.res_model, e.res_id) for e in entries],
                         [("enforcement.record", r.id) for r in records.sorted("id")])
        self.assertEqual(entries.mapped("actor"), [self.user_officer_1.login] * 2)
        result = inspection._verify_chain()[0]
        self.assertTrue(result["ok"], result["reason"])
        self.assertEqual(self._cli(inspection.name)[0], 0)

        # An inspector's photo joins the same chain; a record cannot be changed through the ORM.
        photo = self.env["enforcement.record.file"].with_user(self.user_officer_2)._store_bytes(
            "后厨照片01.jpg", b"\xff\xd8kitchen")
        self.env["enforcement.record"].with_user(self.user_officer_2).create({
            "inspection_id": inspection.id, "name": "后厨照片", "kind": "photo", "stage": "investigation",
            "step_code": "inspection_onsite", "captured_at": fields.Datetime.now(), "upload_ids": photo.ids,
        })
        self.assertEqual(len(inspection.sudo().chain_entry_ids), 3)
        with self.assertRaises(AccessError):
            onsite.with_user(self.user_officer_1).write({"proves": "一切正常"})

        self._sql("UPDATE enforcement_record SET proves = '一切正常' WHERE id = %s", (onsite.id,))
        result = inspection._verify_chain()[0]
        self.assertFalse(result["ok"])
        seq = entries.filtered(lambda e: e.res_id == onsite.id).seq
        self.assertEqual(result["seq"], seq)
        self.assertIn("proves changed", result["reason"])
        status, out = self._cli()
        self.assertEqual(status, 1, out)
        self.assertIn(f"BROKEN {inspection.name}:", out)

    def test_the_inspector_reads_a_records_step_by_its_chinese_name(self):
        load_chinese(self.env)
        inspection, task = self._open_inspection(self.ordinary)
        task.with_user(self.user_officer_1).action_complete()
        shown = inspection.record_ids.with_user(self.user_officer_1).with_context(lang="zh_CN")
        names = dict(shown.fields_get(["step_code"])["step_code"]["selection"])  # what the list shows
        self.assertEqual({names[record.step_code] for record in shown}, {"现场检查"})
        with self.assertRaisesRegex(ValidationError, "not a step of the procedure"):
            self.env["enforcement.record"].with_user(self.user_officer_1).create({
                "inspection_id": inspection.id, "name": "后厨照片", "kind": "photo", "stage": "investigation",
                "step_code": "onsite inspection", "captured_at": fields.Datetime.now()})

    def test_a_tail_cut_after_the_daily_anchor_is_found_in_an_inspection_chain(self):
        """Deleting the last record and its chain row leaves a consistent
        chain: only the daily anchor, which signs inspection chains too, sees it."""
        inspection, task = self._open_inspection(self.ordinary)
        task.with_user(self.user_officer_1).action_complete()
        anchor = self.env["enforcement.chain.anchor"]._anchor_day(self.company, china_today())
        self.assertIn(inspection, anchor.leaf_ids.inspection_id)
        self.assertEqual(anchor._verify(), [])
        last = inspection.sudo().chain_entry_ids.sorted("seq")[-1]
        seq, record_id = last.seq, last.res_id
        self._sql("DELETE FROM enforcement_chain_entry WHERE id = %s", (last.id,))
        self._sql("DELETE FROM enforcement_record WHERE id = %s", (record_id,))
        result = inspection._verify_chain()[0]
        self.assertEqual((result["ok"], result["seq"]), (False, seq))
        self.assertIn("anchor", result["reason"])

    def test_only_the_inspections_inspectors_record_into_it(self):
        inspection, _task = self._open_inspection(self.ordinary)
        vals = {"inspection_id": inspection.id, "name": "检查记录", "kind": "written", "stage": "investigation",
                "captured_at": fields.Datetime.now()}
        with self.assertRaisesRegex(AccessError, "not an inspector"):
            self.env["enforcement.record"].with_user(self.user_officer_3).create(dict(vals))
        case = self._case(title="某餐饮店案")
        with self.assertRaises(ValidationError):
            self.env["enforcement.record"].with_user(self.user_officer_1).create(dict(vals, case_id=case.id))

    def test_a_high_risk_partys_onsite_step_needs_its_audio_video_record(self):
        """The list (清单) requires the whole on-site inspection of a risk grade D party on audio/video."""
        load_chinese(self.env)
        inspection, task = self._open_inspection(self.high_risk)
        with self.assertRaisesRegex(UserError, "音像") as refused:
            task.with_user(self.user_officer_1).with_context(lang="zh_CN").action_complete()
        self.assertIn(inspection.name, str(refused.exception))
        self.assertEqual((task.state, inspection.state, inspection.record_ids), ("open", "open",
                                                                               self.env["enforcement.record"]))
        # A photo is not a recording of the activity.
        Record = self.env["enforcement.record"].with_user(self.user_officer_1)
        Files = Record.env["enforcement.record.file"]
        Record.create({"inspection_id": inspection.id, "name": "现场照片", "kind": "photo", "stage": "investigation",
                       "step_code": "inspection_onsite", "captured_at": fields.Datetime.now(),
                       "upload_ids": Files._store_bytes("现场照片.jpg", b"\xff\xd8photo").ids})
        with self.assertRaisesRegex(UserError, "audio/video"):
            task.with_user(self.user_officer_1).action_complete()
        Record.create({"inspection_id": inspection.id, "name": "现场检查全程录像", "kind": "video",
                       "stage": "investigation", "step_code": "inspection_onsite",
                       "captured_at": fields.Datetime.now() - timedelta(minutes=1),
                       "upload_ids": Files._store_bytes("现场检查录像.mp4", b"\x00\x00\x00\x18ftypmp42").ids})
        task.with_user(self.user_officer_1).action_complete()
        self.assertEqual((task.state, inspection.state), ("done", "done"))
        self.assertTrue(inspection._verify_chain()[0]["ok"])

    def test_a_draw_altered_in_the_database_is_detected(self):
        """The draw is the first link of its plan's chain: its document changed in PostgreSQL is found."""
        plan = self._plan()
        plan.with_user(self.user_officer_1).action_submit()
        plan.sudo().write({"state": "approved"})
        plan._publish()
        self._sql("UPDATE enforcement_inspection_plan SET draw_at = %s WHERE id = %s",
                  (fields.Datetime.now() - timedelta(minutes=1), plan.id))
        task = self._task(plan, "inspection_public_value", {"plan_id": plan.id})
        task.write({"inspection_public_value": "0471", "inspection_public_value_source": "福彩3D 2027001期"})
        task.with_user(self.user_leader).action_complete()
        draw = plan._draw()
        entry = plan.sudo().chain_entry_ids
        self.assertEqual((entry.seq, entry.res_model, entry.res_id), (1, draw._name, draw.id))
        self.assertIn(draw.document_hash, entry.payload)
        result = plan._verify_chain()[0]
        self.assertTrue(result["ok"], result["reason"])
        self.assertEqual(self._cli(plan.name)[0], 0)

        # A drawn party swapped in the stored document, its stored hash left as it was.
        self._sql("UPDATE enforcement_inspection_draw SET document = (document::jsonb || '{\"parties\": [\"1\"]}') "
                  "WHERE id = %s", (draw.id,))
        result = plan._verify_chain()[0]
        self.assertFalse(result["ok"])
        self.assertEqual(result["seq"], 1)
        self.assertIn("document_sha256 changed", result["reason"])
        status, out = self._cli()
        self.assertEqual(status, 1, out)
        self.assertIn(f"BROKEN {plan.name}:", out)
