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
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction


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

    def __post_init__(self) -> None:
        for name in ("party_ids", "inspector_ids"):
            ids = tuple(str(value) for value in getattr(self, name))
            duplicates = sorted({value for value in ids if ids.count(value) > 1})
            if duplicates:
                raise DrawError(f"{name} lists {duplicates} more than once")
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


class _DeterministicRandom:
    """HMAC-SHA256 counter-mode integers; see the module docstring, step 2."""

    def __init__(self, seed: bytes, label: str):
        self._seed = seed
        self._label = label
        self._counter = 0

    def below(self, n: int) -> int:
        limit = (2**256 // n) * n
        while True:
            block = hmac.new(
                self._seed, f"{self._label}|{self._counter}".encode(), hashlib.sha256
            ).digest()
            self._counter += 1
            value = int.from_bytes(block, "big")
            if value < limit:
                return value % n


def _partial_shuffle(items: Sequence[str], k: int, rng: _DeterministicRandom) -> list[str]:
    pool = list(items)
    for i in range(k):
        j = i + rng.below(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def draw(inputs: DrawInputs) -> DrawResult:
    """Draw parties and their inspectors; raises DrawError if recusals leave too few inspectors."""
    material = inputs.seed_material()
    seed = hashlib.sha256(material.encode()).digest()
    parties = sorted(inputs.party_ids)
    inspectors = sorted(inputs.inspector_ids)
    k = math.ceil(inputs.ratio_fraction * len(parties))
    drawn = _partial_shuffle(parties, k, _DeterministicRandom(seed, "parties"))
    assignments = []
    for party in drawn:
        eligible = [i for i in inspectors if (i, party) not in inputs.recusals]
        if len(eligible) < inputs.inspectors_per_party:
            raise DrawError(
                f"party {party}: only {len(eligible)} inspector(s) without a recusal, "
                f"{inputs.inspectors_per_party} needed"
            )
        team = _partial_shuffle(
            eligible, inputs.inspectors_per_party, _DeterministicRandom(seed, f"inspectors|{party}")
        )
        assignments.append((party, tuple(team)))
    return DrawResult(
        seed_material=material,
        seed_hex=seed.hex(),
        party_count=k,
        assignments=tuple(assignments),
    )


def verify_draw(inputs: DrawInputs, published: DrawResult) -> list[str]:
    """Rerun the draw from the published inputs; the differences found (empty = verified)."""
    expected = draw(inputs)
    problems = []
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
    duplicates = sorted({value for value in ids if ids.count(value) > 1})
    if duplicates:
        raise DrawError(f"candidate_ids lists {duplicates} more than once")
    if not 0 < count <= len(ids):
        raise DrawError(f"cannot draw {count} of {len(ids)} candidate(s)")
    material = json.dumps([plan_id, published_at, public_value], ensure_ascii=False, separators=(",", ":"))
    seed = hashlib.sha256(material.encode()).digest()
    drawn = _partial_shuffle(sorted(ids), count, _DeterministicRandom(seed, "parties"))
    return SampleResult(seed_material=material, seed_hex=seed.hex(), drawn=tuple(drawn))
