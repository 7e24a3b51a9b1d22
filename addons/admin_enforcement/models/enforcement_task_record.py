from odoo import models


class EnforcementTask(models.Model):
    _inherit = "enforcement.task"

    def action_complete(self):
        """A step whose activity must be recorded on audio/video from start to
        end cannot be completed without that recording (全过程音像记录)."""
        for task in self:
            subject = task._subject()
            if hasattr(subject, "_check_av_records_for_step"):
                subject._check_av_records_for_step(task.step_code)
        return super().action_complete()
