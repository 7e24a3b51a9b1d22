"""Entering next year's holidays from the pasted State Council notice, the way
the bureau administrator does it: paste, check the year on the calendar,
confirm. Until then deadlines running into that year cannot be computed, and
from November on administrators and leaders are warned.

chinesecalendar (pinned) knows the years up to 2026, so 2027 is the year the
bureau has to enter; NOTICE_2027 is a plausible notice in the layout of the
real 2026 one (tests/unit/fixtures/holiday_notices/2026.txt).
"""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, TransactionCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user
from .chinese import load_chinese

NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕9号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）、5月8日（周六）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
鼓励单位和个人结合落实带薪年休假等制度，实际形成较长假期，推动错峰出行。

国务院办公厅
2026年11月6日
"""
DAYS_OFF_2027 = 3 + 9 + 3 + 5 + 1 + 1 + 7
MAKE_UP_DAYS_2027 = 6
# The same notice as corrected: the Dragon Boat Festival becomes a three-day weekend.
NOTICE_2027_CORRECTED = NOTICE_2027.replace(
    "五、端午节：6月9日（周三）放假，共1天。",
    "五、端午节：6月12日（周六）至14日（周一）放假，共3天。",
)
# Line 8 as typed with a wrong weekday: 4 April 2027 is a Sunday.
NOTICE_2027_MISTYPED = NOTICE_2027.replace("4月3日（周六）", "4月3日（周日）")


@tagged("post_install", "-at_install")
class TestHolidayNoticeWizard(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai"))
        prefix = "admin_enforcement.group_enforcement_"

        def user(login, role):
            return mail_new_test_user(cls.env, login=login, groups=f"base.group_user,{prefix}{role}",
                                      name=login, tz="Asia/Shanghai", lang="zh_CN")

        cls.user_admin = user("holiday_admin", "admin")
        cls.user_leader = user("holiday_leader", "leader")
        cls.user_officer = user("holiday_officer", "officer")
        cls.calendar = cls.env["enforcement.calendar"]

    def _paste(self, text, user=None):
        """The wizard as the administrator opens it from the menu, with the notice pasted."""
        action = self.env.ref("admin_enforcement.action_enforcement_holiday_notice_wizard")
        wizard = Form(self.env[action.res_model].with_user(user or self.user_admin).with_context(lang="zh_CN"))
        wizard.notice_text = text
        return wizard

    def _stored(self):
        return (self.env["enforcement.holiday.year"].search_count([]),
                self.env["enforcement.holiday.override"].search_count([]))

    def test_confirmed_notice_makes_deadlines_in_2027_computable(self):
        with self.assertRaisesRegex(UserError, "2027"):
            self.calendar._due_date("service", date(2027, 2, 3))

        wizard = self._paste(NOTICE_2027)
        self.assertEqual(wizard.year, 2027)
        self.assertEqual(wizard.notice_number, "国办发明电〔2026〕9号")
        self.assertEqual(wizard.notice_date, date(2026, 11, 6))
        self.assertFalse(wizard.parse_error)
        # The year as a calendar, in Chinese: every month, the days off and make-up days marked.
        for shown in ("2027年1月", "2027年12月", "春节", "国庆节", "休", "班"):
            self.assertIn(shown, wizard.calendar_html)
        wizard.save().action_confirm()

        year = self.env["enforcement.holiday.year"].search([("year", "=", 2027)])
        self.assertEqual((year.notice, year.notice_date, year.notice_text),
                         ("国办发明电〔2026〕9号", date(2026, 11, 6), NOTICE_2027))
        self.assertEqual(len(year.override_ids.filtered(lambda row: not row.is_working_day)), DAYS_OFF_2027)
        self.assertEqual(len(year.override_ids.filtered("is_working_day")), MAKE_UP_DAYS_2027)
        self.assertEqual(year.override_ids.filtered(lambda row: row.day == date(2027, 2, 20)).note, "春节")
        # 7 working days from Wednesday 3 February: the 4th, then the Spring Festival
        # break until the 13th, the 15th-19th, and the make-up Saturday the 20th.
        self.assertEqual(self.calendar._due_date("service", date(2027, 2, 3)), date(2027, 2, 20))
        # Across National Day: the make-up Sunday 26 September, 27-30 September, 8 October, Saturday 9 October.
        self.assertEqual(self.calendar._due_date("service", date(2027, 9, 24)), date(2027, 10, 9))
        # A year declared complete: an ordinary Monday in December is a working day.
        self.assertEqual(self.calendar._add_working_days(date(2027, 12, 10), 1), date(2027, 12, 13))

    def test_storing_a_year_again_must_be_asked_for_and_replaces_its_days(self):
        self._paste(NOTICE_2027).save().action_confirm()

        wizard = self._paste(NOTICE_2027_CORRECTED)
        self.assertIn("国办发明电〔2026〕9号", wizard.replace_warning)
        self.assertIn("替换", wizard.replace_warning)
        with self.assertRaisesRegex(UserError, "2027 年的节假日已录入.*国办发明电〔2026〕9号.*替换"):
            wizard.save().action_confirm()
        self.assertEqual(self.calendar._add_working_days(date(2027, 6, 11), 1), date(2027, 6, 14),
                         msg="the first notice stays until the replacement is asked for")

        wizard.replace_existing = True
        wizard.save().action_confirm()
        year = self.env["enforcement.holiday.year"].search([("year", "=", 2027)])
        self.assertEqual(year.notice_text, NOTICE_2027_CORRECTED)
        self.assertFalse(year.override_ids.filtered(lambda row: row.day == date(2027, 6, 9)),
                         "the day off of the replaced notice is gone")
        self.assertEqual(len(year.override_ids), DAYS_OFF_2027 + 2 + MAKE_UP_DAYS_2027)
        self.assertEqual(self.calendar._add_working_days(date(2027, 6, 11), 1), date(2027, 6, 15))
        self.assertEqual(self.calendar._add_working_days(date(2027, 6, 8), 1), date(2027, 6, 9))

    def test_malformed_notice_is_refused_in_chinese_naming_the_line_and_stores_nothing(self):
        before = self._stored()
        wizard = self._paste(NOTICE_2027_MISTYPED)
        expected = r"第 8 行.*三、清明节：4月3日（周日）.*括号中的星期与日期不符.*4月3日\(周日\)"
        self.assertRegex(wizard.parse_error, expected)
        self.assertNotIn("weekday", wizard.parse_error, "the core's English reason is never shown")
        with self.assertRaisesRegex(UserError, expected):
            wizard.save().action_confirm()
        self.assertEqual(self._stored(), before)
        with self.assertRaisesRegex(UserError, "2027"):
            self.calendar._due_date("service", date(2027, 2, 3))

    def test_every_reason_of_the_parser_has_a_chinese_text(self):
        from ..enforcement_core.holiday_notice import REASONS

        wizard = self.env["enforcement.holiday.notice.wizard"].with_context(lang="zh_CN")
        for reason, english in REASONS.items():
            with self.subTest(reason=reason):
                chinese = wizard._reason_text(reason)
                self.assertNotEqual(chinese, english)
                self.assertRegex(chinese, r"[\u4e00-\u9fff]")

    def test_text_without_title_is_refused(self):
        wizard = self._paste("一、元旦：1月1日放假。")
        self.assertRegex(wizard.parse_error, "第 1 行.*一、元旦：1月1日放假。.*标题")
        self.assertFalse(wizard.year)

    def test_only_the_administrator_may_enter_a_notice(self):
        before = self._stored()
        for user in (self.user_leader, self.user_officer):
            with self.subTest(user=user.login):
                wizards = self.env["enforcement.holiday.notice.wizard"].with_user(user)
                with self.assertRaises(AccessError):
                    wizards.create({"notice_text": NOTICE_2027})
                admin_wizard = self.env["enforcement.holiday.notice.wizard"].with_user(self.user_admin).create(
                    {"notice_text": NOTICE_2027})
                with self.assertRaises(AccessError):
                    admin_wizard.with_user(user).action_confirm()
        self.assertEqual(self._stored(), before)


@tagged("post_install", "-at_install")
class TestNextYearHolidayWarning(TransactionCase):
    """From November on, administrators and leaders are told while next year's holidays are missing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tz="Asia/Shanghai"))
        prefix = "admin_enforcement.group_enforcement_"

        def user(login, role):
            return mail_new_test_user(cls.env, login=login, groups=f"base.group_user,{prefix}{role}",
                                      name=login, tz="Asia/Shanghai")

        cls.user_admin = user("warned_admin", "admin")
        cls.user_leader = user("warned_leader", "leader")
        cls.user_officer = user("warned_officer", "officer")

    def _warning(self, user):
        return self.env["enforcement.holiday.year"].with_user(user).holiday_notice_warning()

    def test_warning_from_november_for_a_missing_next_year(self):
        # 1 November 00:30 in Beijing is still 31 October in UTC: the bureau's day counts.
        with freeze_time("2026-10-31 16:30:00"):
            admin_warning = self._warning(self.user_admin)
            leader_warning = self._warning(self.user_leader)
            officer_warning = self._warning(self.user_officer)
        self.assertIn("2027", admin_warning["message"])
        self.assertEqual(admin_warning["action"], "admin_enforcement.action_enforcement_holiday_notice_wizard")
        self.assertIn("2027", leader_warning["message"])
        self.assertFalse(leader_warning["action"], "a leader cannot enter the notice, only ask for it")
        self.assertFalse(officer_warning)

    def test_no_warning_in_october(self):
        with freeze_time("2026-10-31 15:30:00"):  # 23:30 on 31 October in Beijing
            self.assertFalse(self._warning(self.user_admin))
            self.assertFalse(self._warning(self.user_leader))

    def test_no_warning_once_the_year_is_stored_or_known(self):
        with freeze_time("2026-11-20 02:00:00"):
            self.env["enforcement.holiday.notice.wizard"].with_user(self.user_admin).create(
                {"notice_text": NOTICE_2027}).action_confirm()
            self.assertFalse(self._warning(self.user_admin))
            self.assertFalse(self._warning(self.user_leader))
        with freeze_time("2025-11-20 02:00:00"):
            self.assertFalse(self._warning(self.user_admin), "chinesecalendar knows 2026")
