from odoo import api, models
from odoo.exceptions import AccessError

from ..services.process_steps import SUBJECT_VARIABLES


class EnforcementTaskSubject(models.AbstractModel):
    """What a record must provide for the tasks of its process
    (``enforcement.task``): a case by default, or an inspection plan, an
    inspection, a statistics report. A subject model inherits this mixin,
    names the process variables that carry its id in
    ``services.process_steps.SUBJECT_VARIABLES`` and overrides
    ``_check_step_actor``; its ``_complete_<step>`` methods complete the
    steps it is declared for."""

    _name = "enforcement.task.subject"
    _description = "Task Subject"

    @api.model
    def _task_subject_from_variables(self, variables):
        """The record a user task of this model belongs to, from its process
        variables (ids only). Override when the id is not a plain variable."""
        for name in SUBJECT_VARIABLES.get(self._name, ()):
            if isinstance(variables.get(name), int):
                return self.browse(variables[name]).exists()
        return self.browse()

    def _check_step_actor(self, step, user, task):
        """Raise unless ``user`` may complete ``step`` of ``task`` now.
        Override for…: every subject says who acts on its steps; by default no one."""
        raise AccessError(self.env._("%(user)s may not do %(task)s.", user=user.name, task=task.name))

    def _task_defaults(self, step_code):
        """Values a newly opened task of ``step_code`` starts with. Override for…"""
        return {}

    def _task_case(self):
        """The case a task of this subject also belongs to (none by default)."""
        return self.env["enforcement.case"]

    def _agency_lang(self):
        from .enforcement_case import agency_lang  # pylint: disable=import-outside-toplevel # avoids a cycle
        return agency_lang(self.env, self[:1].sudo().company_id)

    def _task_history(self, values):
        """Keep one step of this subject's process (``values``: kind, step,
        step_name, actor_id, outcome, job_key). By default a note in the
        subject's chatter when it has one."""
        if hasattr(self, "message_post"):
            kinds = dict(self.env["enforcement.process.event"]._fields["kind"]._description_selection(self.env))
            body = " · ".join(part for part in (kinds.get(values["kind"]), values.get("step_name"),
                                                values.get("outcome")) if part)
            self.sudo().message_post(body=body, message_type="notification", subtype_xmlid="mail.mt_note")
