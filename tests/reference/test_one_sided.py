"""One-sided preferences (``one_sided: more | less``): "more room is never worse".

MODEL.md's utility is symmetric around the ideal: 1 - |x - ideal| / span. A party that
plans to keep 700 launchers loses by a ceiling below 700 but gains nothing by one at
800 and loses nothing either: with ``one_sided: more`` every level at or above the
ideal is worth 1 and below it the utility falls linearly as before. On a range
[0, 100] with ideal 30, worked by hand:

    level            0     10    30    50    100
    symmetric       0.7   0.8    1    0.8   0.3
    one_sided more  0.7   0.8    1     1     1
    one_sided less   1     1     1    0.8   0.3
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import scenario
from reference_helpers import run

from armsim.core.offers import issue_utility
from armsim.plot.bargaining import pareto_frontier
from armsim.scenario import validate_text

LEVELS = [0, 10, 30, 50, 100]
TABLE = {None: [0.7, 0.8, 1, 0.8, 0.3], "more": [0.7, 0.8, 1, 1, 1],
         "less": [1, 1, 1, 0.8, 0.3]}
SIDE = {None: 0, "more": 1, "less": -1}


@pytest.mark.parametrize("side", [None, "more", "less"])
def test_the_utility_table_worked_by_hand(side):
    x = np.array(LEVELS, dtype=float)[:, None]                      # five runs, one issue
    u = issue_utility(x, np.array([[30.0]]), np.array([100.0]), np.ones((5, 1, 1)),
                      np.array([[SIDE[side]]], dtype=np.int8))
    np.testing.assert_allclose(u[:, 0, 0], TABLE[side], rtol=1e-15)


PAIR = """\
armsim: 1
name: a ceiling and a planner
issues:
  ceiling: {{label: Launcher ceiling, unit: launchers, range: [0, 100]}}
actors:
  planner:
    preferences: {{ceiling: {{ideal: 30{side}}}}}
    strategy: {planner}
  other:
    preferences: {{ceiling: {{ideal: {other}}}}}
    strategy: hardliner
sessions:
  - {{venue: Geneva, participants: [{first}], agenda: [ceiling], rounds: 3{mediated}}}
"""


def pair(side: str | None = None, other: float = 60, planner: str = "linear",
         first: str = "planner, other", mediated: bool = False) -> str:
    return PAIR.format(side=f", one_sided: {side}" if side else "", other=other,
                       planner=planner, first=first,
                       mediated=", protocol: mediated" if mediated else "")


@pytest.mark.parametrize("side, other, utility", [
    ("more", 60, 1.0), ("more", 10, 0.8), ("less", 60, 0.7), ("less", 10, 1.0), (None, 60, 0.7)])
def test_the_realised_utility_reads_the_table(side, other, utility):
    # the hardliner proposes first and the planner (linear) accepts its ideal in the
    # first round where its threshold allows: its realised utility is the table's
    out = run(pair(side, other, first="other, planner"))
    assert out["agreed.ceiling"][0] == other
    assert out["utility.planner"][0] == pytest.approx(utility, rel=1e-12)


def test_a_move_toward_the_free_side_costs_nothing_so_it_is_offered_at_once():
    # the planner opens at its ideal 30 and the other wants 60: above 30 is free to a
    # planner with one_sided: more, so it offers 60 in round 0, which the hardliner takes;
    # with a symmetric preference it asks for 30 (utility 1 at tau = 0), is refused, and
    # accepts the hardliner's 60 in round 1 (its threshold is then alpha(1) = 0)
    free = run(pair("more"), trajectories=True)
    assert free["trace.offer"][0, 0, 0] == 60 and free["agreement_round"][0] == 0
    symmetric = run(pair(None), trajectories=True)
    assert symmetric["trace.offer"][0, 0, 0] == 30 and symmetric["agreement_round"][0] == 1
    # toward the costly side nothing changes: the other wants 10, below the ideal
    for side in ("more", None):
        assert run(pair(side, other=10), trajectories=True)["trace.offer"][0, 0, 0] == 30


def test_in_a_package_the_free_issue_is_conceded_whole_first():
    text = """\
        armsim: 1
        name: a package
        issues:
          ceiling: {range: [0, 100]}
          inspections: {range: [0, 100]}
        actors:
          planner:
            preferences:
              ceiling: {ideal: 30, one_sided: more}
              inspections: {ideal: 0}
          other:
            preferences: {ceiling: {ideal: 60}, inspections: {ideal: 40}}
            strategy: hardliner
        sessions:
          - {venue: V, participants: [planner, other], agenda: [ceiling, inspections],
             rounds: 3, package: true}
        """
    # at tau = 0 the linear planner gives up nothing (need 0) but the free move: (60, 0)
    out = run(text, trajectories=True)
    np.testing.assert_array_equal(out["trace.offer"][0, 0], [60, 0])


def test_the_mediator_takes_the_free_side_into_account():
    # symmetric: (1.3 - y)(0.4 + y) on [0.3, 0.6] peaks at y = 0.45; one-sided: the
    # planner's factor is 1 on [30, 100], so the product is the other's utility alone,
    # largest at its ideal 60
    assert run(pair(None, mediated=True))["agreed.ceiling"][0] == pytest.approx(45, rel=1e-12)
    assert run(pair("more", mediated=True))["agreed.ceiling"][0] == pytest.approx(60, rel=1e-12)


def test_the_pareto_frontier_of_the_dance_figure():
    ideal, weight = np.array([[30.0], [60.0]]), np.ones((2, 1))
    lo, hi = np.array([0.0]), np.array([100.0])
    # one-sided more at 30 and an ideal at 60: both have their best at 60, one point
    both = pareto_frontier(ideal, weight, lo, hi, side=np.array([[1], [0]]))
    np.testing.assert_allclose(both.utility, [[1.0, 1.0]])
    # against an ideal at 20 the frontier runs from 20 (0.9, 1) to 30 (1, 0.9)
    ideal[1] = 20
    front = pareto_frontier(ideal, weight, lo, hi, side=np.array([[1], [0]]))
    np.testing.assert_allclose(front.levels[:, 0], [20, 30])
    np.testing.assert_allclose(front.utility, [[0.9, 1.0], [1.0, 0.9]])


def test_two_hardliners_whose_content_overlaps_are_not_warned_about():
    text = pair("more", planner="hardliner")
    loaded, problems = validate_text(text)
    assert not any("hardliners want different levels" in p.message for p in problems)
    loaded, problems = validate_text(pair(None, planner="hardliner"))
    assert any("hardliners want different levels" in p.message for p in problems)


def test_one_sided_at_the_status_quo_changes_nothing_and_says_so():
    text = pair("more").replace("ideal: 30", "ideal: 100")
    loaded, problems = validate_text(text, "p.yaml")
    (warning,) = [p for p in problems if "one_sided" in p.message]
    assert warning.severity == "warning" and warning.path == ("actors", "planner",
                                                              "preferences", "ceiling",
                                                              "one_sided")
    assert "no level of the range lies above the ideal 100" in warning.message


def test_a_misspelt_side_is_refused_with_a_suggestion():
    loaded, problems = validate_text(pair("mroe"), "p.yaml")
    (error,) = problems
    # line 7 `    preferences: {ceiling: {ideal: 30, one_sided: ` is 50 characters
    assert (error.line, error.column) == (7, 51)
    assert error.message == ("'mroe' is not allowed: input should be 'more' or 'less'; did "
                             "you mean 'more'?")
