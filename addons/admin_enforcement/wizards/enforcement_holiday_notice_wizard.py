from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..enforcement_core import holiday_notice
from ..enforcement_core.holiday_notice import HolidayNoticeError, parse_holiday_notice


class EnforcementHolidayNoticeWizard(models.TransientModel):
    """The administrator pastes the State Council holiday notice of a year the
    calendar does not know yet, checks the year on the calendar, and stores
    it: the year declared complete with the notice, its days as overrides.
    Reading the notice is the core's (enforcement_core.holiday_notice); this
    dialog only shows and stores what the core read."""

    _name = "enforcement.holiday.notice.wizard"
    _description = "Enter Holiday Notice"

    notice_text = fields.Text(
        required=True,
        help="The whole notice 国务院办公厅关于XXXX年部分节假日安排的通知, from its title to its date.",
    )
    parse_error = fields.Text(compute="_compute_notice", string="Cannot Read the Notice")
    year = fields.Integer(compute="_compute_notice")
    notice_number = fields.Char(compute="_compute_notice")
    notice_date = fields.Date(compute="_compute_notice")
    calendar_html = fields.Html(compute="_compute_notice", string="Calendar", sanitize=False)
    replace_warning = fields.Text(compute="_compute_notice", string="Year Already Stored")
    replace_existing = fields.Boolean(
        string="Replace the stored notice",
        help="The year's days from the stored notice are replaced by those of this notice.",
    )

    @api.depends("notice_text")
    def _compute_notice(self):
        for wizard in self:
            wizard.update({
                "parse_error": False, "year": 0, "notice_number": False, "notice_date": False,
                "calendar_html": False, "replace_warning": False,
            })
            if not (wizard.notice_text or "").strip():
                continue
            try:
                notice = parse_holiday_notice(wizard.notice_text)
            except HolidayNoticeError as err:
                wizard.parse_error = wizard._error_message(err)
                continue
            existing = wizard._stored_year(notice.year)
            wizard.update({
                "year": notice.year,
                "notice_number": notice.document_number,
                "notice_date": notice.issued_on,
                "calendar_html": self.env["enforcement.holiday.year"]._render_calendar(
                    notice.year, wizard._days_of(notice)),
                "replace_warning": wizard._replace_message(existing) if existing else False,
            })

    def _stored_year(self, year):
        return self.env["enforcement.holiday.year"].search([("year", "=", year)])

    @staticmethod
    def _days_of(notice):
        """(day, is_working, festival) of every day the notice lists."""
        return [(day, False, festival.festival) for festival in notice.festivals for day in festival.holidays] + [
            (day, True, festival.festival) for festival in notice.festivals for day in festival.workdays]

    def _replace_message(self, existing):
        if existing.notice and existing.notice_date:
            stored = self.env._("notice %(number)s of %(date)s", number=existing.notice,
                                date=format_date(self.env, existing.notice_date))
        elif existing.notice:
            stored = self.env._("notice %(number)s", number=existing.notice)
        else:
            stored = self.env._("entered by hand")
        return self.env._(
            "The holidays of %(year)s are already stored (%(stored)s). To replace them with this notice, "
            "tick “Replace the stored notice”: the days of the stored notice are then replaced.",
            year=existing.year, stored=stored)

    def _error_message(self, err):
        where = {"line_no": err.line_no, "line_text": err.line_text, "reason": self._reason_text(err.reason)}
        if err.fragment:
            return self.env._(
                "Line %(line_no)s of the notice cannot be read: “%(line_text)s”. %(reason)s, at “%(fragment)s”. "
                "Correct the text as in the notice published on www.gov.cn and paste it again; nothing was stored.",
                fragment=err.fragment, **where)
        return self.env._(
            "Line %(line_no)s of the notice cannot be read: “%(line_text)s”. %(reason)s. "
            "Correct the text as in the notice published on www.gov.cn and paste it again; nothing was stored.",
            **where)

    def _reason_text(self, reason):
        """The core's reason codes (holiday_notice.REASONS) in the reader's language."""
        return {
            holiday_notice.NO_TITLE: self.env._(
                "No title “关于YYYY年部分节假日安排的通知” gives the notice's year"),
            holiday_notice.NO_FESTIVAL_LINES: self.env._(
                "No numbered festival line such as “一、元旦：…” was found"),
            holiday_notice.UNREADABLE_LINE: self.env._(
                "A numbered line does not read “number、festival：arrangement”"),
            holiday_notice.UNRECOGNISED_PHRASE: self.env._(
                "A phrase with dates says neither 放假/补休 (day off) nor 上班 (working day)"),
            holiday_notice.NO_DATES: self.env._(
                "A day-off or working-day phrase holds no date written as “M月D日”"),
            holiday_notice.MISSING_MONTH: self.env._(
                "A date gives no month and no earlier date in its phrase gives one"),
            holiday_notice.INVALID_DATE: self.env._("A date does not exist"),
            holiday_notice.YEAR_OUT_OF_RANGE: self.env._(
                "A date lies outside the notice's year and the December before it"),
            holiday_notice.BAD_RANGE: self.env._("A range “A至B” does not end after it starts"),
            holiday_notice.WEEKDAY_MISMATCH: self.env._(
                "The weekday in brackets is not the weekday of the date"),
            holiday_notice.WORKDAY_NOT_WEEKEND: self.env._(
                "A make-up working day (上班) is not a Saturday or Sunday"),
            holiday_notice.TOTAL_MISMATCH: self.env._(
                "The stated number of days off (“共N天”) differs from the days listed"),
            holiday_notice.DAY_LISTED_TWICE: self.env._("A day is listed twice in the notice"),
        }[reason]

    def action_confirm(self):
        """Store the notice: the year declared complete and its days, or nothing."""
        self.ensure_one()
        # Read again: what is stored comes from the text, never from what the form last showed.
        try:
            notice = parse_holiday_notice(self.notice_text or "")
        except HolidayNoticeError as err:
            raise UserError(self._error_message(err)) from None
        year = self._stored_year(notice.year)
        if year and not self.replace_existing:
            raise UserError(self._replace_message(year))
        values = {"notice": notice.document_number, "notice_date": notice.issued_on, "notice_text": self.notice_text}
        if year:
            year.override_ids.unlink()
            year.write(values)
        else:
            year = self.env["enforcement.holiday.year"].create({"year": notice.year, **values})
        self._store_days(year, notice)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The holidays of %(year)s are stored: %(days_off)s days off and %(make_up)s make-up working "
                    "days. Deadlines in %(year)s are now computed on them.",
                    year=notice.year, days_off=len(notice.holidays), make_up=len(notice.workdays)),
                # The stored years, as a fresh screen: the dialog may have been opened from any list's banner.
                "next": dict(self.env["ir.actions.act_window"]._for_xml_id(
                    "admin_enforcement.action_enforcement_holiday_year"), target="main"),
            },
        }

    def _store_days(self, year, notice):
        """The notice's days as overrides of ``year``; a day entered by hand
        before is taken over, since the published notice is authoritative."""
        overrides = self.env["enforcement.holiday.override"]
        days = self._days_of(notice)
        by_day = {row.day: row for row in overrides.search([("day", "in", [day for day, _working, _festival in days])])}
        new_rows = []
        for day, is_working, festival in days:
            values = {"day": day, "is_working_day": is_working, "note": festival, "holiday_year_id": year.id}
            if day in by_day:
                by_day[day].write(values)
            else:
                new_rows.append(values)
        overrides.create(new_rows)
