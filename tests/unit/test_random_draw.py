"""双随机 draw: reproducible by anyone from published inputs, honouring recusal."""

import dataclasses
import hashlib
import hmac
import json
import math
import random
import time
from fractions import Fraction

import pytest

from enforcement_core.random_draw import DrawError, DrawInputs, draw, verify_draw

PARTIES = tuple(f"P{i:03d}" for i in range(40))
INSPECTORS = tuple(f"I{i:02d}" for i in range(8))


def inputs(**changes):
    base = DrawInputs(
        plan_id="PLAN-2026-007",
        published_at="2026-03-02T09:00:00+08:00",
        public_value="福彩3D 2026056期 483",
        party_ids=PARTIES,
        inspector_ids=INSPECTORS,
        ratio="0.1",
    )
    return dataclasses.replace(base, **changes)


def test_same_inputs_same_draw_regardless_of_candidate_order():
    first = draw(inputs())
    shuffled = draw(inputs(party_ids=tuple(reversed(PARTIES)), inspector_ids=INSPECTORS[::-1]))
    assert first == shuffled


def test_seed_is_sha256_of_the_published_string():
    result = draw(inputs())
    assert result.seed_material == '["PLAN-2026-007","2026-03-02T09:00:00+08:00","福彩3D 2026056期 483"]'
    assert result.seed_hex == hashlib.sha256(result.seed_material.encode()).hexdigest()


@pytest.mark.parametrize(("ratio", "count"), [("0.1", 4), ("0.05", 2), ("0.01", 1), ("1", 40), ("1/3", 14)])
def test_party_count_is_ceil_of_ratio(ratio, count):
    result = draw(inputs(ratio=ratio))
    assert result.party_count == count == len(result.assignments)
    assert len({party for party, _ in result.assignments}) == count


def test_each_party_gets_distinct_inspectors():
    for _, team in draw(inputs(inspectors_per_party=3)).assignments:
        assert len(team) == len(set(team)) == 3


def test_different_public_value_gives_a_different_draw():
    assert draw(inputs()).assignments != draw(inputs(public_value="福彩3D 2026056期 484")).assignments


def test_recusal_is_honoured():
    # Every inspector but I06 and I07 has a conflict with every party.
    recusals = frozenset((i, p) for i in INSPECTORS[:6] for p in PARTIES)
    for _, team in draw(inputs(recusals=recusals)).assignments:
        assert set(team) == {"I06", "I07"}


def test_too_few_unconflicted_inspectors_is_an_error_naming_the_party():
    recusals = frozenset((i, p) for i in INSPECTORS[:7] for p in PARTIES)
    with pytest.raises(DrawError, match=r"party P\d{3}: only 1 inspector\(s\) without a recusal, 2 needed"):
        draw(inputs(recusals=recusals))


def test_draw_spreads_over_the_register():
    """A broken generator (always index 0) would pick the first parties every time."""
    picked = set()
    for n in range(20):
        picked.update(p for p, _ in draw(inputs(public_value=str(n))).assignments)
    assert len(picked) > 30


def test_verify_accepts_the_published_draw():
    assert verify_draw(inputs(), draw(inputs())) == []


@pytest.mark.parametrize(
    ("forge", "fragment"),
    [
        (lambda r: dataclasses.replace(r, assignments=((r.assignments[0][0], ("I00", "I01")),) + r.assignments[1:]), "draw position 0"),
        (lambda r: dataclasses.replace(r, assignments=r.assignments[:-1], party_count=r.party_count - 1), "parties published"),
        (lambda r: dataclasses.replace(r, seed_hex="00" * 32), "seed 0000"),
        (lambda r: dataclasses.replace(r, seed_material='["PLAN-2026-008","2026-03-02T09:00:00+08:00","x"]'), "seed material"),
        (lambda r: dataclasses.replace(r, assignments=r.assignments + (("P999", ("I00", "I01")),)), "5 assignments published, 4 recomputed"),
    ],
)
def test_verify_refuses_altered_results(forge, fragment):
    published = draw(inputs())
    if published.assignments[0][1] == ("I00", "I01"):
        pytest.skip("forgery coincides with the real draw")
    problems = verify_draw(inputs(), forge(published))
    assert any(fragment in p for p in problems), problems


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ratio": "0"}, "greater than 0 and at most 1"),
        ({"ratio": "1.5"}, "greater than 0 and at most 1"),
        ({"ratio": "ten percent"}, "is not a number"),
        ({"inspectors_per_party": 1}, "at least 2 are required"),
        ({"party_ids": ("P1", "P2", "P1")}, r"party_ids lists \['P1'\] more than once"),
    ],
)
def test_bad_inputs_are_refused(changes, message):
    with pytest.raises(DrawError, match=message):
        inputs(**changes)


# Golden vectors: computed by the published algorithm (module docstring) before
# any optimisation of the code. Other implementations and every later version of
# this one must give exactly these draws for these inputs.


def test_golden_vector_small_register():
    assert draw(inputs()).assignments == (
        ("P025", ("I00", "I03")),
        ("P019", ("I03", "I07")),
        ("P011", ("I05", "I07")),
        ("P022", ("I00", "I04")),
    )


def test_golden_vector_with_recusals():
    recusals = frozenset((i, p) for i in INSPECTORS[:5] for p in PARTIES[::2])
    assert draw(inputs(recusals=recusals, inspectors_per_party=3)).assignments == (
        ("P025", ("I00", "I03", "I07")),
        ("P019", ("I03", "I07", "I06")),
        ("P011", ("I05", "I07", "I03")),
        ("P022", ("I06", "I07", "I05")),
    )


def test_golden_vector_larger_register_with_chinese_ids():
    parties = tuple(f"91330106{i:010d}" for i in range(3000))
    inspectors = tuple(f"浙A{i:04d}" for i in range(60))
    recusals = frozenset(
        (inspectors[(i * 7) % 60], parties[(i * 13) % 3000]) for i in range(900)
    ) | frozenset((inspector, parties[5]) for inspector in inspectors[:57])
    result = draw(
        DrawInputs(
            plan_id="浙杭西市监抽〔2026〕3号",
            published_at="2026-04-01T09:30:00+08:00",
            public_value="体彩排列三 2026088期 719",
            party_ids=parties[::-1],
            inspector_ids=inspectors,
            ratio="0.05",
            inspectors_per_party=3,
            recusals=recusals,
        )
    )
    assert result.seed_hex == "1f745584fe05ec335a7ec6beef6b07fec7c113c59f3ad87861c7a0d77c99aad0"
    assert result.party_count == 150
    assert result.assignments[:3] == (
        ("913301060000002427", ("浙A0038", "浙A0036", "浙A0046")),
        ("913301060000002281", ("浙A0024", "浙A0040", "浙A0013")),
        ("913301060000000193", ("浙A0040", "浙A0058", "浙A0044")),
    )
    digest = hashlib.sha256(json.dumps(result.assignments, ensure_ascii=False).encode()).hexdigest()
    assert digest == "7c7285a087107a2f50bab464ce537e00e4c61224b18dd83703bc0bb56be0bc98"


def _reference_draw(inputs):
    """The module docstring's algorithm written out plainly (full list copies, no indexes)."""
    seed = hashlib.sha256(inputs.seed_material().encode()).digest()

    def below(label, counter, n):
        while True:
            block = hmac.new(seed, f"{label}|{counter[0]}".encode(), hashlib.sha256).digest()
            counter[0] += 1
            if int.from_bytes(block, "big") < (2**256 // n) * n:
                return int.from_bytes(block, "big") % n

    def shuffle(items, k, label):
        pool, counter = list(items), [0]
        for i in range(k):
            j = i + below(label, counter, len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]

    parties = sorted(inputs.party_ids)
    drawn = shuffle(parties, math.ceil(Fraction(inputs.ratio) * len(parties)), "parties")
    return tuple(
        (party, tuple(shuffle(
            [i for i in sorted(inputs.inspector_ids) if (i, party) not in inputs.recusals],
            inputs.inspectors_per_party,
            f"inspectors|{party}",
        )))
        for party in drawn
    )


@pytest.mark.parametrize("case", range(40))
def test_draw_equals_the_plain_reference_algorithm(case):
    rng = random.Random(case)
    parties = tuple(f"P{rng.randrange(10**6):06d}-{n}" for n in range(rng.randrange(1, 300)))
    inspectors = tuple(f"I{n:03d}" for n in range(rng.randrange(6, 40)))
    per_party = rng.choice([2, 3, 5])
    recusals = frozenset(  # some parties keep exactly the inspectors they need
        (inspector, party)
        for party in parties
        if rng.random() < 0.3
        for inspector in rng.sample(inspectors, rng.randint(1, len(inspectors) - per_party))
    )
    given = inputs(
        public_value=str(case),
        party_ids=parties,
        inspector_ids=inspectors,
        ratio=rng.choice(["0.05", "0.3", "1", "1/7"]),
        inspectors_per_party=per_party,
        recusals=recusals,
    )
    assert draw(given).assignments == _reference_draw(given)


def national_register(parties=100_000, inspectors=500, recusal_share=0.01):
    """A provincial-size register: 1% of parties have a recusal of 1-3 inspectors."""
    rng = random.Random(15)
    party_ids = tuple(f"91{n:016d}" for n in range(parties))
    inspector_ids = tuple(f"33010{n:05d}" for n in range(inspectors))
    recusals = frozenset(
        (inspector, party)
        for party in rng.sample(party_ids, int(parties * recusal_share))
        for inspector in rng.sample(inspector_ids, rng.randint(1, 3))
    )
    return party_ids, inspector_ids, recusals


def test_a_national_size_register_is_drawn_and_verified_in_seconds():
    """100,000 parties x 500 inspectors (target 2 s each, bench_draw.py); generous bound here."""
    party_ids, inspector_ids, recusals = national_register()
    start = time.perf_counter()
    given = inputs(party_ids=party_ids, inspector_ids=inspector_ids, ratio="0.05", recusals=recusals)
    result = draw(given)
    assert verify_draw(given, result) == []
    elapsed = time.perf_counter() - start
    assert result.party_count == len(result.assignments) == 5000
    assert not any((i, party) in recusals for party, team in result.assignments for i in team)
    assert sum(1 for party, _ in result.assignments if any(p == party for _, p in recusals)) > 10
    assert elapsed < 10, f"building, drawing and verifying took {elapsed:.1f} s"


def test_a_duplicate_in_a_large_register_is_named():
    party_ids = tuple(f"91{n:016d}" for n in range(100_000)) + ("910000000000050000",)
    start = time.perf_counter()
    with pytest.raises(DrawError, match=r"party_ids lists \['910000000000050000'\] more than once"):
        inputs(party_ids=party_ids)
    assert time.perf_counter() - start < 5
