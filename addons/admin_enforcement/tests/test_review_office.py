"""The legal review office and collective discussion in Odoo: who may
review, the checklist and opinion gates, rounds and consultation, the
members' votes, the minutes and the decision gate. The process steps are
opened as the worker opens them (from a job) and completed as a user does."""

import io
import itertools

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from ..models.enforcement_collective_decision import collective_outcome
from ..services.user_tasks import OpenedUserTask
from .master_data_common import MasterDataCommon

PREFIX = "admin_enforcement.group_enforcement_"
_job_keys = itertools.count(900_000_000)


@tagged("post_install", "-at_install")
class TestReviewOffice(MasterDataCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company_a

        def user(login, groups):
            return mail_new_test_user(
                cls.env, login=login, groups=groups, company_id=company.id, tz="Asia/Shanghai",
                company_ids=[Command.set(company.ids)], name=login,
            )

        cls.reviewer_1 = user("rv_one", f"base.group_user,{PREFIX}legal_reviewer")
        cls.reviewer_2 = user("rv_two", f"base.group_user,{PREFIX}legal_reviewer")
        # An officer who is also a legal reviewer: may review others' cases, never their own.
        cls.officer_reviewer = user("rv_officer", f"base.group_user,{PREFIX}officer,{PREFIX}legal_reviewer")
        cls.leader = user("rv_leader", f"base.group_user,{PREFIX}leader")
        cls.member_1 = user("rv_member1", f"base.group_user,{PREFIX}committee_member")
        cls.member_2 = user("rv_member2", f"base.group_user,{PREFIX}committee_member")
        for index, reviewer in enumerate((cls.reviewer_1, cls.reviewer_2, cls.officer_reviewer)):
            cls.env["enforcement.legal.reviewer"].create({
                "name": reviewer.name, "agency_id": cls.agency_a.id, "user_id": reviewer.id,
                "qualification_number": f"A2021{index:04d}", "qualification_date": "2021-09-01",
            }).action_activate()

    def _case(self, creator=None):
        return self.env["enforcement.case"].with_user(creator or self.user_officer_a).create({
            "title": "某超市销售过期食品案", "agency_id": self.agency_a.id, "party_name": "测试县某某超市有限公司",
            "category_id": self.category_market.id, "area_id": self.area_county.id,
            "officer_ids": [Command.set(self.officer_a.ids)],
        }).sudo()

    def _open_task(self, case, step_code, groups, **variables):
        opened = OpenedUserTask(
            task_id=str(next(_job_keys)), process_instance_id="pi-4242", element_id=f"Task_{step_code}",
            step_code=step_code, candidate_groups=tuple(f"{PREFIX}{g}" for g in groups), assignee=None, due=None,
            case_id=case.id, variables={"case_id": case.id, **variables},
        )
        return self.env["enforcement.task"]._open_from_engine(opened)

    def _review(self, case):
        review = self.env["enforcement.review"]._open_for_case(case, ["amount"], process_instance_key=case.id)
        return review, self._open_task(case, "legal_review", ["legal_reviewer"])

    def _complete(self, task, user, **values):
        task = task.with_user(user)
        task.write(values)
        return task.action_complete()

    def _decide_checklist(self, review, user, problems=()):
        for finding in review.finding_ids.with_user(user):
            bad = finding.item in problems
            finding.write({"result": "problem" if bad else "pass", "note": "证据链缺少现场检查笔录" if bad else False})

    # ----- assignment and separation -----

    def test_reviewer_who_handled_the_case_is_refused(self):
        """The officer who created the case is a legal reviewer too: never assigned, and refused when they try."""
        case = self._case(creator=self.officer_reviewer)
        review, task = self._review(case)
        self.assertTrue(review.reviewer_id)
        self.assertNotEqual(review.reviewer_id, self.officer_reviewer)
        with self.assertRaisesRegex(UserError, "handled or decided"):
            review.with_user(self.leader).action_assign_reviewer(self.officer_reviewer.id)
        self.assertNotEqual(review.reviewer_id, self.officer_reviewer)

    def test_reviewer_assigned_by_workload(self):
        """Each new review goes to the eligible reviewer with the fewest open reviews."""
        first, _task = self._review(self._case())
        second, _task = self._review(self._case())
        third, _task = self._review(self._case())
        self.assertEqual(len(first.reviewer_id | second.reviewer_id | third.reviewer_id), 3)

    def test_reviewer_ratio_below_minimum_blocks_assignment(self):
        """Too few reviewers for the certified officers: no assignment, and the reason is given."""
        self.agency_a.reviewer_ratio_min = 1.0
        extra = self._officer(self.agency_a, "李娜")
        self._certificate(extra, "T-A-0002")
        self._certificate(self._officer(self.agency_a, "王芳"), "T-A-0003")
        self._certificate(self._officer(self.agency_a, "赵磊"), "T-A-0004")
        review, task = self._review(self._case())
        self.assertFalse(review.reviewer_id)
        self.assertIn("below the minimum ratio", review.assignment_note)
        self._decide_checklist(review, self.reviewer_1)
        with self.assertRaisesRegex(UserError, "below the minimum ratio"):
            self._complete(task, self.reviewer_1, review_outcome="agree")
        self.assertEqual(review.state, "in_review")

    def test_unqualified_first_time_reviewer_cannot_be_assigned(self):
        newcomer = mail_new_test_user(self.env, login="rv_new", groups=f"base.group_user,{PREFIX}legal_reviewer",
                                      company_id=self.company_a.id, company_ids=[Command.set(self.company_a.ids)])
        self.env["enforcement.legal.reviewer"].create({
            "name": "新审核员", "agency_id": self.agency_a.id, "user_id": newcomer.id})  # draft: not qualified
        review, _task = self._review(self._case())
        with self.assertRaisesRegex(UserError, "not an active legal reviewer"):
            review.with_user(self.leader).action_assign_reviewer(newcomer.id)

    # ----- opinion gates -----

    def test_opinion_needs_a_complete_consistent_checklist(self):
        case = self._case()
        review, task = self._review(case)
        reviewer = review.reviewer_id
        with self.assertRaisesRegex(UserError, "Decide every checklist item"):
            self._complete(task, reviewer, review_outcome="agree")
        self._decide_checklist(review, reviewer, problems=("evidence",))
        with self.assertRaisesRegex(UserError, "cannot agree"):
            self._complete(task, reviewer, review_outcome="agree")
        with self.assertRaisesRegex(UserError, "Write the fixes"):
            self._complete(task, reviewer, review_outcome="problems", review_opinion="")
        self.assertFalse(review.round_ids, "a refused opinion changes nothing")
        self.assertEqual(task.state, "open")

    def test_only_the_assigned_reviewer_gives_the_opinion(self):
        review, task = self._review(self._case())
        other = (self.reviewer_1 | self.reviewer_2) - review.reviewer_id
        with self.assertRaises(AccessError):
            review.finding_ids[:1].with_user(other[:1]).write({"result": "pass"})
        self._decide_checklist(review, review.reviewer_id)
        with self.assertRaisesRegex(AccessError, "assigned to"):
            self._complete(task, other[:1], review_outcome="agree")

    def test_checklist_is_prefilled_from_the_case(self):
        case = self._case()
        case.write({"officer_ids": [Command.set(self.officer_a.ids)], "category_id": self.category_market.id,
                    "area_id": self.area_county.id})
        review, _task = self._review(case)
        officers = review.finding_ids.filtered(lambda f: f.item == "officers_qualified")
        self.assertEqual(officers.suggested_result, "problem", "one officer is fewer than the two required")
        self.assertIn("张伟", officers.system_note)
        self.assertEqual(officers.result, "pending", "the reviewer decides, the system only suggests")

    # ----- rounds, consultation, collective -----

    def test_returned_twice_then_agreed(self):
        case = self._case()
        review, task = self._review(case)
        reviewer = review.reviewer_id
        for round_number in (1, 2):
            self._decide_checklist(review, reviewer, problems=("evidence",))
            self._complete(task, reviewer, review_outcome="problems", review_opinion="补充现场检查笔录")
            self.assertEqual(case.review_state, "problems")
            rework = self._open_task(case, "review_rework", ["officer"])
            with self.assertRaisesRegex(UserError, "Describe the fixes"):
                self._complete(rework, self.user_officer_a, rework_outcome="fixed")
            self._complete(rework, self.user_officer_a, rework_outcome="fixed", rework_note="已补充现场检查笔录")
            self.assertIn("review_due", rework.outcome, "a resubmission restarts the time limit")
            self.assertEqual(review.state, "in_review")
            task = self._open_task(case, "legal_review", ["legal_reviewer"])
            self.assertEqual(task.user_id, reviewer)
        self._decide_checklist(review, reviewer)
        self._complete(task, reviewer, review_outcome="agree")
        self.assertEqual(review.state, "passed")
        self.assertEqual(case.review_state, "passed")
        self.assertEqual(review.round_ids.mapped("outcome"), ["problems", "problems", "agree"])
        self.assertEqual(review.round_ids[0].rework_outcome, "fixed")

    def test_disagreement_after_consultation_requires_collective_discussion(self):
        case = self._case()
        review, task = self._review(case)
        reviewer = review.reviewer_id
        self._decide_checklist(review, reviewer, problems=("law_applied",))
        self._complete(task, reviewer, review_outcome="problems", review_opinion="适用法律错误，应适用第一百二十五条")
        rework = self._open_task(case, "review_rework", ["officer"])
        self._complete(rework, self.user_officer_a, rework_outcome="disagree", rework_note="第一百二十四条更为准确")
        self.assertEqual(review.state, "consultation")
        escalate = self._open_task(case, "review_escalate", ["legal_reviewer"])
        with self.assertRaisesRegex(UserError, "what was said"):
            self._complete(escalate, reviewer, consultation_outcome="disagree")
        self._complete(escalate, reviewer, consultation_outcome="disagree", consultation_note="双方各执己见")
        self.assertEqual(review.state, "collective")
        self.assertTrue(case.collective_required)

        # No decision without the meeting's outcome.
        with self.assertRaisesRegex(ValidationError, "collective discussion"):
            case._as_step().write({"decision_kind": "no_penalty", "fine_amount": 0})

    # ----- collective discussion -----

    def _meeting(self, case, members=None):
        members = members or (self.leader | self.member_1 | self.member_2)
        return self.env["enforcement.collective.decision"].with_user(self.leader).create({
            "agency_id": self.agency_a.id, "case_ids": [Command.set(case.ids)], "chair_id": self.leader.id,
            "member_ids": [Command.set(members.ids)],
        })

    def _vote_tasks(self, meeting):
        case = meeting.case_ids[:1]
        return {
            member: self._open_task(case, "collective_vote", ["leader", "committee_member"],
                                    collective_decision_id=meeting.id, loopCounter=counter)
            for counter, member in enumerate(meeting.member_ids.sorted("id"))
        }

    def test_vote_rules(self):
        self.assertEqual(collective_outcome("majority", 5, 2, 1, 0), "adopted")
        self.assertEqual(collective_outcome("majority", 5, 1, 2, 0), "rejected")
        self.assertEqual(collective_outcome("majority", 5, 1, 0, 1), "no_quorum", "2 of 5 present")
        self.assertEqual(collective_outcome("majority", 4, 1, 1, 1, chair_vote="for"), "adopted")
        self.assertEqual(collective_outcome("majority", 4, 1, 1, 1, chair_vote="against"), "rejected")
        self.assertEqual(collective_outcome("two_thirds", 6, 2, 1, 0), "no_quorum", "3 of 6 present")
        self.assertEqual(collective_outcome("two_thirds", 6, 3, 1, 0), "adopted", "3 of 4 present is two thirds")
        self.assertEqual(collective_outcome("two_thirds", 6, 3, 2, 0), "rejected", "3 of 5 is under two thirds")
        self.assertEqual(collective_outcome("two_thirds", 6, 4, 2, 0), "adopted")

    def test_convening_needs_a_leader_and_three_members(self):
        case = self._case()
        meeting = self._meeting(case, members=self.leader | self.member_1)
        with self.assertRaisesRegex(UserError, "at least three members"):
            meeting.with_user(self.leader).action_convene()
        meeting.member_ids = [Command.link(self.member_2.id)]
        with self.assertRaises(AccessError):
            meeting.with_user(self.member_1).action_convene()
        meeting.with_user(self.leader).action_convene()
        self.assertEqual(meeting.state, "voting")
        outbox = self.env["enforcement.outbox"].search([("identity_key", "like", f"collective_convened:{meeting.id}")])
        self.assertEqual((outbox.payload["business_key"], outbox.payload["variables"]["member_count"]),
                         (meeting.name, 3))

    def test_members_vote_for_themselves_and_the_committee_votes_it_down(self):
        case = self._case()
        meeting = self._meeting(case)
        meeting.with_user(self.leader).action_convene()
        tasks = self._vote_tasks(meeting)
        self.assertEqual(tasks[self.member_1].user_id, self.member_1)
        with self.assertRaisesRegex(AccessError, "assigned to rv_member1"):
            self._complete(tasks[self.member_1], self.member_2, collective_vote="for", collective_vote_opinion="同意")
        with self.assertRaisesRegex(AccessError, "Only rv_member1 can cast"):
            self._complete(tasks[self.member_1], self.leader, collective_vote="for", collective_vote_opinion="同意")
        with self.assertRaisesRegex(UserError, "Give your opinion"):
            self._complete(tasks[self.member_1], self.member_1, collective_vote="against", collective_vote_opinion="")
        self._complete(tasks[self.member_1], self.member_1, collective_vote="against", collective_vote_opinion="事实不清")
        self._complete(tasks[self.member_2], self.member_2, collective_vote="against", collective_vote_opinion="证据不足")
        self._complete(tasks[self.leader], self.leader, collective_vote="for", collective_vote_opinion="同意处罚")
        self.assertEqual(meeting._tally(), "rejected")

        minutes = self._open_task(case, "collective_minutes", ["leader"], collective_decision_id=meeting.id)
        self.assertEqual(minutes.user_id, self.leader)
        with self.assertRaisesRegex(UserError, "Write the minutes"):
            self._complete(minutes, self.leader)
        self._complete(minutes, self.leader, collective_minutes="经讨论，多数成员认为证据不足，不同意拟处罚意见。")
        self.assertEqual(meeting.state, "signed")
        self.assertTrue(meeting.minutes_attachment_id)
        self.assertEqual(case.collective_outcome, "rejected")
        with self.assertRaises(UserError):
            meeting.with_user(self.leader).write({"minutes": "改写"})

    def test_quorum_not_reached(self):
        case = self._case()
        meeting = self._meeting(case)
        meeting.with_user(self.leader).action_convene()
        tasks = self._vote_tasks(meeting)
        with self.assertRaisesRegex(UserError, "You are taking part"):
            self._complete(tasks[self.leader], self.leader, collective_vote="absent")
        self._complete(tasks[self.leader], self.leader, collective_vote="for", collective_vote_opinion="同意")
        self._complete(tasks[self.member_1], self.leader, collective_vote="absent")
        self._complete(tasks[self.member_2], self.leader, collective_vote="absent")
        self.assertEqual(meeting._tally(), "no_quorum")
        self.assertEqual(meeting.state, "no_quorum")
        again = self.env["enforcement.collective.decision"].browse(
            meeting.with_user(self.leader).action_reconvene()["res_id"])
        self.assertEqual(again.state, "draft")
        self.assertEqual(again.case_ids, case)

    # ----- dashboard -----

    def test_dashboard_exports_reviews_and_workload(self):
        review, _task = self._review(self._case())
        action = review.with_user(self.reviewer_1).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        book = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(book.sheetnames, ["Reviews", "Outcomes by Category", "Reviewer Workload"])
        rows = list(book["Reviews"].values)
        self.assertEqual(rows[1][0], review.case_id.name)
        workload = {row[0]: row[1] for row in list(book["Reviewer Workload"].values)[1:]}
        self.assertEqual(workload[review.reviewer_id.name], 1)
