from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from ..enforcement_core.china_clock import china_clock_text, china_today


ONSITE_STEP = "inspection_onsite"
CLOCK_SKEW = timedelta(minutes=5)


def _chain_notification(records):
    """The verification of ``records``' chains as a notification (the case's wording)."""
    env = records.env
    results = records._verify_chain()
    broken = [result for result in results if not result["ok"]]
    if broken:
        message = "\n".join(env._("%(case)s: first broken link at %(reason)s",
                                  case=result["case"], reason=result["reason"]) for result in broken)
    else:
        message = "\n".join(env._("%(case)s: chain intact, %(count)s entries verified",
                                  case=result["case"], count=result["entries"]) for result in results)
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": {"title": env._("Hash Chain Verification"), "message": message,
                   "type": "danger" if broken else "success", "sticky": bool(broken)},
    }


class EnforcementAvRequirement(models.Model):
    _inherit = "enforcement.av.requirement"

    inspection_risk_grades = fields.Char(
        string="Inspected Parties' Risk Grades",
        help="For a step of an inspection: the risk grades of the inspected party for which the activity must be "
             "recorded on audio/video, comma-separated, e.g. D; empty = every inspection.")

    def _applies_to_inspection(self, inspection):
        """Whether this requirement covers ``inspection`` (its party's risk grade)."""
        self.ensure_one()
        grades = {grade.strip() for grade in (self.inspection_risk_grades or "").split(",") if grade.strip()}
        return not grades or inspection.sudo().party_id.risk_grade in grades


class EnforcementInspection(models.Model):
    """An inspection's full-process records (全过程记录): what its on-site
    step records (the notice and certificates shown, the 检查记录/现场笔录)
    and what its inspectors add (photos, audio/video), append-only in the
    inspection's own signed hash chain; and the audio/video gate of the list
    (音像记录清单) on its steps."""

    _inherit = "enforcement.inspection"

    record_ids = fields.One2many("enforcement.record", "inspection_id", string="Full-Process Records",
                                 readonly=True)
    chain_entry_ids = fields.One2many("enforcement.chain.entry", "inspection_id", string="Hash Chain",
                                      readonly=True)

    # ----- what enforcement.record asks of its subject -----

    def _check_acting_officer(self, user):
        for inspection in self:
            inspection._check_inspector(user)

    def _with_agency_lang(self):
        return self.with_context(lang=self._agency_lang())

    def _check_capture_time(self, captured_at):
        """Nothing of an inspection is captured before it was opened."""
        self.ensure_one()
        opened = self.sudo().create_date
        if captured_at < opened - CLOCK_SKEW:
            raise ValidationError(self.env._(
                "The capture time %(time)s is before inspection %(inspection)s was opened (%(opened)s).",
                time=china_clock_text(captured_at), inspection=self.sudo().name, opened=china_clock_text(opened)))

    def _record_backfill_reason(self, step_code, captured_at, stored_at):
        """Why a record stored now would be 补录: its step was already completed."""
        self.ensure_one()
        tasks = self.env["enforcement.task"].sudo().search(
            [("subject_model", "=", self._name), ("subject_id", "=", self.id), ("step_code", "=", step_code)]
        ) if step_code else self.env["enforcement.task"]
        if not tasks or any(task.state == "open" for task in tasks):
            return None
        done = [task.completed_at for task in tasks if task.state == "done" and task.completed_at]
        closed_at = max(done) if done else None
        if closed_at and (stored_at > closed_at or captured_at > closed_at):
            return self.env._("Added after step %(step)s was closed at %(time)s",
                              step=self.env["enforcement.task"]._step_label(step_code),
                              time=china_clock_text(closed_at))
        return None

    # ----- the audio/video gate -----

    def _check_av_records_for_step(self, step_code):
        """Refuse to complete ``step_code`` when the list (清单) requires the
        whole activity on audio/video for this inspection and no such record
        with its file, made in time, exists."""
        requirements = self.env["enforcement.av.requirement"].sudo()._for_step(step_code, level="whole")
        for inspection in self:
            for requirement in requirements.filtered(lambda req: req._applies_to_inspection(inspection)):
                recordings = requirement._recordings_among(inspection.sudo().record_ids, step_code)
                if not recordings:
                    raise UserError(self.env._(
                        "Inspection %(inspection)s: %(activity)s must be recorded on audio/video for the whole "
                        "activity. Add the audio/video record of step %(step)s before completing it.",
                        inspection=inspection.sudo().name, activity=requirement.name,
                        step=self.env["enforcement.task"]._step_label(step_code)))

    # ----- the on-site step's records -----

    def _record_onsite(self, inspection_record, captured_at):
        """Write what the on-site step states as full-process records of the
        inspection, by the inspector completing it: the notice and the
        certificates shown, and the 检查记录/现场笔录."""
        self.ensure_one()
        inspection = self._with_agency_lang()
        party = inspection.sudo().party_id
        inspectors = inspection.sudo().inspector_ids
        today = china_today()
        numbers = {officer: "/".join(officer.certificate_ids.filtered(lambda c: c._is_valid_on(today))
                                     .mapped("number")) for officer in inspectors}
        certificates = "、".join(f"{officer.name} {number}" for officer, number in numbers.items())
        common = {
            "inspection_id": self.id, "kind": "written", "stage": "investigation", "step_code": ONSITE_STEP,
            "captured_at": captured_at, "capture_place": party.address or party.name,
            "collector_ids": [fields.Command.set(self.env.user.ids)],
        }
        return self.env["enforcement.record"].create([
            dict(common, name=inspection.env._("Inspection notice and enforcement certificates shown"),
                 proves=inspection.env._(
                     "Before the inspection the inspectors showed the party %(party)s the inspection notice and "
                     "their enforcement certificates (%(certificates)s).",
                     party=party.name, certificates=certificates)),
            dict(common, name=inspection.env._("Inspection record (on-site record)"), proves=inspection_record),
        ])

    # ----- verifying the chain -----

    def _verify_chain(self, check_files=True):
        return self.env["enforcement.chain.entry"]._verify_subjects(self, check_files=check_files)

    def action_verify_chain(self):
        return _chain_notification(self)


class EnforcementInspectionPlan(models.Model):
    _inherit = "enforcement.inspection.plan"

    chain_entry_ids = fields.One2many("enforcement.chain.entry", "plan_id", string="Hash Chain", readonly=True)

    def _verify_chain(self, check_files=True):
        """The plan's chain: its draw, as it was run."""
        return self.env["enforcement.chain.entry"]._verify_subjects(self, check_files=check_files)

    def action_verify_chain(self):
        return _chain_notification(self)
