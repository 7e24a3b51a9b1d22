import json
import logging
import os
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, config

from ..enforcement_core import hashchain
from ..enforcement_core.china_clock import china_day_start_utc, china_now

_logger = logging.getLogger(__name__)

SOURCE_MODELS = ("enforcement.record", "enforcement.process.event")
# What a chain is kept for (its subject) -> the entry's field naming it, and
# the sources chained to it with the column that names the subject in their
# table. A case's chain is the one every chain was before inspections.
CHAIN_SUBJECTS = {
    "enforcement.case": ("case_id", (("enforcement.record", "case_id"), ("enforcement.process.event", "case_id"))),
    "enforcement.inspection": ("inspection_id", (("enforcement.record", "inspection_id"),)),
    "enforcement.inspection.plan": ("plan_id", (("enforcement.inspection.draw", "plan_id"),)),
}
PUBLISHED_FORMAT = "admin_enforcement/published-anchors@1"


def signing_key_path():
    """The bureau's Ed25519 key: odoo.conf ``enforcement_signing_key``, by default in the data directory."""
    return config.get("enforcement_signing_key") or os.path.join(config["data_dir"], "enforcement_signing_key.pem")


def key_ring_path():
    """Every public key the bureau has signed with (the key ring): odoo.conf
    ``enforcement_public_keys``, by default next to the data directory's key.
    Like the private key it lives outside the database, so a database
    administrator cannot add a key of their own."""
    return config.get("enforcement_public_keys") or os.path.join(config["data_dir"], "enforcement_public_keys.pem")


_KEY_CACHE = {}


def _cached(path, load):
    """``load(path)``, read again only when the file changes (keys are used on every append)."""
    stat = os.stat(path)
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _KEY_CACHE.get(path)
    if cached is None or cached[0] != stamp:
        cached = _KEY_CACHE[path] = (stamp, load(path))
    return cached[1]


def load_or_create_signing_key():
    """The bureau's private key, created on first use; its public half is
    always in the key ring (a rotated key's half stays there)."""
    path = signing_key_path()
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        try:
            _logger.info("creating the bureau's signing key at %s", path)
            hashchain.generate_key(path)
        except FileExistsError:
            _logger.info("the signing key at %s was created by another process first", path)
    key = _cached(path, hashchain.load_private_key)
    ring = key_ring_path()
    if not os.path.exists(ring) or hashchain.key_id(key.public_key()) not in bureau_key_ring():
        hashchain.add_to_key_ring_file(ring, key.public_key())
    return key


def bureau_key_ring():
    """Key id -> public key of every key the bureau has signed with, from the key ring file."""
    def load(path):
        with open(path, "rb") as handle:
            return hashchain.load_key_ring(handle.read())
    try:
        return _cached(key_ring_path(), load)
    except FileNotFoundError:
        return {}


def iso_utc(value):
    return value.replace(tzinfo=timezone.utc).isoformat()


class EnforcementChainEntry(models.Model):
    """One link of a case's hash chain (全过程记录防篡改). Every full-process
    record and every process event of a case is appended, in order, with the
    canonical JSON of its content, the content hash, the time, the actor, the
    previous link's hash and the signature of the bureau's key over its
    position and hash. Rows are append-only; any change made directly in the
    database, and any entry computed without the key, is found by
    :meth:`_verify_cases`."""

    _name = "enforcement.chain.entry"
    _description = "Case Hash Chain Entry"
    _order = "case_id, seq"
    _rec_name = "entry_hash"

    case_id = fields.Many2one("enforcement.case", readonly=True, index=True, ondelete="restrict")
    inspection_id = fields.Many2one("enforcement.inspection", readonly=True, index=True, ondelete="restrict")
    plan_id = fields.Many2one("enforcement.inspection.plan", string="Inspection Plan", readonly=True, index=True,
                              ondelete="restrict")
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
    key_id = fields.Char(string="Key ID", required=True, readonly=True)
    signature = fields.Char(required=True, readonly=True)

    _sql_constraints = [
        ("case_seq_unique", "unique(case_id, seq)", "A case's chain has one entry per position."),
        ("inspection_seq_unique", "unique(inspection_id, seq)", "An inspection's chain has one entry per position."),
        ("plan_seq_unique", "unique(plan_id, seq)", "A plan's chain has one entry per position."),
        ("one_subject", "CHECK(num_nonnulls(case_id, inspection_id, plan_id) = 1)",
         "A chain entry belongs to exactly one case, inspection or plan."),
        ("source_unique", "unique(res_model, res_id)", "A record or event is chained once."),
    ]

    def write(self, vals):  # append-only: never calls super  # pylint: disable=method-required-super
        raise AccessError(self.env._("Hash chain entries cannot be changed."))

    def unlink(self):  # append-only: never calls super  # pylint: disable=method-required-super
        # pylint: disable-next=no-raise-unlink  # the refusal is the point, the superuser's delete too
        raise AccessError(self.env._("Hash chain entries cannot be deleted."))

    # ----- appending -----

    @api.model
    def _append_records(self, sources):
        """Append each source (records, process events, draws) to its subject's chain."""
        for source in sources:
            subject = source._chain_subject() if hasattr(source, "_chain_subject") else source.case_id
            self._append(subject, source, source._chain_content())

    @api.model
    def _append(self, case, source, content):
        """Append ``source`` to the chain of ``case``: a case, an inspection
        or an inspection plan (``CHAIN_SUBJECTS``), its reference the chain id
        the signatures cover."""
        subject_field = CHAIN_SUBJECTS[case._name][0]
        # One writer per case chain at a time, and never one working from a
        # stale snapshot: touching the case row waits for a concurrent
        # appender and then, under REPEATABLE READ, fails with a serialization
        # error that Odoo (and the worker) retry from the start, instead of
        # computing the same position again from the old chain head.
        self.env.cr.execute(f"UPDATE {case._table} SET write_date = write_date WHERE id = %s", (case.id,))
        self.env.cr.execute(
            "SELECT seq, entry_hash, key_id, signature FROM enforcement_chain_entry "
            f"WHERE {subject_field} = %s ORDER BY seq DESC LIMIT 1",
            (case.id,),
        )
        row = self.env.cr.fetchone()
        key = load_or_create_signing_key()
        broken = case._name == "enforcement.case" and case.sudo().chain_upgrade_break
        if broken:
            raise UserError(self.env._(
                "The hash chain of case %(case)s was already broken when the bureau's chains were signed at the "
                "upgrade (%(break)s). It was left unsigned and nothing more is added to it; have the chain "
                "verified.", case=case.name, **{"break": broken}))
        if row:
            seq, prev = row[0] + 1, row[1]
            # Signing on top of an entry the bureau did not sign would vouch for
            # it: the last signature of a chain covers every entry before it.
            if not hashchain.entry_signature_ok(bureau_key_ring(), case.name, *row):
                raise UserError(self.env._(
                    "The hash chain of case %(case)s ends with entry %(seq)s, which the bureau's key did not "
                    "sign. Nothing more is added to it; have the chain verified.", case=case.name, seq=row[0]))
        else:
            seq, prev = 1, hashchain.GENESIS_HASH
        actor = self.env.user.login if not self.env.user._is_superuser() else "__system__"
        entry = hashchain.make_entry(prev, content, iso_utc(fields.Datetime.now()), actor)
        entry = hashchain.sign_entry(key, case.name, seq, entry)
        return self.sudo().create({
            subject_field: case.id,
            "company_id": case.sudo().company_id.id,
            "seq": seq,
            "res_model": source._name,
            "res_id": source.id,
            "payload": entry.payload.decode("utf-8"),
            "content_hash": entry.content_hash,
            "timestamp": entry.timestamp,
            "actor": entry.actor,
            "prev_hash": entry.prev_hash,
            "entry_hash": entry.entry_hash,
            "key_id": entry.key_id,
            "signature": entry.signature,
        })

    # ----- verifying -----

    @api.model
    def _verify_cases(self, cases=None, check_files=True, published=None):
        """Verify the chains of ``cases`` (all cases if None), the anchors over
        them and, given ``published`` (anchors as published on the portal),
        that those anchors are still the ones published. Returns a list of
        per-case results ``{case_id, case, ok, seq, reason, entries}`` where
        ``seq``/``reason`` name the first broken link.

        One case checks every entry's signature; all cases check the last
        signature of each chain, which vouches for the entries before it."""
        cr = self.env.cr
        if cases is None:
            cr.execute("SELECT id FROM enforcement_case ORDER BY id")
            case_ids = [row[0] for row in cr.fetchall()]
        else:
            case_ids = cases.ids
        Case = self.env["enforcement.case"].sudo()
        run = self._verify_run(published, every_signature=cases is not None)
        return [self._verify_case(Case.browse(case_id), check_files, run) for case_id in case_ids]

    @api.model
    def _verify_run(self, published=None, every_signature=False, unsigned=False):
        """What a verification run shares between cases. ``unsigned``: the
        rules from before signed entries (hashes, links, sources, anchors)."""
        return {"keys": bureau_key_ring(), "anchors": {}, "published": _published_by_day(published or []),
                "every_signature": every_signature, "unsigned": unsigned}

    @api.model
    def _verify_subjects(self, subjects, check_files=True):
        """Verify the chains of inspections or inspection plans: the same
        result per chain as :meth:`_verify_cases` (``case`` holds the reference)."""
        run = self._verify_run(every_signature=True)
        return [self._verify_case(subject, check_files, run) for subject in subjects.sudo()]

    @api.model
    def _verify_all_subjects(self, check_files=True, published=None):
        """Every chain: the cases' (with the anchors), then every inspection's and plan's that has one."""
        results = self._verify_cases(None, check_files=check_files, published=published)
        for model, (column, _sources) in CHAIN_SUBJECTS.items():
            if model == "enforcement.case":
                continue
            column_sql = SQL.identifier(column)
            self.env.cr.execute(SQL("SELECT DISTINCT %s FROM enforcement_chain_entry WHERE %s IS NOT NULL ORDER BY %s",
                                    column_sql, column_sql, column_sql))
            subjects = self.env[model].browse([row[0] for row in self.env.cr.fetchall()])
            results += self._verify_subjects(subjects, check_files=check_files)
        return results

    @api.model
    def _load_chain(self, case):
        self.env.cr.execute(
            "SELECT seq, res_model, res_id, payload, content_hash, timestamp, actor, prev_hash, entry_hash, "
            f"key_id, signature FROM enforcement_chain_entry WHERE {CHAIN_SUBJECTS[case._name][0]} = %s "
            "ORDER BY seq, id",
            (case.id,),
        )
        return self.env.cr.fetchall()

    @api.model
    def _verify_case(self, case, check_files, run):
        rows = self._load_chain(case)
        problems = []  # (seq, reason); the first broken link is the lowest seq

        # A chain found broken at the upgrade to signed entries was left
        # unsigned: checked with the rules of its time, so its break is named.
        left_unsigned = case._name == "enforcement.case" and case.chain_upgrade_break
        unsigned = run.get("unsigned") or bool(left_unsigned)
        entries = [hashchain.ChainEntry(row[3].encode("utf-8"), *row[4:9], row[9] or "", row[10] or "")
                   for row in rows]
        result = hashchain.verify_chain(entries, keys=None if unsigned else run["keys"], chain_id=case.name,
                                        every_signature=run["every_signature"])
        if not result.ok:
            position = result.first_broken_seq
            seq = rows[position - 1][0] if position <= len(rows) else len(rows) + 1
            problems.append((seq, self._chain_problem(result)))
        for position, row in enumerate(rows, start=1):
            if row[0] != position:
                problems.append((position, self.env._(
                    "position %(position)s holds entry seq %(seq)s (entry deleted or renumbered)",
                    position=position, seq=row[0])))
                break

        chained = {}
        for row in rows:
            chained.setdefault(row[1], {})[row[2]] = row
        problems += self._check_sources(case, chained, check_files)
        problems += self._check_anchored_heads(case, rows, run)

        entry_count = len(rows)
        if not problems and not left_unsigned:
            return {"case_id": case.id, "case": case.name, "ok": True, "seq": None,
                    "reason": self.env._("%(count)s entries verified", count=entry_count), "entries": entry_count}
        if problems:
            seq, reason = min(problems, key=lambda problem: problem[0])
            reason = self.env._("entry %(seq)s: %(problem)s", seq=seq, problem=reason)
        else:
            # Repaired in the database since: the entries are still unsigned.
            seq, reason = 1, self.env._("entry %(seq)s: %(problem)s", seq=1, problem=self.env._(
                "it has no signature: it was not written by the application"))
        if left_unsigned:
            reason = self.env._("%(reason)s (the chain was left unsigned at the upgrade to signed entries, "
                                "broken then at %(break)s)", reason=reason, **{"break": left_unsigned})
        return {"case_id": case.id, "case": case.name, "ok": False, "seq": seq, "reason": reason,
                "entries": entry_count}

    # ----- the upgrade to signed entries (18.0.1.1.0) -----

    @api.model
    def _sign_pre_signature_chains(self):
        """Sign the chains written before entries were signed (key id and
        signature NULL), as the migration to 18.0.1.1.0 does.

        Anchors signed before key ids are signed again with the bureau's key
        and its key id when their old signature verifies with the bureau's
        key: that signs again only what was signed. They were not published
        then, so no copy holds the old signature. An anchor that fails is
        left as is and breaks the cases it covers.

        Each case whose chain holds such entries is verified with the rules
        of that time (hashes, links, records and events, anchors); files are
        not read, as their SHA-256 is in the chained content and every later
        verification reads them. An intact chain is signed entry by entry in
        order. A broken one is not: its entries get an empty signature, the
        break is kept on the case (chain_upgrade_break) for the supervisor
        and named in the log and on every refusal to add to it."""
        cr = self.env.cr
        key = load_or_create_signing_key()
        kid = hashchain.key_id(key.public_key())
        ring = bureau_key_ring()
        Anchor = self.env["enforcement.chain.anchor"].sudo()

        cr.execute("SELECT id FROM enforcement_chain_anchor WHERE key_id IS NULL ORDER BY id")
        for anchor in Anchor.browse([row[0] for row in cr.fetchall()]):
            label = Anchor._label(anchor.anchor_date, anchor.company_id.name)
            try:
                old_key = hashchain.load_public_key(anchor.public_key.encode())
            except ValueError:
                old_key = None
            if (old_key is not None and hashchain.key_id(old_key) in ring
                    and hashchain.verify_anchor_v1(old_key, anchor._as_core_anchor())):
                signed = hashchain.Anchor(anchor.merkle_root, anchor.leaf_count, anchor.last_entry_hash,
                                          anchor.anchored_at, "", kid)
                cr.execute("UPDATE enforcement_chain_anchor SET key_id = %s, signature = %s, public_key = %s "
                           "WHERE id = %s", (kid, key.sign(signed.signed_bytes()).hex(),
                                             hashchain.public_key_pem(key).decode(), anchor.id))
                _logger.info("upgrade: %s signed again with key %s", label, kid)
            else:
                cr.execute("UPDATE enforcement_chain_anchor SET key_id = '' WHERE id = %s", (anchor.id,))
                _logger.warning("upgrade: the signature of the %s does not verify with the bureau's key; "
                                "left as is, it breaks every case it covers", label)
        Anchor.invalidate_model()

        cr.execute("SELECT DISTINCT case_id FROM enforcement_chain_entry WHERE signature IS NULL "
                   "AND case_id IS NOT NULL ORDER BY case_id")
        case_ids = [row[0] for row in cr.fetchall()]
        Case = self.env["enforcement.case"].sudo()
        run = self._verify_run(unsigned=True)
        # The break kept on the case reads in the bureau's language; the log in English.
        bureau_lang = self.env.ref("base.user_admin", raise_if_not_found=False).lang or "en_US"
        signed_cases = signed_entries = 0
        for index, case in enumerate(Case.browse(case_ids), start=1):
            if index % 500 == 0:
                # Every case's records are read once: keep the cache from holding them all.
                self.env.invalidate_all()
            result = self._verify_case(case, False, run)
            if result["ok"]:
                for seq, entry_hash in self._unsigned_entries(case):
                    signature = key.sign(hashchain.entry_signed_bytes(case.name, seq, entry_hash, kid)).hex()
                    cr.execute("UPDATE enforcement_chain_entry SET key_id = %s, signature = %s "
                               "WHERE case_id = %s AND seq = %s", (kid, signature, case.id, seq))
                    signed_entries += 1
                signed_cases += 1
                continue
            cr.execute("UPDATE enforcement_chain_entry SET key_id = COALESCE(key_id, ''), "
                       "signature = COALESCE(signature, '') WHERE case_id = %s", (case.id,))
            in_bureau_lang = self.with_context(lang=bureau_lang)
            found = in_bureau_lang._verify_case(case, False, in_bureau_lang._verify_run(unsigned=True))["reason"]
            cr.execute("UPDATE enforcement_case SET chain_upgrade_break = %s WHERE id = %s", (found, case.id))
            _logger.warning("upgrade: the hash chain of case %s is broken (%s); left unsigned, nothing more is "
                            "added to it", case.name, result["reason"])
        Case.invalidate_model(["chain_upgrade_break"])
        self.invalidate_model()
        _logger.info("upgrade: signed %s entries of %s case chain(s); %s chain(s) left unsigned as broken",
                     signed_entries, signed_cases, len(case_ids) - signed_cases)
        return {"signed_cases": signed_cases, "signed_entries": signed_entries,
                "broken_cases": len(case_ids) - signed_cases}

    @api.model
    def _unsigned_entries(self, case):
        self.env.cr.execute("SELECT seq, entry_hash FROM enforcement_chain_entry "
                            "WHERE case_id = %s AND signature IS NULL ORDER BY seq", (case.id,))
        return self.env.cr.fetchall()

    def _chain_problem(self, result):
        """The user's wording of what :func:`hashchain.verify_chain` found."""
        env = self.env
        if result.problem == "genesis":
            return env._("its previous hash is not the start of a chain (entry removed or inserted)")
        if result.problem == "link":
            return env._("its previous hash does not match the hash of entry %(seq)s "
                         "(entry removed, inserted or reordered)", seq=result.first_broken_seq - 1)
        if result.problem == "content":
            return env._("its content does not match its content hash")
        if result.problem == "hash":
            return env._("its hash does not match its content hash, time and actor")
        if result.problem == "unsigned":
            return env._("it has no signature: it was not written by the application")
        if result.problem == "unknown_key":
            return env._("it is signed with key %(key)s, which is not in the bureau's key ring "
                         "(entry forged, or a retired key's public half was removed)", key=result.key_id)
        return env._("its signature does not verify with the bureau's key: it was forged or changed")

    @api.model
    def _check_sources(self, case, chained, check_files):
        """Each chained record/event still says what was hashed, and every
        record/event of the case is in the chain."""
        problems = []
        for model, column in CHAIN_SUBJECTS[case._name][1]:
            Source = self.env[model].sudo().with_context(active_test=False)
            rows = chained.get(model, {})
            self.env.cr.execute(f"SELECT id FROM {Source._table} WHERE {column} = %s", (case.id,))
            live_ids = {row[0] for row in self.env.cr.fetchall()}
            label = self.env["ir.model"]._get(model).name
            for res_id, row in rows.items():
                seq = row[0]
                if res_id not in live_ids:
                    problems.append((seq, self.env._("%(model)s #%(id)s was deleted", model=label, id=res_id)))
                    continue
                source = Source.browse(res_id)
                stored = json.loads(row[3])
                current = source._chain_content()
                if hashchain.canonical_bytes(current) != hashchain.canonical_bytes(stored):
                    changed = sorted(k for k in set(stored) | set(current) if stored.get(k) != current.get(k))
                    problems.append((seq, self.env._(
                        "%(model)s #%(id)s no longer matches its chained content (%(fields)s changed)",
                        model=label, id=res_id, fields=", ".join(changed))))
                    continue
                if check_files and model == "enforcement.record":
                    for file in source.file_ids:
                        on_disk = file._hash_blob()
                        if on_disk is None:
                            problems.append((seq, self.env._(
                                "file %(name)s of record #%(id)s is missing from the file store",
                                name=file.name, id=res_id)))
                        elif on_disk != file.sha256:
                            problems.append((seq, self.env._(
                                "file %(name)s of record #%(id)s was replaced (SHA-256 on disk does not match)",
                                name=file.name, id=res_id)))
            # A row with no chain entry has no position; it is reported after every chained entry.
            after_chain = sum(map(len, chained.values())) + 1
            for res_id in sorted(live_ids - set(rows)):
                problems.append((after_chain, self.env._(
                    "%(model)s #%(id)s is not in the chain (inserted outside the application)",
                    model=label, id=res_id)))
        return problems

    @api.model
    def _check_anchored_heads(self, case, rows, run):
        """Every anchor over this case is sound (signature, leaves, the
        published copy) and the head it signed is still at its position:
        catches a tail cut off or rewritten consistently."""
        problems = []
        by_seq = {row[0]: row for row in rows}
        Anchor = self.env["enforcement.chain.anchor"]
        for leaf in Anchor._leaves_over(case):
            anchor = leaf.anchor_id
            if anchor.id not in run["anchors"]:
                run["anchors"][anchor.id] = anchor._problems(run["keys"], run["published"])
            label = Anchor._label(anchor.anchor_date, anchor.company_id.name)
            for problem in run["anchors"][anchor.id]:
                problems.append((leaf.seq, self.env._("the %(anchor)s over it: %(problem)s",
                                                      anchor=label, problem=problem)))
            row = by_seq.get(leaf.seq)
            if row is None or row[8] != leaf.entry_hash:
                problems.append((leaf.seq, self.env._(
                    "it does not match the head signed in the %(anchor)s (entries removed or rewritten)",
                    anchor=label)))
        return problems


def _published_by_day(published):
    """Published anchors (the portal's JSON export) by (agency, date)."""
    return {(anchor["agency"], anchor["date"]): anchor for anchor in published}


class EnforcementChainAnchor(models.Model):
    """The bureau's daily anchor: a Merkle root over the heads of every chain
    (a case's, an inspection's, an inspection plan's) that grew that day, signed with the bureau's Ed25519 key and
    published on the portal as soon as it is signed. A tail deleted or
    rewritten after the anchor no longer matches it, and an anchor rewritten
    with the key no longer matches the copy anyone took from the portal."""

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
    key_id = fields.Char(string="Key ID", required=True, readonly=True)
    signature = fields.Char(required=True, readonly=True)
    public_key = fields.Text(required=True, readonly=True)
    leaf_ids = fields.One2many("enforcement.chain.anchor.leaf", "anchor_id", readonly=True)

    _sql_constraints = [
        ("company_day_unique", "unique(company_id, anchor_date)", "One anchor per agency and day."),
    ]

    def write(self, vals):  # append-only: never calls super  # pylint: disable=method-required-super
        raise AccessError(self.env._("Anchors cannot be changed."))

    def unlink(self):  # append-only: never calls super  # pylint: disable=method-required-super
        # pylint: disable-next=no-raise-unlink  # the refusal is the point, the superuser's delete too
        raise AccessError(self.env._("Anchors cannot be deleted."))

    @api.model
    def _cron_anchor_yesterday(self):
        day = (china_now() - timedelta(days=1)).date()
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all  # every agency
            self._anchor_day(company, day)

    @api.model
    def _anchor_day(self, company, day):
        """Sign the heads, as of the end of ``day`` (Beijing time), of the
        chains that grew that day. Idempotent per agency and day."""
        existing = self.sudo().search([("company_id", "=", company.id), ("anchor_date", "=", day)])
        if existing:
            return existing
        start = china_day_start_utc(day)
        end = start + timedelta(days=1)
        heads = []  # (subject field, subject id, seq, entry hash): the cases' heads, then the inspections', ...
        for subject_field, _sources in CHAIN_SUBJECTS.values():
            self.env.cr.execute(SQL(
                """SELECT DISTINCT ON (%(subject)s) %(subject)s, seq, entry_hash
                     FROM enforcement_chain_entry
                    WHERE company_id = %(company)s AND %(subject)s IS NOT NULL
                      AND create_date >= %(start)s AND create_date < %(end)s
                    ORDER BY %(subject)s, seq DESC""",
                subject=SQL.identifier(subject_field), company=company.id, start=start, end=end))
            heads += [(subject_field, *row) for row in self.env.cr.fetchall()]
        if not heads:
            return self.browse()
        key = load_or_create_signing_key()
        signed = hashchain.sign_leaves(key, [entry_hash for *_subject, _seq, entry_hash in heads],
                                       datetime.now(timezone.utc).isoformat())
        return self.sudo().create({
            "company_id": company.id,
            "anchor_date": day,
            "anchored_at": signed.anchored_at,
            "leaf_count": signed.leaf_count,
            "merkle_root": signed.merkle_root,
            "last_entry_hash": signed.last_entry_hash,
            "key_id": signed.key_id,
            "signature": signed.signature,
            "public_key": hashchain.public_key_pem(key).decode(),
            "leaf_ids": [
                fields.Command.create({"position": position, subject_field: subject_id, "seq": seq,
                                       "entry_hash": entry_hash})
                for position, (subject_field, subject_id, seq, entry_hash) in enumerate(heads)
            ],
        })

    @api.model
    def _leaves_over(self, subject):
        """The anchors' leaves that signed a head of ``subject``'s chain."""
        subject_field = CHAIN_SUBJECTS[subject._name][0]
        return self.env["enforcement.chain.anchor.leaf"].sudo().search([(subject_field, "=", subject.id)])

    def _as_core_anchor(self):
        self.ensure_one()
        return hashchain.Anchor(self.merkle_root, self.leaf_count, self.last_entry_hash,
                                self.anchored_at, self.signature, self.key_id)

    @api.model
    def _label(self, day, agency):
        return self.env._("anchor of %(date)s (%(agency)s)", date=fields.Date.to_string(day), agency=agency)

    def _problems(self, keys, published):
        """What is wrong with this anchor: a key that is not in the bureau's
        key ring, a bad signature, leaves that no longer give the signed root,
        or a difference from the copy published on the portal."""
        self.ensure_one()
        problems = []
        if not self.key_id:
            problems.append(self.env._("it was signed before key ids, and at the upgrade its signature did not "
                                       "verify with the bureau's key"))
        elif self.key_id not in keys:
            problems.append(self.env._("it is signed with key %(key)s, which is not in the bureau's key ring",
                                       key=self.key_id))
        elif not hashchain.verify_anchor(keys, self._as_core_anchor()):
            problems.append(self.env._("its signature does not verify with the bureau's key"))
        leaves = self.leaf_ids.sorted("position").mapped("entry_hash")
        if (len(leaves) != self.leaf_count or not leaves
                or hashchain.merkle_root(leaves) != self.merkle_root or leaves[-1] != self.last_entry_hash):
            problems.append(self.env._("its leaves no longer give the signed Merkle root"))
        copy = published.get((self.company_id.name, fields.Date.to_string(self.anchor_date)))
        if copy is not None:
            mine = self._published_values()
            changed = [name for name in hashchain.PUBLISHED_ANCHOR_FIELDS if copy.get(name) != mine[name]]
            if changed:
                problems.append(self.env._("it differs from the published anchor (%(fields)s)",
                                           fields=", ".join(changed)))
        return problems

    def _verify(self, published=None):
        """Problems with these anchors, each prefixed by the anchor's label."""
        keys = bureau_key_ring()
        by_day = _published_by_day(published or [])
        return [self.env._("%(anchor)s: %(problem)s",
                           anchor=self._label(anchor.anchor_date, anchor.company_id.name), problem=problem)
                for anchor in self for problem in anchor._problems(keys, by_day)]

    @api.model
    def _missing_published(self, published):
        """Published anchors that are no longer in the database (deleted by someone with database access)."""
        problems = []
        for copy in published:
            found = self.sudo().search([("company_id.name", "=", copy["agency"]), ("anchor_date", "=", copy["date"])])
            if not found:
                problems.append(self.env._("%(anchor)s was published but is no longer in the database",
                                           anchor=self._label(fields.Date.to_date(copy["date"]), copy["agency"])))
        return problems

    @api.model
    def _public_key_ring_pem(self):
        return hashchain.key_ring_pem(bureau_key_ring())

    def _published_values(self):
        """What the portal publishes of an anchor: enough to check its signature and to compare later."""
        self.ensure_one()
        return {
            "agency": self.company_id.name,
            "date": fields.Date.to_string(self.anchor_date),
            "merkle_root": self.merkle_root,
            "leaf_count": self.leaf_count,
            "last_entry_hash": self.last_entry_hash,
            "anchored_at": self.anchored_at,
            "key_id": self.key_id,
            "signature": self.signature,
        }

    @api.model
    def _public_export(self, limit=None, offset=0):
        """The published anchors, newest first, with the bureau's public keys (the portal's JSON export)."""
        anchors = self.sudo().search([], limit=limit, offset=offset)
        keys = bureau_key_ring()
        return {
            "format": PUBLISHED_FORMAT,
            "public_keys": {kid: hashchain.key_ring_pem({kid: key}).decode() for kid, key in sorted(keys.items())},
            "anchors": [anchor._published_values() for anchor in anchors],
        }


class EnforcementChainAnchorLeaf(models.Model):
    _name = "enforcement.chain.anchor.leaf"
    _description = "Daily Anchor Leaf (a chain head)"
    _order = "anchor_id, position"

    anchor_id = fields.Many2one("enforcement.chain.anchor", required=True, readonly=True, index=True,
                                ondelete="restrict")
    company_id = fields.Many2one(related="anchor_id.company_id", store=True)
    position = fields.Integer(required=True, readonly=True)
    case_id = fields.Many2one("enforcement.case", readonly=True, index=True, ondelete="restrict")
    inspection_id = fields.Many2one("enforcement.inspection", readonly=True, index=True, ondelete="restrict")
    plan_id = fields.Many2one("enforcement.inspection.plan", string="Inspection Plan", readonly=True, index=True,
                              ondelete="restrict")
    seq = fields.Integer(required=True, readonly=True)
    entry_hash = fields.Char(required=True, readonly=True)

    _sql_constraints = [
        ("one_subject", "CHECK(num_nonnulls(case_id, inspection_id, plan_id) = 1)",
         "A leaf is the head of one chain: a case's, an inspection's or a plan's."),
    ]

    def write(self, vals):  # append-only: never calls super  # pylint: disable=method-required-super
        raise AccessError(self.env._("Anchors cannot be changed."))

    def unlink(self):  # append-only: never calls super  # pylint: disable=method-required-super
        # pylint: disable-next=no-raise-unlink  # the refusal is the point, the superuser's delete too
        raise AccessError(self.env._("Anchors cannot be deleted."))


class EnforcementProcessEvent(models.Model):
    _inherit = "enforcement.process.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        self.env["enforcement.chain.entry"]._append_records(events)
        return events

    def write(self, vals):  # append-only: never calls super  # pylint: disable=method-required-super
        raise AccessError(self.env._("Process events cannot be changed."))

    def unlink(self):  # append-only: never calls super  # pylint: disable=method-required-super
        # pylint: disable-next=no-raise-unlink  # the refusal is the point, the superuser's delete too
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
