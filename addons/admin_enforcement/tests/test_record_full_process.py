"""Full-process record (全过程记录): records are append-only for everyone,
late and back-filled records are flagged, the audio/video gate holds, every
read of the case file is logged, and the exported case file verifies offline."""

import base64
import hashlib
import importlib.util
import io
import json
import os
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools.safe_eval import safe_eval

from odoo.addons.mail.tests.common import mail_new_test_user
from ..enforcement_core.china_clock import china_today
from .chinese import load_chinese

PREFIX = "admin_enforcement.group_enforcement_"
VERIFY_ARCHIVE = Path(__file__).resolve().parents[3] / "scripts" / "verify_archive.py"


class RecordCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env["res.company"].create({"name": "城关县市场监督管理局（记录测试）"})
        cls.agency = cls.env["enforcement.agency"].create({
            "name": "城关县市场监督管理局（记录测试）", "short_name": "城关", "company_id": cls.company.id,
        })
        cls.other_company = cls.env["res.company"].create({"name": "河西区市场监督管理局（记录测试）"})
        cls.env["enforcement.agency"].create({
            "name": "河西区市场监督管理局（记录测试）", "short_name": "河西", "company_id": cls.other_company.id,
        })

        def user(login, groups, company=cls.company):
            return mail_new_test_user(cls.env, login=login, groups=groups, company_id=company.id,
                                      company_ids=[Command.set(company.ids)], name=login)

        cls.officer = user("rec_officer", f"base.group_user,{PREFIX}officer")
        cls.leader = user("rec_leader", f"base.group_user,{PREFIX}leader")
        cls.bureau_admin = user("rec_admin", f"base.group_user,{PREFIX}admin")
        cls.supervisor = user("rec_supervisor", f"base.group_user,{PREFIX}supervisor")
        cls.other_officer = user("rec_other_officer", f"base.group_user,{PREFIX}officer", cls.other_company)
        cls.category = cls.env.ref("admin_enforcement.enforcement_category_market")
        cls.area = cls.env["enforcement.area"].create({"code": "R33010", "name": "城关县（记录测试）"})
        cls.case_officer = cls.env["enforcement.officer"].create({
            "name": "记录测试执法员", "agency_id": cls.agency.id, "user_id": cls.officer.id})
        cls.matter = cls.env["enforcement.matter"].create({
            "code": "JL-SP-001", "name": "对经营超过保质期食品的行政处罚", "category": "penalty",
            "agency_id": cls.agency.id,
        })
        today = china_today()
        cls.env["enforcement.certificate"].create({
            "number": "33-JL-0001", "officer_id": cls.case_officer.id, "issuing_body": "城关县人民政府",
            "category_ids": [Command.set(cls.category.ids)], "area_ids": [Command.set(cls.area.ids)],
            "valid_from": today - timedelta(days=365), "valid_to": today + timedelta(days=365),
        })

    @classmethod
    def _case(cls, title="某超市销售过期食品案"):
        """A case registered three days ago, handled by the certified record-test officer."""
        case = cls.env["enforcement.case"].with_user(cls.officer).create({
            "title": title, "agency_id": cls.agency.id, "party_name": "城关县惠民超市有限公司",
            "matter_id": cls.matter.id, "category_id": cls.category.id, "area_id": cls.area.id,
            "officer_ids": [Command.set(cls.case_officer.ids)],
        })
        cls._backdate(case, timedelta(days=3))
        return case

    @classmethod
    def _backdate(cls, record, by):
        cls.env.cr.execute(f"UPDATE {record._table} SET create_date = %s WHERE id = %s",
                            (fields.Datetime.now() - by, record.id))
        record.invalidate_recordset(["create_date"])

    def _record(self, case, user=None, files=(("现场照片01.jpg", b"\xff\xd8jpeg-bytes"),), **vals):
        Record = self.env["enforcement.record"].with_user(user or self.officer)
        uploads = Record.env["enforcement.record.file"]
        for name, data in files:
            uploads |= uploads._store_bytes(name, data)
        return Record.create({
            "case_id": case.id, "name": "现场检查照片", "kind": "photo", "stage": "investigation",
            "step_code": "investigation", "captured_at": fields.Datetime.now() - timedelta(hours=1),
            "capture_place": "城关县解放路88号惠民超市食品区", "collector_ids": [Command.set(self.officer.ids)],
            "proves": "货架上陈列超过保质期的酸奶12盒", "upload_ids": uploads.ids, **vals,
        })

    _job_keys = iter(range(2251799813785000, 2251799813795000))

    def _task(self, case, step_code, **vals):
        """A task of the case, opened two days ago."""
        task = self.env["enforcement.task"].sudo().create({
            "name": f"{case.name} · {step_code}", "case_id": case.id, "step_code": step_code,
            "job_key": str(next(self._job_keys)),
            "candidate_group_ids": [Command.set(self.env.ref(f"{PREFIX}leader").ids)], **vals,
        })
        self._backdate(task, timedelta(days=2))
        return task


@tagged("post_install", "-at_install")
class TestRecordAppendOnly(RecordCommon):

    def test_server_computes_file_hash_and_ignores_system_fields_from_the_client(self):
        """The SHA-256 is the server's, and a client cannot set stored_at, is_late or is_backfill."""
        case = self._case()
        record = self._record(case, stored_at="2020-01-01 00:00:00", is_late=False, is_backfill=False,
                              captured_at=fields.Datetime.now() - timedelta(hours=30))
        file = record.file_ids
        self.assertEqual(file.sha256, hashlib.sha256(b"\xff\xd8jpeg-bytes").hexdigest())
        self.assertEqual(file.file_size, len(b"\xff\xd8jpeg-bytes"))
        self.assertGreater(record.stored_at, fields.Datetime.now() - timedelta(minutes=5))
        self.assertTrue(record.is_late, "stored 30 hours after capture")

    def test_unknown_step_code_or_stage_is_refused_with_a_message(self):
        case = self._case()
        with self.assertRaisesRegex(ValidationError, "no_such_step"):
            self._record(case, step_code="no_such_step")
        with self.assertRaisesRegex(ValidationError, "no_such_stage"):
            self._record(case, stage="no_such_stage")
        self.assertFalse(case.record_ids)
        self._record(case, step_code="forced_demolition")  # a step of the audio/video list is a known step

    def test_browser_form_adds_a_record_with_its_file(self):
        case = self._case()
        wizard = self.env["enforcement.record.add"].with_user(self.officer).create({
            "case_id": case.id, "name": "现场检查笔录扫描件", "kind": "scan", "stage": "investigation",
            "captured_at": fields.Datetime.now() - timedelta(hours=2), "capture_place": "城关县解放路88号",
            "proves": "现场检查情况", "file": base64.b64encode(b"%PDF-1.7 scan"), "filename": "检查笔录.pdf",
        })
        action = wizard.action_add()
        record = self.env["enforcement.record"].browse(action["res_id"])
        self.assertEqual((record.case_id, record.kind, record.collector_ids), (case, "scan", self.officer))
        self.assertEqual(record.file_ids.sha256, hashlib.sha256(b"%PDF-1.7 scan").hexdigest())

    def test_nobody_can_edit_or_delete_a_record_not_even_the_administrator(self):
        case = self._case()
        record = self._record(case)
        for env in (self.env, record.with_user(self.bureau_admin).env, record.with_user(self.officer).env):
            with self.assertRaises(AccessError):
                env["enforcement.record"].browse(record.id).write({"proves": "改写"})
            with self.assertRaises(AccessError):
                env["enforcement.record"].browse(record.id).unlink()
            with self.assertRaises(AccessError):
                env["enforcement.record.file"].browse(record.file_ids.id).write({"sha256": "0" * 64})
            with self.assertRaises(AccessError):
                env["enforcement.record.file"].browse(record.file_ids.id).unlink()
        entries = case.sudo().chain_entry_ids
        with self.assertRaises(AccessError):
            entries[:1].write({"payload": "{}"})
        with self.assertRaises(AccessError):
            entries[:1].unlink()
        self.assertEqual(record.proves, "货架上陈列超过保质期的酸奶12盒")

    def test_correction_is_a_new_record_pointing_at_the_corrected_one(self):
        case = self._case()
        original = self._record(case)
        correction = self._record(case, name="现场检查照片（更正地点）", corrects_id=original.id,
                                  capture_place="城关县解放路86号惠民超市食品区")
        self.assertEqual(original.corrected_by_ids, correction)
        self.assertTrue(original.is_superseded)
        self.assertFalse(original.in_decision_basis)
        self.assertTrue(correction.in_decision_basis)
        self.assertEqual(original.capture_place, "城关县解放路88号惠民超市食品区", "the original stays as it was")
        other_case = self._case("另一案件")
        with self.assertRaises(ValidationError):
            self._record(other_case, corrects_id=original.id)

    def test_record_is_added_only_by_who_can_work_on_the_case(self):
        case = self._case()
        with self.assertRaises(AccessError):
            self._record(case, user=self.other_officer)
        with self.assertRaises(AccessError):
            self._record(case, user=self.supervisor)
        self.assertFalse(case.record_ids)

    def test_records_are_read_by_their_agency_and_the_supervisor_only(self):
        case = self._case()
        record = self._record(case)
        self.assertEqual(self.env["enforcement.record"].with_user(self.supervisor).search(
            [("case_id", "=", case.id)]), record)
        self.assertFalse(self.env["enforcement.record"].with_user(self.other_officer).search(
            [("case_id", "=", case.id)]))
        with self.assertRaises(AccessError):
            record.file_ids.with_user(self.other_officer).check_access("read")
        with self.assertRaises(AccessError):
            case.sudo().chain_entry_ids[:1].with_user(self.other_officer).check_access("read")

    def test_a_file_attaches_once_and_only_by_its_uploader(self):
        case = self._case()
        upload = self.env["enforcement.record.file"].with_user(self.officer)._store_bytes("询问录音.m4a", b"audio")
        record = self._record(case, files=(), upload_ids=upload.ids, kind="audio", name="询问录音")
        self.assertEqual(record.file_ids, upload)
        with self.assertRaises(UserError):
            self._record(case, files=(), upload_ids=upload.ids)
        someone_elses = self.env["enforcement.record.file"].with_user(self.leader)._store_bytes("a.jpg", b"x")
        with self.assertRaises(AccessError):
            self._record(case, files=(), upload_ids=someone_elses.ids)

    def test_audio_video_record_needs_its_file(self):
        case = self._case()
        with self.assertRaises(ValidationError):
            self._record(case, files=(), kind="video", name="扣押全程录像")

    def test_record_stored_after_24_hours_is_late_and_listed_for_the_supervisor(self):
        case = self._case()
        on_time = self._record(case, captured_at=fields.Datetime.now() - timedelta(hours=23))
        late = self._record(case, captured_at=fields.Datetime.now() - timedelta(hours=25))
        self.assertFalse(on_time.is_late)
        self.assertTrue(late.is_late)
        action = self.env.ref("admin_enforcement.action_enforcement_record_late")
        listed = self.env["enforcement.record"].with_user(self.supervisor).search(
            safe_eval(action.domain))
        self.assertIn(late, listed)
        self.assertNotIn(on_time, listed)


@tagged("post_install", "-at_install")
class TestRecordBackfillAndAvGate(RecordCommon):

    def test_record_added_after_its_step_closed_is_backfill_and_not_basis(self):
        case = self._case()
        self._task(case, "investigation", state="done",
                   completed_at=fields.Datetime.now() - timedelta(hours=2))
        late_entry = self._record(case, captured_at=fields.Datetime.now() - timedelta(hours=3))
        self.assertTrue(late_entry.is_backfill)
        self.assertIn("Investigation", late_entry.backfill_reason)  # the step's label, not its code
        self.assertFalse(late_entry.in_decision_basis)
        basis, backfill = case._archive_catalogue_rows()
        self.assertEqual(backfill, late_entry)
        self.assertFalse(basis)

    def test_record_added_after_the_decision_is_backfill_whatever_its_step(self):
        case = self._case()
        before = self._record(case, step_code="service")
        self._task(case, "decision", state="done", completed_at=fields.Datetime.now() - timedelta(minutes=1))
        after = self._record(case, step_code="service")
        self.assertFalse(before.is_backfill)
        self.assertTrue(after.is_backfill)
        self.assertIn("decision", after.backfill_reason)

    def test_step_needing_whole_activity_av_cannot_complete_without_it(self):
        """The AV list is data: here the bureau lists its filing approvals as filmed activities."""
        self.env["enforcement.av.requirement"].create({
            "name": "办案区立案审批", "code": "test_filing_room", "level": "whole", "step_codes": "filing_approval",
        })
        case = self._case()
        task = self._task(case, "filing_approval", filing_approved=True, approval_comment="同意立案")
        outbox_before = self.env["enforcement.outbox"].search_count([("case_id", "=", case.id)])
        with self.assertRaisesRegex(UserError, "办案区立案审批.*audio/video"):
            task.with_user(self.leader).action_complete()
        self.assertEqual(task.state, "open")
        self.assertEqual(case.state, "filing")
        self.assertEqual(self.env["enforcement.outbox"].search_count([("case_id", "=", case.id)]), outbox_before)

        # A photo is not a recording, and neither is a video of another step.
        self._record(case, step_code="filing_approval")
        self._record(case, kind="video", step_code="investigation",
                     files=(("录像.mp4", b"video-of-another-step"),))
        with self.assertRaises(UserError):
            task.with_user(self.leader).action_complete()

        self._record(case, kind="video", name="立案审批全程录像", step_code="filing_approval",
                     files=(("立案审批.mp4", b"mp4-video-bytes"),))
        task.with_user(self.leader).action_complete()
        self.assertEqual(task.state, "done")
        self.assertEqual(case.state, "filed")

    def test_as_circumstances_require_does_not_block(self):
        self.env["enforcement.av.requirement"].create({
            "name": "视情况录像的审批", "code": "test_optional", "level": "as_required", "step_codes": "filing_approval",
        })
        case = self._case()
        task = self._task(case, "filing_approval", filing_approved=True)
        task.with_user(self.leader).action_complete()
        self.assertEqual(case.state, "filed")


@tagged("post_install", "-at_install")
class TestRecordAccessLog(RecordCommon):

    def test_opening_the_case_form_is_logged_and_listing_is_not(self):
        case = self._case()
        Case = self.env["enforcement.case"].with_user(self.officer)
        Case.web_search_read([("id", "=", case.id)], {"title": {}})
        self.assertFalse(case.sudo().access_log_ids)
        Case.browse(case.id).web_read({"title": {}, "number": {}})
        log = case.sudo().access_log_ids
        self.assertEqual(len(log), 1)
        self.assertEqual((log.user_id, log.access_type), (self.officer, "form_open"))

    def test_printing_a_document_is_logged(self):
        case = self._case()
        self.env["ir.actions.report"].with_user(self.officer)._render_qweb_pdf(
            "admin_enforcement.report_case_filing_approval", case.ids)
        self.assertEqual(case.sudo().access_log_ids.mapped("access_type"), ["document_print"])

    def test_access_log_cannot_be_changed_and_is_read_by_leaders_and_supervisors(self):
        case = self._case()
        case.with_user(self.officer).web_read({"title": {}})
        log = case.sudo().access_log_ids
        with self.assertRaises(AccessError):
            log.write({"user_id": self.leader.id})
        with self.assertRaises(AccessError):
            log.unlink()
        self.assertEqual(self.env["enforcement.access.log"].with_user(self.supervisor).search(
            [("case_id", "=", case.id)]), log)
        self.assertEqual(self.env["enforcement.access.log"].with_user(self.leader).search(
            [("case_id", "=", case.id)]), log)
        with self.assertRaises(AccessError):
            self.env["enforcement.access.log"].with_user(self.officer).search([("case_id", "=", case.id)])


@tagged("post_install", "-at_install")
class TestRecordArchive(RecordCommon):

    def _closed_case(self):
        case = self._case()
        self._record(case)
        self._record(case, kind="video", name="现场检查全程录像", files=(("现场检查.mp4", b"\x00\x00\x00\x18ftypmp42"),))
        task = self._task(case, "filing_approval", filing_approved=False, approval_comment="证据不足，不予立案")
        task.with_user(self.leader).action_complete()
        self.assertEqual(case.state, "not_filed")
        return case

    def _load_verifier(self):
        if not VERIFY_ARCHIVE.exists():
            self.skipTest(f"{VERIFY_ARCHIVE} is not deployed next to the addon")
        spec = importlib.util.spec_from_file_location("verify_archive", VERIFY_ARCHIVE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def test_open_case_cannot_be_exported(self):
        case = self._case()
        with self.assertRaisesRegex(UserError, "not closed"):
            case.with_user(self.officer).action_export_archive()

    def test_exported_case_file_verifies_offline_and_names_tampering(self):
        case = self._closed_case()
        self.env["enforcement.chain.anchor"]._anchor_day(self.company, china_today())
        path = case.with_user(self.officer)._export_archive()
        self.addCleanup(os.unlink, path)
        self.assertIn("export", case.sudo().access_log_ids.mapped("access_type"))
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            manifest = json.loads(archive.read("manifest.json"))
            workbook = archive.read("catalogue.xlsx")
        self.assertIn("documents/01_立案审批表.html", names)  # PDF outside test mode
        self.assertTrue(any(name.startswith("documents/") and "结案报告" in name for name in names))
        self.assertIn(f"files/{case.record_ids[1].id:06d}/现场检查.mp4", names)
        self.assertTrue(workbook.startswith(b"PK"), "the catalogue is an xlsx workbook")
        self.assertEqual(len(manifest["chain"]), len(case.sudo().chain_entry_ids))
        self.assertEqual(len(manifest["anchors"]), 1)

        verifier = self._load_verifier()
        public_key = self._bureau_public_key()
        self.assertTrue(verifier.verify_archive(path, public_key).startswith("OK "))

        # Swap a video inside the archive: named by the member check.
        tampered = self._rewritten(path, members={f"files/{case.record_ids[1].id:06d}/现场检查.mp4": b"another video"})
        with self.assertRaisesRegex(verifier.ArchiveProblem, "现场检查.mp4 does not match"):
            verifier.verify_archive(tampered, public_key)

        # Rewrite a chained payload and its manifest consistently: the manifest signature breaks ...
        manifest["chain"][0]["payload"] = manifest["chain"][0]["payload"].replace("city", "town") + " "
        with self.assertRaisesRegex(verifier.ArchiveProblem, "signature of manifest.json does not verify"):
            verifier.verify_archive(self._rewritten(path, manifest), public_key)
        # ... and without the signature (accepted explicitly), the chain names the entry.
        unsigned = self._rewritten(path, manifest, drop=("manifest.sig",))
        with self.assertRaisesRegex(verifier.ArchiveProblem, "not signed"):
            verifier.verify_archive(unsigned, public_key)
        with self.assertRaisesRegex(verifier.ArchiveProblem, "chain entry 1: its content|chain entry 1: content"):
            verifier.verify_archive(unsigned, public_key, accept_unsigned=True)

        # A key that is not the bureau's verifies nothing.
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives import serialization
        stranger = Ed25519PrivateKey.generate().public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        with self.assertRaisesRegex(verifier.ArchiveProblem, "not in the bureau's key ring"):
            verifier.verify_archive(path, stranger)

    def test_unanchored_or_unsigned_archive_fails_unless_accepted_and_says_so_first(self):
        _case, path, manifest = self._exported(anchored=False)
        verifier = self._load_verifier()
        key = self._bureau_public_key()
        self.assertEqual(manifest["anchors"], [])
        with self.assertRaisesRegex(verifier.ArchiveProblem, "no daily anchor"):
            verifier.verify_archive(path, key)
        self.assertTrue(verifier.verify_archive(path, key, accept_unanchored=True).startswith(
            "OK WITHOUT ANCHORS (accepted by --accept-unanchored)"))
        unsigned = self._rewritten(path, drop=("manifest.sig",))
        self.assertTrue(verifier.verify_archive(unsigned, key, accept_unanchored=True, accept_unsigned=True)
                        .startswith("OK WITHOUT MANIFEST SIGNATURE AND ANCHORS"))

    def test_archive_compared_with_the_published_anchors(self):
        _case, path, manifest = self._exported()
        verifier = self._load_verifier()
        published = self.env["enforcement.chain.anchor"]._public_export()["anchors"]
        self.assertIn("1 matching the published anchors",
                      verifier.verify_archive(path, self._bureau_public_key(), published))
        rewritten = [dict(anchor, merkle_root="ab" * 32) for anchor in published]
        with self.assertRaisesRegex(verifier.ArchiveProblem, "differs from the published anchor"):
            verifier.verify_archive(path, self._bureau_public_key(), rewritten)

    def test_member_names_are_safe_even_for_a_file_row_written_behind_the_applications_back(self):
        case = self._closed_case()
        file = case.record_ids[0].file_ids
        self.env.flush_all()
        self.env.cr.execute("UPDATE enforcement_record_file SET name = %s WHERE id = %s",
                            ("..\\..\\windows\\evil.exe", file.id))
        self.env.invalidate_all()
        path = case._export_archive()
        self.addCleanup(os.unlink, path)
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        self.assertIn(f"files/{case.record_ids[0].id:06d}/file-{file.id}", names)
        self.assertFalse([name for name in names if "\\" in name or ".." in name])

    def _exported(self, anchored=True):
        case = self._closed_case()
        if anchored:
            self.env["enforcement.chain.anchor"]._anchor_day(self.company, china_today())
        path = case.with_user(self.officer)._export_archive()
        self.addCleanup(os.unlink, path)
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        return case, path, manifest

    def _rewritten(self, path, manifest=None, members=None, drop=()):
        """A copy of the archive with manifest.json and some members replaced, as an insider would make it."""
        handle, target = tempfile.mkstemp(suffix=".rewritten.zip")
        os.close(handle)
        self.addCleanup(os.unlink, target)
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
            for item in source.infolist():
                if item.filename in drop:
                    continue
                data = source.read(item.filename)
                if item.filename == "manifest.json" and manifest is not None:
                    data = json.dumps(manifest, ensure_ascii=False).encode()
                elif members and item.filename in members:
                    data = members[item.filename]
                out.writestr(item, data)
        return target

    def _bureau_public_key(self):
        from ..enforcement_core import hashchain
        from ..models.enforcement_chain import load_or_create_signing_key
        return hashchain.public_key_pem(load_or_create_signing_key())

    def test_archive_with_anchors_removed_from_its_manifest_fails(self):
        _case, path, manifest = self._exported()
        verifier = self._load_verifier()
        self.assertEqual(len(manifest["anchors"]), 1)
        manifest["anchors"] = []
        with self.assertRaises(verifier.ArchiveProblem):
            verifier.verify_archive(self._rewritten(path, manifest), self._bureau_public_key())

    def test_forged_document_with_its_manifest_hash_updated_fails(self):
        _case, path, manifest = self._exported()
        verifier = self._load_verifier()
        document = manifest["documents"][0]["path"]
        forged = b"%PDF-1.4 a forged filing approval"
        for member in manifest["members"]:
            if member["path"] == document:
                member.update(sha256=hashlib.sha256(forged).hexdigest(), size=len(forged))
        with self.assertRaises(verifier.ArchiveProblem):
            verifier.verify_archive(self._rewritten(path, manifest, {document: forged}), self._bureau_public_key())

    def test_edited_case_block_fails(self):
        _case, path, manifest = self._exported()
        verifier = self._load_verifier()
        manifest["case"]["party"] = "另一家公司"
        with self.assertRaises(verifier.ArchiveProblem):
            verifier.verify_archive(self._rewritten(path, manifest), self._bureau_public_key())

    def test_every_standard_document_renders_from_the_case(self):
        from ..models.enforcement_case_record import STANDARD_DOCUMENTS
        case = self._case("某超市销售过期酸奶案")
        self._record(case, kind="written", name="询问笔录（第1页）")
        for xmlid, title, _steps, records_field in STANDARD_DOCUMENTS:
            if records_field:
                continue  # printed from another model (the legal review's own report)
            with self.subTest(document=title):
                html, _kind = self.env["ir.actions.report"]._render_qweb_html(xmlid, case.ids)
                text = html.decode()
                self.assertIn(title, text)
                self.assertIn("城关县市场监督管理局（记录测试）", text)

    def test_catalogue_keeps_backfilled_records_on_their_own_sheet(self):
        case = self._case()
        self._record(case)
        self._task(case, "investigation", state="done", completed_at=fields.Datetime.now() - timedelta(minutes=5))
        self._record(case, name="事后补拍照片")
        workbook = case._archive_catalogue_xlsx([])
        with zipfile.ZipFile(io.BytesIO(workbook)) as xlsx:
            sheets = xlsx.read("xl/workbook.xml").decode()
            backfill_sheet = xlsx.read("xl/worksheets/sheet2.xml").decode()
        self.assertIn("补录（不作为决定依据）", sheets)
        self.assertIn('<row r="4"', backfill_sheet, "the back-filled record is listed on the second sheet")
        self.assertNotIn('<row r="5"', backfill_sheet, "and only it")


@tagged("post_install", "-at_install")
class TestRecordTranslations(RecordCommon):
    """The full-process record screens, data and refusals read in Chinese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)

    def test_labels_and_data_translated(self):
        env_zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        Record = env_zh["enforcement.record"]
        cases = [
            (Record._fields["proves"].get_description(env_zh)["string"], "证明对象"),
            (Record._fields["captured_at"].get_description(env_zh)["string"], "采集时间"),
            (dict(Record._fields["kind"]._description_selection(env_zh))["video"], "录像"),
            (env_zh.ref("admin_enforcement.menu_enforcement_access_log").name, "调阅记录"),
            (env_zh.ref("admin_enforcement.av_requirement_seizure").name, "查封扣押财物"),
        ]
        for got, expected in cases:
            with self.subTest(expected=expected):
                self.assertEqual(got, expected)

    def test_refusal_translated(self):
        case = self._case()
        record = self._record(case)
        with self.assertRaisesRegex(AccessError, "全过程记录不能修改"):
            record.with_context(lang="zh_CN").write({"proves": "改写"})
