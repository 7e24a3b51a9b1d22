"""The supervision desk (司法行政部门 / the supervisor role): read-only SQL
views across agencies, for Odoo's own graph, pivot, list and kanban views.

Each view carries only what the supervisor needs to see that a deadline or a
record is at fault: the agency, the case's reference and number, states,
dates and counts. None has a party column (name, ID number, address, phone):
the supervisor opens the case itself for anything more, under the case's
own access rules. Only the supervisor group may read these models.
"""

from odoo import fields, models, tools
from odoo.tools import SQL

from .enforcement_case import CASE_STATES
from .enforcement_matter import MATTER_CATEGORIES

# A deadline within 3 days is "due soon" on the desk (the views say '3 days').

DEADLINE_KINDS = [
    ("decision", "Decision Period"),
    ("service", "Service of the Decision"),
    ("publication", "Publication"),
    ("withdrawal", "Publication Withdrawal"),
    ("review", "Legal Review"),
    ("task", "Task Deadline"),
]
DEADLINE_STATUS = [("overdue", "Overdue"), ("soon", "Due Soon"), ("later", "Later")]

# The case states in which the decision period still runs, as the views test them.
DECISION_PENDING = "('filed', 'investigation', 'notice', 'hearing', 'review', 'decision')"


def _create_view(env, table, body):
    """(Re)create the SQL view ``table``; ``body`` is the module's own constant text."""
    tools.drop_view_if_exists(env.cr, table)
    env.cr.execute(SQL("CREATE VIEW %s AS (%s)", SQL.identifier(table),
                       SQL(body.replace("{DECISION_PENDING}", DECISION_PENDING))))


def _step_labels(rows):
    """The step's name in the reader's language, for a desk row's step code."""
    tasks = rows.env["enforcement.task"]
    for row in rows:
        row.step_label = tasks._step_label(row.step_code) if row.step_code else False


class EnforcementDeskCase(models.Model):
    """One row per case: agency, state, category and filing date, for the
    desk's charts (cases by state and category)."""

    _name = "enforcement.desk.case"
    _description = "Supervision Desk: Case"
    _auto = False
    _order = "filing_date desc, id desc"

    case_id = fields.Many2one("enforcement.case", readonly=True)
    case_number = fields.Char(readonly=True)
    agency_id = fields.Many2one("enforcement.agency", readonly=True)
    state = fields.Selection(CASE_STATES, readonly=True)
    category = fields.Selection(MATTER_CATEGORIES, string="Kind of Act", readonly=True)
    category_id = fields.Many2one("enforcement.category", string="Enforcement Category", readonly=True)
    filing_date = fields.Date(readonly=True)
    decision_overdue = fields.Boolean(readonly=True)
    case_count = fields.Integer(string="Cases", readonly=True, aggregator="sum")

    def init(self):
        _create_view(self.env, self._table, """
                SELECT c.id, c.id AS case_id, COALESCE(c.number, c.name) AS case_number,
                       c.agency_id, c.state, m.category, c.category_id, c.filing_date,
                       (c.decision_due IS NOT NULL AND c.decision_date IS NULL
                        AND c.state IN {DECISION_PENDING} AND c.decision_due < now() AT TIME ZONE 'UTC')
                           AS decision_overdue,
                       1 AS case_count
                  FROM enforcement_case c
                  LEFT JOIN enforcement_matter m ON m.id = c.matter_id
        """)


class EnforcementDeskDeadline(models.Model):
    """Every running deadline of every agency in one list: the case's
    decision period and service, the publication and its withdrawal, the
    legal review, and each open task that carries a deadline (备案, remedies
    and any later duty appear here as soon as their task has one)."""

    _name = "enforcement.desk.deadline"
    _description = "Supervision Desk: Deadline"
    _auto = False
    _order = "due_at, id"

    kind = fields.Selection(DEADLINE_KINDS, readonly=True)
    step_code = fields.Char(readonly=True)
    step_label = fields.Char(string="Step", compute="_compute_step_label")
    case_id = fields.Many2one("enforcement.case", readonly=True)
    case_number = fields.Char(readonly=True)
    agency_id = fields.Many2one("enforcement.agency", readonly=True)
    due_at = fields.Datetime(string="Due On", readonly=True)
    status = fields.Selection(DEADLINE_STATUS, readonly=True)
    days_left = fields.Integer(readonly=True, aggregator="min")
    deadline_count = fields.Integer(string="Deadlines", readonly=True, aggregator="sum")

    def _compute_step_label(self):
        _step_labels(self)

    def init(self):
        # id: the source row's id times 8 plus the source's number, unique over the union.
        _create_view(self.env, self._table, """
                WITH due AS (
                    SELECT c.id * 8 + 1 AS id, 'decision' AS kind, NULL::varchar AS step_code, c.id AS case_id,
                           c.decision_due AS due_at
                      FROM enforcement_case c
                     WHERE c.decision_due IS NOT NULL AND c.decision_date IS NULL
                       AND c.state IN {DECISION_PENDING}
                    UNION ALL
                    SELECT c.id * 8 + 2, 'service', NULL, c.id, c.service_due
                      FROM enforcement_case c
                     WHERE c.service_due IS NOT NULL AND c.served_at IS NULL AND c.state = 'decided'
                    UNION ALL
                    SELECT p.id * 8 + 3, 'publication', NULL, p.case_id, p.publish_due::timestamp + interval '16 hours'
                      FROM enforcement_publication p
                     WHERE p.state = 'draft' AND p.publish_due IS NOT NULL AND p.case_id IS NOT NULL
                    UNION ALL
                    SELECT p.id * 8 + 4, 'withdrawal', NULL, p.case_id,
                           p.withdrawal_due::timestamp + interval '16 hours'
                      FROM enforcement_publication p
                     WHERE p.state = 'published' AND p.withdrawal_due IS NOT NULL AND p.case_id IS NOT NULL
                    UNION ALL
                    SELECT r.id * 8 + 5, 'review', NULL, r.case_id, r.due_at
                      FROM enforcement_review r
                     WHERE r.state IN ('in_review', 'problems', 'consultation') AND r.due_at IS NOT NULL
                    UNION ALL
                    SELECT t.id * 8 + 6, 'task', t.step_code, t.case_id, t.date_deadline
                      FROM enforcement_task t
                     WHERE t.state = 'open' AND t.date_deadline IS NOT NULL
                )
                SELECT due.id, due.kind, due.step_code, due.case_id, COALESCE(c.number, c.name) AS case_number,
                       c.agency_id, due.due_at,
                       CASE WHEN due.due_at < now() AT TIME ZONE 'UTC' THEN 'overdue'
                            WHEN due.due_at < now() AT TIME ZONE 'UTC' + interval '3 days' THEN 'soon'
                            ELSE 'later' END AS status,
                       (due.due_at::date - (now() AT TIME ZONE 'UTC')::date) AS days_left,
                       1 AS deadline_count
                  FROM due JOIN enforcement_case c ON c.id = due.case_id
        """)


class EnforcementDeskRecordIssue(models.Model):
    """Full-process records at fault: stored more than 24 hours late, 补录
    (back-filled), and closed steps of an activity on the audio/video list
    with no audio or video record of that step."""

    _name = "enforcement.desk.record.issue"
    _description = "Supervision Desk: Record Issue"
    _auto = False
    _order = "id desc"

    issue = fields.Selection([
        ("late", "Stored Late"), ("backfill", "Back-filled (补录)"), ("no_av", "Closed without Audio/Video"),
    ], readonly=True)
    case_id = fields.Many2one("enforcement.case", readonly=True)
    case_number = fields.Char(readonly=True)
    agency_id = fields.Many2one("enforcement.agency", readonly=True)
    step_code = fields.Char(readonly=True)
    step_label = fields.Char(string="Step", compute="_compute_step_label")
    occurred_at = fields.Datetime(string="When", readonly=True)
    issue_count = fields.Integer(string="Issues", readonly=True, aggregator="sum")

    def _compute_step_label(self):
        _step_labels(self)

    def init(self):
        _create_view(self.env, self._table, """
                WITH issue AS (
                    SELECT r.id * 4 + 1 AS id, 'late' AS issue, r.case_id, r.step_code, r.stored_at AS occurred_at
                      FROM enforcement_record r WHERE r.is_late
                    UNION ALL
                    SELECT r.id * 4 + 2, 'backfill', r.case_id, r.step_code, r.stored_at
                      FROM enforcement_record r WHERE r.is_backfill
                    UNION ALL
                    SELECT t.id * 4 + 3, 'no_av', t.case_id, t.step_code, t.completed_at
                      FROM enforcement_task t
                     WHERE t.state = 'done'
                       AND EXISTS (SELECT 1 FROM enforcement_av_requirement q
                                    WHERE q.active AND t.step_code = ANY(
                                          string_to_array(replace(COALESCE(q.step_codes, ''), ' ', ''), ',')))
                       AND NOT EXISTS (SELECT 1 FROM enforcement_record r
                                        WHERE r.case_id = t.case_id AND r.step_code = t.step_code
                                          AND r.kind IN ('audio', 'video') AND NOT r.is_backfill
                                          AND EXISTS (SELECT 1 FROM enforcement_record_file f
                                                       WHERE f.record_id = r.id))
                )
                SELECT issue.id, issue.issue, issue.case_id, COALESCE(c.number, c.name) AS case_number,
                       c.agency_id, issue.step_code, issue.occurred_at, 1 AS issue_count
                  FROM issue JOIN enforcement_case c ON c.id = issue.case_id
        """)


class EnforcementDeskAgency(models.Model):
    """One card per agency: what is overdue or due soon, the records at
    fault, the legal reviewers against the certified officers (the 5 %
    rule, the agency's own minimum) and its certificates by status."""

    _name = "enforcement.desk.agency"
    _description = "Supervision Desk: Agency"
    _auto = False
    _order = "overdue_count desc, agency_id"

    agency_id = fields.Many2one("enforcement.agency", readonly=True)
    open_case_count = fields.Integer(string="Open Cases", readonly=True)
    overdue_count = fields.Integer(string="Overdue Deadlines", readonly=True)
    soon_count = fields.Integer(string="Deadlines Due Soon", readonly=True)
    warning_count = fields.Integer(string="Open Warnings", readonly=True)
    late_record_count = fields.Integer(string="Records Stored Late", readonly=True)
    backfill_record_count = fields.Integer(string="Back-filled Records", readonly=True)
    no_av_step_count = fields.Integer(string="Steps without Audio/Video", readonly=True)
    certified_officer_count = fields.Integer(string="Certified Officers", readonly=True)
    active_reviewer_count = fields.Integer(string="Legal Reviewers", readonly=True)
    reviewer_ratio = fields.Float(digits=(16, 1), readonly=True, aggregator="avg")
    reviewer_ratio_min = fields.Float(string="Minimum Reviewer Ratio", digits=(16, 1), readonly=True,
                                      aggregator="avg")
    reviewer_ratio_short = fields.Boolean(string="Too Few Reviewers", readonly=True)
    certificate_valid_count = fields.Integer(string="Valid Certificates", readonly=True)
    certificate_expiring_count = fields.Integer(string="Certificates Expiring within 30 Days", readonly=True)
    certificate_suspended_count = fields.Integer(string="Suspended Certificates", readonly=True)
    certificate_ended_count = fields.Integer(string="Expired or Revoked Certificates", readonly=True)

    def init(self):
        _create_view(self.env, self._table, """
                WITH today AS (SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date AS d),
                certified AS (
                    SELECT o.agency_id, count(DISTINCT o.id) AS n
                      FROM enforcement_officer o JOIN enforcement_certificate k ON k.officer_id = o.id, today
                     WHERE o.active AND k.state = 'valid' AND k.valid_from <= today.d
                       AND (k.valid_to IS NULL OR k.valid_to >= today.d)
                     GROUP BY o.agency_id
                ),
                reviewers AS (
                    SELECT agency_id, count(*) AS n FROM enforcement_legal_reviewer
                     WHERE state = 'active' GROUP BY agency_id
                ),
                certificates AS (
                    SELECT o.agency_id,
                           count(*) FILTER (WHERE k.state = 'valid' AND k.valid_to >= today.d) AS valid,
                           count(*) FILTER (WHERE k.state = 'valid' AND k.valid_to >= today.d
                                              AND k.valid_to <= today.d + 30) AS expiring,
                           count(*) FILTER (WHERE k.state = 'suspended') AS suspended,
                           count(*) FILTER (WHERE k.state IN ('expired', 'revoked')
                                               OR (k.state = 'valid' AND k.valid_to < today.d)) AS ended
                      FROM enforcement_certificate k JOIN enforcement_officer o ON o.id = k.officer_id, today
                     WHERE o.active
                     GROUP BY o.agency_id
                ),
                deadlines AS (
                    SELECT agency_id, count(*) FILTER (WHERE status = 'overdue') AS overdue,
                           count(*) FILTER (WHERE status = 'soon') AS soon
                      FROM enforcement_desk_deadline GROUP BY agency_id
                ),
                issues AS (
                    SELECT agency_id, count(*) FILTER (WHERE issue = 'late') AS late,
                           count(*) FILTER (WHERE issue = 'backfill') AS backfill,
                           count(*) FILTER (WHERE issue = 'no_av') AS no_av
                      FROM enforcement_desk_record_issue GROUP BY agency_id
                ),
                cases AS (
                    SELECT agency_id, count(*) AS n FROM enforcement_case
                     WHERE state NOT IN ('closed', 'archived', 'not_filed') GROUP BY agency_id
                ),
                warnings AS (
                    SELECT c.agency_id, count(*) AS n FROM enforcement_warning w
                      JOIN enforcement_case c ON c.id = w.case_id
                     WHERE w.state = 'open' GROUP BY c.agency_id
                )
                SELECT a.id, a.id AS agency_id,
                       COALESCE(cases.n, 0) AS open_case_count,
                       COALESCE(deadlines.overdue, 0) AS overdue_count, COALESCE(deadlines.soon, 0) AS soon_count,
                       COALESCE(warnings.n, 0) AS warning_count,
                       COALESCE(issues.late, 0) AS late_record_count,
                       COALESCE(issues.backfill, 0) AS backfill_record_count,
                       COALESCE(issues.no_av, 0) AS no_av_step_count,
                       COALESCE(certified.n, 0) AS certified_officer_count,
                       COALESCE(reviewers.n, 0) AS active_reviewer_count,
                       CASE WHEN COALESCE(certified.n, 0) > 0
                            THEN COALESCE(reviewers.n, 0)::numeric / certified.n ELSE 0 END AS reviewer_ratio,
                       a.reviewer_ratio_min,
                       (COALESCE(certified.n, 0) > 0
                        AND COALESCE(reviewers.n, 0)::numeric / certified.n < a.reviewer_ratio_min)
                           AS reviewer_ratio_short,
                       COALESCE(certificates.valid, 0) AS certificate_valid_count,
                       COALESCE(certificates.expiring, 0) AS certificate_expiring_count,
                       COALESCE(certificates.suspended, 0) AS certificate_suspended_count,
                       COALESCE(certificates.ended, 0) AS certificate_ended_count
                  FROM enforcement_agency a
                  LEFT JOIN cases ON cases.agency_id = a.id
                  LEFT JOIN deadlines ON deadlines.agency_id = a.id
                  LEFT JOIN warnings ON warnings.agency_id = a.id
                  LEFT JOIN issues ON issues.agency_id = a.id
                  LEFT JOIN certified ON certified.agency_id = a.id
                  LEFT JOIN reviewers ON reviewers.agency_id = a.id
                  LEFT JOIN certificates ON certificates.agency_id = a.id
                 WHERE a.active
        """)

    def _open(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("agency_id", "=", self.agency_id.id)]
        action["context"] = {}
        return action

    def action_open_deadlines(self):
        return self._open("admin_enforcement.action_enforcement_desk_deadline")

    def action_open_record_issues(self):
        return self._open("admin_enforcement.action_enforcement_desk_record_issue")
