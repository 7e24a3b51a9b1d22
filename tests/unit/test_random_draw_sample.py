"""案卷评查 sample: the files drawn are reproducible from the published inputs."""

import pytest

from enforcement_core.random_draw import DrawError, DrawInputs, draw, draw_sample

CASES = tuple(str(i) for i in range(1, 31))
INPUTS = ("PC-2026-01", "2026-12-01T09:00:00+08:00", "福彩3D 2026330期 715")


def test_same_inputs_draw_the_same_files_whatever_the_candidate_order():
    first = draw_sample(*INPUTS, CASES, 5)
    again = draw_sample(*INPUTS, tuple(reversed(CASES)), 5)
    assert first.drawn == again.drawn
    assert len(set(first.drawn)) == 5 and set(first.drawn) <= set(CASES)


def test_another_public_value_draws_other_files():
    other = draw_sample(INPUTS[0], INPUTS[1], "福彩3D 2026330期 716", CASES, 5)
    assert other.drawn != draw_sample(*INPUTS, CASES, 5).drawn


def test_the_sample_is_the_party_draw_of_the_same_inputs():
    """Checkable with the published algorithm of the 双随机 draw."""
    parties = draw(DrawInputs(plan_id=INPUTS[0], published_at=INPUTS[1], public_value=INPUTS[2],
                              party_ids=CASES, inspector_ids=("a", "b"), ratio="1/6"))
    sample = draw_sample(*INPUTS, CASES, 5)
    assert sample.drawn == tuple(party for party, _team in parties.assignments)
    assert sample.seed_hex == parties.seed_hex


@pytest.mark.parametrize("count", [0, 31])
def test_impossible_counts_are_refused(count):
    with pytest.raises(DrawError):
        draw_sample(*INPUTS, CASES, count)
