"""The human steps of the processes, each declared once: its code (the BPMN
form key is ``enforcement:<code>``), its label, who may complete it, the
fields of its part of the task form (with their display rules), the model
whose record the task belongs to (its *subject*: the case by default, or an
inspection plan, an inspection, a statistics report) and that record's method
that completes it.

Who may act is part of the legal rule, so it is declared with the step and
checked by ``enforcement.task._check_can_complete`` for the button and the
server alike; the BPMN's candidate groups only decide whose task list shows
the task. The task form's step section is built from these declarations
(``enforcement.task._get_view``): one group per step, titled with its label.
The BPMN contract test checks that every user task's form key is declared
here, and the Odoo tests that the form shows exactly what is declared.
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
    # One of the inspectors drawn (or named) for the inspection, whose
    # certificate is valid at the moment of acting and covers its category
    # and the party's area (持证上岗).
    INSPECTOR = "inspector"


# The default subject of a step: the case of a case's procedure.
CASE_MODEL = "enforcement.case"

# Per subject model, the process variables that identify its record, the
# first one preferred (the task list reads them from the engine; the model's
# ``_task_subject_from_variables`` finds the record). A new subject model adds
# its line here, in a block of its own.
SUBJECT_VARIABLES: dict[str, tuple[str, ...]] = {
    CASE_MODEL: ("case_id",),
    # Random inspection (双随机、一公开): a plan, and one inspection (drawn:
    # its plan and draw position, the call activity's loop counter).
    "enforcement.inspection.plan": ("plan_id",),
    "enforcement.inspection": ("inspection_id", "plan_id", "inspection_index"),
    # statutory statistics reports (执法数据报送)
    "enforcement.statistics.report": ("statistics_report_id",),
}


# Read-only once the task is closed: what every step field was on the form.
WHILE_OPEN = "state != 'open'"
PENALTY_PROPOSED = "investigation_conclusion != 'penalty'"
PENALTY_DECIDED = "decision_returned or decision_kind != 'penalty'"


@dataclass(frozen=True)
class StepField:
    """One field of a step on the task form, with its display rules.

    Expressions (``invisible``, ``required``, ``readonly``) are Odoo view
    expressions over the task's fields. ``completes`` fields are filled in by
    the person completing the step and handed to the step's handler; the
    others are shown to decide (the case's facts, a checklist), not handed on.
    """

    name: str
    completes: bool = True
    invisible: str = ""
    required: str = ""
    # Default: a completing field is read-only once the task is closed, a
    # shown field always.
    readonly: str = ""
    widget: str = ""
    # Marked with _lt: translated where the form is built, in the reader's language.
    placeholder: str = ""
    options: str = ""
    domain: str = ""
    css_class: str = ""
    # An x2many shown as a table across the group, through this list view (xmlid).
    list_view: str = ""

    @property
    def readonly_expr(self) -> str:
        return self.readonly or (WHILE_OPEN if self.completes else "1")


def shown(name: str, **rules) -> StepField:
    """A field shown to decide the step, not filled in by it."""
    return StepField(name, completes=False, **rules)


@dataclass(frozen=True)
class ProcessStep:
    code: str
    label: str
    actor: Actor
    # The step's part of the task form, in order; a plain name is a field
    # filled in with no other rule.
    form: tuple[StepField | str, ...] = ()
    # The task shows the case's current legal review (review and meeting steps).
    shows_review: bool = False
    # The model of the record the task belongs to; that record's ``handler``
    # completes the step and its ``_check_step_actor`` says who may act.
    subject: str = CASE_MODEL

    def __post_init__(self):
        object.__setattr__(self, "form", tuple(
            StepField(f) if isinstance(f, str) else f for f in self.form))
        names = [f.name for f in self.form]
        if len(set(names)) != len(names):
            raise ValueError(f"step {self.code} shows a field twice: {names}")
        if self.subject not in SUBJECT_VARIABLES:
            raise ValueError(f"step {self.code}: subject {self.subject} has no SUBJECT_VARIABLES entry")

    @property
    def fields(self) -> tuple[str, ...]:
        """The task fields the step completes with, handed to its handler."""
        return tuple(f.name for f in self.form if f.completes)

    @property
    def handler(self) -> str:
        """The subject's method that checks and completes the step
        (``enforcement.case._complete_<code>`` for a case's step)."""
        return f"_complete_{self.code}"


STEPS: dict[str, ProcessStep] = {step.code: step for step in (
    ProcessStep("filing_approval", _lt("Filing Approval"), Actor.AGENCY_LEADER, (
        shown("case_party_type"), shown("case_category_id"), shown("case_area_id"), shown("case_facts"),
        shown("case_evidence_summary", invisible="not case_evidence_summary"),
        "filing_approved",
        StepField("approval_comment", placeholder=_lt("Opinion of the leader; required when the case is not filed")),
    )),
    ProcessStep("team_assignment", _lt("Case Team"), Actor.AGENCY_LEADER, (
        shown("case_team_problems", css_class="text-danger", invisible="not case_team_problems"),
        StepField("team_officer_ids", widget="many2many_tags", options="{'no_create': True}"),
    )),
    ProcessStep("investigation", _lt("Investigation"), Actor.CASE_OFFICER, (
        StepField("evidence_summary",
                  placeholder=_lt("Inquiry records, inspection records, samples, documents collected")),
    )),
    ProcessStep("investigation_report", _lt("Investigation Report"), Actor.CASE_OFFICER, (
        StepField("investigation_conclusion", widget="radio"),
        StepField("discretion_standard_id", invisible=PENALTY_PROPOSED, options="{'no_create': True}"),
        StepField("discretion_tier_id", invisible=PENALTY_PROPOSED, options="{'no_create': True}"),
        StepField("penalty_type_ids", invisible=PENALTY_PROPOSED, widget="many2many_tags"),
        StepField("proposed_fine", invisible=PENALTY_PROPOSED),
        StepField("discretion_reason", invisible=PENALTY_PROPOSED,
                  placeholder=_lt("Required when the penalty departs from the tier")),
        "complex_case",
        shown("case_discretion_check"),
        StepField("transfer_reason", invisible="investigation_conclusion != 'transfer'",
                  required="investigation_conclusion == 'transfer' and state == 'open'",
                  placeholder=_lt("The facts that amount to a suspected crime, and the evidence")),
    )),
    ProcessStep("prior_notice", _lt("Prior Notice"), Actor.CASE_OFFICER, (
        shown("case_hearing_basis"),
        "notice_served_at",
        StepField("notice_content", placeholder=_lt(
            "Facts, grounds, proposed penalty, the right to state, defend and request a hearing")),
    )),
    ProcessStep("hearing_notice", _lt("Hearing Notice"), Actor.CASE_OFFICER, (
        "hearing_at", StepField("hearing_chair_id", options="{'no_create': True}"),
    )),
    ProcessStep("hearing_record", _lt("Hearing Record"), Actor.HEARING_CHAIR, ("hearing_record",)),
    ProcessStep("decision", _lt("Decision"), Actor.AGENCY_LEADER, (
        shown("case_notice_served_at"), shown("case_review_state"), shown("case_proposed_fine"),
        shown("case_discretion_check"), shown("case_hearing_record", invisible="not case_hearing_record"),
        "decision_returned",
        StepField("return_reason", invisible="not decision_returned", required="decision_returned and state == 'open'",
                  placeholder=_lt("What must be investigated further, and why")),
        StepField("decision_kind", invisible="decision_returned", widget="radio"),
        StepField("fine_amount", invisible=PENALTY_DECIDED),
        StepField("discretion_reason", invisible=PENALTY_DECIDED,
                  placeholder=_lt("Required when the penalty departs from the tier")),
    )),
    ProcessStep("deadline_escalation", _lt("Decision Deadline Reached"), Actor.AGENCY_LEADER, (
        "extension_approved", StepField("extension_reason", invisible="not extension_approved"),
    )),
    ProcessStep("service", _lt("Service of the Decision"), Actor.CASE_OFFICER, ("served_at", "service_method")),
    ProcessStep("service_escalation", _lt("Service Overdue"), Actor.AGENCY_LEADER),
    ProcessStep("court_enforcement", _lt("Court Enforcement"), Actor.CASE_OFFICER, ("court_application_ref",)),
    ProcessStep("closing", _lt("Closing"), Actor.AGENCY_LEADER),
    ProcessStep("publication", _lt("Publish Decision"), Actor.AGENCY_LEADER),
    ProcessStep("legal_review", _lt("Legal Review"), Actor.LEGAL_REVIEWER, (
        shown("review_id"),
        # The checklist is edited on the review itself, not handed to the handler.
        shown("review_finding_ids", readonly=WHILE_OPEN,
              list_view="admin_enforcement.view_enforcement_review_finding_task_list"),
        StepField("review_outcome", widget="radio"),
        StepField("review_opinion",
                  placeholder=_lt("Required when problems are found: the fixes the handler must make")),
    ), shows_review=True),
    ProcessStep("review_rework", _lt("Review Rework"), Actor.CASE_OFFICER, (
        shown("review_round_ids", list_view="admin_enforcement.view_enforcement_review_round_task_list"),
        StepField("rework_outcome", widget="radio"), "rework_note",
    ), shows_review=True),
    ProcessStep("review_escalate", _lt("Review Consultation"), Actor.LEGAL_REVIEWER, (
        StepField("consultation_outcome", widget="radio"), "consultation_note",
    ), shows_review=True),
    ProcessStep("review_overdue", _lt("Overdue Legal Review"), Actor.AGENCY_LEADER, (
        "review_extension_approved", StepField("review_extension_reason", invisible="not review_extension_approved"),
    ), shows_review=True),
    ProcessStep("collective_vote", _lt("Collective Discussion Vote"), Actor.MEETING_MEMBER, (
        shown("collective_decision_id"), shown("collective_member_id"),
        StepField("collective_vote", widget="radio"), "collective_vote_opinion",
    ), shows_review=True),
    ProcessStep("collective_minutes", _lt("Collective Discussion Minutes"), Actor.MEETING_MEMBER, (
        shown("collective_decision_id"), "collective_minutes",
    ), shows_review=True),
    # Dated duties after the decision and 行刑衔接 (models/enforcement_case_duties.py, enforcement_remedy.py)
    ProcessStep("major_filing", _lt("File the Major Decision"), Actor.AGENCY_LEADER, (
        shown("case_decision_number"), shown("case_major_filing_reasons"),
        "filing_filed_to", "filing_filed_on",
        StepField("filing_attachment", widget="binary"), StepField("filing_attachment_name", invisible="1"),
    )),
    ProcessStep("crime_transfer", _lt("Transfer to Public Security"), Actor.CASE_OFFICER, (
        shown("case_transfer_reason"), "transfer_organ", "transfer_sent_on",
    )),
    ProcessStep("transfer_receipt", _lt("Public Security Receipt"), Actor.CASE_OFFICER, (
        shown("case_transfer_organ"), StepField("transfer_accepted", widget="radio"), "transfer_receipt_on",
        "transfer_receipt_note",
    )),
    ProcessStep("publication_withdrawal", _lt("Withdraw the Decision from Publication"), Actor.AGENCY_LEADER, (
        shown("case_decision_number"),
    )),
    ProcessStep("lost_case_report", _lt("Lost Lawsuit Report"), Actor.AGENCY_LEADER, (
        shown("case_decision_number"),
        StepField("report_to", placeholder=_lt("The government at this level and the department above")),
        StepField("report_original", placeholder=_lt(
            "Facts, evidence, legal basis and decision of the original act")),
        StepField("report_court", placeholder=_lt(
            "Facts, evidence and legal basis the court found, and its judgment or ruling")),
        StepField("report_change", placeholder=_lt(
            "Why the agency changed its act during the lawsuit, and what it changed")),
        StepField("report_lessons", placeholder=_lt("Why the case was lost, and the lessons")),
    )),
    ProcessStep("collective_discussion", _lt("Collective Discussion"), Actor.AGENCY_LEADER, (
        StepField("collective_decision_id", domain="[('case_ids', 'in', case_id), ('state', '=', 'signed')]"),
    ), shows_review=True),
    # ----- the simple procedure (当场处罚, 行政处罚法 arts. 51-53, 68-69) -----
    ProcessStep("simple_onsite", _lt("On-the-Spot Decision"), Actor.CASE_OFFICER, (
        shown("case_certificates"), "certificate_shown",
        StepField("simple_facts", placeholder=_lt("What was found, where and when")),
        "facts_certain",
        StepField("legal_basis", placeholder=_lt("The provision violated and the provision that sets the penalty")),
        StepField("party_statement", placeholder=_lt("What the party said in statement and defence, or that "
                                                     "the party made none")),
        StepField("penalty_type_ids", widget="many2many_tags", options="{'no_create': True}"),
        "fine_amount",
        shown("simple_check", css_class="text-danger"),
    )),
    ProcessStep("simple_service", _lt("On-the-Spot Service"), Actor.CASE_OFFICER, (
        shown("case_decision_number"), shown("case_fine_amount"),
        StepField("party_signature", widget="radio"),
        StepField("signature_refusal_note", invisible="party_signature != 'refused'",
                  required="party_signature == 'refused' and state == 'open'"),
        "served_at",
        StepField("collection_ground", invisible="not case_fine_amount"),
        StepField("party_asked_collection", invisible="collection_ground != 'remote_area'"),
        StepField("receipt_number", invisible="collection_ground in (False, 'bank')",
                  required="collection_ground not in (False, 'bank') and state == 'open'"),
    )),
    ProcessStep("simple_filing", _lt("Filing of the On-the-Spot Decision"), Actor.AGENCY_LEADER, (
        shown("case_decision_number"), shown("case_fine_amount"), shown("case_legal_basis"),
        shown("case_party_statement"), shown("case_simple_filing_due"),
    )),
)}

# ----- random inspection (双随机、一公开), bpmn/inspection_random.bpmn and inspection.bpmn -----
PLAN = "enforcement.inspection.plan"
INSPECTION = "enforcement.inspection"
INSPECTION_NEEDS_DEADLINE = "inspection_result != 'correct'"
INSPECTION_NO_PROBLEM = "inspection_result not in ('correct', 'violation')"
STEPS.update({step.code: step for step in (
    ProcessStep("inspection_plan_approval", _lt("Inspection Plan Approval"), Actor.AGENCY_LEADER, (
        shown("inspection_plan_id"), shown("plan_party_count"), shown("plan_inspector_count"),
        shown("plan_ratio_percent"), shown("plan_draw_at"),
        "plan_approved",
        StepField("approval_comment", placeholder=_lt("Opinion of the leader; required when the plan is not approved")),
    ), subject=PLAN),
    ProcessStep("inspection_public_value", _lt("Public Value of the Draw"), Actor.AGENCY_LEADER, (
        shown("inspection_plan_id"), shown("plan_draw_at"), shown("plan_snapshot_hash"),
        StepField("inspection_public_value", required="state == 'open'",
                  placeholder=_lt("The number published by the public source after the draw time")),
        StepField("inspection_public_value_source", required="state == 'open'",
                  placeholder=_lt("Where and when it was published, e.g. the lottery draw of that evening")),
    ), subject=PLAN),
    ProcessStep("inspection_onsite", _lt("On-site Inspection"), Actor.INSPECTOR, (
        shown("inspection_id"), shown("inspection_party_name"), shown("inspection_inspector_ids",
                                                                       widget="many2many_tags"),
        "inspection_notice_shown", "inspection_certificate_shown",
        StepField("inspection_record", required="state == 'open'",
                  placeholder=_lt("Inspection record (现场笔录): what was inspected, found and said")),
        StepField("inspection_result", widget="radio", required="state == 'open'"),
        StepField("inspection_findings", invisible=INSPECTION_NO_PROBLEM,
                  placeholder=_lt("The problem found, and the facts of a suspected violation")),
        StepField("inspection_rectify_due", invisible=INSPECTION_NEEDS_DEADLINE),
    ), subject=INSPECTION),
    ProcessStep("inspection_followup", _lt("Follow-up Check"), Actor.INSPECTOR, (
        shown("inspection_id"), shown("inspection_party_name"), shown("inspection_current_findings"),
        StepField("inspection_followup_result", widget="radio", required="state == 'open'"),
        "inspection_followup_note",
    ), subject=INSPECTION),
    ProcessStep("inspection_result_publication", _lt("Publish Inspection Result"), Actor.AGENCY_LEADER, (
        shown("inspection_id"), shown("inspection_party_name"), shown("inspection_current_result"),
        shown("inspection_case_id", invisible="not inspection_case_id"),
    ), subject=INSPECTION),
)})

# ----- statutory statistics reports (执法数据报送, bpmn/statistics_report.bpmn) -----
# The figures and the reasons for categories without cases are on the report
# itself (the task's "open" button); each step checks them again.
STEPS.update({step.code: step for step in (
    ProcessStep("statistics_review", _lt("Review Statistics (Legal Office)"), Actor.LEGAL_REVIEWER,
                subject="enforcement.statistics.report"),
    ProcessStep("statistics_approval", _lt("Approve Statistics"), Actor.AGENCY_LEADER,
                subject="enforcement.statistics.report"),
    ProcessStep("statistics_submission", _lt("Submit Statistics"), Actor.AGENCY_LEADER,
                subject="enforcement.statistics.report"),
)})

# ----- 查封、扣押 (行政强制法 arts. 18-28): the steps of bpmn/coercive_seizure.bpmn -----
SEIZURE_SHOWN = (shown("seizure_id"), shown("seizure_kind"), shown("seizure_place"), shown("seizure_reason"),
                 shown("seizure_legal_basis"))
SEIZURE_ITEMS = shown("seizure_item_ids", list_view="admin_enforcement.view_enforcement_seizure_item_task_list")
STEPS.update({step.code: step for step in (
    ProcessStep("seizure_approval", _lt("Approve the Seizure or Detention"), Actor.AGENCY_LEADER, (
        *SEIZURE_SHOWN, "seizure_approved",
        StepField("approval_comment", placeholder=_lt("Opinion of the agency head; required when not approved")),
    )),
    ProcessStep("seizure_emergency_approval", _lt("Approve the Emergency Measure"), Actor.AGENCY_LEADER, (
        *SEIZURE_SHOWN, shown("seizure_approval_due"), SEIZURE_ITEMS, "seizure_approved",
        StepField("approval_comment", placeholder=_lt(
            "Opinion of the agency head; a refusal releases the measure at once")),
    )),
    ProcessStep("seizure_notify", _lt("Notify the Party to Be Present"), Actor.CASE_OFFICER, (
        *SEIZURE_SHOWN, "seizure_party_present",
        StepField("seizure_witness", invisible="seizure_party_present",
                  placeholder=_lt("Name and ID of the witness invited when the party is absent")),
    )),
    ProcessStep("seizure_inform", _lt("Tell the Reasons, Basis and Rights"), Actor.CASE_OFFICER, (
        *SEIZURE_SHOWN, StepField("seizure_rights_told", placeholder=_lt(
            "Reasons and legal basis told, and the rights to state, defend, apply for reconsideration and sue")),
    )),
    ProcessStep("seizure_statement", _lt("Hear the Statement and Defence"), Actor.CASE_OFFICER, (
        StepField("seizure_statement", placeholder=_lt("What the party said, or that the party made no statement")),
    )),
    ProcessStep("seizure_record", _lt("On-site Record and List of Items"), Actor.CASE_OFFICER, (
        SEIZURE_ITEMS, "seizure_onsite_record", "seizure_record_signed",
    )),
    ProcessStep("seizure_handover", _lt("Hand Over the Decision and List"), Actor.CASE_OFFICER, (
        "seizure_handed_over_at",
    )),
    ProcessStep("seizure_extension", _lt("Extend the Seizure or Detention"), Actor.AGENCY_LEADER, (
        *SEIZURE_SHOWN, shown("seizure_end_date"), "seizure_extension_approved",
        StepField("seizure_extension_days", invisible="not seizure_extension_approved"),
        StepField("seizure_extension_reason", invisible="not seizure_extension_approved"),
    )),
    ProcessStep("seizure_return", _lt("Return the Items"), Actor.CASE_OFFICER, (
        SEIZURE_ITEMS, StepField("seizure_return_record", placeholder=_lt(
            "Items returned, to whom, when; signatures of the party and the officers")),
    )),
)})
