"""Tamper evidence: rows changed directly in PostgreSQL — a field changed, a
row deleted, rows reordered, a file swapped — are each found, and the
verification names the first broken link."""

import logging

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..enforcement_core.china_clock import china_today
from .test_record_full_process import RecordCommon


@tagged("post_install", "-at_install")
class TestRecordChainTampering(RecordCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._case(title="某药店销售假药案")
        cls.env["enforcement.process.event"].sudo().create({
            "case_id": cls.case.id, "kind": "service_task", "step": "Task_AssignNumber", "step_name": "立案编号",
        })

    def setUp(self):
        super().setUp()
        self.records = self.env["enforcement.record"]
        for index in range(3):
            self.records |= self._record(
                self.case, name=f"询问笔录第{index + 1}页", kind="scan",
                files=((f"询问笔录{index + 1}.pdf", f"%PDF-scan-{index}".encode()),))

    def _verify(self):
        self.env.invalidate_all()
        return self.case._verify_chain()[0]

    def _seq_of(self, record):
        return self.case.sudo().chain_entry_ids.filtered(
            lambda e: e.res_model == "enforcement.record" and e.res_id == record.id).seq

    def _sql(self, query, params=()):
        self.env.flush_all()
        self.env.cr.execute(query, params)

    def test_intact_chain_of_records_and_process_events_verifies(self):
        result = self._verify()
        self.assertTrue(result["ok"], result["reason"])
        models = self.case.sudo().chain_entry_ids.sorted("seq").mapped("res_model")
        self.assertEqual(models, ["enforcement.process.event"] + ["enforcement.record"] * 3)
        self.assertEqual(result["entries"], 4)

    def test_changed_record_field_is_named(self):
        target = self.records[1]
        self._sql("UPDATE enforcement_record SET capture_place = '别处' WHERE id = %s", (target.id,))
        result = self._verify()
        self.assertFalse(result["ok"])
        self.assertEqual(result["seq"], self._seq_of(target))
        self.assertIn("capture_place changed", result["reason"])

    def test_changed_process_event_is_named(self):
        self._sql("UPDATE enforcement_process_event SET outcome = 'number=伪造' WHERE case_id = %s", (self.case.id,))
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, 1))
        self.assertIn("outcome changed", result["reason"])

    def test_changed_chain_payload_is_named(self):
        seq = self._seq_of(self.records[0])
        self._sql("UPDATE enforcement_chain_entry SET payload = replace(payload, '询问笔录', '检查笔录') "
                  "WHERE case_id = %s AND seq = %s", (self.case.id, seq))
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, seq))
        self.assertIn("content does not match its content hash", result["reason"])

    def test_deleted_chain_row_is_named(self):
        seq = self._seq_of(self.records[1])
        self._sql("DELETE FROM enforcement_chain_entry WHERE case_id = %s AND seq = %s", (self.case.id, seq))
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, seq))

    def test_deleted_record_row_is_named(self):
        target = self.records[2]
        seq = self._seq_of(target)
        self._sql("DELETE FROM enforcement_record_file WHERE record_id = %s", (target.id,))
        self._sql("DELETE FROM enforcement_record WHERE id = %s", (target.id,))
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, seq))
        self.assertIn(f"#{target.id} was deleted", result["reason"])

    def test_reordered_rows_are_named(self):
        first, second = self._seq_of(self.records[0]), self._seq_of(self.records[1])
        self._sql("UPDATE enforcement_chain_entry SET seq = -seq WHERE case_id = %s AND seq IN %s",
                  (self.case.id, (first, second)))
        self._sql("UPDATE enforcement_chain_entry SET seq = CASE WHEN seq = %s THEN %s ELSE %s END "
                  "WHERE case_id = %s AND seq < 0", (-first, second, first, self.case.id))
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, first))
        self.assertIn("removed, inserted or reordered", result["reason"])

    def test_swapped_file_on_disk_is_named(self):
        target = self.records[1]
        with open(target.file_ids._blob_path(target.file_ids.sha256), "wb") as blob:
            blob.write(b"%PDF-a different scan")
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, self._seq_of(target)))
        self.assertIn("询问笔录2.pdf", result["reason"])
        self.assertIn("was replaced", result["reason"])

    def test_file_row_pointed_at_another_file_is_named(self):
        first, second = self.records[0], self.records[1]
        self._sql("UPDATE enforcement_record_file SET sha256 = %s WHERE id = %s",
                  (first.file_ids.sha256, second.file_ids.id))
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, self._seq_of(second)))
        self.assertIn("files changed", result["reason"])

    def test_record_inserted_behind_the_applications_back_is_named(self):
        self._sql("""INSERT INTO enforcement_record (name, case_id, company_id, kind, stage, captured_at, stored_at)
                     VALUES ('伪造记录', %s, %s, 'written', 'investigation', now(), now()) RETURNING id""",
                  (self.case.id, self.company.id))
        forged = self.env.cr.fetchone()[0]
        result = self._verify()
        self.assertFalse(result["ok"])
        self.assertIn(f"#{forged} is not in the chain", result["reason"])

    def test_tail_cut_after_the_daily_anchor_is_found(self):
        """Deleting the last record and its chain row leaves a consistent chain: only the anchor sees it."""
        today = china_today()
        anchor = self.env["enforcement.chain.anchor"]._anchor_day(self.company, today)
        self.assertEqual(anchor.leaf_ids.case_id, self.case)
        self.assertEqual(anchor._verify(), [])
        last = self.records[2]
        seq = self._seq_of(last)
        self._sql("DELETE FROM enforcement_chain_entry WHERE case_id = %s AND seq = %s", (self.case.id, seq))
        self._sql("DELETE FROM enforcement_record_file WHERE record_id = %s", (last.id,))
        self._sql("DELETE FROM enforcement_record WHERE id = %s", (last.id,))
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, seq))
        self.assertIn("anchor", result["reason"])

    def test_tampered_anchor_is_found(self):
        today = china_today()
        anchor = self.env["enforcement.chain.anchor"]._anchor_day(self.company, today)
        self._sql("UPDATE enforcement_chain_anchor SET leaf_count = leaf_count + 1 WHERE id = %s", (anchor.id,))
        self.env.invalidate_all()
        self.assertTrue(any("signature does not verify" in problem for problem in anchor._verify()))

    def test_verify_button_reports_the_first_broken_link(self):
        ok = self.case.with_user(self.officer).action_verify_chain()
        self.assertEqual(ok["params"]["type"], "success")
        self._sql("UPDATE enforcement_record SET proves = '改写' WHERE id = %s", (self.records[0].id,))
        self.env.invalidate_all()
        broken = self.case.with_user(self.officer).action_verify_chain()
        self.assertEqual(broken["params"]["type"], "danger")
        self.assertIn(f"entry {self._seq_of(self.records[0])}", broken["params"]["message"])


@tagged("post_install", "-at_install")
class TestRecordChainInsider(RecordCommon):
    """An insider with database access who knows the public chain algorithm."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls._case(title="某餐馆使用过期原料案")

    def setUp(self):
        super().setUp()
        self.record = self._record(self.case, name="后厨检查照片", files=(("后厨.jpg", b"\xff\xd8kitchen"),))

    def _sql(self, query, params=()):
        self.env.flush_all()
        self.env.cr.execute(query, params)

    def _verify(self):
        self.env.invalidate_all()
        return self.case._verify_chain()[0]

    def _anchor_today(self):
        today = china_today()
        return self.env["enforcement.chain.anchor"]._anchor_day(self.company, today)

    def _run_cli(self, case_ref=None):
        import contextlib
        import io

        from ..cli.verify_chain import verify
        self.env.invalidate_all()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = verify(self.env, case_ref)
        return status, out.getvalue()

    def test_forged_entry_appended_with_the_public_algorithm_fails_at_once(self):
        """A forged record plus a chain entry computed with make_entry after the last head."""
        from ..enforcement_core import hashchain
        self._sql("""INSERT INTO enforcement_record (name, case_id, company_id, kind, stage, step_code,
                         captured_at, stored_at, is_late, is_backfill)
                     VALUES ('伪造的询问笔录', %s, %s, 'written', 'investigation', 'investigation',
                             now() at time zone 'utc', now() at time zone 'utc', false, false) RETURNING id""",
                  (self.case.id, self.company.id))
        forged = self.env["enforcement.record"].browse(self.env.cr.fetchone()[0])
        self.env.invalidate_all()
        self._sql("SELECT seq, entry_hash FROM enforcement_chain_entry WHERE case_id = %s ORDER BY seq DESC LIMIT 1",
                  (self.case.id,))
        last_seq, last_hash = self.env.cr.fetchone()
        entry = hashchain.make_entry(last_hash, forged._chain_content(), "2026-03-02T10:00:00+00:00", "rec_officer")
        self._sql("""INSERT INTO enforcement_chain_entry (case_id, company_id, seq, res_model, res_id, payload,
                         content_hash, timestamp, actor, prev_hash, entry_hash, key_id, signature)
                     VALUES (%s, %s, %s, 'enforcement.record', %s, %s, %s, %s, %s, %s, %s, '', '')""",
                  (self.case.id, self.company.id, last_seq + 1, forged.id, entry.payload.decode(),
                   entry.content_hash, entry.timestamp, entry.actor, entry.prev_hash, entry.entry_hash))
        result = self._verify()
        self.assertEqual((result["ok"], result["seq"]), (False, last_seq + 1), result["reason"])
        self.assertIn("signature", result["reason"])
        status, out = self._run_cli()
        self.assertEqual(status, 1)
        self.assertIn(f"BROKEN {self.case.name}: first broken link at entry {last_seq + 1}", out)

    def test_flipped_anchor_signature_is_found_per_case_and_named(self):
        anchor = self._anchor_today()
        self.assertTrue(self._verify()["ok"])
        flipped = ("1" if anchor.signature[0] != "1" else "2") + anchor.signature[1:]
        self._sql("UPDATE enforcement_chain_anchor SET signature = %s WHERE id = %s", (flipped, anchor.id))
        result = self._verify()
        self.assertFalse(result["ok"])
        self.assertIn("anchor", result["reason"])
        status, out = self._run_cli(self.case.name)
        self.assertEqual(status, 1, out)
        self.assertIn(f"BROKEN {self.case.name}: first broken link at entry", out)

    def test_anchor_leaf_moved_to_a_shortened_chain_is_found_per_case(self):
        """The tail is cut and the anchor's leaf is pointed at the new head."""
        self._record(self.case, name="第二张照片", files=(("后厨2.jpg", b"\xff\xd8kitchen-2"),))
        anchor = self._anchor_today()
        leaf = anchor.leaf_ids.filtered(lambda l: l.case_id == self.case)
        self._sql("SELECT seq, entry_hash FROM enforcement_chain_entry WHERE case_id = %s AND seq = %s",
                  (self.case.id, leaf.seq - 1))
        seq, entry_hash = self.env.cr.fetchone()
        self._sql("DELETE FROM enforcement_chain_entry WHERE case_id = %s AND seq > %s", (self.case.id, seq))
        self._sql("DELETE FROM enforcement_record_file WHERE record_id IN "
                  "(SELECT id FROM enforcement_record WHERE case_id = %s AND name = '第二张照片')", (self.case.id,))
        self._sql("DELETE FROM enforcement_record WHERE case_id = %s AND name = '第二张照片'", (self.case.id,))
        self._sql("UPDATE enforcement_chain_anchor_leaf SET seq = %s, entry_hash = %s WHERE id = %s",
                  (seq, entry_hash, leaf.id))
        self.assertFalse(self._verify()["ok"])
        status, out = self._run_cli(self.case.name)
        self.assertEqual(status, 1, out)

    def test_all_cases_run_counts_an_anchor_problem_as_a_broken_case(self):
        anchor = self._anchor_today()
        self._sql("UPDATE enforcement_chain_anchor SET merkle_root = %s WHERE id = %s", ("ab" * 32, anchor.id))
        status, out = self._run_cli()
        self.assertEqual(status, 1)
        self.assertIn(f"BROKEN {self.case.name}:", out)
        self.assertNotIn(" 0 broken chain(s)", out)

    def _run_cli_published(self, published, case_ref=None):
        import contextlib
        import io

        from ..cli.verify_chain import verify
        self.env.invalidate_all()
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            status = verify(self.env, case_ref, published=published)
        return status, out.getvalue()

    def test_anchor_rewritten_after_publication_differs_from_the_published_copy(self):
        """Even with the key, history rewritten after publication does not match an earlier copy of the root."""
        anchor = self._anchor_today()
        published = self.env["enforcement.chain.anchor"]._public_export()["anchors"]
        self.assertIn(anchor._published_values(), published)
        status, out = self._run_cli_published(published, self.case.name)
        self.assertEqual(status, 0, out)
        copy = [dict(values, merkle_root="cd" * 32) if values == anchor._published_values() else values
                for values in published]
        status, out = self._run_cli_published(copy, self.case.name)
        self.assertEqual(status, 1, out)
        self.assertIn("differs from the published anchor (merkle_root)", out)
        gone = [*published, dict(anchor._published_values(), date="2020-01-01")]
        status, out = self._run_cli_published(gone)
        self.assertIn("anchor of 2020-01-01", out)
        self.assertIn("was published but is no longer in the database", out)

    def test_key_rotation_keeps_old_entries_verifiable(self):
        """A new key signs what comes next; the old public half stays in the key ring."""
        import os
        import tempfile
        from unittest.mock import patch

        from odoo.tools import config

        from ..models.enforcement_chain import key_ring_path
        new_key_dir = tempfile.TemporaryDirectory()
        self.addCleanup(new_key_dir.cleanup)
        with patch.dict(config.options, {"enforcement_signing_key": os.path.join(new_key_dir.name, "new.pem")}):
            self._record(self.case, name="轮换后的照片", files=(("后厨3.jpg", b"\xff\xd8kitchen-3"),))
            key_ids = self.case.sudo().chain_entry_ids.sorted("seq").mapped("key_id")
            self.assertEqual(len(set(key_ids)), 2, "entries before and after the rotation carry their key id")
            self.assertTrue(self._verify()["ok"], self._verify()["reason"])
            # A ring that lost the old key can no longer tell the old entries from forgeries.
            with open(key_ring_path(), "rb") as handle:
                ring = handle.read()
            only_new = os.path.join(new_key_dir.name, "ring.pem")
            with open(only_new, "wb") as handle:
                handle.write(ring[ring.rindex(b"-----BEGIN PUBLIC KEY-----"):])
            with patch.dict(config.options, {"enforcement_public_keys": only_new}):
                result = self._verify()
            self.assertEqual((result["ok"], result["seq"]), (False, 1), result["reason"])
            self.assertIn("key ring", result["reason"])

    def test_nothing_is_appended_on_top_of_a_forged_head(self):
        """Signing after an unsigned entry would vouch for it: the append is refused instead."""
        self._sql("UPDATE enforcement_chain_entry SET signature = %s WHERE case_id = %s", ("00" * 64, self.case.id))
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "did not sign"):
            self._record(self.case, name="又一张照片", files=(("后厨4.jpg", b"\xff\xd8kitchen-4"),))


@tagged("post_install", "-at_install")
class TestPublishedAnchors(HttpCase):
    """Anchors are on the public portal, and in its JSON export, as soon as they are signed."""

    def test_signed_anchor_is_on_the_portal_and_in_the_json_export(self):
        company = self.env["res.company"].create({"name": "城关县市场监督管理局（公布测试）"})
        agency = self.env["enforcement.agency"].create({
            "name": "城关县市场监督管理局（公布测试）", "short_name": "公布", "company_id": company.id})
        case = self.env["enforcement.case"].create({"title": "公布锚点测试案", "agency_id": agency.id})
        self.env["enforcement.process.event"].sudo().create({
            "case_id": case.id, "kind": "service_task", "step": "Task_AssignNumber", "step_name": "立案编号"})
        today = china_today()
        anchor = self.env["enforcement.chain.anchor"]._anchor_day(company, today)
        page = self.url_open("/enforcement/public/anchors")
        self.assertEqual(page.status_code, 200)
        self.assertIn(anchor.merkle_root, page.text)
        export = self.url_open("/enforcement/public/anchors.json").json()
        self.assertIn(anchor._published_values(), export["anchors"])
        self.assertIn(anchor.key_id, export["public_keys"])
        keys = self.url_open("/enforcement/public/keys.pem")
        self.assertIn(export["public_keys"][anchor.key_id], keys.text)


@tagged("post_install", "-at_install")
class TestChainUpgradeSigning(RecordCommon):
    """A database from before signed entries: its chains hold no key id and no
    signature, and its anchors were signed over four fields. The upgrade signs
    every chain that verifies with the rules of that time, in order, and leaves
    a broken one unsigned, flagged on the case and named on every refusal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.intact = cls._case(title="升级前的完整案件")
        cls.tampered = cls._case(title="升级前被改动的案件")

    def setUp(self):
        super().setUp()
        from ..enforcement_core import hashchain
        self.hashchain = hashchain
        for case in (self.intact, self.tampered):
            self.env["enforcement.process.event"].sudo().create({
                "case_id": case.id, "kind": "service_task", "step": "Task_AssignNumber", "step_name": "立案编号"})
            for index in range(2):
                self._record(case, name=f"升级前的记录{index + 1}",
                             files=((f"升级前{case.id}-{index}.jpg", f"\xff\xd8old-{case.id}-{index}".encode()),))
        today = china_today()
        self.anchor = self.env["enforcement.chain.anchor"]._anchor_day(self.company, today)
        self._make_pre_signature()

    def _sql(self, query, params=()):
        self.env.flush_all()
        self.env.cr.execute(query, params)
        self.env.invalidate_all()

    def _make_pre_signature(self):
        """The rows as the code before signatures wrote them: the columns it did not have are NULL
        (rolled back with the test), and the anchor carries the old four-field signature."""
        from ..models.enforcement_chain import load_or_create_signing_key
        self._sql("ALTER TABLE enforcement_chain_entry ALTER COLUMN key_id DROP NOT NULL, "
                  "ALTER COLUMN signature DROP NOT NULL")
        self._sql("ALTER TABLE enforcement_chain_anchor ALTER COLUMN key_id DROP NOT NULL")
        self._sql("UPDATE enforcement_chain_entry SET key_id = NULL, signature = NULL WHERE case_id IN %s",
                  ((self.intact.id, self.tampered.id),))
        old_signed = self.hashchain.canonical_bytes({
            "anchored_at": self.anchor.anchored_at, "last_entry_hash": self.anchor.last_entry_hash,
            "leaf_count": self.anchor.leaf_count, "merkle_root": self.anchor.merkle_root})
        self._sql("UPDATE enforcement_chain_anchor SET key_id = NULL, signature = %s WHERE id = %s",
                  (load_or_create_signing_key().sign(old_signed).hex(), self.anchor.id))

    def _tamper(self):
        """Entry 2 of the tampered case (its first record) rewritten in the database before the upgrade."""
        self._sql("UPDATE enforcement_chain_entry SET payload = replace(payload, '升级前的记录1', '改过的记录') "
                  "WHERE case_id = %s AND seq = 2", (self.tampered.id,))

    def _migrate(self):
        """Run the addon's migration script for its current version, as `-u admin_enforcement` does."""
        import importlib.util
        from pathlib import Path

        from odoo.modules.module import get_manifest
        version = get_manifest("admin_enforcement")["version"]
        script = Path(__file__).resolve().parents[1] / "migrations" / version / "post-migrate.py"
        self.assertTrue(script.exists(), f"no migration script for version {version}")
        spec = importlib.util.spec_from_file_location("admin_enforcement_post_migrate", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.env.flush_all()
        # logging.INFO, not "INFO": Odoo names its RUNBOT level (25) "INFO" too.
        with self.assertLogs("odoo.addons.admin_enforcement.models.enforcement_chain", level=logging.INFO) as logs:
            module.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        return "\n".join(logs.output)

    def test_before_the_upgrade_nothing_can_be_added_to_an_old_case(self):
        with self.assertRaisesRegex(UserError, "did not sign"):
            self._record(self.intact, name="升级前追加")

    def test_intact_chains_are_signed_in_order_and_accept_new_records(self):
        self._tamper()
        log = self._migrate()
        self.assertIn("signed 3 entries of 1 case chain(s); 1 chain(s) left unsigned as broken", log)
        entries = self.intact.sudo().chain_entry_ids.sorted("seq")
        self.assertEqual(len(entries), 3)
        for entry in entries:
            self.assertTrue(self.hashchain.entry_signature_ok(
                self._ring(), self.intact.name, entry.seq, entry.entry_hash, entry.key_id, entry.signature),
                f"entry {entry.seq} is signed over its position")
        result = self.intact._verify_chain()[0]
        self.assertTrue(result["ok"], result["reason"])
        self.assertFalse(self.intact.chain_upgrade_break)
        self._record(self.intact, name="升级后的记录", files=(("升级后.jpg", b"\xff\xd8after"),))
        self.env.invalidate_all()
        result = self.intact._verify_chain()[0]
        self.assertEqual((result["ok"], result["entries"]), (True, 4), result["reason"])
        # The anchor signed before key ids verified with its old signature and is signed again with its key id.
        self.assertEqual(self.anchor._verify(), [])
        self.assertTrue(self.anchor.key_id)

    def test_a_broken_chain_stays_unsigned_flagged_and_named(self):
        self._tamper()
        log = self._migrate()
        self.assertIn(self.tampered.name, log)
        self.assertIn("entry 2", log)
        self.assertEqual(set(self.tampered.sudo().chain_entry_ids.mapped("signature")), {""})
        # The supervisor sees it on the case.
        flag = self.tampered.with_user(self.supervisor).chain_upgrade_break
        self.assertIn("entry 2", flag)
        self.assertIn("content does not match", flag)
        result = self.tampered._verify_chain()[0]
        self.assertEqual((result["ok"], result["seq"]), (False, 2), result["reason"])
        self.assertIn("content does not match", result["reason"])
        self.assertIn("left unsigned", result["reason"])
        with self.assertRaisesRegex(UserError, r"already broken.*entry 2.*content does not match"):
            self._record(self.tampered, name="升级后追加")
        # Nobody clears the flag through the application.
        with self.assertRaises(AccessError):
            self.tampered.sudo().write({"chain_upgrade_break": False})

    def test_an_old_anchor_whose_signature_fails_is_not_signed_again_and_breaks_its_cases(self):
        self._sql("UPDATE enforcement_chain_anchor SET leaf_count = leaf_count + 1 WHERE id = %s", (self.anchor.id,))
        log = self._migrate()
        self.assertIn("anchor of", log)
        self.assertFalse(self.anchor.key_id)
        self.assertTrue(self.anchor._verify())
        for case in (self.intact, self.tampered):
            self.assertIn("anchor", case.chain_upgrade_break)
            self.assertFalse(case._verify_chain()[0]["ok"])

    def test_the_migration_is_in_the_manifest_version_and_runs_once(self):
        self._migrate()
        signatures = self.intact.sudo().chain_entry_ids.mapped("signature")
        self._migrate()
        self.assertEqual(self.intact.sudo().chain_entry_ids.mapped("signature"), signatures)

    def _ring(self):
        from ..models.enforcement_chain import bureau_key_ring
        return bureau_key_ring()

