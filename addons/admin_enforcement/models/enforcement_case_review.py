from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..enforcement_core.china_clock import china_clock_text, china_day
from .enforcement_review import OPEN_STATES

REVIEW_REQUESTED_MESSAGE = "enforcement.review_requested"
# Steps whose completion does not make the user a handler or decider of the
# case (办、审、定分离): the review's own steps and the overdue follow-up.
REVIEW_STEPS = frozenset({"legal_review", "review_escalate", "review_overdue"})


class EnforcementCase(models.Model):
    """Legal review (法制审核) and collective discussion (集体讨论) of a case.

    The review is a process of its own (``enforcement_legal_review``), called
    by the penalty procedure or started here for licence and compulsion
    decisions. The steps below are its gates: a complete checklist before an
    opinion, a reviewer who neither handled nor decided the case, a written
    answer from the handler, and a signed collective decision before a
    decision that needed one.
    """

    _inherit = "enforcement.case"

    review_ids = fields.One2many("enforcement.review", "case_id", string="Legal Reviews", readonly=True)
    current_review_id = fields.Many2one("enforcement.review", compute="_compute_current_review_id",
                                        string="Current Legal Review")
    collective_decision_ids = fields.Many2many(
        "enforcement.collective.decision", "enforcement_collective_decision_case_rel", "case_id", "decision_id",
        string="Collective Discussions", readonly=True,
    )
    collective_outcome = fields.Selection(
        [("adopted", "Proposal Adopted"), ("rejected", "Proposal Rejected")],
        compute="_compute_collective_outcome",
        help="Outcome of the last signed collective discussion of the case.",
    )

    @api.depends("review_ids")
    def _compute_current_review_id(self):
        for case in self:
            case.current_review_id = case.review_ids.sorted("id")[-1:]

    @api.depends("collective_decision_ids.state", "collective_decision_ids.outcome")
    def _compute_collective_outcome(self):
        for case in self:
            meeting = case._signed_collective_decision()
            case.collective_outcome = meeting.outcome if meeting else False

    def _signed_collective_decision(self):
        self.ensure_one()
        signed = self.sudo().collective_decision_ids.filtered(
            lambda m: m.state == "signed" and m.outcome in ("adopted", "rejected"))
        return signed.sorted("id")[-1:]

    # ----- who handled or decided the case -----

    def _review_handlers(self):
        """Users who handled or decided the case: its creator, its officers,
        and everyone who completed one of its steps other than the review's."""
        self.ensure_one()
        case = self.sudo()
        users = case.create_uid | case._officer_users()
        users |= case.task_ids.filtered(
            lambda t: t.state == "done" and t.step_code not in REVIEW_STEPS).mapped("completed_by_id")
        return users

    # ----- review request and checklist pre-fill -----

    def action_request_review(self):
        """Send a decision to legal review outside the penalty procedure (a
        licence or compulsion decision): the review process starts through
        the outbox when this transaction commits."""
        for case in self:
            if case.review_ids.filtered(lambda r: r.state in OPEN_STATES):
                raise UserError(self.env._("Case %(case)s is already under legal review.", case=case.name))
            case._as_step().write({"review_state": "required", "review_required": True,
                                   "review_reason_codes": "requested",
                                   "review_category": case.matter_id.category or "penalty"})
            self.env["enforcement.outbox"]._enqueue_message(
                REVIEW_REQUESTED_MESSAGE,
                business_key=case.name,
                variables={"case_id": case.id},
                message_id=f"{case.name}:{REVIEW_REQUESTED_MESSAGE}:{case.id}-{len(case.review_ids) + 1}",
                case=case,
                starts="enforcement_legal_review",
            )
            case._message_log(body=self.env._("Sent to legal review."))
        return True

    def _review_case_facts(self, hearing_held=False):
        """What the major-decision catalogue looks at (enforcement_core.catalogue.CaseFacts)."""
        from ..enforcement_core.catalogue import CaseFacts

        self.ensure_one()
        return CaseFacts(
            category=self.matter_id.category or "penalty",
            procedure="ordinary",
            party_type=self.party_type or "organisation",
            matter_code=self.matter_id.code or "",
            fine_amount=Decimal(str(self.proposed_fine or 0)),
            penalty_types=frozenset(self.penalty_type_ids.mapped("code")),
            hearing_held=hearing_held or bool(self.hearing_record),
            complex_case=self.complex_case,
        )

    def _evaluate_review_catalogue(self, hearing_held=False):
        """(review_required, reasons, collective_required) from the agency's catalogue."""
        self.ensure_one()
        fired = self.env["enforcement.major.catalogue.rule"].sudo()._evaluate_for_agency(
            self.agency_id, self._review_case_facts(hearing_held))
        # A decision after a hearing is always in the catalogue (domain.md §2.3).
        reasons = [rule.rule_code for rule in fired] + (["hearing"] if hearing_held else [])
        required = bool(reasons)
        reasons = list(dict.fromkeys(reasons))
        self._as_step().write({
            "review_required": required,
            "review_state": "required" if required else "none",
            "review_reason_codes": ",".join(reasons),
            "review_category": "penalty",
            "collective_required": bool(self.complex_case),
        })
        return required, reasons, bool(self.complex_case)

    def _review_reason_list(self):
        """The catalogue rules (or "requested") that sent the case to review."""
        self.ensure_one()
        return [code for code in (self.review_reason_codes or "").split(",") if code]

    def _review_prefill(self):
        """{checklist item: (suggested result or None, note)} from what the system knows."""
        self.ensure_one()
        case = self.sudo()
        env = self.env
        prefill = {}
        agency = case.agency_id
        prefill["lawful_body"] = (
            ("pass", env._("%(agency)s; authority: %(basis)s", agency=agency.name, basis=agency.authority_basis))
            if agency.authority_basis else
            (None, env._("%(agency)s has no legal basis of authority recorded.", agency=agency.name)))

        if not case.officer_ids:
            prefill["officers_qualified"] = ("problem", env._("No officers are assigned to the case."))
        elif not (case.category_id and case.area_id):
            prefill["officers_qualified"] = (None, env._("The case has no enforcement category or area to check "
                                                         "the certificates against."))
        else:
            reasons = case.officer_ids._eligibility_reasons(
                case.category_id.code, case.area_id.code, on_date=case.filing_date)
            texts = self.env["enforcement.rule.reason"]
            lines = [env._("%(officer)s: %(state)s", officer=officer.name,
                           state=texts._texts(reasons[officer.id]) or env._("certificate valid"))
                     for officer in case.officer_ids]
            enough = len(case.officer_ids) >= 2
            if not enough:
                lines.append(env._("Fewer than two officers handled the case (art. 42)."))
            ok = enough and not any(reasons.values())
            prefill["officers_qualified"] = ("pass" if ok else "problem", "\n".join(lines))

        late = case.task_ids.filtered(
            lambda t: t.state == "done" and t.date_deadline and t.completed_at and t.completed_at > t.date_deadline)
        procedure = []
        if case.investigation_conclusion == "penalty":
            procedure.append(env._("Prior notice served on %(date)s.", date=china_clock_text(case.notice_served_at))
                             if case.notice_served_at else env._("No prior notice recorded (art. 44)."))
        if case.hearing_granted:
            procedure.append(env._("Hearing held on %(date)s.", date=china_clock_text(case.hearing_at)) if case.hearing_record
                             else env._("A hearing was granted but has no record."))
        elif case.hearing_requested_at:
            procedure.append(env._("Hearing requested on %(date)s and refused.",
                                   date=china_clock_text(case.hearing_requested_at)))
        procedure += [env._("Step %(step)s was completed after its deadline.", step=task.name) for task in late]
        problem = late or (case.investigation_conclusion == "penalty" and not case.notice_served_at) or (
            case.hearing_granted and not case.hearing_record)
        prefill["lawful_procedure"] = (
            "problem" if problem else ("pass" if procedure else None),
            "\n".join(procedure) or env._("No procedure steps recorded yet."))

        if case.discretion_check:
            prefill["discretion"] = ("problem" if case.discretion_needs_reason else "pass", case.discretion_check)
        if case.evidence_summary:
            prefill["evidence"] = (None, case.evidence_summary)
        documents = self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "enforcement.case"), ("res_id", "=", case.id)])
        prefill["documents_complete"] = (
            None, env._("Documents in the case file: %(names)s", names=", ".join(documents.mapped("name")))
            if documents else env._("The case file holds no documents."))
        return prefill

    # ----- steps of the legal review process -----

    def _open_review(self):
        review = self.sudo().current_review_id
        if not review or review.state not in OPEN_STATES:
            raise UserError(self.env._("Case %(case)s has no open legal review.", case=self.name))
        return review

    def _complete_legal_review(self, task, values):
        """The reviewer's written opinion: agree, or problems with required fixes."""
        self.ensure_one()
        review = self._open_review()
        review._check_acting_reviewer()
        outcome = values.get("review_outcome")
        opinion = (values.get("review_opinion") or "").strip()
        if outcome not in ("agree", "problems"):
            raise UserError(self.env._("Choose the outcome of the review: agree, or problems found."))
        pending = review.finding_ids.filtered(lambda f: f.result == "pending")
        if pending:
            raise UserError(self.env._("Decide every checklist item first: %(items)s.",
                                       items=", ".join(pending.mapped("display_name"))))
        problems = review.finding_ids.filtered(lambda f: f.result == "problem")
        if outcome == "agree" and problems:
            raise UserError(self.env._("The opinion cannot agree while checklist items have problems: %(items)s.",
                                       items=", ".join(problems.mapped("display_name"))))
        if outcome == "problems":
            if not problems:
                raise UserError(self.env._("Mark the checklist items that have problems."))
            silent = problems.filtered(lambda f: not (f.note or "").strip())
            if silent:
                raise UserError(self.env._("Explain each problem found: %(items)s.",
                                           items=", ".join(silent.mapped("display_name"))))
            if not opinion:
                raise UserError(self.env._("Write the fixes the handler must make."))
        self.env["enforcement.review.round"].sudo().create({
            "review_id": review.id,
            "number": review.round_count + 1,
            "reviewer_id": self.env.uid,
            "opinion_date": fields.Datetime.now(),
            "outcome": outcome,
            "opinion": opinion or self.env._("Agree."),
            "findings_summary": review._findings_summary(),
        })
        review.sudo().write({
            "state": "passed" if outcome == "agree" else "problems",
            "closed_at": fields.Datetime.now() if outcome == "agree" else False,
        })
        self.sudo()._as_step().write({
            "review_state": "passed" if outcome == "agree" else "problems",
            "review_reviewer_id": self.env.uid,
        })
        return {"review_outcome": outcome, "review_opinion": opinion}

    def _complete_review_rework(self, task, values):
        """The handler fixes the problems and resubmits, or says why they disagree."""
        self.ensure_one()
        review = self._open_review()
        if review.state != "problems":
            raise UserError(self.env._("The review of %(case)s is not waiting for the handler.", case=self.name))
        if self.env.user == review.reviewer_id:
            raise UserError(self.env._("The reviewer cannot answer their own opinion as the handler."))
        outcome = values.get("rework_outcome")
        note = (values.get("rework_note") or "").strip()
        if outcome not in ("fixed", "disagree"):
            raise UserError(self.env._("Choose whether the problems are fixed or you disagree with the opinion."))
        if not note:
            raise UserError(self.env._("Describe the fixes made.") if outcome == "fixed"
                            else self.env._("Give the reasons you disagree with the opinion."))
        review.round_ids.sorted("number")[-1:].sudo().write({
            "rework_outcome": outcome, "rework_note": note,
            "rework_by_id": self.env.uid, "rework_date": fields.Datetime.now(),
        })
        resubmitted = outcome == "fixed" and review.round_count < review.max_rounds
        variables = {"rework_outcome": outcome}
        if resubmitted:
            review.sudo().state = "in_review"
            variables["review_due"] = review.sudo()._restart_clock()
            self.sudo()._as_step().review_state = "in_review"
        else:
            review.sudo().state = "consultation"
        return variables

    def _complete_review_escalate(self, task, values):
        """Handler and reviewer consult; if they still disagree the leaders decide collectively."""
        self.ensure_one()
        review = self._open_review()
        if review.state != "consultation":
            raise UserError(self.env._("The review of %(case)s is not in consultation.", case=self.name))
        review._check_acting_reviewer()
        outcome = values.get("consultation_outcome")
        note = (values.get("consultation_note") or "").strip()
        if outcome not in ("agreed", "disagree"):
            raise UserError(self.env._("Record whether handler and reviewer agreed after consulting."))
        if not note:
            raise UserError(self.env._("Record what was said in the consultation."))
        review.round_ids.sorted("number")[-1:].sudo().write({
            "consultation_outcome": outcome, "consultation_note": note,
            "consultation_date": fields.Datetime.now(),
        })
        variables = {"consultation_outcome": outcome}
        if outcome == "agreed":
            review.sudo().state = "in_review"
            variables["review_due"] = review.sudo()._restart_clock()
            self.sudo()._as_step().review_state = "in_review"
        else:
            review.sudo().write({"state": "collective", "closed_at": fields.Datetime.now()})
            self.sudo()._as_step().collective_required = True
            self.sudo()._message_log(body=self.env._(
                "Handler and legal reviewer still disagree after consultation: the case goes to collective "
                "discussion."))
        return variables

    def _complete_review_overdue(self, task, values):
        """A leader handles an overdue review: extend it once, with a reason, or urge it on."""
        self.ensure_one()
        self._require_leader()
        review = self.sudo().current_review_id
        approved = bool(values.get("review_extension_approved"))
        reason = (values.get("review_extension_reason") or "").strip()
        if approved:
            if review.extended:
                raise UserError(self.env._("The review of %(case)s was already extended once.", case=self.name))
            if not reason:
                raise UserError(self.env._("Give the reason for extending the review."))
            due_at, _iso = review._due(review.agency_id, china_day(review.due_at),
                                       review.agency_id.review_extension_days)
            review.write({"extended": True, "extension_reason": reason, "due_at": due_at})
            review._message_log(body=self.env._("Review extended to %(due)s: %(reason)s", due=due_at, reason=reason))
        return {}

    # ----- collective discussion -----

    def _complete_collective_vote(self, task, values):
        return task.collective_decision_id._record_vote(task, values)

    def _complete_collective_minutes(self, task, values):
        return task.collective_decision_id._sign_minutes(values)

    def _complete_collective_discussion(self, task, values):
        """The penalty procedure goes on with the case's signed collective decision."""
        self.ensure_one()
        meeting = self.env["enforcement.collective.decision"].browse(values.get("collective_decision_id")).exists()
        if not meeting or self not in meeting.case_ids:
            raise UserError(self.env._("Choose the collective discussion of case %(case)s.", case=self.name))
        if meeting.state != "signed" or meeting.outcome not in ("adopted", "rejected"):
            raise UserError(self.env._(
                "The collective discussion %(meeting)s has no signed outcome yet.", meeting=meeting.name))
        return {}

    @api.constrains("decision_kind")
    def _check_collective_outcome_before_decision(self):
        """A decision that needed a collective discussion is made only with its
        signed outcome, and a penalty the leaders rejected is not imposed."""
        for case in self.filtered("decision_kind"):
            if not case.collective_required:
                continue
            meeting = case._signed_collective_decision()
            if not meeting:
                raise ValidationError(self.env._(
                    "Case %(case)s needs a collective discussion (art. 57) and has no signed outcome yet.",
                    case=case.display_name))
            if meeting.outcome == "rejected" and case.decision_kind == "penalty":
                raise ValidationError(self.env._(
                    "The collective discussion %(meeting)s rejected the proposed penalty of case %(case)s.",
                    meeting=meeting.name, case=case.display_name))
