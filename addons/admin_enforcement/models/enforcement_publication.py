import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.modules.db import has_trigram
from odoo.osv import expression
from odoo.tools import SQL, create_index

from ..enforcement_core.china_clock import china_today
from ..enforcement_core.deadlines import end_of_day_iso
from ..enforcement_core.redaction import MASK, RedactionRules, mask_address, mask_name, redact
from ..services.record_keeping import removing_the_addon
from .enforcement_publication_policy import PUBLICATION_CATEGORIES, PUBLISH_RULE, SEVERITIES

WITHDRAWAL_REASONS = [
    ("revoked", "Decision Revoked"),
    ("illegal", "Decision Held Illegal"),
    ("remade", "Decision Re-made"),
]
#: Source fields: what the decision says, unredacted. Once published they are
#: frozen; a change while in draft voids the redaction the publisher confirmed.
SOURCE_FIELDS = frozenset({
    "title", "decision_number", "decision_category", "severity", "decided_on", "party_type",
    "party_name", "party_id_number", "party_address", "other_person_names", "other_addresses",
    "marked_phrases", "conclusion", "full_text", "agency_id",
})
AGENCY_STAFF = "admin_enforcement.group_enforcement_officer,admin_enforcement.group_enforcement_legal_reviewer"
#: Set only by the transitions (through ``_write_state``), never by a client.
STATE_FIELDS = frozenset({
    "public_title", "public_party", "public_conclusion", "public_text", "redaction_log", "redaction_confirmed",
    "redaction_confirmed_by_id", "state", "publish_due", "published_on", "published_by_id", "period_end",
    "withdrawal_requested_on", "withdrawal_due", "withdrawn_on", "case_id",
})
#: What a transition writes: the state fields and the reason of a withdrawal request.
TRANSITION_FIELDS = STATE_FIELDS | {"withdrawal_reason", "withdrawal_note"}
#: The only fields the public portal reads.
PUBLIC_FIELDS = (
    "id", "decision_number", "decision_category", "agency_name", "public_title", "public_party",
    "public_conclusion", "public_text", "decided_on", "published_on", "period_end",
)


_logger = logging.getLogger(__name__)

#: Columns the public search matches by substring, each with a pg_trgm GIN
#: index (``index="trigram"``, for 3 characters and more) and a GIN index of
#: its 1- and 2-character grams (``_GRAMS_FUNCTION``, for shorter searches:
#: 张三, 食品 — pg_trgm cannot use its index below 3 characters).
SEARCH_COLUMNS = ("public_party", "decision_number", "public_title", "public_conclusion")
#: Above this many matches the portal stops counting (a count over every
#: published decision on each page would dominate the page's cost).
COUNT_CAP = 1000
_GRAMS_FUNCTION = "enforcement_search_grams"


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EnforcementPublication(models.Model):
    """Publication of an enforcement decision (事后公开, 行政处罚法 art. 48).

    A decision creates its publication, due 7 working days after the decision
    for penalties and licences and 20 for other decisions (rules
    ``publication_penalty`` / ``publication_other``, configurable). The
    publisher reviews the redacted text proposed by
    ``enforcement_core.redaction``, marks anything else to hide, confirms it
    and publishes. A revoked, illegal or re-made decision is withdrawn within
    3 working days (rule ``withdrawal``). The publication period ends by the
    agency's policy. The portal serves only ``_public_domain()`` rows and
    only ``PUBLIC_FIELDS``.

    Rights: officers and leaders of the agency prepare, confirm, publish and
    withdraw; the supervisor reads every agency's publications.
    """

    _name = "enforcement.publication"
    _description = "Decision Publication"
    _inherit = ["mail.thread"]
    _order = "published_on desc, publish_due, id desc"
    _check_company_auto = True
    _rec_name = "decision_number"

    # ----- the decision (source, unredacted) -----
    case_id = fields.Many2one("enforcement.case", index=True, ondelete="restrict", readonly=True)
    agency_id = fields.Many2one(
        "enforcement.agency", required=True, index=True, ondelete="restrict",
        default=lambda self: self.env["enforcement.agency"].search(
            [("company_id", "=", self.env.company.id)], limit=1),
    )
    agency_name = fields.Char(related="agency_id.name")
    company_id = fields.Many2one(related="agency_id.company_id", store=True, index=True)
    title = fields.Char(required=True, tracking=True, help="Title of the case as decided.")
    decision_number = fields.Char(required=True, index="trigram", tracking=True)
    decision_category = fields.Selection(PUBLICATION_CATEGORIES, required=True, default="penalty", index=True)
    severity = fields.Selection(SEVERITIES, required=True, default="general")
    decided_on = fields.Date(required=True, index=True, tracking=True)
    party_type = fields.Selection(
        [("person", "Natural Person"), ("organisation", "Organisation")], required=True, default="person",
    )
    party_name = fields.Char(required=True)
    # What only the agency's own staff read: the supervisor reads the decision and what was published.
    party_id_number = fields.Char(string="Party ID Number / USCC", groups=AGENCY_STAFF)
    party_address = fields.Char(groups=AGENCY_STAFF)
    other_person_names = fields.Text(
        help="Other natural persons named in the decision (witnesses, legal representatives), one a line.",
        groups=AGENCY_STAFF,
    )
    other_addresses = fields.Text(help="Other addresses of natural persons in the decision, one a line.",
                                  groups=AGENCY_STAFF)
    marked_phrases = fields.Text(
        string="Also Hide",
        help="Anything else to hide (trade secrets, names the redaction missed), one phrase a line.",
    )
    conclusion = fields.Text(required=True, help="Result of the decision, e.g. 警告，罚款人民币伍仟元.")
    full_text = fields.Text(string="Decision Full Text", groups=AGENCY_STAFF)

    # ----- what the public sees (redacted) -----
    public_title = fields.Char(readonly=True, index="trigram")
    public_party = fields.Char(readonly=True, index="trigram")
    public_conclusion = fields.Text(readonly=True, index="trigram")
    public_text = fields.Text(readonly=True, help="Redacted full text; empty unless the policy publishes it.")
    redaction_log = fields.Json(readonly=True, copy=False, groups=AGENCY_STAFF)  # holds the originals
    redaction_summary = fields.Text(compute="_compute_redaction_summary", groups=AGENCY_STAFF)
    redaction_confirmed = fields.Boolean(readonly=True, copy=False, tracking=True)
    redaction_confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    # ----- life cycle -----
    state = fields.Selection(
        [("draft", "To Publish"), ("published", "Published"), ("withdrawn", "Withdrawn"), ("expired", "Ended")],
        default="draft", required=True, readonly=True, index=True, tracking=True, copy=False,
    )
    publish_due = fields.Date(string="Publish By", readonly=True, copy=False, tracking=True)
    published_on = fields.Date(readonly=True, copy=False, index=True, tracking=True)
    published_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    period_end = fields.Date(
        string="Public Until", readonly=True, copy=False, index=True,
        help="Last day the decision is public (agency's publication policy); empty = without end.",
    )
    withdrawal_reason = fields.Selection(WITHDRAWAL_REASONS, copy=False, tracking=True)
    withdrawal_note = fields.Text(copy=False)
    withdrawal_requested_on = fields.Date(readonly=True, copy=False)
    withdrawal_due = fields.Date(string="Withdraw By", readonly=True, copy=False, tracking=True)
    withdrawn_on = fields.Date(readonly=True, copy=False, tracking=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    _sql_constraints = [
        (
            "decision_number_unique",
            "unique(company_id, decision_number)",
            "An agency publishes a decision once: this decision number already has a publication.",
        ),
    ]

    def init(self):
        """The indexes of the public substring search (``SEARCH_COLUMNS``).

        pg_trgm is a trusted extension: the owner of the database may create
        it. Where it cannot be created, or where the database's LC_CTYPE is
        C (pg_trgm then skips Chinese characters), every search length goes
        through the gram indexes, which need no extension."""
        cr = self.env.cr
        if not has_trigram(cr):
            try:
                with cr.savepoint(flush=False):
                    cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except psycopg2.Error as error:
                _logger.warning(
                    "public decision search: cannot create the PostgreSQL extension pg_trgm (%s); searches "
                    "use the 1-2 character gram indexes at every length instead (slower on common "
                    "characters). A superuser can run CREATE EXTENSION pg_trgm in database %s.",
                    str(error).strip(), cr.dbname)
            # Odoo creates the fields' trigram indexes right after init() when it knows the extension.
            self.env.registry.has_trigram = has_trigram(cr)
        # Changing this body would leave the gram indexes stale: give a new function name instead.
        cr.execute(SQL("""
            CREATE OR REPLACE FUNCTION %s(value text) RETURNS text[]
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                SELECT coalesce(array_agg(DISTINCT substr(lower(value), start, width)), '{}')
                FROM generate_series(1, char_length(value)) AS start, (VALUES (1), (2)) AS widths(width)
                WHERE start + width - 1 <= char_length(value)
            $$""", SQL.identifier(_GRAMS_FUNCTION)))
        for column in SEARCH_COLUMNS:
            create_index(cr, f"{self._table}__{column}_grams_index", self._table,
                         [f'{_GRAMS_FUNCTION}("{column}")'], method="gin")
        self.env.registry.clear_cache()
        if self._search_uses_trigram():
            _logger.info("public decision search: pg_trgm indexes serve searches of 3 characters or more, "
                         "the gram indexes shorter ones")
        elif self.env.registry.has_trigram:
            _logger.warning(
                "public decision search: database %s has LC_CTYPE %s, where pg_trgm ignores Chinese "
                "characters; searches use the 1-2 character gram indexes at every length instead (slower on "
                "common characters). Create the database with LC_CTYPE C.UTF-8 to use pg_trgm.",
                cr.dbname, self._database_ctype())

    def _database_ctype(self):
        self.env.cr.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        return self.env.cr.fetchone()[0]

    @api.model
    @tools.ormcache()
    def _search_uses_trigram(self):
        """Whether pg_trgm's indexes can find Chinese text here: the extension
        is installed and the database's LC_CTYPE classifies CJK characters as
        letters (C.UTF-8, zh_CN.UTF-8, …; not C or POSIX)."""
        return has_trigram(self.env.cr) and self._database_ctype() not in ("C", "POSIX")

    @api.depends("redaction_log")
    def _compute_redaction_summary(self):
        labels = {
            "person_name": self.env._("name"), "id_number": self.env._("ID number"),
            "mobile": self.env._("mobile number"), "landline": self.env._("landline number"),
            "address": self.env._("address"), "bank_account": self.env._("bank account"),
            "marked": self.env._("marked by the publisher"),
        }
        for publication in self:
            publication.redaction_summary = "\n".join(
                f"{labels.get(entry['kind'], entry['kind'])}: {entry['original']} → {entry['replacement']}"
                for entry in publication.redaction_log or []
            )

    @api.depends_context("date")
    @api.depends("state", "publish_due", "withdrawal_due")
    def _compute_is_overdue(self):
        today = fields.Date.to_date(self._context.get("date")) or china_today()
        for publication in self:
            publication.is_overdue = bool(
                (publication.state == "draft" and publication.publish_due and publication.publish_due < today)
                or (publication.state == "published" and publication.withdrawal_due
                    and publication.withdrawal_due < today)
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(self.env._("Unsupported search on overdue: %(op)s", op=operator))
        today = china_today()
        overdue = self._search([
            "|",
            "&", ("state", "=", "draft"), ("publish_due", "<", today),
            "&", ("state", "=", "published"), ("withdrawal_due", "<", today),
        ])
        return [("id", "in" if (operator == "=") == value else "not in", overdue)]

    # ------------------------------------------------------------------
    # Creation
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._refuse_state_fields(vals)
        publications = super().create(vals_list)
        publications._set_publish_due()
        publications._propose_redaction()
        return publications

    def _set_publish_due(self):
        for publication in self:
            publication._write_state({
                "publish_due": self.env["enforcement.calendar"]._due_date(
                    PUBLISH_RULE[publication.decision_category], publication.decided_on),
            })

    @api.model
    def _create_for_case(self, case, kind, decided_on, decision_number=None):
        """The publication of ``case``'s decision, or an empty recordset when
        the agency's policy does not publish such decisions.

        ``kind`` is the process's ``decision_kind`` (``penalty``,
        ``no_penalty``) or a category (``licence``, ``other``). Idempotent:
        a decision already published returns its publication.
        """
        category = {"penalty": "penalty", "no_penalty": "other"}.get(kind, kind)
        if category not in PUBLISH_RULE:
            raise UserError(self.env._("Unknown kind of decision to publish: %(kind)s", kind=kind))
        values = case._publication_source_values()
        decision_number = decision_number or values.get("decision_number") or case.number or case.name
        existing = self.search([("company_id", "=", case.company_id.id), ("decision_number", "=", decision_number)])
        if existing:
            return existing
        severity = values.get("severity", "general")
        if not self.env["enforcement.publication.policy"]._policy_for(case.company_id, category, severity).publish:
            return self.browse()
        values.update({
            "case_id": case.id, "agency_id": case.agency_id.id, "decision_number": decision_number,
            "decision_category": category, "severity": severity, "decided_on": decided_on,
        })
        return self.sudo().create(values).with_env(self.env)

    def _open_publishing_task(self):
        """Publishing is a step of a process (enforcement_publication): the
        publisher's task carries the deadline, so a late publication is an
        overdue task in My Tasks, like any other step."""
        for publication in self.filtered(lambda p: p.state == "draft" and p.case_id):
            self.env["enforcement.outbox"]._enqueue_message(
                "enforcement.publication_opened",
                business_key=publication.case_id.name,
                variables={
                    "case_id": publication.case_id.id,
                    "publication_id": publication.id,
                    "publish_due": end_of_day_iso(publication.publish_due),
                },
                message_id=f"publication_opened:{publication.id}",
                case=publication.case_id,
                starts="enforcement_publication",
            )

    # ------------------------------------------------------------------
    # Redaction (the publisher sees it, marks more, confirms)
    # ------------------------------------------------------------------
    def _policy(self):
        self.ensure_one()
        return self.env["enforcement.publication.policy"]._policy_for(
            self.company_id, self.decision_category, self.severity)

    def _redaction_inputs(self):
        self.ensure_one()
        persons = _lines(self.other_person_names)
        addresses = _lines(self.other_addresses)
        organisations = []
        if self.party_type == "person":
            persons.append(self.party_name)
            if self.party_address:
                addresses.append(self.party_address)
        else:
            organisations.append(self.party_name)
            if self.party_id_number:
                organisations.append(self.party_id_number)
        return persons, addresses, organisations

    def _redact_text(self, text, rules):
        if not text:
            return "", []
        persons, addresses, organisations = self._redaction_inputs()
        marked = []
        for phrase in _lines(self.marked_phrases):
            start = text.find(phrase)
            while start >= 0:
                marked.append((start, start + len(phrase)))
                start = text.find(phrase, start + len(phrase))
        try:
            result = redact(text, person_names=persons, addresses=addresses, marked_spans=marked,
                            organisations=organisations, rules=rules)
        except ValueError as exc:
            raise UserError(self.env._(
                "The decision %(number)s cannot be redacted: %(reason)s", number=self.decision_number,
                reason=str(exc),
            )) from exc
        return result.text, [
            {"kind": r.kind, "original": r.original, "replacement": r.replacement, "start": r.start}
            for r in result.redactions
        ]

    def _propose_redaction(self):
        """Fill the public fields with the redacted text; the publisher must confirm it again."""
        for publication in self:
            policy = publication._policy()
            rules = RedactionRules(kinds=policy._redaction_kinds())
            log = []
            public = {}
            for source, target in (("title", "public_title"), ("party_name", "public_party"),
                                   ("conclusion", "public_conclusion"), ("full_text", "public_text")):
                if target == "public_text" and not policy.full_text:
                    public[target] = False
                    continue
                text, entries = publication._redact_text(publication[source], rules)
                public[target] = text
                log.extend(dict(entry, field=source) for entry in entries)
            if publication.party_type == "person" and "person_name" in rules.kinds:
                public["public_party"] = publication._mask_person(publication.party_name)
            publication._write_state({
                **public, "redaction_log": log, "redaction_confirmed": False, "redaction_confirmed_by_id": False,
            })

    def _mask_person(self, name):
        return mask_name(name) if len(name) >= 2 else name

    def _personal_data_left(self):
        """Pieces of personal data still readable in the public fields (a last check before publishing)."""
        self.ensure_one()
        kinds = self._policy()._redaction_kinds()
        persons, addresses, _organisations = self._redaction_inputs()
        needles = list(_lines(self.marked_phrases))
        if "person_name" in kinds:
            needles += persons
        if "address" in kinds:
            # The part of an address below the district, which redaction hides, must not show anywhere.
            needles += [address[len(mask_address(address).removesuffix(MASK)):] for address in addresses]
        if "id_number" in kinds and self.party_type == "person" and self.party_id_number:
            needles.append(self.party_id_number)
        public = "\n".join(filter(None, (self.public_title, self.public_party, self.public_conclusion,
                                         self.public_text)))
        found = [needle for needle in needles if needle and needle in public]
        # Names also hide inside the organisation's own name (张三丰食品店): those are published on purpose.
        if self.party_type == "organisation":
            found = [needle for needle in found if needle not in self.party_name]
        return found

    def action_redact(self):
        self._require_state({"draft"}, self.env._("redact"))
        self._propose_redaction()
        return True

    def action_confirm_redaction(self):
        """The publisher has read the redacted text and accepts it."""
        self._require_state({"draft"}, self.env._("confirm the redaction of"))
        for publication in self:
            left = publication._personal_data_left()
            if left:
                raise UserError(self.env._(
                    "The redacted text of %(number)s still shows %(items)s: mark it under 'Also Hide' and "
                    "redact again.", number=publication.decision_number, items=", ".join(left),
                ))
        self._write_state({"redaction_confirmed": True, "redaction_confirmed_by_id": self.env.uid})
        return True

    # ------------------------------------------------------------------
    # Transitions
    # ------------------------------------------------------------------
    def _require_state(self, allowed, action):
        wrong = self.filtered(lambda p: p.state not in allowed)
        if wrong:
            raise UserError(self.env._(
                "Cannot %(action)s publication(s) %(numbers)s in their current status.",
                action=action, numbers=", ".join(wrong.mapped("decision_number")),
            ))

    def _require_leader(self, action):
        """Publishing and withdrawing speak for the bureau: a leader does it."""
        if not (self.env.su or self.env.user.has_group("admin_enforcement.group_enforcement_leader")):
            raise AccessError(self.env._("Only a leader can %(action)s a decision publication.", action=action))

    def action_publish(self):
        self._require_leader(self.env._("publish"))
        self._require_state({"draft"}, self.env._("publish"))
        unconfirmed = self.filtered(lambda p: not p.redaction_confirmed)
        if unconfirmed:
            raise UserError(self.env._(
                "Review and confirm the redacted text of %(numbers)s before publishing.",
                numbers=", ".join(unconfirmed.mapped("decision_number")),
            ))
        today = china_today()
        for publication in self:
            left = publication._personal_data_left()
            if left:
                raise UserError(self.env._(
                    "The redacted text of %(number)s still shows %(items)s.",
                    number=publication.decision_number, items=", ".join(left),
                ))
            months = publication._policy().period_months
            publication._write_state({
                "state": "published",
                "published_on": today,
                "published_by_id": self.env.uid,
                "period_end": today + relativedelta(months=months, days=-1) if months else False,
            })
        return True

    def _request_withdrawal(self, reason, note=None):
        """The decision was revoked, held illegal or re-made: withdraw within 3 working days."""
        if reason not in dict(WITHDRAWAL_REASONS):
            raise UserError(self.env._("Give the reason for the withdrawal: revoked, held illegal or re-made."))
        self._require_state({"published"}, self.env._("withdraw"))
        today = china_today()
        due = self.env["enforcement.calendar"]._due_date("withdrawal", today)
        for publication in self.filtered(lambda p: not p.withdrawal_requested_on):
            publication._write_state({
                "withdrawal_reason": reason, "withdrawal_note": note or publication.withdrawal_note,
                "withdrawal_requested_on": today, "withdrawal_due": due,
            })
        return True

    def action_withdraw(self):
        """Withdraw now: the portal shows the decision as withdrawn, without its content."""
        self._require_leader(self.env._("withdraw"))
        self._require_state({"published"}, self.env._("withdraw"))
        missing = self.filtered(lambda p: not p.withdrawal_reason)
        if missing:
            raise UserError(self.env._(
                "Give the reason for withdrawing %(numbers)s (revoked, held illegal or re-made).",
                numbers=", ".join(missing.mapped("decision_number")),
            ))
        today = china_today()
        for publication in self:
            if not publication.withdrawal_requested_on:
                publication._request_withdrawal(publication.withdrawal_reason)
        self._write_state({"state": "withdrawn", "withdrawn_on": today})
        return True

    @api.model
    def _cron_end_publication_periods(self):
        """Daily: publications whose period is over are no longer public."""
        ended = self.search([("state", "=", "published"), ("period_end", "<", china_today())])
        ended._write_state({"state": "expired"})
        return ended

    def _refuse_state_fields(self, vals):
        protected = STATE_FIELDS & set(vals)
        if protected:
            raise UserError(self.env._(
                "%(fields)s of a publication change only through its buttons (redact, confirm, publish, "
                "withdraw).", fields=", ".join(self._fields[name]._description_string(self.env) for name in sorted(protected)),
            ))

    def _write_state(self, vals):
        """The one way the transitions above (redaction, confirmation,
        publishing, withdrawal, the end of a period) write the state fields,
        once they have run their own checks.

        :meth:`write` refuses those fields to every caller, the superuser
        included, so this private method (no RPC call reaches a method whose
        name starts with ``_``) writes past it, and only them: a source field
        here would slip past the freeze of published content, so it is refused.
        """
        stray = set(vals) - TRANSITION_FIELDS
        if stray:
            raise ValueError(f"_write_state writes only transition fields, not {', '.join(sorted(stray))}")
        return super().write(vals)  # pylint: disable=super-method-mismatch  # the guarded bypass of write()

    def write(self, vals):
        self._refuse_state_fields(vals)
        touched = SOURCE_FIELDS & set(vals)
        if touched:
            frozen = self.filtered(lambda p: p.state != "draft")
            if frozen:
                raise UserError(self.env._(
                    "Publication %(numbers)s is no longer a draft: its content cannot change. Withdraw it and "
                    "publish the re-made decision instead.", numbers=", ".join(frozen.mapped("decision_number")),
                ))
        if "withdrawal_reason" in vals and self.filtered(lambda p: p.state == "withdrawn"):
            raise UserError(self.env._("The reason of a completed withdrawal cannot change."))
        result = super().write(vals)
        if touched:
            if "decided_on" in vals or "decision_category" in vals:
                self._set_publish_due()
            self._propose_redaction()
        return result

    @api.ondelete(at_uninstall=True)
    def _unlink_except_published(self):
        if removing_the_addon(self.env):
            return
        if self.filtered(lambda p: p.state != "draft"):
            raise UserError(self.env._(
                "A publication that has been public stays on record; withdraw it instead of deleting it."))

    # ------------------------------------------------------------------
    # Public access (the portal controller reads through these only)
    # ------------------------------------------------------------------
    @api.model
    def _public_domain(self):
        today = fields.Date.to_date(self._context.get("date")) or china_today()
        return [
            ("state", "=", "published"),
            ("redaction_confirmed", "=", True),
            ("published_on", "<=", today),
            "|", ("period_end", "=", False), ("period_end", ">=", today),
        ]

    @api.model
    def _public_search_domain(self, party=None, category=None, date_from=None, date_to=None, number=None,
                              agency_id=None, keyword=None):
        """The search form as a domain (``_public_query`` adds ``_public_domain``). Values are
        ORM parameters, never SQL text; the party is matched on the redacted name only, the
        keyword on the case title and the result."""
        domain = []
        if party:
            domain += self._substring_domain(["public_party"], party)
        if keyword:
            domain += self._substring_domain(["public_title", "public_conclusion"], keyword)
        if category in dict(PUBLICATION_CATEGORIES):
            domain.append(("decision_category", "=", category))
        if date_from:
            domain.append(("decided_on", ">=", date_from))
        if date_to:
            domain.append(("decided_on", "<=", date_to))
        if number:
            domain += self._substring_domain(["decision_number"], number)
        if agency_id:
            domain.append(("agency_id", "=", agency_id))
        return domain

    @api.model
    def _substring_domain(self, columns, value):
        """Rows where one of ``columns`` (of ``SEARCH_COLUMNS``) contains ``value``, case-insensitively."""
        return expression.OR([[(column, "ilike", value)] for column in columns])

    def _condition_to_sql(self, alias, fname, operator, value, query):
        """``ilike`` on a search column in a form an index serves. From 3
        characters pg_trgm's index serves the plain ``ILIKE``. A shorter value
        (张三, 食品, 王), or any value where pg_trgm cannot read Chinese, first
        takes the rows holding each 1- and 2-character gram of the value from
        the gram index, which ``ILIKE`` then checks. Values with LIKE
        wildcards keep the plain ``ILIKE``."""
        condition = super()._condition_to_sql(alias, fname, operator, value, query)
        if (fname in SEARCH_COLUMNS and operator == "ilike" and isinstance(value, str) and value
                and not any(char in value for char in "%_\\")
                and not (len(value) >= 3 and self._search_uses_trigram())):
            function = SQL.identifier(_GRAMS_FUNCTION)
            condition = SQL("(%s(%s) @> %s(%s) AND %s)", function, SQL.identifier(alias, fname), function, value,
                            condition)
        return condition

    @api.model
    def _public_query(self, domain, limit=None, offset=0, order="decided_on desc, id desc"):
        """The query of the public rows matching ``domain``, as superuser limited to
        ``_public_domain``: what the portal lists (newest decision first) and counts."""
        return self.sudo()._search([*self._public_domain(), *domain], limit=limit, offset=offset, order=order)

    @api.model
    def _public_count(self, domain):
        """How many public rows match, counted up to ``COUNT_CAP + 1`` only."""
        return len(self._public_query(domain, limit=COUNT_CAP + 1, order=None))

    @api.model
    def _public_read(self, domain, limit=None, offset=0):
        """Public fields of public rows, as superuser limited to ``_public_domain``."""
        return self.sudo().browse(self._public_query(domain, limit=limit, offset=offset))._public_values()

    def _public_values(self):
        categories = dict(self._fields["decision_category"]._description_selection(self.env))
        return [
            {
                **{name: record[name] or "" for name in PUBLIC_FIELDS},
                "category_label": categories[record.decision_category],
            }
            for record in self
        ]

    @api.model
    def _public_withdrawn_notice(self, publication_id):
        """For a withdrawn decision: the number and the withdrawal, never the content."""
        record = self.sudo().search([("id", "=", publication_id), ("state", "=", "withdrawn")], limit=1)
        if not record:
            return None
        reasons = dict(self._fields["withdrawal_reason"]._description_selection(self.env))
        return {
            "decision_number": record.decision_number,
            "agency_name": record.agency_id.name,
            "withdrawn_on": record.withdrawn_on,
            "reason": reasons.get(record.withdrawal_reason, ""),
        }
