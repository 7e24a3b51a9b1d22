from decimal import Decimal

from odoo import api, models

from ..enforcement_core import statistics


class EnforcementStatisticsSource(models.AbstractModel):
    """Where the figures of a statistics report come from: SQL aggregates over
    the product's own data, one query per source, so a year of a million cases
    is summed by PostgreSQL and never loaded into the ORM.

    Override for…: a module that handles another category (licences,
    levies…) adds its figures in ``_category_figures_for_period`` and its
    category to ``_processed_categories``; until then that category is
    entered by hand on the report."""

    _name = "enforcement.statistics.source"
    _description = "Statistics Figures Source"

    @api.model
    def _processed_categories(self):
        return statistics.PROCESSED_CATEGORIES

    @api.model
    def _category_figures_for_period(self, agency, date_from, date_to):
        """{category: CategoryFigures} computed from live data, for the
        categories the product processes."""
        penalty = self._penalty_figures(agency, date_from, date_to)
        remedies = self._remedy_outcomes_for_period(agency, date_from, date_to)
        figures = {"penalty": penalty,
                   "compulsion": self._compulsion_figures(agency, date_from, date_to),
                   "inspection": self._inspection_figures(agency, date_from, date_to)}
        return {
            category: statistics.CategoryFigures(
                category=category, cases=base.cases, fine_total=base.fine_total, hearings=base.hearings,
                legal_reviews=base.legal_reviews, collective_decisions=base.collective_decisions,
                reconsideration=remedies.get(category, {}).get("reconsideration", statistics.RemedyFigures()),
                litigation=remedies.get(category, {}).get("litigation", statistics.RemedyFigures()))
            for category, base in figures.items()
        }

    @api.model
    def _penalty_figures(self, agency, date_from, date_to):
        """行政处罚: the penalty cases decided in the period (the case
        procedure is the ordinary penalty procedure), their fines, hearings
        held, legal reviews given and collective decisions signed."""
        self.env["enforcement.case"].flush_model([
            "agency_id", "decision_date", "decision_kind", "fine_amount", "hearing_granted", "hearing_record",
            "review_state"])
        self.env["enforcement.collective.decision"].flush_model(["state", "case_ids"])
        self.env.cr.execute("""
            SELECT count(*),
                   COALESCE(sum(c.fine_amount) FILTER (WHERE c.decision_kind = 'penalty'), 0),
                   count(*) FILTER (WHERE c.hearing_granted AND c.hearing_record IS NOT NULL),
                   count(*) FILTER (WHERE c.review_state IN ('passed', 'problems')),
                   count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM enforcement_collective_decision_case_rel rel
                         JOIN enforcement_collective_decision d ON d.id = rel.decision_id
                        WHERE rel.case_id = c.id AND d.state = 'signed'))
              FROM enforcement_case c
             WHERE c.agency_id = %s AND c.decision_date BETWEEN %s AND %s AND c.decision_kind IS NOT NULL
        """, (agency.id, date_from, date_to))
        cases, fines, hearings, reviews, collective = self.env.cr.fetchone()
        return statistics.CategoryFigures(
            category="penalty", cases=cases, fine_total=Decimal(str(fines)).quantize(Decimal("0.01")),
            hearings=hearings, legal_reviews=reviews, collective_decisions=collective)

    @api.model
    def _compulsion_figures(self, agency, date_from, date_to):
        """行政强制: the 查封、扣押 measures of the agency's cases taken in the
        period (the day of the measure), approved or taken in an emergency."""
        self.env["enforcement.seizure"].flush_model(["case_id", "measure_date"])
        self.env["enforcement.case"].flush_model(["agency_id"])
        self.env.cr.execute("""
            SELECT count(*)
              FROM enforcement_seizure s
              JOIN enforcement_case c ON c.id = s.case_id
             WHERE c.agency_id = %s AND s.measure_date BETWEEN %s AND %s
        """, (agency.id, date_from, date_to))
        return statistics.CategoryFigures(category="compulsion", cases=self.env.cr.fetchone()[0])

    @api.model
    def _inspection_figures(self, agency, date_from, date_to):
        """行政检查: the agency's inspections carried out in the period (the
        Beijing day of the on-site inspection), drawn at random or not."""
        self.env["enforcement.inspection"].flush_model(["agency_id", "inspected_at"])
        self.env.cr.execute("""
            SELECT count(*)
              FROM enforcement_inspection i
             WHERE i.agency_id = %s
               AND (i.inspected_at AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Shanghai')::date BETWEEN %s AND %s
        """, (agency.id, date_from, date_to))
        return statistics.CategoryFigures(category="inspection", cases=self.env.cr.fetchone()[0])

    @api.model
    def _remedy_outcomes_for_period(self, agency, date_from, date_to):
        """{category: {"reconsideration": RemedyFigures, "litigation": RemedyFigures}}
        of the decisions of ``agency``: remedies applied for in the period and
        the results given in it, from the 行政复议 / 行政诉讼 recorded on the
        decisions (``enforcement.remedy``). Every remedy is against a case's
        decision, so all of them count under 行政处罚."""
        if "enforcement.remedy" not in self.env:
            return {}
        counts = self.env["enforcement.remedy"]._outcomes_for_period(agency, date_from, date_to)
        return {"penalty": {kind: statistics.RemedyFigures.from_results(counts.get(kind, {}))
                            for kind in statistics.REMEDY_KINDS}}
