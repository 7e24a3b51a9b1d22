import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..enforcement_core.china_clock import china_today
from ..services.record_keeping import removing_the_addon

# A valid certificate ending within this many days is flagged for renewal.
EXPIRY_WARNING_DAYS = 30
EXPIRY_STATUS = [("expiring", "Expires within 30 Days")]

CERTIFICATE_STATES = [
    ("valid", "Valid"),
    ("suspended", "Suspended"),
    ("revoked", "Revoked"),
    ("expired", "Expired"),
]


def _new_verification_token(_model=None):
    """Random URL-safe token behind a certificate's QR code (128 bits)."""
    return secrets.token_urlsafe(16)


class EnforcementCertificate(models.Model):
    """Law-enforcement certificate (行政执法证) of an officer.

    The number is public (officers show it, anyone can verify it); the random
    ``verification_token`` is what the QR code on the card links to. Status
    changes are tracked in the chatter with their reason. Yearly reviews
    (年检) that fail suspend the certificate; a daily cron expires
    certificates past their end date.
    """

    _name = "enforcement.certificate"
    _description = "Enforcement Certificate"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "valid_to desc, id desc"
    _rec_name = "number"
    _check_company_auto = True

    number = fields.Char(string="Certificate Number", required=True, index=True, tracking=True)
    officer_id = fields.Many2one(
        "enforcement.officer", required=True, index=True, ondelete="cascade", tracking=True,
    )
    agency_id = fields.Many2one(related="officer_id.agency_id", store=True, index=True)
    company_id = fields.Many2one(related="officer_id.company_id", store=True, index=True)
    issuing_body = fields.Char(
        required=True, help="Body that issued the certificate, e.g. 城关县人民政府 or 省司法厅.",
    )
    category_ids = fields.Many2many(
        "enforcement.category", string="Enforcement Categories",
        help="Enforcement categories (执法类别) printed on the certificate.",
    )
    area_ids = fields.Many2many(
        "enforcement.area", string="Enforcement Areas",
        help="Areas (执法区域) printed on the certificate; a parent area covers its sub-areas.",
    )
    valid_from = fields.Date(required=True, tracking=True)
    valid_to = fields.Date(required=True, tracking=True)
    state = fields.Selection(
        CERTIFICATE_STATES, required=True, default="valid", copy=False, tracking=True, index=True,
    )
    state_reason = fields.Text(string="Reason for Status", tracking=True, copy=False)
    review_ids = fields.One2many("enforcement.certificate.review", "certificate_id", string="Yearly Reviews")
    verification_token = fields.Char(
        required=True, copy=False, index=True, readonly=True, default=_new_verification_token,
        groups="admin_enforcement.group_enforcement_admin,admin_enforcement.group_enforcement_supervisor",
        help="Random token behind the certificate's QR code.",
    )
    verification_url = fields.Char(
        compute="_compute_verification_url",
        groups="admin_enforcement.group_enforcement_admin,admin_enforcement.group_enforcement_supervisor",
    )
    days_to_expiry = fields.Integer(compute="_compute_days_to_expiry")
    expiring_soon = fields.Boolean(
        compute="_compute_days_to_expiry", search="_search_expiring_soon", string="Expiring within 30 Days",
        help="A valid certificate that ends within the next 30 days: time to renew it.")
    expiry_status = fields.Selection(EXPIRY_STATUS, compute="_compute_days_to_expiry", string="Renewal")
    expiry_warning = fields.Char(compute="_compute_days_to_expiry")

    _sql_constraints = [
        ("number_unique", "unique(number)", "Another certificate already has this number."),
        ("verification_token_unique", "unique(verification_token)", "The verification token must be unique."),
        ("dates_ordered", "CHECK(valid_from <= valid_to)", "A certificate cannot end before it starts."),
    ]

    def _compute_verification_url(self):
        """The public page the QR code opens (controllers/portal.py); the same data is
        available as JSON at /enforcement/certificate/verify/<token>."""
        for cert in self:
            cert.verification_url = f"{cert.get_base_url()}/enforcement/certificate/qr/{cert.verification_token}"

    @api.depends("valid_to", "state")
    def _compute_days_to_expiry(self):
        today = china_today()
        for cert in self:
            cert.days_to_expiry = (cert.valid_to - today).days if cert.valid_to else 0
            cert.expiring_soon = bool(
                cert.state == "valid" and cert.valid_to and 0 <= cert.days_to_expiry <= EXPIRY_WARNING_DAYS)
            cert.expiry_status = "expiring" if cert.expiring_soon else False
            cert.expiry_warning = cert.expiring_soon and self.env._(
                "Certificate %(number)s ends on %(day)s, in %(days)s days: have it renewed in time, or its "
                "holder may no longer act on cases after that day.",
                number=cert.number, day=cert.valid_to, days=cert.days_to_expiry)

    def _search_expiring_soon(self, operator, value):
        today = china_today()
        soon = ["&", "&", ("state", "=", "valid"), ("valid_to", ">=", today),
                ("valid_to", "<=", today + timedelta(days=EXPIRY_WARNING_DAYS))]
        if (operator in ("=", "==")) == bool(value):
            return soon
        return ["!", *soon]

    # ------------------------------------------------------------------
    # Core bridge
    # ------------------------------------------------------------------
    def _to_facts(self):
        """The certificate as a pure-Python ``CertificateFacts``."""
        from ..enforcement_core.certificates import CertificateFacts

        self.ensure_one()
        return CertificateFacts(
            number=self.number,
            state=self.state,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            categories=frozenset(self.category_ids.mapped("code")),
            areas=frozenset(self.area_ids._covered_areas().mapped("code")),
        )

    def _is_valid_on(self, day):
        self.ensure_one()
        return self.state == "valid" and self.valid_from <= day <= self.valid_to

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("number")
    def _check_number(self):
        for cert in self:
            if not cert.number.strip() or cert.number != cert.number.strip():
                raise ValidationError(self.env._(
                    "The certificate number %(number)s must not be blank or padded with spaces.",
                    number=cert.number,
                ))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("number"):
                vals["number"] = vals["number"].strip()
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Transitions (one action per transition, batch-safe)
    # ------------------------------------------------------------------
    def _require_state(self, allowed, action):
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            raise UserError(self.env._(
                "Cannot %(action)s certificate(s) %(numbers)s in their current status.",
                action=action, numbers=", ".join(wrong.mapped("number")),
            ))

    def _require_reason(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Please give the reason for the status change."))

    def action_suspend(self, reason=None):
        self._require_state({"valid"}, self.env._("suspend"))
        reason = reason or self._context.get("enforcement_reason")
        self._require_reason(reason)
        self.write({"state": "suspended", "state_reason": reason})
        return True

    def action_reinstate(self, reason=None):
        self._require_state({"suspended"}, self.env._("reinstate"))
        reason = reason or self._context.get("enforcement_reason")
        self._require_reason(reason)
        today = china_today()
        expired = self.filtered(lambda c: c.valid_to < today)
        if expired:
            raise UserError(self.env._(
                "Certificate(s) %(numbers)s have passed their end date and cannot be reinstated.",
                numbers=", ".join(expired.mapped("number")),
            ))
        self.write({"state": "valid", "state_reason": reason})
        return True

    def action_revoke(self, reason=None):
        self._require_state({"valid", "suspended"}, self.env._("revoke"))
        reason = reason or self._context.get("enforcement_reason")
        self._require_reason(reason)
        self.write({"state": "revoked", "state_reason": reason})
        return True

    def action_open_state_wizard(self):
        """Open the reason dialog for a status change (suspend/reinstate/revoke)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Certificate Status"),
            "res_model": "enforcement.certificate.state.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_certificate_ids": self.ids,
                "default_action": self._context.get("certificate_action", "suspend"),
            },
        }

    @api.model
    def _cron_expire_certificates(self):
        """Daily: certificates past their end date become expired."""
        today = china_today()
        to_expire = self.search([
            ("state", "in", ("valid", "suspended")),
            ("valid_to", "<", today),
        ])
        to_expire.write({
            "state": "expired",
            "state_reason": self.env._("Expired on %(date)s.", date=today),
        })
        return to_expire

    @api.ondelete(at_uninstall=True)
    def _unlink_except_issued(self):
        """A certificate once valid stays in the public history: revoke, don't delete."""
        if removing_the_addon(self.env):
            return
        if self.filtered(lambda c: c.state != "valid" or c.review_ids):
            raise UserError(self.env._(
                "Certificates with a status history or yearly reviews cannot be deleted; revoke them instead."
            ))

    # ------------------------------------------------------------------
    # Public verification
    # ------------------------------------------------------------------
    @api.model
    def _public_verification_data(self, number=None, token=None):
        """What the public may see about a certificate, by number or QR token.

        Returns ``None`` if nothing matches. Runs as superuser on purpose:
        the certificate list is public (事前公开), but only these fields.
        """
        if not number and not token:
            return None
        domain = [("verification_token", "=", token)] if token else [("number", "=", number)]
        cert = self.sudo().with_context(active_test=False).search(domain, limit=1)
        if not cert:
            return None
        return {
            "number": cert.number,
            "holder": cert.officer_id.name,
            "agency": cert.agency_id.name,
            "issuing_body": cert.issuing_body,
            "categories": cert.category_ids.mapped("name"),
            "areas": cert.area_ids.mapped("complete_name"),
            "valid_from": cert.valid_from,
            "valid_to": cert.valid_to,
            "state": cert.state,
        }
