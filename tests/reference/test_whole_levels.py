"""Whole-number levels (``issues.<i>.whole: true``): no ceiling of 23.94 launchers.

Where levels are rounded, and how (docs/model.md 7.21), worked by hand:

- a proposer's offer is rounded toward its own start (its ideal within the window): it
  concedes whole units only, never more than its strategy gives: a linear proposer from
  0 toward 100 that would concede 66.67 at tau = 2/3 offers 66; from 100 toward 0, 34;
- the window it offers in is narrowed to its whole levels: a red line ``min: 23.94``
  admits 24, never 23.94, so a rounded level never crosses a red line;
- an agreed level is an offer, so it is whole, and so is the cap a complier keeps to;
- Rubinstein's equilibrium offer is rounded the same way (toward the proposer);
- a drawn ideal is rounded per run to the nearest whole number.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import scenario
from reference_helpers import run

from armsim.compile import build_spec, draw_params
from armsim.core.run import Phase, Run
from armsim.scenario import validate_text

DUEL = """\
armsim: 1
name: a linear proposer and a hardliner
issues:
  ceiling: {{label: Ceiling, unit: launchers, range: [0, 100]{whole}}}
actors:
  proposer:
    preferences: {{ceiling: {{ideal: {mine}}}}}
  hardliner:
    preferences: {{ceiling: {{ideal: {theirs}}}}}
    strategy: hardliner
sessions:
  - {{venue: V, participants: [proposer, hardliner], agenda: [ceiling], rounds: 4}}
"""


def duel(whole: bool = True, mine: float = 0, theirs: float = 100) -> str:
    return DUEL.format(whole=", whole: true" if whole else "", mine=mine, theirs=theirs)


def test_offers_are_rounded_toward_the_proposers_start():
    # linear: alpha(tau) = 1 - tau, tau = k / 3; the proposer offers at rounds 0 and 2,
    # conceding (1 - alpha) * 100: 0, then 66.67 -> 66 (toward 0); the hardliner offers
    # 100 at rounds 1 and 3, taken at round 3 where the proposer's threshold is 0
    out = run(duel(), trajectories=True)
    np.testing.assert_array_equal(out["trace.offer"][0, :, 0], [0, 100, 66, 100])
    assert out["agreed.ceiling"][0] == 100
    mirrored = run(duel(mine=100, theirs=0), trajectories=True)
    np.testing.assert_array_equal(mirrored["trace.offer"][0, :, 0], [100, 0, 34, 0])
    # the same talks on a continuous issue: 66.67
    plain = run(duel(whole=False), trajectories=True)
    assert plain["trace.offer"][0, 2, 0] == pytest.approx(200 / 3, rel=1e-12)


CAP = """\
armsim: 1
name: a ceiling of 23.94 launchers
aftermath: 4
forces:
  launchers: {{label: Launchers, max: 200}}
issues:
  ceiling: {{range: [0, 200], caps: launchers{whole}}}
actors:
  a:
    forces: {{launchers: {{initial: 50}}}}
    preferences: {{ceiling: {{ideal: 0}}}}
    compliance: always_comply
  b:
    forces: {{launchers: {{initial: 50}}}}
    preferences: {{ceiling: {{ideal: 100, red_line: {{min: 23.94}}}}}}
    compliance: always_comply
sessions:
  - {{venue: V, participants: [a, b], agenda: [ceiling], rounds: 1}}
"""


@pytest.mark.parametrize("whole, level", [(True, 24.0), (False, 23.94)])
def test_the_agreed_ceiling_and_the_cap_are_whole(whole, level):
    # a opens at its ideal 0 held to b's red line: 23.94, or on whole levels 24 (the
    # least whole level inside it); b, in a one-round session, accepts anything worth
    # its reservation 0; from round 1 both keep their launchers at the cap
    out = run(CAP.format(whole=", whole: true" if whole else ""), trajectories=True)
    assert out["agreed.ceiling"][0] == level
    np.testing.assert_array_equal(out["trace.forces"][0, 1:, :, 0], level)


def test_rubinstein_offers_are_rounded_toward_the_proposer():
    # infinite horizon, both patient 0.9: the first proposer (ideal 100) takes the
    # share (1 - 0.9) / (1 - 0.81) = 10/19 of the distance from the responder's ideal 0,
    # 52.63 launchers, rounded toward its own ideal: 53
    text = """\
        armsim: 1
        name: Rubinstein on whole levels
        issues:
          ceiling: {range: [0, 100], whole: true}
        actors:
          a: {preferences: {ceiling: {ideal: 100}}, patience: 0.9,
              strategy: {type: rubinstein, horizon: infinite}}
          b: {preferences: {ceiling: {ideal: 0}}, patience: 0.9,
              strategy: {type: rubinstein, horizon: infinite}}
        sessions:
          - {venue: V, participants: [a, b], agenda: [ceiling], rounds: 3}
        """
    assert 100 * 10 / 19 == pytest.approx(52.63, abs=0.01)
    assert run(text)["agreed.ceiling"][0] == 53


def test_a_drawn_ideal_is_rounded_per_run():
    loaded = scenario(duel().replace("ideal: 0", "ideal: {dist: uniform, low: 0, high: 40}"))
    spec = build_spec(loaded)
    ideal = draw_params(loaded, spec, np.arange(200)).limits["ideal"][:, 0, 0]
    np.testing.assert_array_equal(ideal, np.round(ideal))
    assert ideal.min() >= 0 and ideal.max() <= 40 and len(set(ideal)) > 20


def test_an_offer_put_in_by_hand_is_rounded_to_the_nearest_whole_level():
    loaded = scenario(duel())
    spec = build_spec(loaded)
    run_ = Run(spec, draw_params(loaded, spec, np.arange(1)), np.arange(1))
    run_.advance_to(Phase.RESPOND)
    run_.replace_offer(np.array([[23.6]]))
    assert run_.proposal.offer[0, 0] == 24


def problems(text: str) -> list:
    return validate_text(text, "w.yaml")[1]


def test_a_fractional_ideal_on_a_whole_issue_is_an_error_with_a_suggestion():
    (error,) = problems(duel(mine=23.94))
    # line 7 `    preferences: {ceiling: {ideal: ` is 35 characters
    assert (error.line, error.column, error.severity) == (7, 36, "error")
    assert error.message == ("ideal 23.94 is not a whole number, and 'ceiling' takes whole "
                             "levels only (whole: true); write 24 (or 23)")


def test_a_fractional_end_of_a_whole_range_is_an_error():
    (error,) = problems(duel().replace("range: [0, 100]", "range: [0, 100.5]"))
    assert error.path == ("issues", "ceiling", "range") and error.line == 4
    assert "range [0, 100.5] has an end that is not a whole number" in error.message


def test_a_red_line_that_holds_no_whole_level_is_an_error():
    text = duel().replace("{ideal: 100}", "{ideal: 100, red_line: {min: 99.2, max: 99.8}}")
    found = [p for p in problems(text) if p.severity == "error"]
    assert any(p.path == ("actors", "hardliner", "preferences", "ceiling", "red_line")
               and "leaves [99.2, 99.8], which holds no whole level" in p.message
               for p in found), found


def test_a_common_window_without_a_whole_level_warns():
    text = duel().replace("{ideal: 0}", "{ideal: 0, red_line: {max: 40.5}}").replace(
        "{ideal: 100}", "{ideal: 40.5, red_line: {min: 40.2}}").replace(
        "ideal: 40.5", "ideal: 41").replace("max: 40.5", "max: 40.8")
    # the proposer accepts up to 40.8, the hardliner from 40.2: no whole level between
    found = problems(text)
    assert any(p.severity == "warning" and "holds no whole level (whole: true): it cannot be "
               "agreed here" in p.message for p in found), found


@pytest.mark.parametrize("engine", ["numpy", "compiled"])
def test_a_whole_level_of_zero_is_written_0_not_minus_0(engine):
    # rounding toward a start of 0 takes ceil(0 - EPS), which is -0.0 in IEEE arithmetic;
    # an agreed ceiling of nothing reads 0 in runs.csv on both paths
    from armsim.core import compiled
    compiled.use(engine)
    try:
        out = run(duel(mine=0, theirs=0), trajectories=True)
    finally:
        compiled.use(None)
    assert out["agreed.ceiling"][0] == 0
    assert not np.signbit(out["agreed.ceiling"][0])
    assert not np.signbit(out["trace.offer"][0, 0, 0])


def test_a_mediators_whole_level_of_zero_is_0_not_minus_0():
    # two parties at -5 and 5 (span 10), a's reservation 0.08: the Nash point maximises
    # (0.5 - x/10 - 0.08)(0.5 + x/10), at x = -0.4; of its whole neighbours -1 and 0, 0
    # is the nearer, so the better (the log product is concave and symmetric about -0.4):
    # ceil(-0.4) is -0.0 in IEEE arithmetic, and the deal reads 0
    text = """\
armsim: 1
name: a mediated whole level
issues:
  level: {label: Level, range: [-5, 5], whole: true}
actors:
  a: {preferences: {level: {ideal: -5}}, reservation: 0.08}
  b: {preferences: {level: {ideal: 5}}}
sessions:
  - {venue: V, participants: [a, b], agenda: [level], rounds: 3, protocol: mediated}
"""
    out = run(text, trajectories=True)
    assert out["agreed.level"][0] == 0
    assert not np.signbit(out["agreed.level"][0])
    assert not np.signbit(out["trace.offer"][0, 0, 0])
