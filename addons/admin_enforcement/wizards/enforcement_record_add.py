import base64

from odoo import fields, models

from ..models.enforcement_record import RECORD_KINDS, STAGES


class EnforcementRecordAdd(models.TransientModel):
    """Add a full-process record from the browser, with one file. Photos and
    scans fit in a form upload; long videos go through the streamed upload
    endpoint (/enforcement/record/upload) and are attached by the client."""

    _name = "enforcement.record.add"
    _description = "Add a Full-Process Record"

    case_id = fields.Many2one("enforcement.case")
    inspection_id = fields.Many2one("enforcement.inspection")
    name = fields.Char(string="Record Title", required=True)
    kind = fields.Selection([kind for kind in RECORD_KINDS if kind[0] != "system_event"], required=True,
                            default="written")
    stage = fields.Selection(STAGES, required=True, default="investigation")
    step_code = fields.Char(string="Process Step")
    activity_id = fields.Many2one("enforcement.av.requirement")
    captured_at = fields.Datetime(required=True, default=fields.Datetime.now)
    capture_place = fields.Char()
    collector_ids = fields.Many2many("res.users", string="Collectors", default=lambda self: self.env.user)
    proves = fields.Text(string="What It Proves")
    corrects_id = fields.Many2one("enforcement.record")
    file = fields.Binary(attachment=False)
    filename = fields.Char()

    def action_add(self):
        self.ensure_one()
        uploads = self.env["enforcement.record.file"]
        if self.file:
            uploads = uploads._store_bytes(self.filename or "record.bin", base64.b64decode(self.file))
        record = self.env["enforcement.record"].create({
            "case_id": self.case_id.id,
            "inspection_id": self.inspection_id.id,
            "name": self.name,
            "kind": self.kind,
            "stage": self.stage,
            "step_code": self.step_code,
            "activity_id": self.activity_id.id,
            "captured_at": self.captured_at,
            "capture_place": self.capture_place,
            "collector_ids": [fields.Command.set(self.collector_ids.ids)],
            "proves": self.proves,
            "corrects_id": self.corrects_id.id,
            "upload_ids": uploads.ids,
        })
        return {"type": "ir.actions.act_window", "res_model": "enforcement.record", "res_id": record.id,
                "view_mode": "form", "target": "current"}
