from odoo import fields, models


class EnforcementCategory(models.Model):
    """Enforcement category (执法类别) written on a certificate, e.g. 市场监管.

    Shared master data: every internal enforcement user reads it, the bureau
    administrator maintains it.
    """

    _name = "enforcement.category"
    _description = "Enforcement Category"
    _order = "sequence, code"
    _rec_names_search = ["name", "code"]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an enforcement category must be unique."),
    ]
