"""Decision publication (事后公开): deadlines, redaction, the publisher's
confirmation, withdrawal, publication periods and the public lists. Each
gate is tried the way a user or an RPC client could try to skip it."""
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from ..enforcement_core.china_clock import china_today

BPMN_DIR = Path(__file__).resolve().parents[3] / "bpmn"

PERSON = "张建华"
PERSON_ID = "330127198503124518"
PERSON_MOBILE = "13957112345"
PERSON_ADDRESS = "浙江省杭州市城关县城关镇解放路128号3单元502室"
WITNESS = "欧阳娜娜"


def setup_portal_fixture(cls):
    """An agency with a leader and an officer, and one decision of a natural person."""
    cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, tz="Asia/Shanghai"))
    cls.company = cls.env["res.company"].create({"name": "公示测试局"})
    cls.agency = cls.env["enforcement.agency"].create({
        "name": "公示测试县市场监督管理局", "short_name": "公示", "company_id": cls.company.id,
    })
    prefix = "admin_enforcement.group_enforcement_"

    def user(login, group):
        return mail_new_test_user(cls.env, login=login, groups=f"base.group_user,{prefix}{group}",
                                  company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)],
                                  name=login, tz="Asia/Shanghai")

    cls.officer = user("pub_officer", "officer")
    cls.leader = user("pub_leader", "leader")
    cls.bureau_admin = user("pub_admin", "admin")
    cls.supervisor = user("pub_supervisor", "supervisor")


def person_decision_values(cls, **overrides):
    return {
        "agency_id": cls.agency.id,
        "title": f"{PERSON}未取得食品经营许可从事餐饮服务案",
        "decision_number": "公示市监处罚〔2026〕0001号",
        "decision_category": "penalty",
        "decided_on": date(2026, 11, 2),
        "party_type": "person",
        "party_name": PERSON,
        "party_id_number": PERSON_ID,
        "party_address": PERSON_ADDRESS,
        "other_person_names": WITNESS,
        "conclusion": "没收违法所得人民币3260元，并处罚款人民币50000元。",
        "full_text": (f"当事人：{PERSON}，身份证号码{PERSON_ID}，住址{PERSON_ADDRESS}，电话{PERSON_MOBILE}。"
                      f"证人{WITNESS}证实当事人无证经营。商业秘密：配方A-17。"),
        **overrides,
    }


@tagged("post_install", "-at_install")
class TestPublication(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_portal_fixture(cls)
        cls.Publication = cls.env["enforcement.publication"]
        cls.env["enforcement.publication.policy"].create({
            "company_id": cls.company.id, "decision_category": "penalty", "full_text": True, "period_months": 36,
        })

    def _publication(self, **overrides):
        return self.Publication.with_user(self.officer).create(person_decision_values(self, **overrides))

    def _publish(self, publication):
        publication.with_user(self.officer).action_confirm_redaction()
        publication.with_user(self.leader).action_publish()
        return publication

    # ----- deadlines -----

    def test_publish_deadline_is_7_working_days_for_penalties_and_20_for_others(self):
        """Decided Monday 2 Nov 2026: 7 working days → Wed 11 Nov; 20 → Mon 30 Nov (no holiday between)."""
        self.assertEqual(self._publication().publish_due, date(2026, 11, 11))
        licence = self._publication(decision_number="公示许可〔2026〕1号", decision_category="licence")
        self.assertEqual(licence.publish_due, date(2026, 11, 11))
        other = self._publication(decision_number="公示其他〔2026〕1号", decision_category="other")
        self.assertEqual(other.publish_due, date(2026, 11, 30))

    def test_publish_deadline_counts_chinese_holidays(self):
        """Decided Wed 30 Sep 2026: the National Day holiday is not counted, so 7 working days end after it."""
        due = self._publication(decided_on=date(2026, 9, 30)).publish_due
        self.assertGreater(due, date(2026, 10, 9))
        self.assertEqual(due, self.env["enforcement.calendar"]._due_date("publication_penalty", date(2026, 9, 30)))

    def test_publish_deadline_is_configurable(self):
        self.env["enforcement.period.override"].create({
            "code": "publication_penalty", "amount": 5, "unit": "working",
        })
        self.assertEqual(self._publication().publish_due, date(2026, 11, 9))

    def test_overdue_publication_is_found_by_the_overdue_filter(self):
        late = self._publication()
        on_time = self._publication(decision_number="公示市监处罚〔2026〕0002号",
                                    decided_on=china_today())
        overdue = self.Publication.search([("is_overdue", "=", True), ("company_id", "=", self.company.id)])
        self.assertIn(late, overdue)
        self.assertNotIn(on_time, overdue)
        self._publish(late)
        self.assertFalse(late.is_overdue, "a published decision is no longer overdue")

    # ----- redaction -----

    def test_the_supervisor_reads_the_published_decision_not_the_partys_identity(self):
        publication = self._publish(self._publication())
        seen = publication.with_user(self.supervisor)
        self.assertEqual(seen.public_party, "张某某")
        self.assertEqual(seen.decision_number, publication.decision_number)
        for name in ("party_id_number", "party_address", "other_person_names", "other_addresses", "full_text",
                     "redaction_log", "redaction_summary"):
            with self.subTest(field=name), self.assertRaises(AccessError):
                seen.read([name])
        self.assertNotIn(PERSON_ID, str(seen.read([])))
        self.assertEqual(publication.with_user(self.officer).party_id_number, PERSON_ID)

    def test_redaction_hides_personal_data_and_keeps_the_surname(self):
        publication = self._publication()
        public = "\n".join([publication.public_title, publication.public_party, publication.public_conclusion,
                            publication.public_text])
        for secret in (PERSON, PERSON_ID, PERSON_MOBILE, "解放路128号", WITNESS):
            self.assertNotIn(secret, public)
        self.assertEqual(publication.public_party, "张某某")
        self.assertIn("欧阳某某", publication.public_text)
        self.assertIn("浙江省杭州市城关县", publication.public_text, "the district of an address stays")
        self.assertIn(PERSON_ID, publication.redaction_summary, "the publisher sees what was hidden")

    def test_publisher_marks_more_to_hide(self):
        publication = self._publication()
        self.assertIn("配方A-17", publication.public_text)
        publication.with_user(self.officer).write({"marked_phrases": "配方A-17"})
        self.assertNotIn("配方A-17", publication.public_text)

    def test_confirmation_refuses_an_address_written_differently(self):
        """The decision names the street without the province: redaction cannot match it, the gate does."""
        publication = self._publication(full_text="当事人在城关镇解放路128号3单元502室经营。")
        with self.assertRaisesRegex(UserError, "城关镇解放路128号3单元502室"):
            publication.with_user(self.officer).action_confirm_redaction()
        self.assertFalse(publication.redaction_confirmed)
        publication.with_user(self.officer).write({"other_addresses": "城关镇解放路128号3单元502室"})
        publication.with_user(self.officer).action_confirm_redaction()
        self.assertNotIn("解放路", publication.public_text)

    def test_full_text_only_when_the_policy_says_so(self):
        publication = self._publication(decision_category="other", decision_number="公示其他〔2026〕2号")
        self.assertFalse(publication.public_text)

    def test_organisation_names_stay_but_their_people_are_hidden(self):
        publication = self._publication(
            party_type="organisation", party_name="城关县张建华食品店", party_id_number="91330127MA2B3C4D5E",
            title="城关县张建华食品店销售过期食品案", full_text="法定代表人张建华，电话0571-63321188。",
            other_person_names=PERSON)
        self.assertEqual(publication.public_party, "城关县张建华食品店")
        self.assertIn("城关县张建华食品店", publication.public_title)
        self.assertIn("法定代表人张某某", publication.public_text)
        self.assertNotIn("63321188", publication.public_text)

    # ----- publishing gates -----

    def test_publishing_needs_the_confirmed_redaction(self):
        publication = self._publication()
        with self.assertRaisesRegex(UserError, "confirm the redacted text"):
            publication.with_user(self.leader).action_publish()
        self.assertEqual(publication.state, "draft")

    def test_changing_the_decision_voids_the_confirmation(self):
        publication = self._publication()
        publication.with_user(self.officer).action_confirm_redaction()
        publication.with_user(self.officer).write({"conclusion": f"{PERSON}被罚款人民币50000元。"})
        self.assertFalse(publication.redaction_confirmed)
        self.assertNotIn(PERSON, publication.public_conclusion)
        with self.assertRaises(UserError):
            publication.with_user(self.leader).action_publish()

    def test_public_text_cannot_be_written_directly(self):
        """An RPC client cannot put unredacted text or a fake confirmation in the public fields."""
        publication = self._publication()
        for vals in ({"public_party": PERSON}, {"redaction_confirmed": True}, {"state": "published"},
                     {"period_end": "2099-01-01"}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "change only through its buttons"):
                publication.with_user(self.officer).write(vals)
        self.assertEqual(publication.public_party, "张某某")

    def test_state_moves_only_through_the_transitions(self):
        """Not even the superuser moves the state with write(); the transitions'
        own writer takes state fields only, so it cannot slip content past the freeze."""
        publication = self._publish(self._publication())
        with self.assertRaisesRegex(UserError, "change only through its buttons"):
            publication.sudo().write({"state": "draft"})
        with self.assertRaisesRegex(ValueError, "party_name"):
            publication.sudo()._write_state({"state": "withdrawn", "party_name": "张三"})
        self.assertEqual((publication.state, publication.party_name), ("published", PERSON))

    def test_only_a_leader_publishes(self):
        publication = self._publication()
        publication.with_user(self.officer).action_confirm_redaction()
        with self.assertRaises(AccessError):
            publication.with_user(self.officer).action_publish()
        self.assertEqual(publication.state, "draft")

    def test_published_content_is_frozen(self):
        publication = self._publish(self._publication())
        self.assertEqual(publication.state, "published")
        self.assertEqual(publication.period_end, publication.published_on + relativedelta(months=36, days=-1))
        with self.assertRaisesRegex(UserError, "no longer a draft"):
            publication.with_user(self.officer).write({"party_name": "张三"})

    # ----- withdrawal and periods -----

    def test_withdrawal_needs_a_reason_and_is_due_within_3_working_days(self):
        publication = self._publish(self._publication())
        with self.assertRaisesRegex(UserError, "reason"):
            publication.with_user(self.leader).action_withdraw()
        publication._request_withdrawal("revoked", "复议撤销")
        self.assertEqual(publication.withdrawal_due, self.env["enforcement.calendar"]._due_date(
            "withdrawal", publication.withdrawal_requested_on))
        publication.with_user(self.leader).action_withdraw()
        self.assertEqual(publication.state, "withdrawn")
        public_ids = self.Publication.sudo().search(self.Publication._public_domain()).ids
        self.assertNotIn(publication.id, public_ids)
        notice = self.Publication._public_withdrawn_notice(publication.id)
        self.assertNotIn("conclusion", notice)
        self.assertEqual(notice["decision_number"], publication.decision_number)

    def test_withdrawal_not_done_in_time_is_overdue(self):
        publication = self._publish(self._publication())
        publication._request_withdrawal("illegal")
        later = publication.with_context(date=publication.withdrawal_due + timedelta(days=1))
        self.assertTrue(later.is_overdue)

    def test_minor_penalties_end_after_their_shorter_period(self):
        self.env["enforcement.publication.policy"].create({
            "company_id": self.company.id, "decision_category": "penalty", "severity": "minor", "period_months": 3,
        })
        publication = self._publish(self._publication(severity="minor"))
        self.assertEqual(publication.period_end, publication.published_on + relativedelta(months=3, days=-1))
        on_last_day = self.Publication.with_context(date=publication.period_end)
        self.assertTrue(on_last_day._public_read([("id", "=", publication.id)]))
        # The day after, it is no longer served, even before the daily cron marks it ended.
        day_after = self.Publication.with_context(date=publication.period_end + timedelta(days=1))
        self.assertFalse(day_after._public_read([("id", "=", publication.id)]))

    def test_cron_ends_publication_periods(self):
        publication = self._publish(self._publication())
        self.env.flush_all()
        self.env.cr.execute("UPDATE enforcement_publication SET period_end = %s WHERE id = %s",
                            [date(2020, 1, 1), publication.id])
        publication.invalidate_recordset()
        self.assertNotIn(publication, self.Publication.sudo().search(self.Publication._public_domain()))
        self.Publication._cron_end_publication_periods()
        self.assertEqual(publication.state, "expired")

    # ----- from the process -----

    def test_create_for_case_is_idempotent_and_follows_the_policy(self):
        case = self.env["enforcement.case"].create({
            "title": "某超市销售过期食品案", "agency_id": self.agency.id, "party_name": "城关县某超市有限公司",
            "facts": "法定代表人电话13900001111。",
        })
        first = self.Publication._create_for_case(case, "penalty", date(2026, 11, 2), "公示市监处罚〔2026〕0100号")
        again = self.Publication._create_for_case(case, "penalty", date(2026, 11, 2), "公示市监处罚〔2026〕0100号")
        self.assertEqual(first, again)
        self.assertEqual(first.party_type, "organisation")
        self.assertEqual(first.publish_due, date(2026, 11, 11))
        self.env["enforcement.publication.policy"].create({
            "company_id": self.company.id, "decision_category": "other", "publish": False,
        })
        self.assertFalse(self.Publication._create_for_case(case, "no_penalty", date(2026, 11, 2), "公示不罚〔2026〕1号"))

    def test_publishing_is_a_process_step_with_the_deadline(self):
        """Opening a case's publication queues the publisher's task (its own
        process, deadline = publish-by date), and that task cannot be closed
        while the decision is not on the portal."""
        case = self.env["enforcement.case"].create({
            "title": "某超市销售过期食品案", "agency_id": self.agency.id, "party_name": "城关县某超市有限公司",
        })
        publication = self.Publication._create_for_case(case, "penalty", date(2026, 11, 2), "公示市监处罚〔2026〕0101号")
        publication._open_publishing_task()
        start = self.env["enforcement.outbox"].search([("identity_key", "=", f"message:publication_opened:{publication.id}")])
        self.assertEqual(start.payload["name"], "enforcement.publication_opened")
        self.assertEqual(start.payload["variables"]["publish_due"], "2026-11-11T23:59:59+08:00")

        with self.assertRaisesRegex(UserError, "before closing this task"):
            case._complete_publication(self.env["enforcement.task"], {})
        self._publish(publication)
        self.assertEqual(case._complete_publication(self.env["enforcement.task"], {}), {"publication_done": True})

    # ----- lists and flowcharts -----

    def test_lists_are_versioned(self):
        Versions = self.env["enforcement.publication.list.version"]
        first = Versions.with_user(self.bureau_admin)._publish_lists(self.agency, ["matters"])
        self.assertEqual(first.version, 1)
        self.assertFalse(Versions._publish_lists(self.agency, ["matters"]), "an unchanged list is not republished")
        self.env["enforcement.matter"].create({
            "code": "GS-001", "name": "对未取得食品经营许可从事食品经营活动的行政处罚", "category": "penalty",
            "agency_id": self.agency.id, "effective_from": date(2020, 1, 1),
        })
        second = Versions._publish_lists(self.agency, ["matters"])
        self.assertEqual(second.version, 2)
        self.assertTrue(first.effective_to, "the earlier version is closed and kept")
        self.assertEqual(second.content["rows"][0]["code"], "GS-001")
        with self.assertRaises(UserError):
            first.write({"content": {"columns": [], "rows": []}})
        with self.assertRaises(AccessError):
            Versions.with_user(self.officer)._publish_lists(self.agency, ["matters"])

    def test_flowchart_is_drawn_from_the_recorded_deployment(self):
        Definitions = self.env["enforcement.process.definition"]
        xml = (BPMN_DIR / "penalty_ordinary.bpmn").read_text()
        processes = [{"bpmn_process_id": "enforcement_penalty_ordinary", "version": 7, "xml": xml,
                      "resource_name": "penalty_ordinary.bpmn", "process_definition_key": "2251799813685249"}]
        with self.assertRaises(AccessError):
            Definitions.with_user(self.officer).record_deployment(processes)
        ids = Definitions.with_user(self.bureau_admin).record_deployment(processes)
        self.assertEqual(ids, Definitions.record_deployment(processes), "recording again changes nothing")
        svg = Definitions.browse(ids)._render_svg()
        self.assertTrue(svg.startswith("<svg"))
        self.assertIn("启动决定公示", svg)
        self.assertIn('data-id="Task_CreatePublication"', svg)
        self.assertIn("marker-end", svg)
