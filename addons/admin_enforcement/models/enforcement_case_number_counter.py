from odoo import api, fields, models


class EnforcementCaseNumberCounter(models.Model):
    """Gap-free case number counter per agency, category and year. Numbers
    are official (they appear on every document), so a number is taken only in
    the transaction that keeps it: the row lock serialises concurrent takers
    and a rollback returns the number."""

    _name = "enforcement.case.number.counter"
    _description = "Case Number Counter"
    _rec_name = "year"

    agency_id = fields.Many2one("enforcement.agency", required=True, ondelete="cascade", index=True)
    category = fields.Char(required=True, default="penalty")
    year = fields.Integer(required=True)
    last_seq = fields.Integer(readonly=True)
    company_id = fields.Many2one(related="agency_id.company_id", store=True)

    _sql_constraints = [
        ("counter_unique", "unique(agency_id, category, year)", "One counter per agency, category and year."),
    ]

    @api.model
    def _take_next(self, agency, category, year):
        self.env.cr.execute(
            """INSERT INTO enforcement_case_number_counter (agency_id, category, year, last_seq)
               VALUES (%s, %s, %s, 0)
               ON CONFLICT (agency_id, category, year) DO NOTHING""",
            (agency.id, category, year),
        )
        self.env.cr.execute(
            """UPDATE enforcement_case_number_counter SET last_seq = last_seq + 1
               WHERE agency_id = %s AND category = %s AND year = %s
               RETURNING last_seq""",
            (agency.id, category, year),
        )
        self.invalidate_model(["last_seq"])
        return self.env.cr.fetchone()[0]
