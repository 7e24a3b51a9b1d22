from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EnforcementHolidayOverride(models.Model):
    """A day entered by the administrator from the State Council's holiday
    notice (国务院办公厅关于…部分节假日安排的通知), for years the bundled
    calendar does not know yet or to correct it."""

    _name = "enforcement.holiday.override"
    _description = "Holiday Calendar Override"
    _order = "day"
    _rec_name = "day"

    day = fields.Date(required=True, index=True)
    is_working_day = fields.Boolean(
        help="Ticked for a make-up working weekend day (调休上班), clear for a holiday.",
    )
    note = fields.Char(help="e.g. 春节 or 国庆节调休上班")

    _sql_constraints = [("day_unique", "unique(day)", "This day is already in the calendar overrides.")]


class EnforcementHolidayYear(models.Model):
    """A year whose holiday notice has been entered completely in the
    overrides. Only then are its deadlines computed; an unknown year is an
    error, never a Monday-to-Friday guess."""

    _name = "enforcement.holiday.year"
    _description = "Holiday Notice Entered for Year"
    _order = "year desc"
    _rec_name = "year"

    year = fields.Integer(required=True)
    notice = fields.Char(string="Notice Reference", help="e.g. 国办发明电〔2026〕7号")

    _sql_constraints = [("year_unique", "unique(year)", "This year is already declared.")]

    @api.constrains("year")
    def _check_year(self):
        for rec in self:
            if not 2000 <= rec.year <= 2100:
                raise ValidationError(self.env._("Year %(year)s is out of range.", year=rec.year))


class EnforcementPeriodOverride(models.Model):
    """A statutory period that differs in this province or sector from the
    national default (e.g. a longer decision period set by sector rules)."""

    _name = "enforcement.period.override"
    _description = "Statutory Period Override"
    _rec_name = "code"

    code = fields.Selection(selection="_selection_code", required=True)
    amount = fields.Integer(required=True)
    unit = fields.Selection(
        [("working", "Working Days"), ("calendar", "Calendar Days"), ("month", "Months")], required=True,
    )
    roll_to_working_day = fields.Boolean(help="A period ending on a holiday ends on the next working day.")
    source = fields.Char(help="The provincial or sector rule that sets this value.")

    _sql_constraints = [("code_unique", "unique(code)", "This period is already overridden.")]

    @api.model
    def _selection_code(self):
        from ..enforcement_core.deadlines import DEFAULT_RULES

        return [(code, code) for code in sorted(DEFAULT_RULES)]
