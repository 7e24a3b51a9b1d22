from odoo import api, fields, models


class EnforcementArea(models.Model):
    """Enforcement area (执法区域) written on a certificate, e.g. 城关县.

    A parent area covers its children: a certificate for 城关县 covers 城关镇.
    """

    _name = "enforcement.area"
    _description = "Enforcement Area"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"
    _rec_names_search = ["complete_name", "code"]

    code = fields.Char(required=True, index=True, help="Administrative division code (GB/T 2260), e.g. 330100.")
    name = fields.Char(required=True)
    parent_id = fields.Many2one("enforcement.area", string="Parent Area", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("enforcement.area", "parent_id", string="Sub-areas")
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an enforcement area must be unique."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for area in self:
            if area.parent_id:
                area.complete_name = f"{area.parent_id.complete_name} / {area.name}"
            else:
                area.complete_name = area.name

    def _covered_areas(self):
        """These areas and all their sub-areas (a certificate for a county covers its towns)."""
        if not self:
            return self
        return self.with_context(active_test=False).search([("id", "child_of", self.ids)])
