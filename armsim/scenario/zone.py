"""The chance that the zone of possible agreement is not empty, over a scenario's draws.

Where red lines are distributions drawn per run, the zone on an issue, the levels within
every participant's *true* line, is ``[L, H]`` with ``L = max_a min_a`` and
``H = min_a max_a`` (an actor without an end contributes the range's end). Two numbers:

- ``monte_carlo``: the share of runs 0 .. n-1 of the scenario's seed (the very runs the
  engine plays) whose drawn lines leave a common level, within the talks' tolerance;
- ``exact``: where every drawn end is uniform (or constant), independent across ends,
  ``P(L <= H) = F_L(l0) S_H(l0) + integral over l > l0 of f_L(l) S_H(l) dl``, with
  ``F_L = prod_a F_a`` the CDF of the highest min (an atom at ``l0``, the highest constant
  min), ``S_H(l) = prod_b P(max_b >= l)``. Both are piecewise polynomials between the
  uniforms' ends, integrated by Gauss-Legendre (exact for their degree).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from armsim.core.rules import has_common_level
from armsim.scenario.distributions import Uniform
from armsim.scenario.schema import Scenario

DRAWS = 10_000


@dataclass(frozen=True)
class ZoneChance:
    """P(the zone is not empty): by Monte Carlo over ``draws`` runs, and exactly where the
    drawn ends are uniform (None otherwise)."""

    monte_carlo: float
    draws: int
    exact: float | None


def _ends(scenario: Scenario, actor: str, issue: str) -> tuple[object, object]:
    """The true ``min`` and ``max`` of an actor's line (numbers or distributions), the
    range's ends where none is written."""
    rng = scenario.issues[issue]
    pref = scenario.actors[actor].preferences.get(issue)
    if pref is None:
        return rng.lo, rng.hi
    if pref.non_negotiable:
        return rng.hi, rng.hi
    line = pref.red_line
    low = rng.lo if line is None or line.min is None else line.min
    high = rng.hi if line is None or line.max is None else line.max
    return low, high


def uncertain(scenario: Scenario, issue: str, actors: list[str]) -> bool:
    """Whether some participant's true line on ``issue`` is drawn per run."""
    return any(not isinstance(end, (int, float))
               for a in actors for end in _ends(scenario, a, issue))


def zone_chance(scenario: Scenario, issue: str, actors: list[str],
                draws: int = DRAWS) -> ZoneChance:
    """The chance that ``actors``' true red lines leave a common level on ``issue``."""
    from armsim.compile import build_spec, draw_params

    spec = build_spec(scenario)
    params = draw_params(scenario, spec, np.arange(draws))
    who = np.array([spec.actors.index(a) for a in actors])
    i = spec.issues.index(issue)
    low = np.broadcast_to(spec.limit(params, "red_lo"), (draws, *spec.ideal.shape))
    high = np.broadcast_to(spec.limit(params, "red_hi"), (draws, *spec.ideal.shape))
    fits = has_common_level(low[:, who, i].max(axis=1), high[:, who, i].min(axis=1))
    ends = [_ends(scenario, a, issue) for a in actors]
    return ZoneChance(float(np.mean(fits)), draws, _exact([e[0] for e in ends],
                                                          [e[1] for e in ends]))


def _interval(end: object) -> tuple[float, float] | None:
    if isinstance(end, (int, float)):
        return float(end), float(end)
    return (end.low, end.high) if isinstance(end, Uniform) else None


def _exact(mins: list[object], maxes: list[object]) -> float | None:
    """P(max of the mins <= min of the maxes) for independent uniform or constant ends."""
    lows, highs = [_interval(m) for m in mins], [_interval(m) for m in maxes]
    if None in lows or None in highs:
        return None
    l0 = max(a for a, b in lows if a == b) if any(a == b for a, b in lows) else -np.inf
    ramps = [(a, b) for a, b in lows if a < b]

    def cdf(x: np.ndarray) -> np.ndarray:            # F_L
        out = np.where(x >= l0, 1.0, 0.0)
        for a, b in ramps:
            out = out * np.clip((x - a) / (b - a), 0.0, 1.0)
        return out

    def density(x: np.ndarray) -> np.ndarray:        # f_L beyond l0
        total = np.zeros_like(x)
        for j, (a, b) in enumerate(ramps):
            term = np.where((x > a) & (x < b), 1.0 / (b - a), 0.0)
            for k, (c, d) in enumerate(ramps):
                if k != j:
                    term = term * np.clip((x - c) / (d - c), 0.0, 1.0)
            total += term
        return total * (x >= l0)

    def survival(x: np.ndarray) -> np.ndarray:       # S_H
        out = np.ones_like(x)
        for a, b in highs:
            out = out * (np.where(x <= b, 1.0, 0.0) if a == b
                         else np.clip((b - x) / (b - a), 0.0, 1.0))
        return out

    atom = float(cdf(np.array([l0]))[0] * survival(np.array([l0]))[0]) if l0 > -np.inf else 0.0
    cuts = sorted({v for a, b in ramps + highs for v in (a, b)} | ({l0} - {-np.inf}))
    nodes, weights = np.polynomial.legendre.leggauss(24)
    total = atom
    for left, right in zip(cuts, cuts[1:]):
        left = max(left, l0)
        if right <= left:
            continue
        x = (right - left) / 2 * nodes + (right + left) / 2
        total += float((right - left) / 2 * np.sum(weights * density(x) * survival(x)))
    return min(max(total, 0.0), 1.0)
