from collections import defaultdict

from odoo import api, models
from odoo.exceptions import UserError

from ..enforcement_core.calendar import UnknownHolidayYear, WorkingDayCalendar
from ..enforcement_core.deadlines import due_date, end_of_day_iso


class EnforcementCalendar(models.AbstractModel):
    """The Chinese working-day calendar with this database's overrides, and
    statutory deadlines computed from it. Deadlines handed to the engine come from
    here as ISO dates: the engine knows no Chinese working days."""

    _name = "enforcement.calendar"
    _description = "Working-Day Calendar"

    @api.model
    def _working_calendar(self):
        overrides = defaultdict(dict)
        # Every override day and every entered year make the calendar (a few dozen rows a year).
        # pylint: disable-next=no-search-all
        for row in self.env["enforcement.holiday.override"].sudo().search_read([], ["day", "is_working_day"]):
            overrides[row["day"].year][row["day"]] = row["is_working_day"]
        years = self.env["enforcement.holiday.year"].sudo().search([]).mapped("year")  # pylint: disable=no-search-all
        return WorkingDayCalendar(overrides=overrides, complete_years=years)

    @api.model
    def _period_overrides(self):
        return {
            row.code: {"amount": row.amount, "unit": row.unit, "roll_to_working_day": row.roll_to_working_day}
            for row in self.env["enforcement.period.override"].sudo().search([])
        }

    @api.model
    def _due_date(self, rule_code, start):
        return self._with_known_holidays(
            lambda calendar: due_date(rule_code, start, calendar, self._period_overrides()))

    @api.model
    def _add_working_days(self, start, working_days):
        return self._with_known_holidays(lambda calendar: calendar.add_working_days(start, working_days))

    @api.model
    def _with_known_holidays(self, compute):
        try:
            return compute(self._working_calendar())
        except UnknownHolidayYear as err:
            raise UserError(self.env._(
                "The holidays of %(year)s are not known yet: enter that year's State Council holiday "
                "notice under Configuration > Enter Holiday Notice before deadlines in it can be computed.",
                year=err.year,
            )) from err

    @api.model
    def _due_iso(self, rule_code, start):
        return end_of_day_iso(self._due_date(rule_code, start))
