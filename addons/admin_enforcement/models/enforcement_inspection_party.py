from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.resident_id import InvalidResidentID, validate_resident_id
from ..enforcement_core.uscc import InvalidUSCC, validate_uscc

# The party types of enforcement.case, so a party drawn for inspection and
# transferred to a penalty case keeps its type.
PARTY_TYPES = [("organisation", "Organisation"), ("person", "Natural Person")]
# 企业信用风险分类 of the market regulator: A low … D high risk.
RISK_GRADES = [
    ("A", "A (Low Risk)"),
    ("B", "B (Ordinary Risk)"),
    ("C", "C (Higher Risk)"),
    ("D", "D (High Risk)"),
]
CREDIT_GRADES = [
    ("trustworthy", "Trustworthy"),
    ("ordinary", "Ordinary"),
    ("abnormal", "Abnormal Operation List"),
    ("untrustworthy", "Serious Dishonesty List"),
]


class EnforcementInspectionParty(models.Model):
    """Register of inspected parties (检查对象名录库) of an agency, one row per
    enterprise, organisation or natural person that random inspections
    (双随机、一公开) may draw.

    Organisations are identified by their unified social credit code,
    natural persons by their resident ID number; both are validated and
    unique within the agency. Rows come from the market-entity register
    through Odoo's import with the template (``get_import_templates``);
    every change is tracked in the chatter. Officers read their agency's
    register, the bureau administrator (master-data manager) edits it, the
    supervisor reads all agencies.
    """

    _name = "enforcement.inspection.party"
    _description = "Inspected Party"
    _inherit = ["mail.thread"]
    _order = "agency_id, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True, index="trigram")
    party_type = fields.Selection(PARTY_TYPES, required=True, default="organisation", tracking=True, index=True)
    uscc = fields.Char(
        string="Unified Social Credit Code", tracking=True, index=True, copy=False,
        help="18-character code (GB 32100-2015); required for organisations.",
    )
    id_number = fields.Char(
        string="Resident ID Number", tracking=True, index=True, copy=False,
        help="18-character resident identity card number (GB 11643-1999); required for natural persons.",
    )
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True, ondelete="restrict", tracking=True,
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1),
    )
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    area_id = fields.Many2one(
        "enforcement.area", string="Area", index=True, ondelete="restrict", tracking=True,
        help="Where the party is located; an inspection plan's scope and the inspectors' certificates read it.",
    )
    # A free code or name as the market-entity register exports it (GB/T 4754
    # 国民经济行业分类, at whatever depth the register keeps): a selection
    # would refuse the rows of a register that uses four-digit classes.
    industry = fields.Char(
        tracking=True, index=True,
        help="Industry per GB/T 4754 (国民经济行业分类), code or name as in the market-entity register.",
    )
    risk_grade = fields.Selection(RISK_GRADES, tracking=True, index=True)
    credit_grade = fields.Selection(CREDIT_GRADES, tracking=True, index=True)
    address = fields.Char(tracking=True)
    legal_representative = fields.Char(
        string="Legal Representative or Person in Charge", tracking=True,
    )
    active = fields.Boolean(default=True, tracking=True)

    _sql_constraints = [
        ("agency_uscc_unique", "unique(agency_id, uscc)",
         "Another party of this agency already has this unified social credit code."),
        ("agency_id_number_unique", "unique(agency_id, id_number)",
         "Another party of this agency already has this resident ID number."),
    ]

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _uscc_problem(self, exc):
        """The reason an :class:`InvalidUSCC` gives, in the reader's language."""
        compact = "".join(str(exc.code or "").split()).replace("-", "").upper()
        if len(compact) != 18:
            return self.env._("it has %(count)s characters, 18 expected", count=len(compact))
        if exc.problem.startswith("check character"):
            return self.env._("its check character (the last one) is wrong")
        return self.env._("it contains characters GB 32100 does not allow (the first 8 must be digits; "
                          "no I, O, S, V, Z)")

    def _id_number_problem(self, exc):
        """The reason an :class:`InvalidResidentID` gives, in the reader's language."""
        if exc.kind == "length":
            compact = "".join(str(exc.value or "").split())
            return self.env._("it has %(count)s characters, 18 expected", count=len(compact))
        if exc.kind == "format":
            return self.env._("the first 17 characters must be digits")
        if exc.kind == "checksum":
            return self.env._("its check character (the last one) is wrong")
        if exc.kind == "birth_date":
            return self.env._("characters 7 to 14 are not a birth date")
        if exc.kind == "region":
            return self.env._("its first 6 characters are not a known region code")
        return self.env._("it is not a resident ID number")

    @api.model
    def _normalised_identifiers(self, vals):
        """``vals`` with the codes compacted (upper case, no blanks), or ValidationError."""
        vals = dict(vals)
        if vals.get("uscc"):
            try:
                vals["uscc"] = validate_uscc(vals["uscc"])
            except InvalidUSCC as exc:
                raise ValidationError(self.env._(
                    "The unified social credit code %(code)s is not valid: %(reason)s",
                    code=vals["uscc"], reason=self._uscc_problem(exc),
                )) from exc
        if vals.get("id_number"):
            try:
                vals["id_number"] = validate_resident_id(vals["id_number"])
            except InvalidResidentID as exc:
                raise ValidationError(self.env._(
                    "The resident ID number %(number)s is not valid: %(reason)s",
                    number=vals["id_number"], reason=self._id_number_problem(exc),
                )) from exc
        for key in ("uscc", "id_number"):
            if key in vals and not vals[key]:
                vals[key] = False
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._normalised_identifiers(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(self._normalised_identifiers(vals))

    @api.constrains("party_type", "uscc", "id_number")
    def _check_identifier(self):
        for party in self:
            if party.party_type == "organisation" and not party.uscc:
                raise ValidationError(self.env._(
                    "The organisation %(name)s needs its unified social credit code.", name=party.name))
            if party.party_type == "person" and not party.id_number:
                raise ValidationError(self.env._(
                    "The natural person %(name)s needs a resident ID number.", name=party.name))
            if party.party_type == "organisation" and party.id_number:
                raise ValidationError(self.env._(
                    "The organisation %(name)s has a resident ID number; only natural persons have one.",
                    name=party.name))

    @api.onchange("uscc", "id_number")
    def _onchange_identifier(self):
        if self.uscc:
            self.uscc = "".join(self.uscc.split()).upper()
        if self.id_number:
            self.id_number = "".join(self.id_number.split()).upper()
