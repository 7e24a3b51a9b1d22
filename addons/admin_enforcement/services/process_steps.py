"""The human steps of the processes, each declared once: its code (the BPMN
form key is ``enforcement:<code>``), its label, who may complete it, the
task fields it completes with and the case method that completes it.

Who may act is part of the legal rule, so it is declared with the step and
checked by ``enforcement.task._check_can_complete`` for the button and the
server alike; the BPMN's candidate groups only decide whose task list shows
the task. The BPMN contract test checks that every user task's form key is
declared here.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


def _lt(source: str) -> str:
    """Marks a label for Odoo's term export; it is translated where it is
    shown (``env._(step.label)``), in the reader's language."""
    return source


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
    label: str
    actor: Actor
    fields: tuple[str, ...] = ()
    # The task form shows the case's current legal review (review and meeting steps).
    shows_review: bool = False

    @property
    def handler(self) -> str:
        """The enforcement.case method that checks and completes the step."""
        return f"_complete_{self.code}"


STEPS: dict[str, ProcessStep] = {step.code: step for step in (
    ProcessStep("filing_approval", _lt("Filing Approval"), Actor.AGENCY_LEADER, ("filing_approved", "approval_comment")),
    ProcessStep("team_assignment", _lt("Case Team"), Actor.AGENCY_LEADER, ("team_officer_ids",)),
    ProcessStep("investigation", _lt("Investigation"), Actor.CASE_OFFICER, ("evidence_summary",)),
    ProcessStep("investigation_report", _lt("Investigation Report"), Actor.CASE_OFFICER, (
        "investigation_conclusion", "discretion_standard_id", "discretion_tier_id", "penalty_type_ids",
        "proposed_fine", "discretion_reason", "complex_case")),
    ProcessStep("prior_notice", _lt("Prior Notice"), Actor.CASE_OFFICER, ("notice_served_at", "notice_content")),
    ProcessStep("hearing_notice", _lt("Hearing Notice"), Actor.CASE_OFFICER, ("hearing_at", "hearing_chair_id")),
    ProcessStep("hearing_record", _lt("Hearing Record"), Actor.HEARING_CHAIR, ("hearing_record",)),
    ProcessStep("decision", _lt("Decision"), Actor.AGENCY_LEADER, (
        "decision_kind", "fine_amount", "discretion_reason", "decision_returned", "return_reason")),
    ProcessStep("deadline_escalation", _lt("Decision Deadline Reached"), Actor.AGENCY_LEADER, ("extension_approved", "extension_reason")),
    ProcessStep("service", _lt("Service of the Decision"), Actor.CASE_OFFICER, ("served_at", "service_method")),
    ProcessStep("service_escalation", _lt("Service Overdue"), Actor.AGENCY_LEADER),
    ProcessStep("court_enforcement", _lt("Court Enforcement"), Actor.CASE_OFFICER, ("court_application_ref",)),
    ProcessStep("closing", _lt("Closing"), Actor.AGENCY_LEADER),
    ProcessStep("publication", _lt("Publish Decision"), Actor.AGENCY_LEADER),
    ProcessStep("legal_review", _lt("Legal Review"), Actor.LEGAL_REVIEWER, ("review_outcome", "review_opinion"), shows_review=True),
    ProcessStep("review_rework", _lt("Review Rework"), Actor.CASE_OFFICER, ("rework_outcome", "rework_note"), shows_review=True),
    ProcessStep("review_escalate", _lt("Review Consultation"), Actor.LEGAL_REVIEWER, ("consultation_outcome", "consultation_note"),
                shows_review=True),
    ProcessStep("review_overdue", _lt("Overdue Legal Review"), Actor.AGENCY_LEADER, ("review_extension_approved", "review_extension_reason"),
                shows_review=True),
    ProcessStep("collective_vote", _lt("Collective Discussion Vote"), Actor.MEETING_MEMBER, ("collective_vote", "collective_vote_opinion"),
                shows_review=True),
    ProcessStep("collective_minutes", _lt("Collective Discussion Minutes"), Actor.MEETING_MEMBER, ("collective_minutes",), shows_review=True),
    ProcessStep("collective_discussion", _lt("Collective Discussion"), Actor.AGENCY_LEADER, ("collective_decision_id",), shows_review=True),
)}
