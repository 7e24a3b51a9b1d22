"""Reproducible, publicly checkable random draw for 双随机、一公开.

The draw must be random yet checkable by anyone afterwards, so it uses no
hidden state: the seed is SHA-256 of a published string (plan id,
publication time and a public value fixed only after publication, e.g. a
lottery result), and the random numbers come from HMAC-SHA256(seed,
label|counter). Candidates are ordered by id before drawing, so the order
in which a database returns them does not matter. Anyone holding the
published inputs reruns :func:`draw` and gets the same parties and
inspectors; :func:`verify_draw` does exactly that.

Algorithm, for reimplementation elsewhere:

1. ``seed_material`` = JSON array ``[plan_id, published_at, public_value]``
   (UTF-8, no whitespace, non-ASCII unescaped); ``seed`` = SHA-256 of it.
2. Random integer below ``n`` for label ``L``: the k-th 32-byte block is
   HMAC-SHA256(seed, ``L|k``) read big-endian; blocks >= the largest
   multiple of ``n`` below 2**256 are skipped (no modulo bias), otherwise
   the result is block mod ``n``.
3. Parties: ``k = ceil(ratio * number of parties)``; a Fisher-Yates shuffle
   of the id-sorted parties with label ``parties``, positions 0..k-1,
   drawing at position i an index in [i, n) and swapping.
4. For each drawn party in draw order: the same partial shuffle of the
   id-sorted inspectors without a recusal for that party, label
   ``inspectors|<party id>``, taking ``inspectors_per_party``.

"Id-sorted" is ascending order of Unicode code points (Python's ``sorted``
on strings; for ASCII ids the same as byte order). Ids are strings, unique
within their list, without line breaks. Fewer eligible inspectors than
``inspectors_per_party`` for a drawn party is an error, never a smaller team.

Register snapshots. Before the draw the bureau publishes, with the plan, the
SHA-256 of each register it draws from (:func:`snapshot_hash`): the ids
sorted as above, each followed by a line feed (``"\\n"``), UTF-8 encoded,
hashed as one byte string; an empty register hashes the empty string. The
published draw carries the full id lists, so anyone can recompute both
hashes and compare them with the ones published before the draw: a party
dropped from or added to the register afterwards changes the hash.
Publish register ids (record references), never resident ID numbers.

The public value. It must be fixed by something the bureau does not control,
after the plan and the snapshots are published, and it must be checkable by
anyone. A bureau may use:

* a lottery result of a stated draw published after the plan, written with
  its issue, e.g. ``福彩3D 2026056期 483`` (China Welfare Lottery 3D) or
  ``体彩排列三 2026088期 719`` (China Sports Lottery Pick 3); the plan names
  the lottery and the issue (date) in advance;
* the closing value of a stated index on a stated trading day, e.g.
  ``上证指数 2026-04-01 收盘 3287.64``;
* a commitment (below).

Commitment. The plan may instead carry ``commitment`` = lower-case hex
SHA-256 of the UTF-8 bytes of a secret the bureau chose; at the draw the
bureau reveals the secret, which is then the ``public_value``. The draw
refuses a value that does not hash to the commitment, and verification
reports it. The secret must be long and random (e.g. 32 random bytes in
hex), or the commitment can be reversed by guessing. A commitment keeps the
value secret until the draw and stops the bureau changing it after
publication, but the bureau knows the outcome from the moment it commits
and could have tried many secrets first; a public source fixed after
publication (a lottery result) does not have that weakness and is the
better choice wherever one is available.

Published document (:func:`draw_document`, format ``enforcement-draw@1``):
one JSON object with exactly the keys ``format``, ``plan_id``,
``published_at``, ``public_value``, ``commitment`` (hex string or null),
``ratio`` (a decimal or fraction string), ``inspectors_per_party``,
``party_ids`` and ``inspector_ids`` (sorted), ``recusals`` (sorted list of
``{"inspector", "party"}``), ``party_snapshot_sha256``,
``inspector_snapshot_sha256`` and ``result``: ``{"seed_material", "seed"
(hex), "party_count", "assignments": [{"party", "inspectors": [...]}, ...]}``
in draw order. :func:`read_draw_document` reads it back (naming the key
that is wrong) and :func:`verify_draw_document` checks it from the document
alone.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

DOCUMENT_FORMAT = "enforcement-draw@1"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
_TWO_256 = 2**256


class DrawError(ValueError):
    """The inputs do not allow a valid draw (e.g. too few unconflicted inspectors)."""


@dataclass(frozen=True)
class DrawInputs:
    """Everything the draw depends on; all of it is published with the result."""

    plan_id: str
    published_at: str  # ISO-8601 publication time of the plan
    public_value: str  # fixed after publication, e.g. a lottery result
    party_ids: tuple[str, ...]
    inspector_ids: tuple[str, ...]
    ratio: str  # e.g. "0.05"; a string so that it is exact
    inspectors_per_party: int = 2
    recusals: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (inspector, party)
    commitment: str = ""  # SHA-256 hex of public_value published with the plan; "" = none

    def __post_init__(self) -> None:
        for name in ("party_ids", "inspector_ids"):
            ids = tuple(str(value) for value in getattr(self, name))
            counts = Counter(ids)
            if len(counts) != len(ids):
                duplicates = sorted(value for value, count in counts.items() if count > 1)
                raise DrawError(f"{name} lists {duplicates} more than once")
            _refuse_line_breaks(name, ids)
            object.__setattr__(self, name, ids)
        object.__setattr__(
            self, "recusals", frozenset((str(i), str(p)) for i, p in self.recusals)
        )
        # str() first: Fraction("0.05") is exact, Fraction(0.05) is not.
        object.__setattr__(self, "ratio", str(self.ratio))
        if not 0 < self.ratio_fraction <= 1:
            raise DrawError(f"ratio {self.ratio!r} must be greater than 0 and at most 1")
        if self.inspectors_per_party < 2:
            raise DrawError(
                f"inspectors_per_party is {self.inspectors_per_party}; at least 2 are required"
            )
        commitment = str(self.commitment or "").lower()
        if commitment and not _SHA256_HEX.fullmatch(commitment):
            raise DrawError(
                f"commitment {self.commitment!r} is not a SHA-256 digest (64 hexadecimal characters)"
            )
        object.__setattr__(self, "commitment", commitment)

    @property
    def ratio_fraction(self) -> Fraction:
        try:
            return Fraction(self.ratio)
        except (ValueError, ZeroDivisionError) as exc:
            raise DrawError(f"ratio {self.ratio!r} is not a number: {exc}") from exc

    def seed_material(self) -> str:
        return json.dumps(
            [self.plan_id, self.published_at, self.public_value],
            ensure_ascii=False,
            separators=(",", ":"),
        )


@dataclass(frozen=True)
class DrawResult:
    seed_material: str
    seed_hex: str
    party_count: int  # k = ceil(ratio * number of parties)
    assignments: tuple[tuple[str, tuple[str, ...]], ...]  # (party, inspectors) in draw order


def _refuse_line_breaks(name: str, ids: Sequence[str]) -> None:
    joined = "".join(ids)
    if "\n" in joined or "\r" in joined:
        bad = next(value for value in ids if "\n" in value or "\r" in value)
        raise DrawError(f"{name} holds {bad!r}, which contains a line break")


def snapshot_hash(ids: Iterable[str]) -> str:
    """SHA-256 hex of a register snapshot: sorted ids, each followed by a line feed."""
    ordered = sorted(str(value) for value in ids)
    _refuse_line_breaks("register snapshot", ordered)
    return hashlib.sha256("".join(value + "\n" for value in ordered).encode()).hexdigest()


def commitment_of(secret: str) -> str:
    """The commitment the plan publishes for a secret revealed at the draw."""
    return hashlib.sha256(secret.encode()).hexdigest()


def commitment_problem(inputs: DrawInputs) -> str | None:
    """Why the public value does not open the plan's commitment (None: no commitment, or it does)."""
    if not inputs.commitment:
        return None
    actual = commitment_of(inputs.public_value)
    if actual == inputs.commitment:
        return None
    return (
        f"public value {inputs.public_value!r} does not match the commitment "
        f"{inputs.commitment} published with the plan (its SHA-256 is {actual})"
    )


class _DeterministicRandom:
    """HMAC-SHA256 counter-mode integers; see the module docstring, step 2."""

    def __init__(self, seed: bytes, label: str):
        self._seed = seed
        self._label = label
        self._counter = 0

    def below(self, n: int) -> int:
        limit = (_TWO_256 // n) * n
        while True:
            block = hmac.digest(
                self._seed, f"{self._label}|{self._counter}".encode(), "sha256"
            )
            self._counter += 1
            value = int.from_bytes(block, "big")
            if value < limit:
                return value % n


def _partial_shuffle(items: Sequence[str], k: int, rng: _DeterministicRandom) -> list[str]:
    """Positions 0..k-1 of a Fisher-Yates shuffle of ``items`` (docstring, step 3).

    Only the swapped positions are remembered (``moved[j]`` = index of the item
    now at position j), so drawing k of n costs O(k), not a copy of all n.
    """
    n = len(items)
    moved: dict[int, int] = {}
    picked = []
    for i in range(k):
        j = i + rng.below(n - i)
        at_j = moved.get(j, j)
        moved[j] = moved.get(i, i)  # position i is never read again: later j > i
        picked.append(items[at_j])
    return picked


def draw(inputs: DrawInputs) -> DrawResult:
    """Draw parties and their inspectors; raises DrawError if recusals leave too few inspectors.

    Also refuses a public value that does not open the plan's commitment.
    """
    problem = commitment_problem(inputs)
    if problem:
        raise DrawError(problem)
    return _draw(inputs)


def _draw(inputs: DrawInputs) -> DrawResult:
    material = inputs.seed_material()
    seed = hashlib.sha256(material.encode()).digest()
    parties = sorted(inputs.party_ids)
    inspectors = sorted(inputs.inspector_ids)
    k = math.ceil(inputs.ratio_fraction * len(parties))
    drawn = _partial_shuffle(parties, k, _DeterministicRandom(seed, "parties"))
    recused: dict[str, set[str]] = {}
    for inspector, party in inputs.recusals:
        recused.setdefault(party, set()).add(inspector)
    needed = inputs.inspectors_per_party
    assignments = []
    for party in drawn:
        conflicts = recused.get(party)
        eligible = [i for i in inspectors if i not in conflicts] if conflicts else inspectors
        if len(eligible) < needed:
            raise DrawError(
                f"party {party}: only {len(eligible)} inspector(s) without a recusal, "
                f"{needed} needed"
            )
        team = _partial_shuffle(eligible, needed, _DeterministicRandom(seed, f"inspectors|{party}"))
        assignments.append((party, tuple(team)))
    return DrawResult(
        seed_material=material,
        seed_hex=seed.hex(),
        party_count=k,
        assignments=tuple(assignments),
    )


def verify_draw(inputs: DrawInputs, published: DrawResult) -> list[str]:
    """Rerun the draw from the published inputs; the differences found (empty = verified).

    Raises DrawError if the published inputs allow no draw at all.
    """
    problems = []
    problem = commitment_problem(inputs)
    if problem:
        problems.append(problem)
    expected = _draw(inputs)
    if published.seed_material != expected.seed_material:
        problems.append(
            f"seed material {published.seed_material!r} differs from the plan's "
            f"{expected.seed_material!r}"
        )
    if published.seed_hex != expected.seed_hex:
        problems.append(
            f"seed {published.seed_hex} differs from SHA-256 of {expected.seed_material!r} "
            f"({expected.seed_hex})"
        )
    if published.party_count != expected.party_count:
        problems.append(
            f"{published.party_count} parties published, ratio {inputs.ratio} "
            f"gives {expected.party_count}"
        )
    if published.assignments != expected.assignments:
        for position, (got, want) in enumerate(
            zip(published.assignments, expected.assignments)
        ):
            if got != want:
                problems.append(f"draw position {position}: published {got}, recomputed {want}")
                break
        else:
            problems.append(
                f"{len(published.assignments)} assignments published, "
                f"{len(expected.assignments)} recomputed"
            )
    return problems


# ----------------------------------------------------------------------
# The published document (format enforcement-draw@1)
# ----------------------------------------------------------------------
_DOCUMENT_KEYS = (
    "format", "plan_id", "published_at", "public_value", "commitment", "ratio",
    "inspectors_per_party", "party_ids", "inspector_ids", "recusals",
    "party_snapshot_sha256", "inspector_snapshot_sha256", "result",
)
_RESULT_KEYS = ("seed_material", "seed", "party_count", "assignments")


def draw_document(inputs: DrawInputs, result: DrawResult) -> dict:
    """The draw as published: everything needed to rerun and check it (JSON-ready)."""
    parties = sorted(inputs.party_ids)
    inspectors = sorted(inputs.inspector_ids)
    return {
        "format": DOCUMENT_FORMAT,
        "plan_id": inputs.plan_id,
        "published_at": inputs.published_at,
        "public_value": inputs.public_value,
        "commitment": inputs.commitment or None,
        "ratio": inputs.ratio,
        "inspectors_per_party": inputs.inspectors_per_party,
        "party_ids": parties,
        "inspector_ids": inspectors,
        "recusals": [
            {"inspector": inspector, "party": party}
            for inspector, party in sorted(inputs.recusals)
        ],
        "party_snapshot_sha256": snapshot_hash(parties),
        "inspector_snapshot_sha256": snapshot_hash(inspectors),
        "result": {
            "seed_material": result.seed_material,
            "seed": result.seed_hex,
            "party_count": result.party_count,
            "assignments": [
                {"party": party, "inspectors": list(team)} for party, team in result.assignments
            ],
        },
    }


def _object(value, where: str, keys: Sequence[str], optional: Sequence[str] = ()) -> dict:
    if not isinstance(value, dict):
        raise DrawError(f"{where}: must be a JSON object, not {type(value).__name__}")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise DrawError(f"{where}: unknown key {unknown[0]!r}")
    missing = [key for key in keys if key not in value and key not in optional]
    if missing:
        raise DrawError(f"{where}: key {missing[0]!r} is missing")
    return value


def _text(value, where: str) -> str:
    if not isinstance(value, str):
        raise DrawError(f"{where}: must be a string, not {type(value).__name__}")
    return value


def _texts(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise DrawError(f"{where}: must be a list of strings, not {type(value).__name__}")
    for position, item in enumerate(value):
        if not isinstance(item, str):
            raise DrawError(f"{where}[{position}]: must be a string, not {type(item).__name__}")
    return tuple(value)


def _integer(value, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DrawError(f"{where}: must be an integer, not {type(value).__name__}")
    return value


def _digest(value, where: str) -> str:
    if not isinstance(value, str) or not _SHA256_HEX.fullmatch(value):
        raise DrawError(f"{where}: must be a SHA-256 digest (64 lower-case hexadecimal characters)")
    return value


def read_draw_document(data) -> tuple[DrawInputs, DrawResult]:
    """The inputs and result of a published draw; DrawError names the key that is wrong."""
    if not isinstance(data, dict):
        raise DrawError(f"the draw document must be a JSON object, not {type(data).__name__}")
    if data.get("format") != DOCUMENT_FORMAT:
        raise DrawError(f"format: {data.get('format')!r} is not {DOCUMENT_FORMAT!r}")
    _object(data, "document", _DOCUMENT_KEYS)
    for key in ("party_snapshot_sha256", "inspector_snapshot_sha256"):
        _digest(data[key], key)
    if data["commitment"] is not None:
        _digest(data["commitment"], "commitment")
    if not isinstance(data["recusals"], list):
        raise DrawError(f"recusals: must be a list, not {type(data['recusals']).__name__}")
    recusals = []
    for position, row in enumerate(data["recusals"]):
        where = f"recusals[{position}]"
        _object(row, where, ("inspector", "party"))
        recusals.append(
            (_text(row["inspector"], f"{where}.inspector"), _text(row["party"], f"{where}.party"))
        )
    inputs = DrawInputs(
        plan_id=_text(data["plan_id"], "plan_id"),
        published_at=_text(data["published_at"], "published_at"),
        public_value=_text(data["public_value"], "public_value"),
        party_ids=_texts(data["party_ids"], "party_ids"),
        inspector_ids=_texts(data["inspector_ids"], "inspector_ids"),
        ratio=_text(data["ratio"], "ratio"),
        inspectors_per_party=_integer(data["inspectors_per_party"], "inspectors_per_party"),
        recusals=frozenset(recusals),
        commitment=data["commitment"] or "",
    )
    result = _object(data["result"], "result", _RESULT_KEYS)
    assignments_data = result["assignments"]
    if not isinstance(assignments_data, list):
        raise DrawError(
            f"result.assignments: must be a list, not {type(assignments_data).__name__}"
        )
    assignments = []
    for position, row in enumerate(assignments_data):
        where = f"result.assignments[{position}]"
        _object(row, where, ("party", "inspectors"))
        assignments.append(
            (_text(row["party"], f"{where}.party"), _texts(row["inspectors"], f"{where}.inspectors"))
        )
    return inputs, DrawResult(
        seed_material=_text(result["seed_material"], "result.seed_material"),
        seed_hex=_digest(result["seed"], "result.seed"),
        party_count=_integer(result["party_count"], "result.party_count"),
        assignments=tuple(assignments),
    )


def verify_draw_document(data) -> tuple[DrawInputs, DrawResult, list[str]]:
    """Read a published draw and check it from the document alone.

    Raises DrawError if the document cannot be read; the problems list is
    empty when the snapshot hashes match the listed ids and the draw
    recomputes to the published result.
    """
    inputs, result = read_draw_document(data)
    problems = []
    for key, name, ids in (
        ("party_snapshot_sha256", "party", inputs.party_ids),
        ("inspector_snapshot_sha256", "inspector", inputs.inspector_ids),
    ):
        actual = snapshot_hash(ids)
        if data[key] != actual:
            problems.append(
                f"{key} {data[key]} is not the hash of the {len(ids)} {name} ids listed ({actual})"
            )
    try:
        problems.extend(verify_draw(inputs, result))
    except DrawError as exc:
        problems.append(f"the published inputs allow no draw: {exc}")
    return inputs, result, problems


@dataclass(frozen=True)
class SampleResult:
    seed_material: str
    seed_hex: str
    drawn: tuple[str, ...]  # in draw order


def draw_sample(
    plan_id: str, published_at: str, public_value: str, candidate_ids: Sequence[str], count: int
) -> SampleResult:
    """Draw ``count`` of ``candidate_ids`` exactly as :func:`draw` draws its
    parties (same seed material, label ``parties``, id-sorted candidates), for
    a selection with no inspectors to pair, such as the case files of a
    案卷评查. Anyone with the same inputs gets the same files."""
    ids = tuple(str(value) for value in candidate_ids)
    duplicates = sorted(value for value, seen in Counter(ids).items() if seen > 1)
    if duplicates:
        raise DrawError(f"candidate_ids lists {duplicates} more than once")
    if not 0 < count <= len(ids):
        raise DrawError(f"cannot draw {count} of {len(ids)} candidate(s)")
    material = json.dumps([plan_id, published_at, public_value], ensure_ascii=False, separators=(",", ":"))
    seed = hashlib.sha256(material.encode()).digest()
    drawn = _partial_shuffle(sorted(ids), count, _DeterministicRandom(seed, "parties"))
    return SampleResult(seed_material=material, seed_hex=seed.hex(), drawn=tuple(drawn))
