"""Private red lines and beliefs (MODEL.md 3, docs/model.md 7.18): values worked out by
hand or in closed form, never read back from the engine."""

from __future__ import annotations

import math

import numpy as np
import pytest

from armsim.compile import build_spec, draw_params
from armsim.core.run import Run
from tests.core.core_helpers import assert_identical
from tests.reference.reference_helpers import run, scenario

PAIR = """
armsim: 1
name: a hawk and a dove
issues:
  limit: {{range: [0, 1]}}
actors:
  hawk:
    preferences:
      limit: {{ideal: {hawk_ideal}{hawk_line}}}
    strategy: hardliner
  dove:
    preferences:
      limit: {{ideal: 1, red_line: {dove_line}}}
    strategy: linear
sessions:
  - {{venue: Geneva, participants: [{first}, {second}], agenda: [limit], rounds: {rounds}}}
"""


def pair(dove_line: str, *, hawk_ideal: str = "0.4", hawk_line: str = "", rounds: int = 11,
         first: str = "dove") -> str:
    second = "hawk" if first == "dove" else "dove"
    return PAIR.format(dove_line=dove_line, hawk_ideal=hawk_ideal, rounds=rounds,
                       first=first, second=second,
                       hawk_line=f", red_line: {hawk_line}" if hawk_line else "")


@pytest.mark.parametrize("constant, degenerate", [
    ("{min: 0.3}", "{min: {dist: uniform, low: 0.3, high: 0.3}}"),
    ("{min: 0.6, max: 1}", "{min: 0.6, max: {dist: uniform, low: 1, high: 1}}"),
])
def test_a_degenerate_red_line_gives_the_constant_run_bit_for_bit(constant, degenerate):
    # uniform(x, x) draws x exactly (low + 0 * u): the per-run tables hold the constants
    same = run(pair(constant), 50, trajectories=True)
    drawn = run(pair(degenerate), 50, trajectories=True)
    assert_identical(same, drawn)


def test_a_degenerate_ideal_gives_the_constant_run_bit_for_bit():
    same = run(pair("{min: 0.3}", hawk_ideal="0.2"), 20, trajectories=True)
    drawn = run(pair("{min: 0.3}", hawk_ideal="{dist: uniform, low: 0.2, high: 0.2}"), 20,
                trajectories=True)
    assert_identical(same, drawn)


def test_agreement_rate_matches_the_chance_that_the_zone_is_not_empty():
    # The hardliner asks for its ideal 0.4, which is also its red line (max 0.4), and
    # accepts nothing else; the linear dove concedes to the hawk's ideal within its own
    # red line min_B ~ U(0, 1). The zone [min_B, 0.4] is non-empty iff min_B <= 0.4; then
    # the dove accepts 0.4 once its aspiration 1 - k/10 falls to 0.4 (k = 6, the hawk
    # offers at k = 7); else each refuses the other's offer by its red line. So
    # P(agreement) = P(min_B <= 0.4) = 0.4, and run by run agreement iff min_B <= 0.4.
    n = 20_000
    text = pair("{min: {dist: uniform, low: 0, high: 1}}", hawk_line="{max: 0.4}")
    out = run(text, n)
    rate = out["agreement"].mean()
    half = 3.29 * math.sqrt(0.4 * 0.6 / n)            # a 99.9% binomial interval
    assert abs(rate - 0.4) < half
    loaded = scenario(text)
    drawn = draw_params(loaded, build_spec(loaded), np.arange(n)).limits["red_lo"][:, 1, 0]
    np.testing.assert_array_equal(out["agreement"], drawn <= 0.4 + 1e-9)


BLUFF = "{min: 0.55, stated: {min: 0.8}, believed: {min: [0, 0.8]}}"


def test_beliefs_narrow_round_by_round_as_worked_by_hand():
    # The hawk (ideal 0) takes the middle of its belief about the dove's true min as
    # the dove's line; the dove (linear over 9 rounds, aspiration 1 - k/8) keeps to its
    # stated 0.8 in its own offers.
    #  round  proposer  offer  dove's answer                 hawk's belief on dove's min
    #  0      hawk      0.4    red line (0.4 < 0.55)          [0.4, 0.8]
    #  1      dove      0.875  (its aspiration 7/8; the hawk   [0.4, 0.8]
    #                          refuses all but its ideal)
    #  2      hawk      0.6    too little (0.6 < 0.75)        [0.4, 0.6]
    #  3      dove      0.8    (5/8, held up at its stated    [0.4, 0.6]
    #                          0.8)
    #  4      hawk      0.5    red line (0.5 < 0.55)          [0.5, 0.6]
    #  5      dove      0.8                                   [0.5, 0.6]
    #  6      hawk      0.55   accepted (0.55 >= 0.25)        [0.5, 0.55]
    loaded = scenario(pair(BLUFF, hawk_ideal="0", rounds=9, first="hawk"))
    spec = build_spec(loaded)
    the_run = Run(spec, draw_params(loaded, spec, np.arange(1)), np.arange(1))
    offers, beliefs = [], []
    for _ in range(7):
        record = the_run.step()
        offers.append(float(record["talks"].offer[0, 0]))
        b = the_run.state.beliefs
        beliefs.append((float(b.min_lo[0, 0, 1, 0]), float(b.min_hi[0, 0, 1, 0])))
    np.testing.assert_allclose(offers, [0.4, 0.875, 0.6, 0.8, 0.5, 0.8, 0.55], atol=1e-12)
    np.testing.assert_allclose(beliefs, [(0.4, 0.8), (0.4, 0.8), (0.4, 0.6), (0.4, 0.6),
                                         (0.5, 0.6), (0.5, 0.6), (0.5, 0.55)], atol=1e-12)
    the_run.run_to_end()
    out = the_run.outputs()
    assert out["agreement_round"][0] == 6
    assert out["agreed.limit"][0] == pytest.approx(0.55)
    assert out["bluff_called.dove"][0] and not out["bluff_called.hawk"][0]
    assert the_run.state.beliefs.called[0, 1, 0] == 6
    assert the_run.state.beliefs.revealed[0, 1, 0] == -1
    # |(0.5 + 0.55) / 2 - 0.55| on the min, nothing on the max (no max, believed so)
    assert out["belief_error.hawk"][0] == pytest.approx(0.025)
    assert out["belief_error.dove"][0] == pytest.approx(0.0)


def test_a_stated_line_others_believe_is_respected():
    # without a believed interval the hawk takes the stated 0.8 at its word: it never
    # offers below it, so the bluff is never called: they settle on the stated line
    out = run(pair("{min: 0.55, stated: {min: 0.8}}", hawk_ideal="0", rounds=9,
                   first="hawk"), 1, trajectories=True)
    offers = out["trace.offer"][0, :, 0]
    assert np.nanmin(offers) == pytest.approx(0.8)
    assert not out["bluff_called.dove"][0]
    assert out["agreed.limit"][0] == pytest.approx(0.8)


def test_an_understated_line_is_revealed_by_a_refusal():
    # the dove states 0.3 but truly needs 0.55: the hawk offers 0.3 and is refused by a
    # red line inside the stated one
    loaded = scenario(pair("{min: 0.55, stated: {min: 0.3}}", hawk_ideal="0", rounds=9,
                           first="hawk"))
    spec = build_spec(loaded)
    the_run = Run(spec, draw_params(loaded, spec, np.arange(1)), np.arange(1))
    the_run.step()
    b = the_run.state.beliefs
    assert b.revealed[0, 1, 0] == 0
    # the point belief 0.3 was refused: the interval [0.3, 0.3] empties and opens to hi
    assert (b.min_lo[0, 0, 1, 0], b.min_hi[0, 0, 1, 0]) == (0.3, 1.0)


@pytest.mark.parametrize("line", [BLUFF, "{min: {dist: uniform, low: 0, high: 1}, "
                                         "stated: {min: 0.9}, believed: {min: [0, 0.9]}}"])
def test_the_mesa_model_learns_as_the_batch_does(line):
    from tests.abm.abm_helpers import differences

    from armsim.abm import ArmsControlModel
    from armsim.batch import run_chunk

    loaded = scenario(pair(line, hawk_ideal="0", rounds=9, first="hawk"))
    runs = np.array([0, 1, 5, 977])
    batch = run_chunk(loaded, runs, trajectories=True)
    for row, r in enumerate(runs):
        model = ArmsControlModel(loaded, run=int(r), trajectories=True, collect=False)
        model.run_model()
        assert differences(batch, row, {**model.outputs(), **{
            f"trace.{k}": v for k, v in model.trajectories().items()}}) == []


def test_explain_tells_a_called_bluff_and_a_revealed_line():
    from armsim.explain import story

    told = story(scenario(pair(BLUFF, hawk_ideal="0", rounds=9, first="hawk"))).text()
    assert ("Dove's bluff was called on Limit: it accepted 0.55, across the red line it had "
            "stated (at least 0.8).") in told
    told = story(scenario(pair("{min: 0.55, stated: {min: 0.3}}", hawk_ideal="0", rounds=9,
                               first="hawk"))).text()
    assert ("Dove revealed a red line on Limit stricter than it had stated: it refused 0.3 "
            "(at least 0.55).") in told


def test_explain_tells_the_red_line_this_run_drew():
    from armsim.explain import story

    loaded = scenario(pair("{min: {dist: uniform, low: 0.5, high: 0.9}}", hawk_ideal="0",
                           rounds=3, first="hawk"))
    drawn = draw_params(loaded, build_spec(loaded), np.arange(1)).limits["red_lo"][0, 1, 0]
    told = story(loaded).text()
    # a drawn line nobody states otherwise is public: the hawk offers exactly at it
    assert f"Limit at {drawn:.4g}. Accepted by all." in told


def test_a_run_with_private_lines_is_the_same_in_any_batch():
    from armsim.batch import run_chunk

    loaded = scenario(pair("{min: {dist: uniform, low: 0, high: 1}, stated: {min: 0.9}, "
                           "believed: {min: [0, 0.9]}}", hawk_ideal="0", rounds=9,
                           first="hawk"))
    batch = run_chunk(loaded, np.arange(40), trajectories=True)
    for r in (0, 17, 39):
        assert_identical(batch, run_chunk(loaded, np.array([r]), trajectories=True),
                         rows=slice(r, r + 1))
    # The hardliner agrees only to its own offers, the middles of beliefs below the
    # stated 0.9: every agreement is at a level across the dove's stated line, so a bluff
    # is called exactly in the runs that agree (some, not all, as the true line varies)
    assert 0 < batch["agreement"].mean() < 1
    np.testing.assert_array_equal(batch["bluff_called.dove"], batch["agreement"])
