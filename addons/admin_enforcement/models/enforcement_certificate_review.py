from decimal import Decimal

from odoo import api, fields, models

from ..enforcement_core.china_clock import china_today


class EnforcementCertificateReview(models.Model):
    """Yearly review (年检) of a certificate.

    Passes when the officer has the agency's required training hours (40 by
    default) and no enforcement fault; a failed review suspends the
    certificate and says why in its chatter.
    """

    _name = "enforcement.certificate.review"
    _description = "Certificate Yearly Review"
    _order = "year desc, id desc"

    certificate_id = fields.Many2one(
        "enforcement.certificate", required=True, ondelete="cascade", index=True,
    )
    officer_id = fields.Many2one(related="certificate_id.officer_id", store=True)
    company_id = fields.Many2one(related="certificate_id.company_id", store=True, index=True)
    year = fields.Integer(required=True, default=lambda self: china_today().year)
    training_hours = fields.Float(required=True, default=0.0)
    required_hours = fields.Float(
        compute="_compute_result", store=True,
        help="Training hours required by the officer's agency when the review was made.",
    )
    fault_count = fields.Integer(string="Enforcement Faults", default=0)
    fault_notes = fields.Text(string="Faults")
    result = fields.Selection(
        [("pass", "Passed"), ("fail", "Failed")], compute="_compute_result", store=True, readonly=True,
    )
    failure_reason = fields.Char(compute="_compute_result", store=True)
    review_date = fields.Date(default=lambda self: china_today())
    reviewer_notes = fields.Text()

    _sql_constraints = [
        ("certificate_year_unique", "unique(certificate_id, year)", "A certificate has one review per year."),
        ("training_hours_positive", "CHECK(training_hours >= 0)", "Training hours cannot be negative."),
        ("fault_count_positive", "CHECK(fault_count >= 0)", "The number of faults cannot be negative."),
    ]

    def _check_review_outcome(self):
        """{review id: (required hours, result, reason)}; shared by the compute and the suspension rule.

        The rule is ``enforcement_core.certificates.annual_review_outcome``.
        """
        from ..enforcement_core.certificates import annual_review_outcome

        outcomes = {}
        for review in self:
            required = review.certificate_id.agency_id.required_training_hours or 0.0
            outcome = annual_review_outcome(
                Decimal(str(review.training_hours or 0)),
                required_hours=Decimal(str(required)),
                faults=review.fault_count or 0,
            )
            outcomes[review.id] = (required, "pass" if outcome.passed else "fail",
                                   self.env["enforcement.rule.reason"]._texts(outcome.reasons))
        return outcomes

    @api.depends("training_hours", "fault_count", "certificate_id.agency_id")
    def _compute_result(self):
        outcomes = self._check_review_outcome()
        for review in self:
            review.required_hours, review.result, review.failure_reason = outcomes[review.id]

    def _apply_result(self):
        failed = self.filtered(lambda r: r.result == "fail" and r.certificate_id.state == "valid")
        for review in failed:
            review.certificate_id.action_suspend(reason=self.env._(
                "Yearly review %(year)s failed: %(reason)s",
                year=review.year, reason=review.failure_reason,
            ))

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        reviews._apply_result()
        return reviews

    def write(self, vals):
        res = super().write(vals)
        if {"training_hours", "fault_count"} & set(vals):
            self._apply_result()
        return res
