import contextvars
import hashlib
import io
import json
import os
import tempfile
import zipfile
from datetime import datetime, timedelta, timezone

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..enforcement_core import hashchain
from ..enforcement_core.china_clock import china_clock_text
from ..enforcement_core.filenames import name_problem
from .enforcement_chain import bureau_key_ring, load_or_create_signing_key

# @2: chain entries and the manifest are signed, keys are named by key id.
ARCHIVE_FORMAT = "admin_enforcement/case-archive@2"
#: What the manifest signature is a signature of (see hashchain.sign_document).
MANIFEST_SIGNATURE_KIND = "case_archive_manifest"
# States in which a case's file is complete and can be archived. The penalty
# procedure adds its own closing state; override _archive_ready_states to add more.
ARCHIVE_READY_STATES = ("closed", "archived", "not_filed")
DECISION_STEP = "decision"
# A camera's or a phone's clock may be a little off: the same allowance as
# for capture times in the future (enforcement.record.create).
CLOCK_SKEW = timedelta(minutes=5)
# Set while a list or kanban reads cases, so those reads are not logged as
# openings. A context key would do, but any RPC client could set it.
_LISTING = contextvars.ContextVar("enforcement_case_listing", default=False)

# The standard documents (文书) of a case file, in catalogue order:
# (report xmlid, title, step codes whose presence makes the document part of
#  the file (None = always), field of the case holding the records the report
#  prints (None = the case itself)).
STANDARD_DOCUMENTS = [
    ("admin_enforcement.report_case_filing_approval", "立案审批表", None, None),
    ("admin_enforcement.report_case_inquiry_record", "询问笔录", ("investigation",), None),
    ("admin_enforcement.report_case_inspection_record", "现场检查笔录", ("investigation", "on_site_inspection"), None),
    ("admin_enforcement.report_case_prior_notice", "行政处罚事先告知书", ("prior_notice",), None),
    ("admin_enforcement.report_case_hearing_notice", "听证通知书", ("hearing_notice",), None),
    ("admin_enforcement.report_case_hearing_record", "听证笔录", ("hearing_record",), None),
    ("admin_enforcement.action_report_review_opinion", "法制审核意见书", None, "review_ids"),
    ("admin_enforcement.report_case_collective_discussion", "集体讨论记录", ("collective_discussion", "collective_minutes"), None),
    ("admin_enforcement.report_case_penalty_decision", "行政处罚决定书", ("decision",), None),
    ("admin_enforcement.report_case_service_receipt", "送达回证", ("service",), None),
    ("admin_enforcement.report_case_closing_report", "结案报告", None, None),
]


class EnforcementCase(models.Model):
    """Full-process record of a case: its records, hash chain, access log
    (调阅记录), audio/video gate and the exported case file (案卷)."""

    _inherit = "enforcement.case"

    record_ids = fields.One2many("enforcement.record", "case_id", string="Full-Process Records", readonly=True)
    record_count = fields.Integer(compute="_compute_record_counts")
    late_record_count = fields.Integer(compute="_compute_record_counts")
    backfill_record_count = fields.Integer(compute="_compute_record_counts")
    chain_entry_ids = fields.One2many("enforcement.chain.entry", "case_id", string="Hash Chain", readonly=True)
    access_log_ids = fields.One2many("enforcement.access.log", "case_id", readonly=True)
    # Set only by the upgrade that introduced signed entries (in SQL), never by the application.
    chain_upgrade_break = fields.Char(
        string="Hash Chain Broken Before Signing", readonly=True,
        help="The break found in this case's hash chain when the upgrade signed the bureau's chains. "
             "The chain was left unsigned, so the break stays visible, and nothing more is added to it.")

    @api.depends("record_ids.is_late", "record_ids.is_backfill")
    def _compute_record_counts(self):
        for case in self:
            case.record_count = len(case.record_ids)
            case.late_record_count = len(case.record_ids.filtered("is_late"))
            case.backfill_record_count = len(case.record_ids.filtered("is_backfill"))

    def write(self, vals):
        if "chain_upgrade_break" in vals:
            raise AccessError(self.env._(
                "The break found in a hash chain at the upgrade is kept on the case; it cannot be changed."))
        return super().write(vals)

    # ----- reading the case file is logged -----

    @api.model
    def web_search_read(self, *args, **kwargs):
        token = _LISTING.set(True)
        try:
            return super().web_search_read(*args, **kwargs)
        finally:
            _LISTING.reset(token)

    def web_read(self, specification):
        """The form view reads one case: that is opening the case file. A
        list reads through web_search_read, which is not an opening."""
        result = super().web_read(specification)
        if len(self) == 1 and not _LISTING.get() and set(specification) - {"id", "display_name"}:
            self.env["enforcement.access.log"]._log(self, "form_open")
        return result

    # ----- back-filling and the audio/video gate -----

    def _record_decided_at(self):
        """When the decision was made: the completion of the decision step, if done."""
        self.ensure_one()
        return self._record_step_closed_at(DECISION_STEP)

    def _record_step_closed_at(self, step_code):
        """When the step's last task was completed, if none of its tasks is still open."""
        self.ensure_one()
        tasks = self.sudo().task_ids.filtered(lambda task: task.step_code == step_code)
        if not tasks or any(task.state == "open" for task in tasks):
            return None
        done = [task.completed_at for task in tasks if task.state == "done" and task.completed_at]
        return max(done) if done else None

    def _record_backfill_reason(self, step_code, captured_at, stored_at):
        """Why a record stored now would be 补录, or None."""
        self.ensure_one()
        decided_at = self._record_decided_at()
        if decided_at and (stored_at > decided_at or captured_at > decided_at):
            return self.env._("Added after the decision of %(time)s", time=china_clock_text(decided_at))
        closed_at = step_code and self._record_step_closed_at(step_code)
        if closed_at and (stored_at > closed_at or captured_at > closed_at):
            return self.env._("Added after step %(step)s was closed at %(time)s",
                              step=self.env["enforcement.task"]._step_label(step_code),
                              time=china_clock_text(closed_at))
        started_at = step_code and self._record_step_started_at(step_code)
        if started_at and captured_at < started_at - CLOCK_SKEW:
            # Stored once the step is open, yet said to be captured before it:
            # kept, but not as a basis of the decision.
            return self.env._("Captured at %(time)s, before step %(step)s started at %(started)s",
                              time=china_clock_text(captured_at),
                              step=self.env["enforcement.task"]._step_label(step_code),
                              started=china_clock_text(started_at))
        return None

    def _record_step_started_at(self, step_code):
        """When the step's first task was opened, if it has one."""
        self.ensure_one()
        opened = self.sudo().task_ids.filtered(lambda task: task.step_code == step_code).mapped("create_date")
        return min(opened) if opened else None

    def _check_capture_time(self, captured_at):
        """A record cannot be captured before its case was registered: such a
        time is a typing error or a back-dated record."""
        self.ensure_one()
        case = self.sudo()
        if captured_at < case.create_date - CLOCK_SKEW:
            raise ValidationError(self.env._(
                "The capture time %(time)s is before case %(case)s was registered (%(registered)s). "
                "Material obtained before the case is registered into it when it is received, with that time.",
                time=china_clock_text(captured_at), case=case.display_name,
                registered=china_clock_text(case.create_date)))

    def _check_av_records_for_step(self, step_code):
        """Refuse to complete ``step_code`` if an activity that must be filmed
        throughout has no audio/video record with its file, made in time."""
        requirements = self.env["enforcement.av.requirement"].sudo()._for_step(step_code, level="whole")
        for case in self:
            for requirement in requirements:
                recordings = requirement._recordings_among(case.sudo().record_ids, step_code)
                if not recordings:
                    raise UserError(self.env._(
                        "Case %(case)s: %(activity)s must be recorded on audio/video for the whole activity. "
                        "Add the audio/video record of step %(step)s before completing it.",
                        case=case.number or case.name, activity=requirement.name, step=step_code))

    # ----- verifying the chain -----

    def _verify_chain(self, check_files=True):
        return self.env["enforcement.chain.entry"]._verify_cases(self, check_files=check_files)

    def action_verify_chain(self):
        results = self._verify_chain()
        broken = [result for result in results if not result["ok"]]
        if broken:
            message = "\n".join(self.env._("%(case)s: first broken link at %(reason)s",
                                           case=result["case"], reason=result["reason"]) for result in broken)
            kind = "danger"
        else:
            message = "\n".join(self.env._("%(case)s: chain intact, %(count)s entries verified",
                                           case=result["case"], count=result["entries"]) for result in results)
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.env._("Hash Chain Verification"), "message": message,
                       "type": kind, "sticky": bool(broken)},
        }

    # ----- the case file (案卷) -----

    def _archive_ready_states(self):
        return ARCHIVE_READY_STATES

    def _check_archive_ready(self):
        for case in self:
            if case.state not in case._archive_ready_states():
                raise UserError(self.env._(
                    "Case %(case)s is not closed; only a closed case file can be exported.",
                    case=case.number or case.name))

    def action_export_archive(self):
        self.ensure_one()
        self._check_archive_ready()
        return {"type": "ir.actions.act_url", "url": f"/enforcement/case/{self.id}/archive", "target": "self"}

    def _archive_documents(self):
        """The standard documents of this case's file: (report, title, records to print)."""
        self.ensure_one()
        case = self.sudo()
        steps = set(case.task_ids.mapped("step_code")) | set(case.record_ids.mapped("step_code"))
        documents = []
        for xmlid, title, step_codes, records_field in STANDARD_DOCUMENTS:
            report = self.env.ref(xmlid, raise_if_not_found=False)
            if not report or (step_codes is not None and not steps & set(step_codes)):
                continue
            if records_field is None:
                documents.append((report, title, case))
            elif records_field in case._fields and case[records_field]:
                documents.append((report, title, case[records_field]))
        return documents

    def _export_archive(self):
        """Write the case file as a zip to a temporary file and return its
        path. Media files are streamed into the zip from the filestore."""
        self.ensure_one()
        self.check_access("read")
        self._check_archive_ready()
        case = self.sudo()
        handle, path = tempfile.mkstemp(prefix=f"case-{case.id}-", suffix=".zip")
        os.close(handle)
        members = []
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            def add_bytes(name, data):
                archive.writestr(name, data)
                members.append({"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})

            # The reader may open the case file; its documents include records
            # (e.g. the legal review) that their own rules would hide from them.
            reports = self.env["ir.actions.report"].sudo()
            documents = []
            for index, (report, title, records) in enumerate(case._archive_documents(), start=1):
                content, kind = reports._render(report.report_name, records.ids)
                name = f"documents/{index:02d}_{title}.{'pdf' if content[:4] == b'%PDF' else kind}"
                add_bytes(name, content)
                documents.append({"title": title, "path": name})

            files = []
            for record in case.record_ids.sorted(lambda r: (r.captured_at, r.id)):
                names = set()
                for file in record.file_ids.sorted("id"):
                    # Uploads refuse unsafe names; a row written behind the
                    # application's back must not make one a member name either.
                    plain = file.name if name_problem(file.name) is None else f"file-{file.id}"
                    name = f"files/{record.id:06d}/{plain if plain not in names else f'{file.id}-{plain}'}"
                    names.add(plain)
                    # Media is already compressed; store it as is, streamed from the filestore.
                    archive.write(file._blob_path(file.sha256), name, compress_type=zipfile.ZIP_STORED)
                    members.append({"path": name, "size": file.file_size, "sha256": file.sha256})
                    files.append({"record_id": record.id, "name": file.name, "path": name, "sha256": file.sha256})

            add_bytes("catalogue.xlsx", case._archive_catalogue_xlsx(documents))
            catalogue_pdf, kind = reports._render(
                "admin_enforcement.report_case_catalogue_document", case.ids)
            add_bytes(f"catalogue.{'pdf' if catalogue_pdf[:4] == b'%PDF' else kind}", catalogue_pdf)

            # The signature covers manifest.json byte for byte, and the manifest
            # lists every other member with its hash: documents, catalogues,
            # record files, the case block, the chain and the anchors.
            manifest = json.dumps(case._archive_manifest(members, documents, files),
                                  ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
            archive.writestr("manifest.json", manifest)
            signed = hashchain.sign_document(load_or_create_signing_key(), MANIFEST_SIGNATURE_KIND, manifest)
            archive.writestr("manifest.sig", json.dumps(signed, sort_keys=True))
        self.env["enforcement.access.log"]._log(self, "export", detail=os.path.basename(path))
        return path

    def _archive_manifest(self, members, documents, files):
        self.ensure_one()
        rows = self.env["enforcement.chain.entry"]._load_chain(self)
        chain = [{
            "seq": seq, "source_model": res_model, "source_id": res_id, "payload": payload,
            "content_hash": content_hash, "timestamp": timestamp, "actor": actor,
            "prev_hash": prev_hash, "entry_hash": entry_hash, "key_id": key_id, "signature": signature,
        } for (seq, res_model, res_id, payload, content_hash, timestamp, actor, prev_hash, entry_hash,
               key_id, signature) in rows]
        leaves = self.env["enforcement.chain.anchor"]._leaves_over(self)
        anchors = [{
            **leaf.anchor_id._published_values(),
            "leaves": leaf.anchor_id.leaf_ids.sorted("position").mapped("entry_hash"),
            "case_leaf": {"position": leaf.position, "seq": leaf.seq, "entry_hash": leaf.entry_hash},
        } for leaf in leaves]
        # The public halves of the keys used, for a reader without the published
        # key ring: they prove integrity; the published ring proves origin.
        ring = bureau_key_ring()
        used = {row["key_id"] for row in chain} | {anchor["key_id"] for anchor in anchors} | {
            hashchain.key_id(load_or_create_signing_key().public_key())}
        public_keys = {kid: hashchain.key_ring_pem({kid: ring[kid]}).decode() for kid in sorted(used) if kid in ring}
        return {
            "format": ARCHIVE_FORMAT,
            "exported_at": datetime.now(timezone.utc).isoformat(),
            "exported_by": self.env.user.login,
            "case": {
                "reference": self.name, "number": self.number or "", "title": self.title,
                "agency": self.agency_id.name, "party": self.party_name or "", "state": self.state,
            },
            "verified_at_export": {
                key: value for key, value in self._verify_chain()[0].items() if key in ("ok", "seq", "reason")},
            "documents": documents,
            "files": files,
            "members": members,
            "chain": chain,
            "anchors": anchors,
            "public_keys": public_keys,
        }

    def _archive_catalogue_rows(self):
        """The catalogue (卷内目录): records on the basis of the decision, then 补录 apart."""
        self.ensure_one()
        records = self.sudo().record_ids.sorted(lambda r: (r.captured_at, r.id))
        return records.filtered(lambda r: not r.is_backfill), records.filtered("is_backfill")

    def _archive_catalogue_xlsx(self, documents):
        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        title = workbook.add_format({"bold": True, "font_size": 14})
        kinds = dict(self.env["enforcement.record"]._fields["kind"]._description_selection(self.env))
        stages = dict(self.env["enforcement.record"]._fields["stage"]._description_selection(self.env))
        header = ["序号", "题名", "类别", "阶段", "采集时间", "采集地点", "采集人", "证明对象",
                  "文件", "SHA-256", "入库时间", "逾期入库"]
        basis, backfill = self._archive_catalogue_rows()
        for sheet_name, records in (("卷内目录", basis), ("补录（不作为决定依据）", backfill)):
            sheet = workbook.add_worksheet(sheet_name)
            sheet.write(0, 0, f"{self.agency_id.name} {self.number or self.name} {self.title}", title)
            sheet.write_row(2, 0, header, bold)
            row = 3
            if sheet_name == "卷内目录":
                for index, document in enumerate(documents, start=1):
                    sheet.write_row(row, 0, [f"W{index}", document["title"], "文书", "", "", "", "", "",
                                             document["path"]])
                    row += 1
            for index, record in enumerate(records, start=1):
                sheet.write_row(row, 0, [
                    index, record.name, kinds.get(record.kind, record.kind), stages.get(record.stage, record.stage),
                    fields.Datetime.to_string(record.captured_at), record.capture_place or "",
                    "、".join(record.collector_ids.mapped("name")), record.proves or "",
                    "\n".join(record.file_ids.mapped("name")), "\n".join(record.file_ids.mapped("sha256")),
                    fields.Datetime.to_string(record.stored_at), "是" if record.is_late else "",
                ])
                row += 1
            sheet.set_column(0, 0, 6)
            sheet.set_column(1, 1, 30)
            sheet.set_column(4, 10, 20)
        workbook.close()
        return output.getvalue()
