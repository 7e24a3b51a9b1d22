import calendar
from datetime import date, timedelta

import babel.dates

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import babel_locale_parse

from ..enforcement_core.calendar import year_awaiting_notice
from ..enforcement_core.china_clock import china_today

ONE_DAY = timedelta(days=1)


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
    holiday_year_id = fields.Many2one(
        "enforcement.holiday.year", string="From Notice of Year", ondelete="cascade", index=True,
        help="The year whose pasted notice listed this day: replacing that notice replaces its days. "
        "Empty for a day entered by hand.",
    )

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
    notice = fields.Char(string="Notice Number", help="The notice's 文号, e.g. 国办发明电〔2025〕7号")
    notice_date = fields.Date(help="The date under the notice's signature.")
    notice_text = fields.Text(
        string="Pasted Notice", help="The notice as the administrator pasted it, kept as the source of the days.",
    )
    override_ids = fields.One2many("enforcement.holiday.override", "holiday_year_id", string="Days From Notice")
    days_off_count = fields.Integer(string="Days Off", compute="_compute_day_counts")
    make_up_day_count = fields.Integer(string="Make-up Working Days", compute="_compute_day_counts")
    calendar_html = fields.Html(string="Calendar", compute="_compute_calendar_html", sanitize=False)

    _sql_constraints = [("year_unique", "unique(year)", "This year is already declared.")]

    @api.constrains("year")
    def _check_year(self):
        for rec in self:
            if not 2000 <= rec.year <= 2100:
                raise ValidationError(self.env._("Year %(year)s is out of range.", year=rec.year))

    @api.model
    def holiday_notice_warning(self):
        """What the banner of the holiday, task and case lists says from November
        on while next year's holidays are unknown, or False.

        Administrators get the action that opens the notice wizard; leaders,
        who cannot enter it, are told to ask for it. Called by the web client.
        """
        if not self.env.user.has_group("admin_enforcement.group_enforcement_leader"):
            return False
        today = china_today()
        year = year_awaiting_notice(self.env["enforcement.calendar"]._working_calendar(), today)
        if year is None:
            return False
        if self.env.user.has_group("admin_enforcement.group_enforcement_admin"):
            return {
                "message": self.env._(
                    "The holidays of %(year)s are not entered yet: deadlines running into %(year)s cannot be "
                    "computed and their cases will stop. Paste the State Council holiday notice for %(year)s.",
                    year=year),
                "button": self.env._("Enter the %(year)s holiday notice", year=year),
                "action": "admin_enforcement.action_enforcement_holiday_notice_wizard",
            }
        return {
            "message": self.env._(
                "The holidays of %(year)s are not entered yet: deadlines running into %(year)s cannot be "
                "computed and their cases will stop. Ask the bureau administrator to enter the State Council "
                "holiday notice for %(year)s.", year=year),
            "button": False,
            "action": False,
        }

    def _calendar_days(self):
        """The override rows that shape this year: those of its notice and any entered by hand in it."""
        self.ensure_one()
        return self.env["enforcement.holiday.override"].search([
            "|", ("holiday_year_id", "=", self.id),
            "&", ("day", ">=", date(self.year, 1, 1)), ("day", "<=", date(self.year, 12, 31)),
        ])

    @api.depends("override_ids.is_working_day", "year")
    def _compute_day_counts(self):
        for rec in self:
            days = rec._calendar_days() if rec.year else rec.env["enforcement.holiday.override"]
            rec.make_up_day_count = len(days.filtered("is_working_day"))
            rec.days_off_count = len(days) - rec.make_up_day_count

    @api.depends("override_ids.day", "override_ids.is_working_day", "override_ids.note", "year")
    def _compute_calendar_html(self):
        for rec in self:
            days = rec._calendar_days() if 2000 <= rec.year <= 2100 else []
            rec.calendar_html = rec._render_calendar(
                rec.year, [(row.day, row.is_working_day, row.note) for row in days]) if days else False

    @api.model
    def _render_calendar(self, year, days):
        """The year month by month with its days off and make-up working days
        marked, and one line per festival: what the administrator checks
        against the notice before storing it.

        ``days`` lists ``(date, is_working, festival)``; a day of the December
        before (a New Year break starting there) adds that month in front.
        """
        kinds = {day: "work" if is_working else "off" for day, is_working, _festival in days}
        months = sorted({(day.year, day.month) for day in kinds if day.year < year}) + [
            (year, month) for month in range(1, 13)]
        locale = babel_locale_parse(self.env.lang or "en_US")
        weeks = calendar.Calendar()  # weeks start on Monday, as Chinese calendars print them
        values = {
            "weekday_names": [babel.dates.get_day_names("narrow", locale=locale)[weekday] for weekday in range(7)],
            "months": [{
                "title": babel.dates.format_skeleton("yMMMM", date(month_year, month, 1), locale=locale),
                "weeks": [[
                    self._calendar_cell(day, kinds) if day.month == month else {"day": "", "kind": ""}
                    for day in week] for week in weeks.monthdatescalendar(month_year, month)],
            } for month_year, month in months],
            "festivals": self._festival_lines(days, locale),
        }
        return self.env["ir.qweb"]._render("admin_enforcement.holiday_year_calendar", values)

    @staticmethod
    def _calendar_cell(day, kinds):
        return {"day": day.day, "kind": kinds.get(day) or ("weekend" if day.weekday() >= 5 else "")}

    @api.model
    def _festival_lines(self, days, locale):
        """Per festival, in the order of its first day off: its days off as
        date ranges, their count, and its make-up working days."""
        by_festival = {}
        for day, is_working, festival in sorted(days):
            line = by_festival.setdefault(festival or "", {"off": [], "work": []})
            line["work" if is_working else "off"].append(day)

        def ranges(dates):
            runs = []
            for day in dates:
                if runs and day - runs[-1][-1] == ONE_DAY:
                    runs[-1].append(day)
                else:
                    runs.append([day])
            return [[babel.dates.format_skeleton("MMMd", day, locale=locale) for day in dict.fromkeys((run[0], run[-1]))]
                    for run in runs]

        lines = sorted(by_festival.items(), key=lambda item: min(item[1]["off"] or item[1]["work"]))
        return [{
            "festival": festival,
            "days_off": ranges(line["off"]),
            "days_off_count": len(line["off"]),
            "make_up_days": ranges(line["work"]),
        } for festival, line in lines]


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
