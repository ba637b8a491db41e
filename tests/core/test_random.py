"""The counter-based generator (armsim/core/random.py), by statistics and by identity.

A draw is a pure function of (seed, run, round, actor, purpose). The generator is
deterministic, so these tests always see the same numbers; the thresholds are the
ones a fresh sample would pass with overwhelming probability (|z| < 4.5, p > 1e-4).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from armsim.core import random as rnd

N_RUNS, N_COUNTERS = 1000, 100            # 10^5 draws


def draws(seed: int = 7, purpose: int = rnd.COMPLIANCE) -> np.ndarray:
    """Uniforms for runs 0..999 over 20 rounds x 5 actors: shape (1000, 20, 5)."""
    keys = rnd.run_keys(seed, np.arange(N_RUNS))
    counters = np.stack([rnd.counter(t, purpose, np.arange(5)) for t in range(20)])
    return rnd.uniform(keys, counters)


def z_of_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson's r scaled by sqrt(n): standard normal under independence."""
    r = np.corrcoef(a.ravel(), b.ravel())[0, 1]
    return float(r * np.sqrt(a.size))


def test_uniforms_lie_strictly_inside_the_unit_interval():
    u = draws()
    assert u.shape == (N_RUNS, 20, 5) and u.dtype == np.float64
    assert u.size == N_RUNS * N_COUNTERS
    assert np.all(u > 0.0) and np.all(u < 1.0)


def test_extreme_hashes_map_strictly_inside_the_unit_interval(monkeypatch):
    """The conversion of a 64-bit hash to a float, at its ends: with ``mix`` made the
    identity, key z and counter 0 give the uniform of hash z itself."""
    monkeypatch.setattr(rnd, "mix", lambda z: z)
    ends = np.array([0, 1, 2**11, 2**63, 2**64 - 2**11, 2**64 - 1], dtype=np.uint64)
    u = rnd.uniform(ends, np.uint64(0))
    assert np.all(u > 0.0) and np.all(u < 1.0)
    z = rnd.normal(ends, np.uint64(0))
    assert np.all(np.isfinite(z))


def test_uniform_mean_and_variance():
    u = draws().ravel()
    assert abs(u.mean() - 0.5) < 4.5 * np.sqrt(1 / 12 / u.size)
    # var of U(0,1) is 1/12; the sample variance's sd is sqrt((1/80 - 1/144) / n)
    assert abs(u.var() - 1 / 12) < 4.5 * np.sqrt((1 / 80 - 1 / 144) / u.size)


def test_uniformity_by_kolmogorov_smirnov_and_chi_square():
    u = draws().ravel()
    assert stats.kstest(u, "uniform").pvalue > 1e-4
    counts, _ = np.histogram(u, bins=100, range=(0, 1))
    assert stats.chisquare(counts).pvalue > 1e-4


def test_pairs_fill_the_unit_square_evenly():
    """(u at round t, u at round t+1) of the same run and actor: a 10 x 10 chi-square."""
    u = draws()
    counts, _, _ = np.histogram2d(u[:, :-1].ravel(), u[:, 1:].ravel(), bins=10,
                                  range=[[0, 1], [0, 1]])
    assert stats.chisquare(counts.ravel()).pvalue > 1e-4


@pytest.mark.parametrize("what", ["purpose", "round", "actor", "run", "seed"])
def test_neighbouring_streams_are_uncorrelated(what):
    u = draws()
    if what == "purpose":
        a, b = u, draws(purpose=rnd.DETECTION)
    elif what == "round":
        a, b = u[:, :-1], u[:, 1:]
    elif what == "actor":
        a, b = u[:, :, :-1], u[:, :, 1:]
    elif what == "run":
        a, b = u[:-1], u[1:]
    else:
        a, b = u, draws(seed=8)
    assert abs(z_of_correlation(a, b)) < 4.5
    assert not np.array_equal(a, b)


def test_all_purposes_differ_in_every_draw():
    keys = rnd.run_keys(3, np.arange(200))
    per_purpose = [rnd.uniform(keys, rnd.counter(4, p, np.arange(3))) for p in range(7)]
    flat = np.stack(per_purpose).reshape(7, -1)
    for i in range(7):
        for j in range(i + 1, 7):
            assert not np.any(flat[i] == flat[j])


def test_counters_are_unique_per_round_actor_and_purpose():
    c = np.array([rnd.counter(t, p, np.arange(40)) for t in range(500) for p in range(7)])
    assert c.dtype == np.uint64
    assert np.unique(c).size == c.size


def test_a_runs_key_and_draws_do_not_depend_on_its_batch():
    everything = rnd.run_keys(2022, np.arange(5000))
    alone = rnd.run_keys(2022, np.array([17]))
    shuffled = np.random.default_rng(0).permutation(5000)
    assert everything[17] == alone[0]
    np.testing.assert_array_equal(rnd.run_keys(2022, shuffled), everything[shuffled])
    c = rnd.counter(11, rnd.CRISIS)
    assert rnd.uniform(everything, c)[17] == rnd.uniform(alone, c)[0]
    cs = rnd.counter(11, rnd.FORCE_NOISE, np.arange(6))
    assert np.array_equal(rnd.normal(everything, cs)[17], rnd.normal(alone, cs)[0])
    # a pure function: asking twice gives the same bits
    assert rnd.uniform(everything, cs).tobytes() == rnd.uniform(everything, cs).tobytes()


def test_seeds_give_different_streams():
    keys = [rnd.run_keys(s, np.arange(1000)) for s in range(5)]
    assert len({k.tobytes() for k in keys}) == 5
    assert np.unique(np.concatenate(keys)).size == 5000


def test_normals_are_standard_normal():
    keys = rnd.run_keys(5, np.arange(N_RUNS))
    z = rnd.normal(keys, rnd.counter(0, rnd.FORCE_NOISE, np.arange(N_COUNTERS))).ravel()
    assert np.all(np.isfinite(z))
    assert abs(z.mean()) < 4.5 / np.sqrt(z.size)
    assert abs(z.var() - 1) < 4.5 * np.sqrt(2 / z.size)
    assert stats.kstest(z, "norm").pvalue > 1e-4
    # neighbouring counters are independent
    grid = z.reshape(N_RUNS, N_COUNTERS)
    assert abs(z_of_correlation(grid[:, :-1], grid[:, 1:])) < 4.5


def test_the_ziggurats_layers_each_hold_the_same_area():
    """Marsaglia and Tsang's construction: every layer above the base is a rectangle of
    area V (its width X[i] times f(X[i+1]) - f(X[i])), and the base, the rectangle
    R f(R) with the tail beyond R, has area V too; the tail's area is sqrt(pi/2)
    erfc(R / sqrt 2) (f(x) = exp(-x^2/2) unnormalised)."""
    import math

    x, V, R = rnd.ZIG_X, rnd.ZIG_V, rnd.ZIG_R
    f = np.exp(-0.5 * x * x)
    layers = x[1:256] * (f[2:257] - f[1:256])
    np.testing.assert_allclose(layers, V, rtol=1e-9)
    tail = math.sqrt(math.pi / 2) * math.erfc(R / math.sqrt(2))
    assert R * math.exp(-0.5 * R * R) + tail == pytest.approx(V, rel=1e-9)
    assert x[0] * math.exp(-0.5 * R * R) == pytest.approx(V, rel=1e-12)   # the base's width
    assert x[256] == 0.0 and np.all(np.diff(x[1:]) < 0)


def test_normals_reach_the_tail_as_often_as_the_normal_law_says():
    """P(|Z| > R) = erfc(R / sqrt 2), about 2.6e-4: the tail branch, counted over 4e6
    draws, within a 4.5-sigma binomial interval; and beyond 4.5 as often as it should."""
    import math

    keys = rnd.run_keys(11, np.arange(40_000))
    z = rnd.normal(keys, rnd.counter(0, rnd.FORCE_NOISE, np.arange(100))).ravel()
    for edge in (rnd.ZIG_R, 4.5):
        p = math.erfc(edge / math.sqrt(2))
        count = np.count_nonzero(np.abs(z) > edge)
        assert abs(count - p * z.size) < 4.5 * math.sqrt(z.size * p * (1 - p)) + 1


def test_normal_rows_are_normal_transposed():
    """The runs-last layout the forces use gives the same numbers as :func:`normal`."""
    keys = rnd.run_keys(3, np.arange(257))
    cs = rnd.counter(4, rnd.FORCE_NOISE, np.arange(9))
    assert rnd.normal_rows(keys, cs).tobytes() == np.ascontiguousarray(
        rnd.normal(keys, cs).T).tobytes()
