from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.http import request


class EnforcementAccessLog(models.Model):
    """调阅记录: every read of a case file — the case form opened, a record file
    downloaded, a document printed, the case file exported. Written by the
    server as the read happens; nobody can change or delete it.

    Rights: leaders and the administrator read their agency's log; the
    supervisor reads every agency's.
    """

    _name = "enforcement.access.log"
    _description = "Case File Access Log"
    _order = "accessed_at desc, id desc"
    _rec_name = "case_id"

    case_id = fields.Many2one("enforcement.case", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    user_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    accessed_at = fields.Datetime(required=True, readonly=True, index=True)
    access_type = fields.Selection(
        [
            ("form_open", "Case Opened"),
            ("file_download", "File Downloaded"),
            ("document_print", "Document Printed"),
            ("export", "Case File Exported"),
        ],
        required=True, readonly=True,
    )
    detail = fields.Char(readonly=True)
    remote_addr = fields.Char(string="IP Address", readonly=True)

    def write(self, vals):  # append-only: never calls super  # pylint: disable=method-required-super
        raise AccessError(self.env._("The access log cannot be changed."))

    def unlink(self):  # append-only: never calls super  # pylint: disable=method-required-super
        # pylint: disable-next=no-raise-unlink  # the refusal is the point, the superuser's delete too
        raise AccessError(self.env._("The access log cannot be deleted."))

    @api.model
    def _log(self, cases, access_type, detail=None):
        """Log one read per case, as the current user, whatever their rights on the log."""
        remote_addr = request.httprequest.remote_addr if request else False
        now = fields.Datetime.now()
        self.sudo().create([{
            "case_id": case.id,
            "company_id": case.company_id.id,
            "user_id": self.env.uid,
            "accessed_at": now,
            "access_type": access_type,
            "detail": detail or False,
            "remote_addr": remote_addr,
        } for case in cases])
