"""The human steps of the processes: for each form key, who may complete it
and the task fields it completes with.

Who may act is part of the legal rule, so it is declared with the step and
checked by ``enforcement.task._check_can_complete`` for the button and the
server alike; the BPMN's candidate groups only decide whose task list shows
the task. The BPMN contract test checks that every user task's form key is
declared here.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Actor(str, Enum):
    # 持证上岗: an officer on the case's team whose certificate, at the moment
    # of acting, is valid and covers the case's category and area.
    CASE_OFFICER = "case_officer"
    # A leader of the case's agency (立案审批, 决定, 结案 ...).
    AGENCY_LEADER = "agency_leader"
    # An active, qualified legal reviewer of the case's agency; the review
    # steps then check the assigned reviewer and 办审分离.
    LEGAL_REVIEWER = "legal_reviewer"
    # The hearing chair named in the hearing notice (not an investigator).
    HEARING_CHAIR = "hearing_chair"
    # The meeting member or chair the collective-discussion task was given
    # to, or a leader of the agency recording that a member was absent.
    MEETING_MEMBER = "meeting_member"


@dataclass(frozen=True)
class ProcessStep:
    code: str
    actor: Actor
    fields: tuple[str, ...] = ()
    # The task form shows the case's current legal review (review and meeting steps).
    shows_review: bool = False


STEPS: dict[str, ProcessStep] = {step.code: step for step in (
    ProcessStep("filing_approval", Actor.AGENCY_LEADER, ("filing_approved", "approval_comment")),
    ProcessStep("team_assignment", Actor.AGENCY_LEADER, ("team_officer_ids",)),
    ProcessStep("investigation", Actor.CASE_OFFICER, ("evidence_summary",)),
    ProcessStep("investigation_report", Actor.CASE_OFFICER, (
        "investigation_conclusion", "discretion_standard_id", "discretion_tier_id", "penalty_type_ids",
        "proposed_fine", "discretion_reason", "complex_case")),
    ProcessStep("prior_notice", Actor.CASE_OFFICER, ("notice_served_at", "notice_content")),
    ProcessStep("hearing_notice", Actor.CASE_OFFICER, ("hearing_at", "hearing_chair_id")),
    ProcessStep("hearing_record", Actor.HEARING_CHAIR, ("hearing_record",)),
    ProcessStep("decision", Actor.AGENCY_LEADER, (
        "decision_kind", "fine_amount", "discretion_reason", "decision_returned", "return_reason")),
    ProcessStep("deadline_escalation", Actor.AGENCY_LEADER, ("extension_approved", "extension_reason")),
    ProcessStep("service", Actor.CASE_OFFICER, ("served_at", "service_method")),
    ProcessStep("service_escalation", Actor.AGENCY_LEADER),
    ProcessStep("court_enforcement", Actor.CASE_OFFICER, ("court_application_ref",)),
    ProcessStep("closing", Actor.AGENCY_LEADER),
    ProcessStep("publication", Actor.AGENCY_LEADER),
    ProcessStep("legal_review", Actor.LEGAL_REVIEWER, ("review_outcome", "review_opinion"), shows_review=True),
    ProcessStep("review_rework", Actor.CASE_OFFICER, ("rework_outcome", "rework_note"), shows_review=True),
    ProcessStep("review_escalate", Actor.LEGAL_REVIEWER, ("consultation_outcome", "consultation_note"),
                shows_review=True),
    ProcessStep("review_overdue", Actor.AGENCY_LEADER, ("review_extension_approved", "review_extension_reason"),
                shows_review=True),
    ProcessStep("collective_vote", Actor.MEETING_MEMBER, ("collective_vote", "collective_vote_opinion"),
                shows_review=True),
    ProcessStep("collective_minutes", Actor.MEETING_MEMBER, ("collective_minutes",), shows_review=True),
    ProcessStep("collective_discussion", Actor.AGENCY_LEADER, ("collective_decision_id",), shows_review=True),
)}
