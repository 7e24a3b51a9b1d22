"""Tamper evidence: rows changed directly in PostgreSQL — a field changed, a
row deleted, rows reordered, a file swapped — are each found, and the
verification names the first broken link."""

from odoo import fields
from odoo.tests import tagged

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
        today = fields.Date.context_today(self.env["res.users"].with_context(tz="Asia/Shanghai"))
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
        today = fields.Date.context_today(self.env["res.users"].with_context(tz="Asia/Shanghai"))
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
