from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..enforcement_core.china_clock import china_day_start_utc, china_now, china_today
from ..enforcement_core.random_draw import DrawError, draw_sample
from ..models.enforcement_file_review import _check_supervisor


class EnforcementFileReviewDraw(models.TransientModel):
    """Draws archived case files for 案卷评查 at random, reproducibly: the
    draw is the published 双随机 algorithm (enforcement_core.random_draw)
    over the id-sorted archived cases, seeded by the plan reference, the time
    of the draw and a public value; each review keeps those inputs."""

    _name = "enforcement.file.review.draw"
    _description = "Draw Case Files for Review"

    plan_ref = fields.Char(string="Review Plan", required=True,
                           default=lambda self: self.env._("File review %(date)s",
                                                           date=china_today()))
    public_value = fields.Char(
        required=True, help="A value fixed in public after the plan is announced (e.g. a lottery result): "
        "with it anyone reruns the draw.")
    agency_ids = fields.Many2many("enforcement.agency", string="Agencies",
                                  help="Empty: archived cases of every agency.")
    archived_from = fields.Date()
    archived_to = fields.Date()
    count = fields.Integer(string="Files to Draw", required=True, default=5)
    checklist_id = fields.Many2one("enforcement.file.review.checklist", string="Review Standard", required=True,
                                   default=lambda self: self.env.ref(
                                       "admin_enforcement.file_review_checklist_guangdong",
                                       raise_if_not_found=False))

    def _candidates(self):
        domain = [("state", "=", "archived")]
        if self.agency_ids:
            domain.append(("agency_id", "in", self.agency_ids.ids))
        if self.archived_from:
            domain.append(("archived_at", ">=", self._utc(self.archived_from)))
        if self.archived_to:
            domain.append(("archived_at", "<", self._utc(self.archived_to + timedelta(days=1))))
        return self.env["enforcement.case"].sudo().search(domain)

    @staticmethod
    def _utc(day):
        return china_day_start_utc(day)

    def action_draw(self):
        self.ensure_one()
        _check_supervisor(self.env)
        candidates = self._candidates()
        published_at = china_now().replace(microsecond=0).isoformat()
        try:
            sample = draw_sample(self.plan_ref, published_at, self.public_value, candidates.ids, self.count)
        except DrawError as exc:
            raise UserError(self.env._("%(count)s files cannot be drawn from %(available)s archived cases.",
                                       count=self.count, available=len(candidates))) from exc
        reviews = self.env["enforcement.file.review"]
        for case_id in sample.drawn:
            review = reviews.create({"case_id": int(case_id), "checklist_id": self.checklist_id.id})
            review.sudo().write({"selection": "random", "draw_material": sample.seed_material,
                                 "draw_seed": sample.seed_hex,
                                 "draw_candidates": ",".join(str(i) for i in sorted(candidates.ids))})
            reviews |= review
        return {
            "type": "ir.actions.act_window", "res_model": "enforcement.file.review",
            "name": self.env._("Drawn Case Files"), "view_mode": "list,form",
            "domain": [("id", "in", reviews.ids)],
        }
