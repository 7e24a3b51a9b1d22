import hashlib
import io
import os
import uuid
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import config

from ..enforcement_core.filenames import name_problem

STORE_LATE_AFTER = timedelta(hours=24)
STREAM_CHUNK = 1024 * 1024

RECORD_KINDS = [
    ("written", "Written Record"),
    ("photo", "Photo"),
    ("audio", "Audio"),
    ("video", "Video"),
    ("scan", "Scanned Document"),
    ("system_event", "System Event"),
]
AV_KINDS = ("audio", "video")
STAGES = [
    ("opening", "Opening and Filing"),
    ("investigation", "Investigation and Evidence"),
    ("review", "Review"),
    ("decision", "Decision"),
    ("service", "Service"),
    ("execution", "Execution"),
    ("archiving", "Archiving"),
]


class ByteCount(fields.Integer):
    """A size in bytes, stored as int8: a body-camera video passes the 2 GiB of PostgreSQL's int4."""

    _column_type = ("int8", "int8")


class UploadTooLarge(UserError):
    """The body passed the configured upload limit (answered with HTTP 413)."""


def record_store_root(dbname):
    """Where record files live: content-addressed blobs under the database's filestore."""
    return os.path.join(config.filestore(dbname), "enforcement_records")


class EnforcementAvRequirement(models.Model):
    """The list (清单) of activities that need audio/video recording: for the
    whole activity (seizure, forced demolition, case-handling room ...) or as
    circumstances require. It is data because provinces and sectors differ."""

    _name = "enforcement.av.requirement"
    _description = "Audio/Video Recording Requirement"
    _order = "level, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Activity", required=True, translate=True)
    code = fields.Char(required=True, index=True)
    level = fields.Selection(
        [("whole", "Mandatory for the Whole Activity"), ("as_required", "As Circumstances Require")],
        required=True, default="whole",
    )
    step_codes = fields.Char(
        string="Process Steps",
        help="Comma-separated step codes of the process tasks that carry out this activity, "
        "e.g. seizure,forced_demolition. Completing such a step needs its audio/video record.",
    )
    legal_basis = fields.Char()
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "unique(code)", "The activity code must be unique.")]

    def _step_code_list(self):
        self.ensure_one()
        return [code.strip() for code in (self.step_codes or "").split(",") if code.strip()]

    @api.model
    def _for_step(self, step_code, level=None):
        requirements = self.search([("level", "=", level)] if level else [])
        return requirements.filtered(lambda req: step_code in req._step_code_list())

    def _recordings_among(self, records, step_code):
        """The audio/video records of ``records`` that satisfy this activity
        for ``step_code``: made at that step, with their file, not back-filled."""
        self.ensure_one()
        return records.filtered(
            lambda record: record.kind in AV_KINDS
            and record.step_code == step_code
            and (not record.activity_id or record.activity_id == self)
            and record.file_ids
            and not record.is_backfill
        )


class EnforcementRecordFile(models.Model):
    """A file of a full-process record. The server computes its SHA-256 while
    the upload streams to disk; the client never supplies the hash. Rows are
    append-only: a file is received (unattached), then attached once to the
    record created with it."""

    _name = "enforcement.record.file"
    _description = "Full-Process Record File"
    _order = "id"

    record_id = fields.Many2one("enforcement.record", readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    name = fields.Char(string="File Name", required=True, readonly=True)
    mimetype = fields.Char(readonly=True)
    file_size = ByteCount(string="Size (bytes)", readonly=True, aggregator="sum")
    sha256 = fields.Char(string="SHA-256", required=True, readonly=True, index=True)
    received_at = fields.Datetime(required=True, readonly=True)
    uploaded_by_id = fields.Many2one("res.users", required=True, readonly=True)
    download_url = fields.Char(compute="_compute_download_url")

    def _compute_download_url(self):
        for file in self:
            file.download_url = f"/enforcement/record/file/{file.id}"

    # ----- storage -----

    @api.model
    def _store_stream(self, filename, stream, mimetype=None, length=None, max_bytes=None):
        """Write ``stream`` to the filestore in chunks while hashing it, then
        create the file row. Memory use is one chunk whatever the size; a
        body that passes ``max_bytes`` is refused at that chunk, unread beyond."""
        self._check_file_name(filename)
        root = record_store_root(self.env.cr.dbname)
        os.makedirs(os.path.join(root, "incoming"), exist_ok=True)
        incoming = os.path.join(root, "incoming", uuid.uuid4().hex)
        digest = hashlib.sha256()
        size = 0
        try:
            with open(incoming, "wb") as out:
                while True:
                    chunk = stream.read(STREAM_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise UploadTooLarge(self._too_large_message(filename, max_bytes))
                    digest.update(chunk)
                    out.write(chunk)
            if not size:
                raise UserError(self.env._("%(name)s is an empty file (0 bytes); nothing was stored.", name=filename))
            if length is not None and size != length:
                raise UserError(self.env._(
                    "The upload of %(name)s stopped after %(got)s of %(expected)s bytes.",
                    name=filename, got=size, expected=length))
            sha = digest.hexdigest()
            final = self._blob_path(sha)
            os.makedirs(os.path.dirname(final), exist_ok=True)
            # Content-addressed: the same bytes uploaded twice are stored once.
            os.replace(incoming, final)
        finally:
            if os.path.exists(incoming):
                os.unlink(incoming)
        return self.sudo().create({
            "name": filename,
            "mimetype": mimetype or "application/octet-stream",
            "file_size": size,
            "sha256": sha,
            "received_at": fields.Datetime.now(),
            "uploaded_by_id": self.env.uid,
            "company_id": self.env.company.id,
        }).sudo(False)

    @api.model
    def _too_large_message(self, filename, max_bytes):
        return self.env._("%(name)s is larger than the upload limit of %(limit)s bytes.",
                          name=filename, limit=max_bytes)

    @api.model
    def _check_file_name(self, filename):
        """Refuse a name that is not one plain file name: it becomes a member
        name of the exported case file, which must extract safely on Windows and Unix."""
        problem = name_problem(filename or "")
        if problem is None:
            return
        code, detail = problem
        env = self.env
        reason = {
            "empty": lambda: env._("the file name is empty"),
            "dots": lambda: env._("the file name %(name)s is not a file name", name=detail),
            "separator": lambda: env._("the file name contains the path separator %(char)s", char=detail),
            "forbidden": lambda: env._("the file name contains %(char)s, which Windows does not allow", char=detail),
            "control": lambda: env._("the file name contains the control character %(char)s", char=detail),
            "reserved": lambda: env._("the file name is the Windows device name %(device)s", device=detail),
            "trailing": lambda: env._("the file name ends with a dot or a space, which Windows drops"),
            "too_long": lambda: env._("the file name is longer than %(limit)s bytes", limit=detail),
        }[code]()
        raise UserError(env._("%(name)s was refused: %(reason)s. Give a plain file name such as 现场照片01.jpg.",
                              name=repr(filename), reason=reason))

    @api.model
    def _store_bytes(self, filename, data, mimetype=None):
        return self._store_stream(filename, io.BytesIO(data), mimetype=mimetype, length=len(data))

    @api.model
    def _blob_path(self, sha):
        return os.path.join(record_store_root(self.env.cr.dbname), sha[:2], sha)

    def _open_blob(self):
        self.ensure_one()
        return open(self._blob_path(self.sha256), "rb")

    def _hash_blob(self):
        """SHA-256 of the bytes on disk now, or None if the blob is gone."""
        self.ensure_one()
        digest = hashlib.sha256()
        try:
            with self._open_blob() as handle:
                for chunk in iter(lambda: handle.read(STREAM_CHUNK), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            return None
        return digest.hexdigest()

    def _chain_content(self):
        self.ensure_one()
        return {"name": self.name, "size": self.file_size, "sha256": self.sha256}

    # ----- append-only -----

    def write(self, vals):  # append-only: never calls super  # pylint: disable=method-required-super
        raise AccessError(self.env._("Record files cannot be changed; add a correcting record instead."))

    def unlink(self):  # append-only: never calls super  # pylint: disable=method-required-super
        # pylint: disable-next=no-raise-unlink  # the refusal is the point, the superuser's delete too
        raise AccessError(self.env._("Record files cannot be deleted."))

    def _attach_to(self, record):
        """Attach received files to the record created with them, once. Raw
        SQL because write() refuses every change."""
        for file in self:
            if file.record_id:
                raise UserError(self.env._(
                    "File %(name)s already belongs to record %(record)s.",
                    name=file.name, record=file.record_id.display_name))
            if file.uploaded_by_id != self.env.user and not self.env.su:
                raise AccessError(self.env._("File %(name)s was uploaded by someone else.", name=file.name))
        self.env.cr.execute(
            "UPDATE enforcement_record_file SET record_id = %s, company_id = %s "
            "WHERE id IN %s AND record_id IS NULL",
            (record.id, record.company_id.id, tuple(self.ids)),
        )
        self.invalidate_recordset(["record_id", "company_id"])


class EnforcementRecord(models.Model):
    """A full-process record (全过程记录): one thing captured during a case —
    a written record, photo, audio, video, scan or system event — with when,
    where, by whom, what it proves and its files.

    Records are append-only for everyone, the administrator included: a
    correction is a new record pointing at the one it corrects. A record
    stored more than 24 hours after capture is late; one added after its step
    was closed or after the decision is 补录 (back-filled) and is kept out of
    the basis of the decision. Each record is appended to the case's hash chain.

    Rights: officers add records to their agency's cases; everyone with access
    to the case reads them; the supervisor reads all agencies.
    """

    _name = "enforcement.record"
    _description = "Full-Process Record"
    _order = "captured_at, id"

    name = fields.Char(string="Record Title", required=True)
    case_id = fields.Many2one("enforcement.case", index=True, ondelete="restrict")
    inspection_id = fields.Many2one("enforcement.inspection", index=True, ondelete="restrict",
                                    help="The inspection (行政检查) the record belongs to, instead of a case.")
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    kind = fields.Selection(RECORD_KINDS, required=True)
    stage = fields.Selection(STAGES, required=True, default="investigation")
    step_code = fields.Selection(selection="_selection_step_codes", string="Process Step", index=True,
                                 help="The process step (task), or the activity of the audio/video list, "
                                      "the record belongs to.")
    activity_id = fields.Many2one("enforcement.av.requirement")
    captured_at = fields.Datetime(required=True)
    capture_place = fields.Char()
    collector_ids = fields.Many2many("res.users", string="Collectors")
    proves = fields.Text(string="What It Proves")
    file_ids = fields.One2many("enforcement.record.file", "record_id", string="Files", readonly=True)
    stored_at = fields.Datetime(required=True, readonly=True)
    is_late = fields.Boolean(string="Stored Late", readonly=True, index=True,
                             help="Stored more than 24 hours after capture.")
    is_backfill = fields.Boolean(string="Back-filled (补录)", readonly=True, index=True,
                                 help="Added after its step was closed or after the decision; "
                                 "not part of the basis of the decision.")
    backfill_reason = fields.Char(readonly=True)
    corrects_id = fields.Many2one("enforcement.record", index=True,
                                  ondelete="restrict")
    corrected_by_ids = fields.One2many("enforcement.record", "corrects_id")
    is_superseded = fields.Boolean(compute="_compute_is_superseded")
    in_decision_basis = fields.Boolean(compute="_compute_in_decision_basis")

    _sql_constraints = [
        ("one_subject", "CHECK(num_nonnulls(case_id, inspection_id) = 1)",
         "A full-process record belongs to one case or to one inspection."),
    ]

    # Fields the server sets; a client value for them is ignored.
    _SYSTEM_FIELDS = ("stored_at", "is_late", "is_backfill", "backfill_reason", "company_id")

    @api.depends("corrected_by_ids")
    def _compute_is_superseded(self):
        for record in self:
            record.is_superseded = bool(record.corrected_by_ids)

    def _compute_in_decision_basis(self):
        for record in self:
            record.in_decision_basis = not record.is_backfill and not record.is_superseded

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        files_per_record = []
        for vals in vals_list:
            for name in self._SYSTEM_FIELDS:
                vals.pop(name, None)
            files_per_record.append(self.env["enforcement.record.file"].browse(vals.pop("upload_ids", []) or []))
            if vals.get("inspection_id") and vals.get("case_id"):
                raise ValidationError(self.env._("A record belongs to a case or to an inspection, not to both."))
            case = self.env["enforcement.case"].browse(vals.get("case_id"))
            if vals.get("inspection_id"):
                # An inspection's record: its own inspectors record it.
                case = self.env["enforcement.inspection"].browse(vals["inspection_id"])
                if not case.exists():
                    raise ValidationError(self.env._("A record needs the inspection it belongs to."))
                case.check_access("read")
            elif not case.exists():
                raise ValidationError(self.env._("A record needs the case it belongs to."))
            else:
                case.check_access("write")
            captured = fields.Datetime.to_datetime(vals.get("captured_at"))
            if not captured:
                raise ValidationError(self.env._("Give the time the record was captured."))
            if captured > now + timedelta(minutes=5):
                raise ValidationError(self.env._(
                    "The capture time %(time)s is in the future.", time=fields.Datetime.to_string(captured)))
            self._check_stage_and_step(vals)
            if vals.get("kind") == "system_event" and not self.env.su:
                raise AccessError(self.env._("System event records are written by the system only."))
            if not self.env.su:
                case._check_acting_officer(self.env.user)
            case._check_capture_time(captured)
            if vals.get("corrects_id"):
                corrected = self.browse(vals["corrects_id"])
                if corrected._chain_subject() != case:
                    raise ValidationError(self.env._("A correction must belong to the same case as the record it corrects."))
            vals["stored_at"] = now
            vals["company_id"] = case.company_id.id
            vals["is_late"] = now - captured > STORE_LATE_AFTER
            # kept with the record: in the agency's language, not the writer's
            reason = case._with_agency_lang()._record_backfill_reason(vals.get("step_code"), captured, now)
            vals["is_backfill"] = bool(reason)
            vals["backfill_reason"] = reason or False
        records = super().create(vals_list)
        for record, files in zip(records, files_per_record):
            if files:
                files._attach_to(record)
            if record.kind in AV_KINDS and not record.file_ids:
                raise ValidationError(self.env._(
                    "Audio/video record %(name)s needs its recording file.", name=record.name))
        self.env["enforcement.chain.entry"]._append_records(records)
        return records

    def _chain_subject(self):
        """The chain a record is appended to: its case's, or its inspection's."""
        self.ensure_one()
        return self.case_id or self.inspection_id

    @api.model
    def _selection_step_codes(self):
        """The known steps by their names in the reader's language (an activity of the list by its own)."""
        labels = self.env["enforcement.task"]._step_labels()
        activities = self.env["enforcement.av.requirement"].sudo().with_context(active_test=False).search([])  # pylint: disable=no-search-all  # the list is short
        for activity in activities:
            for code in activity._step_code_list():
                labels.setdefault(code, activity.name)
        return sorted(labels.items(), key=lambda item: item[1])

    @api.model
    def _known_step_codes(self):
        """Steps a record can belong to: the process steps, and the activities of the audio/video list."""
        return {code for code, _label in self._selection_step_codes()}

    @api.model
    def _check_stage_and_step(self, vals):
        stage = vals.get("stage", self._fields["stage"].default(self))
        if stage not in dict(STAGES):
            raise ValidationError(self.env._(
                "%(stage)s is not a stage of the procedure; choose one of %(stages)s.",
                stage=stage, stages=", ".join(code for code, _label in STAGES)))
        step = vals.get("step_code")
        if step and step not in self._known_step_codes():
            raise ValidationError(self.env._(
                "%(step)s is not a step of the procedure nor an activity of the audio/video list.", step=step))

    def write(self, vals):  # append-only: never calls super  # pylint: disable=method-required-super
        raise AccessError(self.env._(
            "Full-process records cannot be changed, not even by the administrator; "
            "add a new record that corrects this one."))

    def unlink(self):  # append-only: never calls super  # pylint: disable=method-required-super
        # pylint: disable-next=no-raise-unlink  # the refusal is the point, the superuser's delete too
        raise AccessError(self.env._("Full-process records cannot be deleted, not even by the administrator."))

    def _chain_content(self):
        """The canonical content hashed into the chain: everything the record
        states, its files' hashes and the flags set when it was stored."""
        self.ensure_one()
        return {
            "type": "record",
            "id": self.id,
            "case": self.case_id.name,
            "title": self.name,
            "kind": self.kind,
            "stage": self.stage,
            "step_code": self.step_code or "",
            "activity": self.activity_id.code or "",
            "captured_at": fields.Datetime.to_string(self.captured_at),
            "capture_place": self.capture_place or "",
            "collectors": sorted(self.collector_ids.mapped("login")),
            "proves": self.proves or "",
            "files": [file._chain_content() for file in self.file_ids.sorted("id")],
            "stored_at": fields.Datetime.to_string(self.stored_at),
            "is_late": self.is_late,
            "is_backfill": self.is_backfill,
            "corrects": self.corrects_id.id or None,
            # Only an inspection's record names it: case records hash as they always did.
            **({"inspection": self.inspection_id.name} if self.inspection_id else {}),
        }

    @api.model
    def _load_demo_records(self, case_id, officer_id):
        """Demo data: what an officer records during the on-site inspection
        that led to the case (核查 before filing), the case having been
        registered two days ago from the complaint."""
        case = self.env["enforcement.case"].browse(case_id)
        officer = self.env["res.users"].browse(officer_id)
        now = fields.Datetime.now()
        self.env.cr.execute("UPDATE enforcement_case SET create_date = %s WHERE id = %s",
                            (now - timedelta(days=2), case.id))
        case.invalidate_recordset(["create_date"])
        Files = self.env["enforcement.record.file"]
        samples = [
            ("现场检查笔录", "scan", now - timedelta(hours=5), "现场检查笔录.pdf", b"%PDF-1.4 demo",
             "当事人经营场所内货架上陈列“某某牌”酸奶12盒，生产日期2026年10月20日，保质期21天"),
            ("过期酸奶货架照片", "photo", now - timedelta(hours=5), "货架照片01.jpg", b"\xff\xd8\xff\xe0demo",
             "超过保质期的酸奶与其他食品一同陈列待售"),
            ("现场检查全程录像", "video", now - timedelta(hours=5), "现场检查录像.mp4", b"\x00\x00\x00\x18ftypmp42demo",
             "执法人员出示证件、告知权利、检查及当事人确认的全过程"),
            ("当事人进货票据照片", "photo", now - timedelta(hours=30), "进货票据.jpg", b"\xff\xd8\xff\xe1demo",
             "涉案酸奶的进货来源和数量"),
        ]
        for title, kind, captured_at, filename, data, proves in samples:
            upload = Files._store_bytes(filename, data)
            self.create({
                "case_id": case.id, "name": title, "kind": kind, "stage": "opening",
                "captured_at": captured_at,
                "capture_place": "城关县城关镇解放路88号某某超市", "collector_ids": [fields.Command.set(officer.ids)],
                "proves": proves, "upload_ids": upload.ids,
            })

    def action_new_correction(self):
        """Open a new record prefilled from this one; saving it corrects this one."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "enforcement.record.add",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_case_id": self.case_id.id,
                "default_inspection_id": self.inspection_id.id,
                "default_corrects_id": self.id,
                "default_kind": self.kind,
                "default_stage": self.stage,
                "default_step_code": self.step_code,
                "default_captured_at": fields.Datetime.to_string(self.captured_at),
                "default_capture_place": self.capture_place,
                "default_name": self.env._("Correction of %(name)s", name=self.name),
            },
        }
