from odoo import fields, models


class EnforcementPenaltyType(models.Model):
    """Kind of administrative penalty (行政处罚法 art. 9), e.g. 警告, 罚款.

    Codes are stable: the discretion and catalogue rules in the pure-Python
    core compare codes, never names.
    """

    _name = "enforcement.penalty.type"
    _description = "Penalty Type"
    _order = "sequence, id"
    _rec_names_search = ["name", "code"]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    monetary = fields.Boolean(help="The penalty is an amount of money (fine, confiscation).")
    hearing_eligible = fields.Boolean(
        help="A party may request a hearing before this penalty is decided (行政处罚法 art. 63).",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of a penalty type must be unique."),
    ]
