from odoo import api, fields, models
from odoo.exceptions import UserError


class EnforcementCase(models.Model):
    """A case's seizures and detentions (查封、扣押); their steps are completed on the measure."""

    _inherit = "enforcement.case"

    seizure_ids = fields.One2many("enforcement.seizure", "case_id", string="Seizures and Detentions")
    seizure_count = fields.Integer(compute="_compute_seizure_count", string="Seizures")

    @api.depends("seizure_ids")
    def _compute_seizure_count(self):
        for case in self:
            case.seizure_count = len(case.seizure_ids)

    def action_open_seizures(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": "enforcement.seizure",
            "name": self.env._("Seizures and Detentions"),
            "view_mode": "list,form", "domain": [("case_id", "=", self.id)],
            "context": {"default_case_id": self.id},
        }

    def _seizure_of(self, task):
        seizure = task.sudo().seizure_id
        if not seizure or seizure.case_id != self:
            raise UserError(self.env._("Task %(task)s belongs to no measure of case %(case)s.",
                                       task=task.name, case=self.display_name))
        return seizure.with_env(self.env)

    def _complete_seizure_approval(self, task, values):
        return self._seizure_of(task)._complete_approval(task, values, emergency=False)

    def _complete_seizure_emergency_approval(self, task, values):
        return self._seizure_of(task)._complete_approval(task, values, emergency=True)

    def _complete_seizure_notify(self, task, values):
        return self._seizure_of(task)._complete_notify(task, values)

    def _complete_seizure_inform(self, task, values):
        return self._seizure_of(task)._complete_inform(task, values)

    def _complete_seizure_statement(self, task, values):
        return self._seizure_of(task)._complete_statement(task, values)

    def _complete_seizure_record(self, task, values):
        return self._seizure_of(task)._complete_record(task, values)

    def _complete_seizure_handover(self, task, values):
        return self._seizure_of(task)._complete_handover(task, values)

    def _complete_seizure_extension(self, task, values):
        return self._seizure_of(task)._complete_extension(task, values)

    def _complete_seizure_return(self, task, values):
        return self._seizure_of(task)._complete_return(task, values)
