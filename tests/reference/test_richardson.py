"""Richardson's arms race against its closed forms (MODEL.md section 6).

x' = x + dt (a y - m x + g), y' = y + dt (b x - n y + h). The fixed point is
x* = (a h + n g) / (m n - a b), y* = (b g + m h) / (m n - a b); the discrete map is
stable iff the spectral radius of I + dt [[-m, a], [b, -n]] is below 1.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from reference_helpers import run
from helpers import scenario

from armsim.richardson import explain, pair_of

RACE = """\
armsim: 1
name: Richardson's arms race
seed: 1
dt: {dt}
aftermath: {rounds}
forces:
  arms: {{label: Arms, max: {top}}}
actors:
  x:
    rivals: [y]
    forces: {{arms: {{initial: {x0}, reaction: {a}, fatigue: {m}, grievance: {g}}}}}
  y:
    rivals: [x]
    forces: {{arms: {{initial: {y0}, reaction: {b}, fatigue: {n}, grievance: {h}}}}}
"""


def race(**numbers: object) -> str:
    return RACE.format(**numbers)


# (a, b, m, n, g, h, dt, x0, y0): continuous and discrete stable
STABLE = [
    ("0.2", "0.3", "0.5", "0.4", "3", "2", "0.5", "0", "50"),
    ("0.5", "0.25", "0.9", "0.6", "1", "4", "1", "80", "5"),
    ("0.1", "0.1", "0.2", "0.2", "10", "0", "2", "30", "30"),
]


def fixed_point(a: Fraction, b: Fraction, m: Fraction, n: Fraction, g: Fraction,
                h: Fraction) -> tuple[Fraction, Fraction]:
    det = m * n - a * b
    return (a * h + n * g) / det, (b * g + m * h) / det


def spectral_radius_by_hand(a: float, b: float, m: float, n: float, dt: float) -> float:
    """Roots of l^2 - tr l + det for J = [[1 - dt m, dt a], [dt b, 1 - dt n]]."""
    tr = (1 - dt * m) + (1 - dt * n)
    det = (1 - dt * m) * (1 - dt * n) - dt * a * dt * b
    disc = complex(tr * tr - 4 * det) ** 0.5
    return max(abs((tr + disc) / 2), abs((tr - disc) / 2))


@pytest.mark.parametrize("a,b,m,n,g,h,dt,x0,y0", STABLE)
def test_stable_race_settles_at_the_fixed_point(a, b, m, n, g, h, dt, x0, y0):
    xs, ys = fixed_point(*(Fraction(v) for v in (a, b, m, n, g, h)))
    rho = spectral_radius_by_hand(*(float(v) for v in (a, b, m, n, dt)))
    assert rho < 0.95
    rounds = int(np.ceil(np.log(1e-14) / np.log(rho)))  # deviations shrink like rho ** t
    out = run(race(a=a, b=b, m=m, n=n, g=g, h=h, dt=dt, x0=x0, y0=y0, top=1000, rounds=rounds))
    np.testing.assert_allclose(out["final_force.x.arms"], [float(xs)], rtol=1e-9)
    np.testing.assert_allclose(out["final_force.y.arms"], [float(ys)], rtol=1e-9)


@pytest.mark.parametrize("a,b,m,n,g,h,dt,x0,y0", STABLE)
def test_verdict_on_a_stable_race(a, b, m, n, g, h, dt, x0, y0):
    loaded = scenario(race(a=a, b=b, m=m, n=n, g=g, h=h, dt=dt, x0=x0, y0=y0, top=1000,
                           rounds=5))
    nx, ny, force, pair = pair_of(loaded)
    assert (nx, ny, force) == ("x", "y", "arms")
    xs, ys = fixed_point(*(Fraction(v) for v in (a, b, m, n, g, h)))
    assert pair.fixed_point == pytest.approx((float(xs), float(ys)), rel=1e-12)
    assert pair.continuous_stable and pair.discrete_stable
    assert pair.spectral_radius == pytest.approx(
        spectral_radius_by_hand(*(float(v) for v in (a, b, m, n, dt))), rel=1e-12)


def test_one_step_by_hand():
    a, b, m, n, g, h, dt, x0, y0 = 0.2, 0.3, 0.5, 0.4, 3.0, 2.0, 0.5, 10.0, 50.0
    out = run(race(a=a, b=b, m=m, n=n, g=g, h=h, dt=dt, x0=x0, y0=y0, top=1000, rounds=2),
              trajectories=True)
    x1 = x0 + dt * (a * y0 - m * x0 + g)   # 10 + 0.5 (10 - 5 + 3) = 14
    y1 = y0 + dt * (b * x0 - n * y0 + h)   # 50 + 0.5 (3 - 20 + 2) = 42.5
    x2 = x1 + dt * (a * y1 - m * x1 + g)
    y2 = y1 + dt * (b * x1 - n * y1 + h)
    forces = out["trace.forces"][0, :, :, 0]          # (rounds, actors)
    np.testing.assert_allclose(forces[0], [14.0, 42.5], rtol=1e-15)
    np.testing.assert_allclose(forces[0], [x1, y1], rtol=1e-15)
    np.testing.assert_allclose(forces[1], [x2, y2], rtol=1e-15)


# MODEL.md's example: m n = 12 > a b = 2, yet with dt = 1 the map diverges.
UNSTABLE = dict(a=2, b=1, m=4, n=3, g=1, h=1, dt=1, x0=1, y0=2, top=100, rounds=60)


def test_discretely_unstable_race_never_settles():
    out = run(race(**UNSTABLE), trajectories=True)
    forces = out["trace.forces"][0, :, :, 0]
    # By hand, clipping to [0, 100] each step: x = 2, 0, 7, 0, 17, 0, 37, 0, 77, 0, 100, ...
    # and y = 0, 3, 0, 8, 0, 18, 0, 38, 0, 78, 0, 100, ...: the deviation from the
    # fixed point (1/2, 1/2) is multiplied by -4 each step until the clip.
    np.testing.assert_array_equal(forces[:10, 0], [2, 0, 7, 0, 17, 0, 37, 0, 77, 0])
    np.testing.assert_array_equal(forces[:10, 1], [0, 3, 0, 8, 0, 18, 0, 38, 0, 78])
    # then it flips between max and 0 for ever, never near (1/2, 1/2)
    tail = forces[20:]
    assert set(np.unique(tail)) == {0.0, 100.0}
    assert np.all(np.abs(np.diff(tail, axis=0)) == 100.0)
    assert np.all(np.abs(tail - 0.5) >= 0.5)


def test_verdict_on_the_discretely_unstable_race():
    loaded = scenario(race(**UNSTABLE))
    _, _, _, pair = pair_of(loaded)
    assert pair.continuous_stable                       # 4 * 3 > 2 * 1
    # J = I + [[-4, 2], [1, -3]] = [[-3, 2], [1, -2]]: l^2 + 5 l + 4 = 0, l = -1, -4
    assert pair.spectral_radius == pytest.approx(4.0, rel=1e-12)
    assert not pair.discrete_stable
    assert pair.fixed_point == pytest.approx((0.5, 0.5), rel=1e-12)
    words = explain(loaded)
    assert "UNSTABLE" in words and "although m*n > a*b" in words
