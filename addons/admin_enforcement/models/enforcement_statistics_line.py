from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..enforcement_core import statistics
from .enforcement_matter import MATTER_CATEGORIES

# The matters' categories (item 三十一) without "other", then fees.
STATISTICS_CATEGORIES = [
    *(item for item in MATTER_CATEGORIES if item[0] != "other"),
    ("fee", "Administrative Fees"),
]
REMEDY_FIELDS = tuple(f"{prefix}_{name}" for prefix in ("recon", "litig")
                      for name in ("applied", *statistics.REMEDY_OUTCOMES))
FIGURE_FIELDS = ("case_count", "fine_total", "hearing_count", "legal_review_count", "collective_count",
                 *REMEDY_FIELDS)
#: What a user may type on a draft report: the figures of a category entered
#: by hand, and the reason for a category with no cases.
DRAFT_EDITABLE = frozenset({"zero_reason"})
MANUAL_EDITABLE = frozenset(FIGURE_FIELDS) | DRAFT_EDITABLE


class EnforcementStatisticsLine(models.Model):
    """One category of a statistics report. Lines of the categories the
    product processes are computed from live data and read-only; the others
    are entered by hand on the draft and marked as such. A category with no
    cases carries the written reason. Lines change only while the report is
    a draft; they are created and recomputed by the report, never by a
    client."""

    _name = "enforcement.statistics.line"
    _description = "Statistics Report Line"
    _order = "report_id, sequence"

    report_id = fields.Many2one("enforcement.statistics.report", required=True, readonly=True, index=True,
                                ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    report_state = fields.Selection(related="report_id.state")
    sequence = fields.Integer(readonly=True)
    category = fields.Selection(STATISTICS_CATEGORIES, required=True, readonly=True)
    source = fields.Selection(
        [("computed", "Computed from Cases"), ("manual", "Entered by Hand")], required=True, readonly=True,
        help="Entered by hand: a category the system does not handle yet; its figures are typed on the draft.")
    case_count = fields.Integer(string="Cases")
    fine_total = fields.Float(string="Fines (yuan)", digits=(16, 2))
    hearing_count = fields.Integer(string="Hearings")
    legal_review_count = fields.Integer(string="Legal Reviews")
    collective_count = fields.Integer(string="Collective Decisions")
    recon_applied = fields.Integer(string="Reconsideration: Applied")
    recon_maintained = fields.Integer(string="Reconsideration: Maintained")
    recon_changed = fields.Integer(string="Reconsideration: Changed")
    recon_revoked = fields.Integer(string="Reconsideration: Revoked")
    recon_unlawful = fields.Integer(string="Reconsideration: Confirmed Unlawful")
    recon_other = fields.Integer(string="Reconsideration: Otherwise Concluded")
    litig_applied = fields.Integer(string="Litigation: Filed")
    litig_maintained = fields.Integer(string="Litigation: Maintained")
    litig_changed = fields.Integer(string="Litigation: Changed")
    litig_revoked = fields.Integer(string="Litigation: Revoked")
    litig_unlawful = fields.Integer(string="Litigation: Confirmed Unlawful")
    litig_other = fields.Integer(string="Litigation: Otherwise Concluded")
    recon_corrected_rate = fields.Char(string="Reconsideration: Correction Rate", compute="_compute_rates")
    litig_corrected_rate = fields.Char(string="Litigation: Correction Rate", compute="_compute_rates")
    is_zero = fields.Boolean(string="No Cases", compute="_compute_rates")
    zero_reason = fields.Text(
        string="Reason for No Cases",
        help="Required before the report moves on when the category had no cases in the period (零执法说明).")

    _sql_constraints = [
        ("category_unique", "unique(report_id, category)", "A report has one line per category."),
    ]

    @api.depends(*FIGURE_FIELDS)
    def _compute_rates(self):
        for line in self:
            try:
                figures = line._as_figures()
            except ValueError:  # impossible figures typed by hand: the report's gate names them
                line.recon_corrected_rate = line.litig_corrected_rate = "—"
                line.is_zero = not line.case_count
                continue
            line.recon_corrected_rate = statistics.percent(figures.reconsideration.corrected_rate)
            line.litig_corrected_rate = statistics.percent(figures.litigation.corrected_rate)
            line.is_zero = figures.is_zero

    def _remedy(self, prefix):
        return statistics.RemedyFigures(**{name: self[f"{prefix}_{name}"]
                                           for name in ("applied", *statistics.REMEDY_OUTCOMES)})

    def _as_figures(self):
        self.ensure_one()
        return statistics.CategoryFigures(
            category=self.category, cases=self.case_count,
            fine_total=Decimal(str(self.fine_total or 0)).quantize(Decimal("0.01")),
            hearings=self.hearing_count, legal_reviews=self.legal_review_count,
            collective_decisions=self.collective_count,
            reconsideration=self._remedy("recon"), litigation=self._remedy("litig"),
            manual=self.source == "manual")

    @api.model
    def _figure_values(self, figures):
        values = {
            "case_count": figures.cases, "fine_total": float(figures.fine_total),
            "hearing_count": figures.hearings, "legal_review_count": figures.legal_reviews,
            "collective_count": figures.collective_decisions,
        }
        for prefix, remedy in (("recon", figures.reconsideration), ("litig", figures.litigation)):
            for name in ("applied", *statistics.REMEDY_OUTCOMES):
                values[f"{prefix}_{name}"] = getattr(remedy, name)
        return values

    # ----- protected writes -----

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self.env._("Report lines are made by the report itself, not added by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            for line in self:
                if line.report_id.state != "draft":
                    raise UserError(self.env._(
                        "Report %(report)s is no longer a draft: its figures cannot be changed.",
                        report=line.report_id.display_name))
                allowed = MANUAL_EDITABLE if line.source == "manual" else DRAFT_EDITABLE
                refused = sorted(set(vals) - allowed)
                if refused:
                    labels = ", ".join(self._fields[name]._description_string(self.env) for name in refused)
                    raise UserError(self.env._(
                        "%(fields)s of %(category)s are computed from the cases: they cannot be typed in.",
                        fields=labels, category=line._category_label()))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_with_the_report(self):
        if not self.env.su:
            raise UserError(self.env._("Report lines are removed only with their draft report."))

    def _category_label(self):
        return dict(self._fields["category"]._description_selection(self.env))[self.category]
