import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..enforcement_core.china_clock import china_today
from ..enforcement_core.resident_id import InvalidResidentId, validate_resident_id
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

    name = fields.Char(required=True, tracking=True, index=True)
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
        "enforcement.area", index=True, ondelete="restrict", tracking=True,
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
    recusal_ids = fields.One2many(
        "enforcement.inspection.recusal", "party_id", string="Recused Inspectors",
        help="Inspectors never drawn for this party (回避), e.g. a close relative.",
    )

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
        """The reason an :class:`InvalidResidentId` gives, in the reader's language.

        The core words each problem in a fixed English sentence; its start
        tells which one it is (tests/test_inspection_party_import.py reads
        each in Chinese, so a new wording shows up there)."""
        problem = exc.problem
        if problem.startswith("has 15 digits"):
            return self.env._("it has 15 digits: first-generation numbers are no longer valid since 2013, "
                              "the 18-character number is needed")
        count = re.match(r"has (\d+) characters", problem)
        if count:
            return self.env._("it has %(count)s characters, 18 expected", count=count.group(1))
        if "the first 17 characters must be digits" in problem:
            return self.env._("the first 17 characters must be digits")
        if "must be a digit or X" in problem:
            return self.env._("the check character (the last one) must be a digit or X")
        if "not a valid birth date" in problem:
            return self.env._("characters 7 to 14 are not a birth date")
        if "in the future" in problem:
            return self.env._("the birth date (characters 7 to 14) is in the future")
        if problem.startswith("check character"):
            return self.env._("its check character (the last one) is wrong")
        return self.env._("it is not a resident ID number")

    def _refuse(self, field, message, rows=1):
        """Raise ``message`` as a ValidationError about column ``field``.

        During an import the column is remembered, so that ``load`` can put
        the error under its column and name the row, and so is whether it
        was raised while creating several ``rows`` at once (load's first,
        all-rows attempt, whose error Odoo reports at the first row)."""
        notes = self.env.context.get("inspection_party_import_notes")
        if notes is not None:
            notes["columns"][message] = field
            notes["batch" if rows > 1 else "single"].add(message)
        raise ValidationError(message)

    @api.model
    def _normalised_identifiers(self, vals, rows=1):
        """``vals`` with the codes compacted (upper case, no blanks), or ValidationError."""
        vals = dict(vals)
        if vals.get("uscc"):
            try:
                vals["uscc"] = validate_uscc(vals["uscc"])
            except InvalidUSCC as exc:
                self._refuse("uscc", self.env._(
                    "The unified social credit code %(code)s is not valid: %(reason)s",
                    code=vals["uscc"], reason=self._uscc_problem(exc),
                ), rows)
        if vals.get("id_number"):
            # The message does not repeat the number (personal data; the row or field says which).
            try:
                vals["id_number"] = validate_resident_id(vals["id_number"], china_today())
            except InvalidResidentId as exc:
                self._refuse("id_number", self.env._(
                    "The resident ID number is not valid: %(reason)s", reason=self._id_number_problem(exc),
                ), rows)
        for key in ("uscc", "id_number"):
            if key in vals and not vals[key]:
                vals[key] = False
        return vals

    @api.model
    def _check_not_registered(self, vals_list, exclude=None):
        """Refuse a code the agency's register already holds.

        The unique constraints stay the last word (and refuse a code twice in
        one call: an import then retries row by row and this check names the
        second row); this check runs first so the message names the code and
        the party that has it, with one query per code column for a whole
        import."""
        default_agency = self.default_get(["agency_id"]).get("agency_id")
        for field in ("uscc", "id_number"):
            keys = [(vals.get("agency_id") or default_agency, vals[field]) for vals in vals_list if vals.get(field)]
            if not keys:
                continue
            existing = {
                (party.agency_id.id, party[field]): party
                for party in self.sudo().with_context(active_test=False).search([
                    ("agency_id", "in", list({agency for agency, _code in keys})),
                    (field, "in", list({code for _agency, code in keys})),
                    ("id", "not in", exclude.ids if exclude else []),
                ])
            }
            for key in keys:
                if key in existing and field == "uscc":
                    self._refuse(field, self.env._(
                        "The register already holds the unified social credit code %(code)s (%(name)s).",
                        code=key[1], name=existing[key].name,
                    ), len(vals_list))
                if key in existing:
                    self._refuse(field, self.env._(
                        "The register already holds this resident ID number (%(name)s).",
                        name=existing[key].name,
                    ), len(vals_list))

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalised_identifiers(vals, len(vals_list)) for vals in vals_list]
        self._check_not_registered(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        vals = self._normalised_identifiers(vals)
        if any(vals.get(key) for key in ("uscc", "id_number", "agency_id")):
            for party in self:
                merged = {key: vals.get(key, party[key]) for key in ("uscc", "id_number")}
                merged["agency_id"] = vals.get("agency_id", party.agency_id.id)
                party._check_not_registered([merged], exclude=party)
        return super().write(vals)

    @api.model
    def load(self, fields, data):
        """Import the whole file in one transaction, all or nothing.

        The import dialog sends a large file in batches of 2,000 rows, each
        committed on its own: a bad row in the fifth batch would leave the
        first four imported. The register is imported as a whole instead (the
        dialog then has nothing left to send), so a file with a bad row
        imports nothing. Each error names its row (the header is row 1) and
        its column."""
        notes = {"columns": {}, "batch": set(), "single": set()}
        result = super(EnforcementInspectionParty, self.with_context(
            _import_limit=None, inspection_party_import_notes=notes,
        )).load(fields, data)
        messages = result["messages"]
        columns = notes["columns"]
        errors = [m.get("message") for m in messages if m.get("type") == "error"]
        first = messages[0].get("message") if messages and messages[0].get("type") == "error" else None
        spurious = errors.count(first) > 1 or (first in notes["batch"] and first not in notes["single"])
        if len(errors) > 1 and spurious:
            # load() puts the first error of its all-rows attempt in front, with the
            # batch's first row: the row-by-row retry reports it at its real row
            # (or stopped at ten errors before reaching it).
            del messages[0]
        descriptions = self.fields_get(attributes=["string"])
        for message in messages:
            rows = message.get("rows") or {}
            if message.get("type") != "error" or "from" not in rows:
                continue
            field = message.get("field") or columns.get(message.get("message"))
            if field:
                message["field"] = field
                message["message"] = self.env._(
                    "Row %(row)s, column %(column)s: %(reason)s", row=rows["from"] + 2,
                    column=descriptions.get(field, {}).get("string", field), reason=message["message"],
                )
            else:
                message["message"] = self.env._(
                    "Row %(row)s: %(reason)s", row=rows["from"] + 2, reason=message["message"])
        return result

    @api.model
    def get_import_templates(self):
        return [{
            "label": self.env._("Import Template for Inspected Parties"),
            "template": "/admin_enforcement/static/templates/enforcement_inspection_parties.csv",
        }, {
            # Generated from the CSV by scripts/make_import_templates.py.
            "label": self.env._("Import Template for Inspected Parties (Excel)"),
            "template": "/admin_enforcement/static/templates/enforcement_inspection_parties.xlsx",
        }]

    @api.constrains("party_type", "uscc", "id_number")
    def _check_identifier(self):
        for party in self:
            if party.party_type == "organisation" and not party.uscc:
                party._refuse("uscc", self.env._(
                    "The organisation %(name)s needs its unified social credit code.", name=party.name), len(self))
            if party.party_type == "person" and not party.id_number:
                party._refuse("id_number", self.env._(
                    "The natural person %(name)s needs a resident ID number.", name=party.name), len(self))
            if party.party_type == "organisation" and party.id_number:
                party._refuse("id_number", self.env._(
                    "The organisation %(name)s has a resident ID number; only natural persons have one.",
                    name=party.name), len(self))

    @api.onchange("uscc", "id_number")
    def _onchange_identifier(self):
        if self.uscc:
            self.uscc = "".join(self.uscc.split()).upper()
        if self.id_number:
            self.id_number = "".join(self.id_number.split()).upper()
