from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

SUPERVISOR_GROUP = "admin_enforcement.group_enforcement_supervisor"
LEADER_GROUP = "admin_enforcement.group_enforcement_leader"

REVIEW_STATES = [
    ("draft", "Scoring"),
    ("scored", "Scored"),
    ("rectifying", "Corrections Ordered"),
    ("closed", "Review Closed"),
]
GRADES = [("excellent", "Excellent"), ("pass", "Passing"), ("fail", "Fail")]
CORRECTION_STATES = [("ordered", "Ordered"), ("reported", "Reported Done"), ("closed", "Closed Out")]

# Fields of a file review that only its actions write (after their checks, through sudo()).
REVIEW_STEP_FIELDS = frozenset({
    "state", "reviewer_id", "scored_at", "closed_at", "selection", "draw_material", "draw_seed", "draw_candidates",
})
CORRECTION_STEP_FIELDS = frozenset({
    "state", "reported_by_id", "reported_at", "closed_by_id", "closed_at",
})


def _check_supervisor(env):
    if not env.user.has_group(SUPERVISOR_GROUP):
        raise AccessError(env._("Only the supervisor (司法行政部门) reviews case files and rules on corrections."))


class EnforcementFileReviewChecklist(models.Model):
    """A 案卷评查 scoring standard: items with their points and the grade
    thresholds. The default is the main items of the Guangdong standard; a
    province or sector enters its own.

    Rights: the supervisor and the bureau administrator maintain checklists;
    everyone else reads them."""

    _name = "enforcement.file.review.checklist"
    _description = "Case File Review Checklist"
    _order = "id"

    # The standard's own wording (Chinese), as data: not a term to translate.
    name = fields.Char(required=True)
    source = fields.Char(help="Where the items come from (standard, document, article).")
    active = fields.Boolean(default=True)
    item_ids = fields.One2many("enforcement.file.review.checklist.item", "checklist_id", string="Items")
    total_points = fields.Float(compute="_compute_total_points", digits=(16, 1))
    excellent_percent = fields.Float(string="Excellent from (%)", default=90.0, digits=(16, 1))
    pass_percent = fields.Float(string="Pass from (%)", default=60.0, digits=(16, 1))

    _sql_constraints = [
        ("grades_ordered", "CHECK(pass_percent >= 0 AND pass_percent <= excellent_percent AND excellent_percent <= 100)",
         "The pass mark must be between 0 and the excellent mark, which is at most 100 %."),
    ]

    @api.depends("item_ids.points")
    def _compute_total_points(self):
        for checklist in self:
            checklist.total_points = sum(checklist.item_ids.mapped("points"))


class EnforcementFileReviewChecklistItem(models.Model):
    _name = "enforcement.file.review.checklist.item"
    _description = "Case File Review Checklist Item"
    _order = "checklist_id, sequence, id"

    checklist_id = fields.Many2one("enforcement.file.review.checklist", required=True, index=True,
                                   ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    guidance = fields.Text(string="What Is Checked")
    points = fields.Float(required=True, digits=(16, 1))

    _sql_constraints = [("points_positive", "CHECK(points > 0)", "An item is worth more than 0 points.")]


class EnforcementFileReview(models.Model):
    """A 案卷评查: the supervisor scores one archived case file against a
    checklist (points deducted per item, each deduction with its finding),
    orders corrections and closes the review once every correction is closed.

    Rights: only the supervisor creates, scores and closes reviews; the
    agency's leaders and officers read their agency's reviews, and leaders
    report their corrections done. The state moves only through the action_*
    buttons, whoever calls them.
    """

    _name = "enforcement.file.review"
    _description = "Case File Review"
    _inherit = ["mail.thread", "enforcement.process.state"]
    _order = "id desc"
    _process_fields = REVIEW_STEP_FIELDS

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    case_id = fields.Many2one("enforcement.case", required=True, index=True, ondelete="restrict",
                              domain="[('state', '=', 'archived')]")
    case_number = fields.Char(related="case_id.archive_number", string="Archive Number")
    agency_id = fields.Many2one(related="case_id.agency_id", store=True, index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    checklist_id = fields.Many2one("enforcement.file.review.checklist", string="Review Standard", required=True,
                                   ondelete="restrict", default=lambda self: self.env.ref(
                                       "admin_enforcement.file_review_checklist_guangdong",
                                       raise_if_not_found=False))
    reviewer_id = fields.Many2one("res.users", string="File Reviewer", readonly=True)
    selection = fields.Selection([("random", "Random Draw"), ("chosen", "Chosen")], default="chosen",
                                 required=True, readonly=True)
    draw_material = fields.Char(string="Draw Inputs", readonly=True,
                                help="Published inputs of the random draw: anyone reruns it with them.")
    draw_seed = fields.Char(string="Draw Seed (SHA-256)", readonly=True)
    draw_candidates = fields.Text(string="Files Drawn From", readonly=True,
                                  help="Ids of the archived cases the draw chose among, in id order.")
    line_ids = fields.One2many("enforcement.file.review.line", "review_id", string="Scores")
    max_score = fields.Float(compute="_compute_score", store=True, digits=(16, 1))
    score = fields.Float(compute="_compute_score", store=True, digits=(16, 1), aggregator="avg")
    score_percent = fields.Float(string="Score (%)", compute="_compute_score", store=True, digits=(16, 1),
                                 aggregator="avg")
    grade = fields.Selection(GRADES, compute="_compute_score", store=True)
    findings = fields.Text(string="Overall Findings")
    correction_ids = fields.One2many("enforcement.file.review.correction", "review_id", string="Corrections")
    open_correction_count = fields.Integer(compute="_compute_correction_counts", store=True)
    correction_count = fields.Integer(compute="_compute_correction_counts", store=True)
    state = fields.Selection(REVIEW_STATES, default="draft", required=True, readonly=True, tracking=True,
                             index=True)
    scored_at = fields.Datetime(readonly=True)
    closed_at = fields.Datetime(readonly=True)

    @api.depends("line_ids.deducted", "line_ids.max_points", "checklist_id.excellent_percent",
                 "checklist_id.pass_percent")
    def _compute_score(self):
        for review in self:
            review.max_score = sum(review.line_ids.mapped("max_points"))
            review.score = sum(line.max_points - line.deducted for line in review.line_ids)
            review.score_percent = review.score / review.max_score * 100 if review.max_score else 0.0
            checklist = review.checklist_id
            review.grade = (("excellent" if review.score_percent >= checklist.excellent_percent else
                             "pass" if review.score_percent >= checklist.pass_percent else "fail")
                            if review.line_ids else False)

    @api.depends("correction_ids.state")
    def _compute_correction_counts(self):
        for review in self:
            review.correction_count = len(review.correction_ids)
            review.open_correction_count = len(review.correction_ids.filtered(lambda c: c.state != "closed"))

    @api.constrains("case_id")
    def _check_case_archived(self):
        for review in self:
            if review.case_id.sudo().state != "archived":
                raise ValidationError(self.env._(
                    "Only archived case files are reviewed: case %(case)s is not archived.",
                    case=review.case_id.sudo().number or review.case_id.sudo().name))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            _check_supervisor(self.env)
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code("enforcement.file.review") or "/"
        reviews = super().create(vals_list)
        for review in reviews:
            review.sudo().reviewer_id = review.reviewer_id or self.env.user
            if not review.line_ids:
                self.env["enforcement.file.review.line"].create([
                    {"review_id": review.id, "item_id": item.id} for item in review.checklist_id.item_ids])
        return reviews

    def write(self, vals):
        if not self.env.su:
            _check_supervisor(self.env)
            if any(review.state == "closed" for review in self):
                raise UserError(self.env._("A closed file review is on record and cannot be changed."))
            if {"case_id", "checklist_id"} & set(vals) and any(r.state != "draft" for r in self):
                raise UserError(self.env._("The case and checklist of a scored review cannot be changed."))
        return super().write(vals)


    # ----- transitions, one per button -----

    def _check_state(self, allowed, action):
        for review in self:
            if review.state not in allowed:
                raise UserError(self.env._(
                    "File review %(review)s cannot be %(action)s in its current state.",
                    review=review.name, action=action))

    def action_score(self):
        """Scoring → scored: every deduction carries its finding."""
        _check_supervisor(self.env)
        self._check_state(("draft",), self.env._("scored"))
        for review in self:
            unexplained = review.line_ids.filtered(lambda line: line.deducted and not (line.finding or "").strip())
            if unexplained:
                raise UserError(self.env._(
                    "File review %(review)s: write the finding behind each deduction (%(items)s).",
                    review=review.name, items="、".join(unexplained.mapped("item_id.name"))))
        self.sudo().write({"state": "scored", "scored_at": fields.Datetime.now(), "reviewer_id": self.env.uid})
        return True

    def action_order_corrections(self):
        """Scored → corrections ordered: the agency is to correct what was found."""
        _check_supervisor(self.env)
        self._check_state(("scored",), self.env._("sent for correction"))
        for review in self:
            if not review.correction_ids:
                raise UserError(self.env._("File review %(review)s: add the corrections to order first.",
                                           review=review.name))
        self.sudo().write({"state": "rectifying"})
        return True

    def action_close(self):
        """Scored or corrections ordered → closed, once every correction is closed."""
        _check_supervisor(self.env)
        self._check_state(("scored", "rectifying"), self.env._("closed"))
        for review in self:
            if review.correction_ids.filtered(lambda c: c.state != "closed"):
                raise UserError(self.env._(
                    "File review %(review)s still has corrections that are not closed.", review=review.name))
        self.sudo().write({"state": "closed", "closed_at": fields.Datetime.now()})
        return True


class EnforcementFileReviewLine(models.Model):
    _name = "enforcement.file.review.line"
    _description = "Case File Review Score"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one("enforcement.file.review", required=True, index=True, ondelete="cascade")
    item_id = fields.Many2one("enforcement.file.review.checklist.item", string="Review Item", required=True,
                              ondelete="restrict")
    sequence = fields.Integer(related="item_id.sequence", store=True)
    max_points = fields.Float(related="item_id.points", store=True, string="Points")
    deducted = fields.Float(string="Points Deducted", digits=(16, 1))
    finding = fields.Text()
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)

    _sql_constraints = [("deducted_not_negative", "CHECK(deducted >= 0)", "Deducted points cannot be negative.")]

    @api.constrains("deducted", "max_points")
    def _check_deducted(self):
        for line in self:
            if line.deducted > line.max_points:
                raise ValidationError(self.env._(
                    "%(item)s: at most %(points)s points can be deducted.", item=line.item_id.name,
                    points=line.max_points))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            _check_supervisor(self.env)
        lines = super().create(vals_list)
        lines._check_review_open()
        return lines

    def write(self, vals):
        if not self.env.su:
            _check_supervisor(self.env)
            self._check_review_open()
        return super().write(vals)

    def _check_review_open(self):
        if any(line.review_id.state != "draft" for line in self):
            raise UserError(self.env._("The scores of a scored file review are on record and cannot be changed."))


class EnforcementFileReviewCorrection(models.Model):
    """A correction (整改) ordered by a file review, tracked to closure: the
    supervisor orders it, the agency's leader reports it done, the
    supervisor closes it or returns it.

    Rights: the supervisor orders, closes and returns; a leader of the case's
    agency writes the report and reports it done."""

    _name = "enforcement.file.review.correction"
    _description = "Ordered Correction"
    _inherit = ["enforcement.process.state"]
    _order = "review_id, sequence, id"
    _process_fields = CORRECTION_STEP_FIELDS

    review_id = fields.Many2one("enforcement.file.review", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    agency_id = fields.Many2one(related="review_id.agency_id", store=True, index=True)
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    description = fields.Text(string="Correction Ordered", required=True)
    due_date = fields.Date(string="Correct By")
    report = fields.Text(string="What Was Done")
    state = fields.Selection(CORRECTION_STATES, default="ordered", required=True, readonly=True, index=True)
    reported_by_id = fields.Many2one("res.users", readonly=True)
    reported_at = fields.Datetime(readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    closed_at = fields.Datetime(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            _check_supervisor(self.env)
        corrections = super().create(vals_list)
        for correction in corrections:
            if correction.review_id.state not in ("draft", "scored", "rectifying"):
                raise UserError(self.env._("A closed file review takes no new corrections."))
        return corrections

    def write(self, vals):
        if not self.env.su:
            if any(correction.state != "ordered" for correction in self):
                raise UserError(self.env._("Only an open correction can be edited."))
            if set(vals) - {"report"}:
                _check_supervisor(self.env)
            else:
                self._check_agency_leader()
        return super().write(vals)

    def _check_agency_leader(self):
        user = self.env.user
        for correction in self:
            if not (user.has_group(LEADER_GROUP) and correction.company_id in user.company_ids):
                raise AccessError(self.env._(
                    "Only a leader of %(agency)s reports its corrections.", agency=correction.agency_id.name))

    def action_report_done(self):
        """Ordered → reported done, by a leader of the agency, with what was done."""
        self._check_agency_leader()
        for correction in self:
            if correction.state != "ordered":
                raise UserError(self.env._("Only an ordered correction can be reported done."))
            if not (correction.report or "").strip():
                raise UserError(self.env._("Write what was done before reporting the correction done."))
        self.sudo().write({"state": "reported", "reported_by_id": self.env.uid, "reported_at": fields.Datetime.now()})
        return True

    def action_accept(self):
        """Reported done → closed, by the supervisor."""
        _check_supervisor(self.env)
        if any(correction.state != "reported" for correction in self):
            raise UserError(self.env._("Only a correction reported done can be closed."))
        self.sudo().write({"state": "closed", "closed_by_id": self.env.uid, "closed_at": fields.Datetime.now()})
        return True

    def action_return(self):
        """Reported done → ordered again, by the supervisor: the correction is not done."""
        _check_supervisor(self.env)
        if any(correction.state != "reported" for correction in self):
            raise UserError(self.env._("Only a correction reported done can be returned."))
        self.sudo().write({"state": "ordered", "reported_by_id": False, "reported_at": False})
        return True
