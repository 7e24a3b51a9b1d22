from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.china_clock import china_today



class EnforcementOfficer(models.Model):
    """Register of inspectors (执法检查人员名录库): the agency's officers with
    the enforcement categories and areas their certificates cover.

    Whether an officer may be drawn is never stored: it is worked out when
    asked, on the Beijing date, with the certificate rule every case step
    uses (``_eligibility_reasons``), so a certificate suspended, revoked or
    past its end date takes its holder out of the next draw at once.
    """

    _inherit = "enforcement.officer"

    inspection_category_ids = fields.Many2many(
        "enforcement.category", compute="_compute_inspection_coverage", string="Categories Covered",
        help="Enforcement categories of the officer's certificates valid today (Beijing date).",
    )
    inspection_area_ids = fields.Many2many(
        "enforcement.area", compute="_compute_inspection_coverage", string="Areas Covered",
        help="Areas of the officer's certificates valid today (Beijing date); an area covers its sub-areas.",
    )
    inspection_eligible = fields.Boolean(
        compute="_compute_inspection_coverage", search="_search_inspection_eligible", string="Eligible Today",
        help="A certificate valid today (Beijing date): the officer can be drawn for inspections it covers.",
    )

    @api.model
    def _inspection_today(self):
        """Today in Beijing, whatever the user's time zone: the day a draw is made."""
        return china_today()

    @api.depends("certificate_ids.state", "certificate_ids.valid_from", "certificate_ids.valid_to",
                 "certificate_ids.category_ids", "certificate_ids.area_ids")
    def _compute_inspection_coverage(self):
        today = self._inspection_today()
        for officer in self:
            valid = officer.certificate_ids.filtered(lambda c: c._is_valid_on(today))
            officer.inspection_category_ids = valid.category_ids
            officer.inspection_area_ids = valid.area_ids
            officer.inspection_eligible = bool(valid)

    def _valid_certificate_domain(self, today):
        return [("state", "=", "valid"), ("valid_from", "<=", today), ("valid_to", ">=", today)]

    def _search_inspection_eligible(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on certification: %(op)s", op=operator))
        holders = self.env["enforcement.certificate"]._search(
            self._valid_certificate_domain(self._inspection_today())).subselect("officer_id")
        return [("id", "in" if (operator == "=") == value else "not in", holders)]

    @api.model
    def _inspectors_eligible(self, agency_ids, category, area=None):
        """The officers a random draw may pick (双随机): the register of inspectors, now.

        :param agency_ids: the agencies whose officers take part, as ids or an
            ``enforcement.agency`` recordset (several for a joint plan,
            部门联合抽查). Only active officers of these agencies are returned.
        :param category: the enforcement category the inspection belongs to,
            an ``enforcement.category`` record or its code; the certificate
            must cover it.
        :param area: the area of the inspected party, an ``enforcement.area``
            record or its code; the certificate must cover it (a certificate
            for a county covers its towns). ``None`` or empty: any area.
        :returns: ``enforcement.officer`` recordset (in this environment), ordered
            by id so that a draw over it is reproducible.

        Worked out at the moment of the call on the Beijing date with the
        certificate rule of every case step (``_eligibility_reasons``): a
        certificate that is suspended, revoked, expired or not yet valid
        drops its holder out. Officers of other agencies are read as the
        superuser (a joint plan draws across agencies); the caller is server
        code, never an RPC client (the name starts with ``_``). Recusals are
        the caller's: ``enforcement.inspection.party.recusal_ids``.
        """
        agencies = agency_ids if isinstance(agency_ids, models.BaseModel) else \
            self.env["enforcement.agency"].browse(agency_ids)
        category_code = category.code if isinstance(category, models.BaseModel) else category
        area_code = (area.code if isinstance(area, models.BaseModel) else area) or None
        if not category_code:
            raise ValidationError(self.env._("A draw of inspectors needs the enforcement category."))
        today = self._inspection_today()
        Certificate = self.env["enforcement.certificate"].sudo()
        # Narrow in SQL to officers holding a certificate valid today for the
        # category (and a parent-or-same area); the rule itself decides below.
        domain = [
            *self._valid_certificate_domain(today),
            ("officer_id.active", "=", True),
            ("officer_id.agency_id", "in", agencies.ids),
            ("category_ids.code", "=", category_code),
        ]
        if area_code:
            area_record = self.env["enforcement.area"].sudo().with_context(active_test=False).search(
                [("code", "=", area_code)], limit=1)
            if not area_record:
                return self.browse()
            domain.append(("area_ids", "parent_of", area_record.ids))
        candidates = Certificate.search(domain).officer_id
        eligible = []
        for officer in candidates.sorted("id"):
            reasons = officer._eligibility_reasons(category_code, area_code or "", today)[officer.id]
            if area_code is None:
                reasons = [r for r in reasons if getattr(r, "code", None) != "area_not_covered"]
            if not reasons:
                eligible.append(officer.id)
        return self.browse(eligible)
