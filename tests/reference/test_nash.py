"""Mediated sessions against the Nash bargaining solution.

The mediator proposes the levels that maximise the product of the participants'
utility gains over their reservations, within every red line. On one issue of range
[0, 1] with ideals 0 and 1 the utilities are 1 - x and x, so the product
(1 - x - r1)(x - r2) peaks at x = (1 - r1 + r2) / 2; red lines clip it to their
window (the log of the product is concave, so the best feasible level is the
window's nearest end).
"""

from __future__ import annotations

import numpy as np
import pytest
from reference_helpers import run

TWO = """\
armsim: 1
name: Mediated pair
issues:
  level: {{label: Level, range: [0, 1]}}
actors:
  low:
    preferences: {{level: {{ideal: 0, weight: 1{low_line}}}}}
    reservation: {r1}
  high:
    preferences: {{level: {{ideal: 1, weight: 1{high_line}}}}}
    reservation: {r2}
sessions:
  - {{venue: Vienna, participants: [low, high], agenda: [level], rounds: 1, protocol: mediated}}
"""


@pytest.mark.parametrize("r1,r2", [(0, 0), (0.2, 0.1), (0.1, 0.5), (0.45, 0.05), (0.3, 0.3)])
def test_two_parties_split_the_surplus(r1, r2):
    out = run(TWO.format(r1=r1, r2=r2, low_line="", high_line=""), trajectories=True)
    assert out["agreement_round"][0] == 0
    assert out["trace.proposer"][0, 0] == -1          # the mediator, not a participant
    assert out["agreed.level"][0] == pytest.approx((1 - r1 + r2) / 2, abs=1e-12)


@pytest.mark.parametrize("low_line,high_line,expected", [
    (", red_line: {max: 0.3}", "", 0.3),      # optimum 0.45 above low's highest level
    ("", ", red_line: {min: 0.7}", 0.7),      # optimum 0.45 below high's lowest level
    (", red_line: {max: 0.6}", ", red_line: {min: 0.2}", 0.45),  # window holds it
])
def test_red_lines_clip_the_solution_to_their_window(low_line, high_line, expected):
    r1, r2 = 0.2, 0.1                          # unconstrained optimum (1 - 0.2 + 0.1) / 2
    out = run(TWO.format(r1=r1, r2=r2, low_line=low_line, high_line=high_line))
    assert out["agreement_round"][0] == 0
    assert out["agreed.level"][0] == pytest.approx(expected, abs=1e-12)


def test_no_agreement_when_the_window_leaves_someone_below_its_reservation():
    # high accepts nothing under 0.9, where low's utility 1 - x <= 0.1 < r1 = 0.2
    out = run(TWO.format(r1=0.2, r2=0.1, low_line="", high_line=", red_line: {min: 0.9}"))
    assert not out["agreement"][0]
    assert np.isnan(out["agreed.level"][0])


THREE = """\
armsim: 1
name: Mediated three
issues:
  level: {{label: Level, range: [{lo}, {hi}]}}
actors:
  a: {{preferences: {{level: {{ideal: {ia}}}}}, reservation: {ra}}}
  b: {{preferences: {{level: {{ideal: {ib}}}}}, reservation: {rb}}}
  c: {{preferences: {{level: {{ideal: {ic}, red_line: {{min: {c_min}}}}}}}, reservation: {rc}}}
sessions:
  - {{venue: OSCE, participants: [a, b, c], agenda: [level], rounds: 1, protocol: mediated}}
"""

THREE_CASES = [
    dict(lo=100, hi=500, ia=100, ib=260, ic=500, c_min=100, ra=0.1, rb=0.3, rc=0.05),
    dict(lo=100, hi=500, ia=100, ib=420, ic=500, c_min=100, ra=0.1, rb=0.1, rc=0.1),
    dict(lo=0, hi=10, ia=0, ib=1, ic=10, c_min=0, ra=0.0, rb=0.0, rc=0.2),
    dict(lo=0, hi=10, ia=0, ib=1, ic=10, c_min=6, ra=0.0, rb=0.0, rc=0.2),   # clipped
]


def brute_force(case: dict, points: int = 2_000_001) -> tuple[float, float, float]:
    """The grid maximiser of the Nash product, the grid step, and the maximum."""
    lo = max(case["lo"], case["c_min"])
    x = np.linspace(lo, case["hi"], points)
    span = case["hi"] - case["lo"]
    gains = np.array([1 - np.abs(x - case[f"i{who}"]) / span - case[f"r{who}"]
                      for who in "abc"])
    product = np.where((gains > 0).all(axis=0), gains.prod(axis=0), -np.inf)
    best = int(np.argmax(product))
    return float(x[best]), float(x[1] - x[0]), float(product[best])


def nash_product(case: dict, x: float) -> float:
    span = case["hi"] - case["lo"]
    return float(np.prod([1 - abs(x - case[f"i{who}"]) / span - case[f"r{who}"]
                          for who in "abc"]))


@pytest.mark.parametrize("case", THREE_CASES)
def test_three_parties_match_a_brute_force_maximum(case):
    out = run(THREE.format(**case))
    assert out["agreement_round"][0] == 0
    level = float(out["agreed.level"][0])
    best, step, top = brute_force(case)
    assert abs(level - best) <= step
    assert nash_product(case, level) >= top - 1e-12


PACKAGE = """\
armsim: 1
name: Mediated package
issues:
  x: {{label: X, range: [0, 1]}}
  y: {{label: Y, range: [0, 1]}}
actors:
{actors}
sessions:
  - {{venue: Brussels, participants: [{names}], agenda: [x, y], rounds: 1, package: true,
     protocol: mediated}}
"""

# (ideal x, ideal y, weight x, weight y, reservation) per participant
PACKAGE_CASES = [
    [(0, 0, 2, 1, 0.0), (1, 1, 1, 2, 0.0)],          # each concedes its lighter issue
    [(0, 0, 2, 1, 0.0), (1, 1, 1, 2, 0.0), (0.5, 0.2, 1, 1, 0.0)],
    [(0, 1, 2, 1, 0.1), (1, 0, 1, 2, 0.1), (0.3, 0.6, 1, 3, 0.1)],
]


def package_utilities(case, x, y):
    """Each participant's package utility and gain over its reservation, on a grid."""
    return [(wx * (1 - np.abs(x - ix)) + wy * (1 - np.abs(y - iy))) / (wx + wy) - r
            for ix, iy, wx, wy, r in case]


@pytest.mark.parametrize("case", PACKAGE_CASES)
def test_a_package_maximises_the_product_of_package_utilities(case):
    actors = "\n".join(
        f"  p{j}:\n    preferences: {{x: {{ideal: {ix}, weight: {wx}}}, "
        f"y: {{ideal: {iy}, weight: {wy}}}}}\n    reservation: {r}"
        for j, (ix, iy, wx, wy, r) in enumerate(case))
    names = ", ".join(f"p{j}" for j in range(len(case)))
    out = run(PACKAGE.format(actors=actors, names=names))
    assert out["agreement_round"][0] == 0
    level = (float(out["agreed.x"][0]), float(out["agreed.y"][0]))
    grid = np.linspace(0, 1, 1001)
    x, y = np.meshgrid(grid, grid, indexing="ij")
    gains = np.array(package_utilities(case, x, y))
    product = np.where((gains > 0).all(axis=0), gains.prod(axis=0), -np.inf)
    best = np.unravel_index(np.argmax(product), product.shape)
    at_level = float(np.prod(package_utilities(case, *level)))
    # as good as the best grid point, and the grid's best is within a step of it
    assert at_level >= product[best] - 1e-9
    assert abs(level[0] - grid[best[0]]) <= 2e-3 and abs(level[1] - grid[best[1]]) <= 2e-3
