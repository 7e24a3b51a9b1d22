from odoo import api, fields, models


class EnforcementMatterBasis(models.Model):
    """One legal provision a matter rests on, e.g. 《中华人民共和国食品安全法》第一百二十二条."""

    _name = "enforcement.matter.basis"
    _description = "Legal Basis Line"
    _order = "matter_id, sequence, id"

    sequence = fields.Integer(default=10)
    matter_id = fields.Many2one("enforcement.matter", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="matter_id.company_id", store=True, index=True)
    law = fields.Char(required=True, help="Name of the law or regulation, e.g. 《中华人民共和国食品安全法》.")
    article = fields.Char(help="Article, paragraph and item, e.g. 第一百二十二条第一款.")
    text = fields.Text(help="Wording of the provision.")

    @api.depends("law", "article")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.law or ''}{line.article or ''}"
