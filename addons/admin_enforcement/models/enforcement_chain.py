import json
import logging
import os
from datetime import datetime, time, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import config

from ..enforcement_core import hashchain

_logger = logging.getLogger(__name__)

BEIJING = timezone(timedelta(hours=8))
SOURCE_MODELS = ("enforcement.record", "enforcement.process.event")


def signing_key_path():
    """The bureau's Ed25519 key: odoo.conf ``enforcement_signing_key``, by default in the data directory."""
    return config.get("enforcement_signing_key") or os.path.join(config["data_dir"], "enforcement_signing_key.pem")


def load_or_create_signing_key():
    path = signing_key_path()
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        try:
            _logger.info("creating the bureau's anchor signing key at %s", path)
            return hashchain.generate_key(path)
        except FileExistsError:
            pass  # another process created it first
    return hashchain.load_private_key(path)


def iso_utc(value):
    return value.replace(tzinfo=timezone.utc).isoformat()


class EnforcementChainEntry(models.Model):
    """One link of a case's hash chain (全过程记录防篡改). Every full-process
    record and every process event of a case is appended, in order, with the
    canonical JSON of its content, the content hash, the time, the actor and
    the previous link's hash. Rows are append-only; any change made directly
    in the database is found by :meth:`_verify_cases`."""

    _name = "enforcement.chain.entry"
    _description = "Case Hash Chain Entry"
    _order = "case_id, seq"
    _rec_name = "entry_hash"

    case_id = fields.Many2one("enforcement.case", required=True, readonly=True, index=True, ondelete="restrict")
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    seq = fields.Integer(required=True, readonly=True)
    res_model = fields.Char(string="Source Model", required=True, readonly=True)
    res_id = fields.Integer(string="Source ID", required=True, readonly=True)
    payload = fields.Text(required=True, readonly=True, help="Canonical JSON of the content, exactly as hashed.")
    content_hash = fields.Char(required=True, readonly=True)
    timestamp = fields.Char(required=True, readonly=True)
    actor = fields.Char(required=True, readonly=True)
    prev_hash = fields.Char(required=True, readonly=True)
    entry_hash = fields.Char(required=True, readonly=True, index=True)

    _sql_constraints = [
        ("case_seq_unique", "unique(case_id, seq)", "A case's chain has one entry per position."),
        ("source_unique", "unique(res_model, res_id)", "A record or event is chained once."),
    ]

    def write(self, vals):
        raise AccessError(self.env._("Hash chain entries cannot be changed."))

    def unlink(self):
        raise AccessError(self.env._("Hash chain entries cannot be deleted."))

    # ----- appending -----

    @api.model
    def _append_records(self, sources):
        """Append each source (records or process events) to its case's chain."""
        for source in sources:
            self._append(source.case_id, source, source._chain_content())

    @api.model
    def _append(self, case, source, content):
        # One writer per case chain at a time; the lock ends with the transaction.
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", (0x43484149, case.id))
        self.env.cr.execute(
            "SELECT seq, entry_hash FROM enforcement_chain_entry WHERE case_id = %s ORDER BY seq DESC LIMIT 1",
            (case.id,),
        )
        row = self.env.cr.fetchone()
        seq, prev = (row[0] + 1, row[1]) if row else (1, hashchain.GENESIS_HASH)
        actor = self.env.user.login if not self.env.user._is_superuser() else "__system__"
        entry = hashchain.make_entry(prev, content, iso_utc(fields.Datetime.now()), actor)
        return self.sudo().create({
            "case_id": case.id,
            "company_id": case.company_id.id,
            "seq": seq,
            "res_model": source._name,
            "res_id": source.id,
            "payload": entry.payload.decode("utf-8"),
            "content_hash": entry.content_hash,
            "timestamp": entry.timestamp,
            "actor": entry.actor,
            "prev_hash": entry.prev_hash,
            "entry_hash": entry.entry_hash,
        })

    # ----- verifying -----

    @api.model
    def _verify_cases(self, cases=None, check_files=True):
        """Verify the chains of ``cases`` (all cases if None). Returns a list
        of per-case results ``{case_id, case, ok, seq, reason, entries}``
        where ``seq``/``reason`` name the first broken link."""
        cr = self.env.cr
        if cases is None:
            cr.execute("SELECT id FROM enforcement_case ORDER BY id")
            case_ids = [row[0] for row in cr.fetchall()]
        else:
            case_ids = cases.ids
        Case = self.env["enforcement.case"].sudo()
        return [self._verify_case(Case.browse(case_id), check_files) for case_id in case_ids]

    @api.model
    def _load_chain(self, case):
        self.env.cr.execute(
            "SELECT seq, res_model, res_id, payload, content_hash, timestamp, actor, prev_hash, entry_hash "
            "FROM enforcement_chain_entry WHERE case_id = %s ORDER BY seq, id",
            (case.id,),
        )
        return self.env.cr.fetchall()

    @api.model
    def _verify_case(self, case, check_files=True):
        rows = self._load_chain(case)
        problems = []  # (seq, reason); the first broken link is the lowest seq

        entries = [hashchain.ChainEntry(row[3].encode("utf-8"), *row[4:]) for row in rows]
        result = hashchain.verify_chain(entries)
        if not result.ok:
            index = result.first_broken_index
            seq = rows[index][0] if index < len(rows) else len(rows) + 1
            detail = result.reason.split(": ", 1)[-1]
            problems.append((seq, detail))
        for position, row in enumerate(rows, start=1):
            if row[0] != position:
                problems.append((position, f"position {position} holds entry seq {row[0]} (entry deleted or renumbered)"))
                break

        chained = {}
        for row in rows:
            chained.setdefault(row[1], {})[row[2]] = row
        problems += self._check_sources(case, chained, check_files)
        problems += self._check_anchored_heads(case, rows)

        entry_count = len(rows)
        if not problems:
            return {"case_id": case.id, "case": case.name, "ok": True, "seq": None,
                    "reason": f"{entry_count} entries verified", "entries": entry_count}
        seq, reason = min(problems, key=lambda problem: problem[0])
        return {"case_id": case.id, "case": case.name, "ok": False, "seq": seq,
                "reason": f"entry {seq}: {reason}", "entries": entry_count}

    @api.model
    def _check_sources(self, case, chained, check_files):
        """Each chained record/event still says what was hashed, and every
        record/event of the case is in the chain."""
        problems = []
        for model in SOURCE_MODELS:
            Source = self.env[model].sudo().with_context(active_test=False)
            rows = chained.get(model, {})
            self.env.cr.execute(f"SELECT id FROM {Source._table} WHERE case_id = %s", (case.id,))
            live_ids = {row[0] for row in self.env.cr.fetchall()}
            label = Source._description
            for res_id, row in rows.items():
                seq = row[0]
                if res_id not in live_ids:
                    problems.append((seq, f"{label} #{res_id} was deleted"))
                    continue
                source = Source.browse(res_id)
                stored = json.loads(row[3])
                current = source._chain_content()
                if hashchain.canonical_bytes(current) != hashchain.canonical_bytes(stored):
                    changed = sorted(k for k in set(stored) | set(current) if stored.get(k) != current.get(k))
                    problems.append((seq, f"{label} #{res_id} no longer matches its chained content "
                                          f"({', '.join(changed)} changed)"))
                    continue
                if check_files and model == "enforcement.record":
                    for file in source.file_ids:
                        on_disk = file._hash_blob()
                        if on_disk != file.sha256:
                            state = "is missing" if on_disk is None else "was replaced"
                            problems.append((seq, f"file {file.name} of record #{res_id} {state} "
                                                  f"(SHA-256 on disk does not match)"))
            # A row with no chain entry has no position; it is reported after every chained entry.
            after_chain = sum(map(len, chained.values())) + 1
            for res_id in sorted(live_ids - set(rows)):
                problems.append((after_chain, f"{label} #{res_id} is not in the chain (inserted outside the application)"))
        return problems

    @api.model
    def _check_anchored_heads(self, case, rows):
        """Every head signed into a daily anchor is still at its position:
        catches a tail cut off or rewritten consistently."""
        problems = []
        by_seq = {row[0]: row for row in rows}
        for leaf in self.env["enforcement.chain.anchor.leaf"].sudo().search([("case_id", "=", case.id)]):
            row = by_seq.get(leaf.seq)
            if row is None or row[8] != leaf.entry_hash:
                problems.append((leaf.seq, f"does not match the head signed in the anchor of "
                                           f"{leaf.anchor_id.anchor_date} (entries removed or rewritten)"))
        return problems


class EnforcementChainAnchor(models.Model):
    """The bureau's daily anchor: a Merkle root over the heads of every case
    chain that grew that day, signed with the bureau's Ed25519 key. A tail
    deleted or rewritten after the anchor no longer matches it."""

    _name = "enforcement.chain.anchor"
    _description = "Daily Hash Chain Anchor"
    _order = "anchor_date desc, id desc"
    _rec_name = "anchor_date"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    anchor_date = fields.Date(required=True, readonly=True)
    anchored_at = fields.Char(required=True, readonly=True)
    leaf_count = fields.Integer(required=True, readonly=True)
    merkle_root = fields.Char(required=True, readonly=True)
    last_entry_hash = fields.Char(required=True, readonly=True)
    signature = fields.Char(required=True, readonly=True)
    public_key = fields.Text(required=True, readonly=True)
    leaf_ids = fields.One2many("enforcement.chain.anchor.leaf", "anchor_id", readonly=True)

    _sql_constraints = [
        ("company_day_unique", "unique(company_id, anchor_date)", "One anchor per agency and day."),
    ]

    def write(self, vals):
        raise AccessError(self.env._("Anchors cannot be changed."))

    def unlink(self):
        raise AccessError(self.env._("Anchors cannot be deleted."))

    @api.model
    def _cron_anchor_yesterday(self):
        day = (datetime.now(BEIJING) - timedelta(days=1)).date()
        for company in self.env["res.company"].sudo().search([]):
            self._anchor_day(company, day)

    @api.model
    def _anchor_day(self, company, day):
        """Sign the heads, as of the end of ``day`` (Beijing time), of the
        chains that grew that day. Idempotent per agency and day."""
        existing = self.sudo().search([("company_id", "=", company.id), ("anchor_date", "=", day)])
        if existing:
            return existing
        start = datetime.combine(day, time.min, BEIJING).astimezone(timezone.utc).replace(tzinfo=None)
        end = start + timedelta(days=1)
        self.env.cr.execute(
            """SELECT DISTINCT ON (case_id) case_id, seq, entry_hash
                 FROM enforcement_chain_entry
                WHERE company_id = %s AND create_date >= %s AND create_date < %s
                ORDER BY case_id, seq DESC""",
            (company.id, start, end),
        )
        heads = self.env.cr.fetchall()
        if not heads:
            return self.browse()
        key = load_or_create_signing_key()
        leaves = [entry_hash for _case, _seq, entry_hash in heads]
        unsigned = hashchain.Anchor(
            merkle_root=hashchain.merkle_root(leaves),
            leaf_count=len(leaves),
            last_entry_hash=leaves[-1],
            anchored_at=datetime.now(timezone.utc).isoformat(),
            signature="",
        )
        return self.sudo().create({
            "company_id": company.id,
            "anchor_date": day,
            "anchored_at": unsigned.anchored_at,
            "leaf_count": unsigned.leaf_count,
            "merkle_root": unsigned.merkle_root,
            "last_entry_hash": unsigned.last_entry_hash,
            "signature": key.sign(unsigned.signed_bytes()).hex(),
            "public_key": hashchain.public_key_pem(key).decode(),
            "leaf_ids": [
                fields.Command.create({"position": position, "case_id": case_id, "seq": seq, "entry_hash": entry_hash})
                for position, (case_id, seq, entry_hash) in enumerate(heads)
            ],
        })

    def _as_core_anchor(self):
        self.ensure_one()
        return hashchain.Anchor(self.merkle_root, self.leaf_count, self.last_entry_hash,
                                self.anchored_at, self.signature)

    def _verify(self):
        """Problems with these anchors: bad signature, a key that is not the
        bureau's, or leaves that no longer give the signed root."""
        bureau_key = hashchain.public_key_pem(load_or_create_signing_key()).decode()
        problems = []
        for anchor in self:
            label = f"anchor {anchor.anchor_date} ({anchor.company_id.name})"
            if anchor.public_key != bureau_key:
                problems.append(f"{label}: signed with a key that is not the bureau's signing key")
            public_key = hashchain.load_public_key(anchor.public_key.encode())
            if not hashchain.verify_anchor(public_key, anchor._as_core_anchor()):
                problems.append(f"{label}: signature does not verify")
            leaves = anchor.leaf_ids.sorted("position").mapped("entry_hash")
            if (len(leaves) != anchor.leaf_count or not leaves
                    or hashchain.merkle_root(leaves) != anchor.merkle_root or leaves[-1] != anchor.last_entry_hash):
                problems.append(f"{label}: its leaves no longer give the signed Merkle root")
        return problems


class EnforcementChainAnchorLeaf(models.Model):
    _name = "enforcement.chain.anchor.leaf"
    _description = "Daily Anchor Leaf (a case chain head)"
    _order = "anchor_id, position"

    anchor_id = fields.Many2one("enforcement.chain.anchor", required=True, readonly=True, index=True,
                                ondelete="restrict")
    company_id = fields.Many2one(related="anchor_id.company_id", store=True)
    position = fields.Integer(required=True, readonly=True)
    case_id = fields.Many2one("enforcement.case", required=True, readonly=True, index=True, ondelete="restrict")
    seq = fields.Integer(required=True, readonly=True)
    entry_hash = fields.Char(required=True, readonly=True)

    def write(self, vals):
        raise AccessError(self.env._("Anchors cannot be changed."))

    def unlink(self):
        raise AccessError(self.env._("Anchors cannot be deleted."))


class EnforcementProcessEvent(models.Model):
    _inherit = "enforcement.process.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        self.env["enforcement.chain.entry"]._append_records(events)
        return events

    def write(self, vals):
        raise AccessError(self.env._("Process events cannot be changed."))

    def unlink(self):
        raise AccessError(self.env._("Process events cannot be deleted."))

    def _chain_content(self):
        self.ensure_one()
        return {
            "type": "process_event",
            "id": self.id,
            "case": self.case_id.name,
            "kind": self.kind,
            "step": self.step or "",
            "step_name": self.step_name or "",
            "outcome": self.outcome or "",
            "actor": self.actor_id.login or "",
            "job_key": self.job_key or "",
            "at": fields.Datetime.to_string(self.create_date),
        }

