"""Distributions against scipy.stats (a peer library) and against their closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats
from scipy.special import ndtr

from armsim.scenario.distributions import Beta, Normal, Triangular, Uniform

Q = np.array([1e-6, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 - 1e-6])


def peer(dist):
    """The same distribution in scipy.stats."""
    if isinstance(dist, Uniform):
        return stats.uniform(loc=dist.low, scale=dist.high - dist.low)
    if isinstance(dist, Normal):
        a, b = (dist.low - dist.mean_) / dist.sd, (dist.high - dist.mean_) / dist.sd
        return stats.truncnorm(a, b, loc=dist.mean_, scale=dist.sd)
    if isinstance(dist, Triangular):
        width = dist.high - dist.low
        return stats.triang((dist.mode - dist.low) / width, loc=dist.low, scale=width)
    if isinstance(dist, Beta):
        return stats.beta(dist.a, dist.b, loc=dist.low, scale=dist.high - dist.low)
    raise TypeError(dist)


DISTRIBUTIONS = [
    Uniform(dist="uniform", low=0.9, high=0.99),
    Uniform(dist="uniform", low=-3, high=5),
    Normal(dist="normal", mean=0.9, sd=0.05, low=0.8, high=1.0),
    Normal(dist="normal", mean=0.0, sd=2.0),  # not truncated
    Normal(dist="normal", mean=10, sd=3, low=12, high=30),  # the mean outside the window
    Normal(dist="normal", mean=0.5, sd=1, low=0),  # truncated on one side only
    Triangular(dist="triangular", low=0, mode=0.3, high=1),
    Triangular(dist="triangular", low=2, mode=2, high=6),  # mode at an end
    Triangular(dist="triangular", low=2, mode=6, high=6),
    Beta(dist="beta", a=2, b=5),
    Beta(dist="beta", a=0.5, b=0.5, low=100, high=400),
    Beta(dist="beta", a=1, b=1, low=0.2, high=0.6),
]


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=repr)
def test_ppf_matches_scipy(dist):
    assert_allclose(dist.ppf(Q), peer(dist).ppf(Q), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=repr)
def test_mean_matches_scipy(dist):
    assert dist.mean() == pytest.approx(peer(dist).mean(), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=repr)
def test_support_matches_scipy(dist):
    assert dist.support() == tuple(float(x) for x in peer(dist).support())


@pytest.mark.parametrize("dist", DISTRIBUTIONS, ids=repr)
def test_ppf_keeps_the_shape_and_stays_in_the_support(dist):
    u = np.linspace(0, 1, 24).reshape(2, 3, 4)
    x = dist.ppf(u)
    assert x.shape == (2, 3, 4)
    low, high = dist.support()
    assert np.all((low <= x) & (x <= high))
    assert np.all(np.diff(x.ravel()) >= 0)  # an inverse CDF never decreases


def test_uniform_closed_form():
    d = Uniform(dist="uniform", low=2, high=10)
    assert d.mean() == 6
    assert_allclose(d.ppf(np.array([0.0, 0.25, 1.0])), [2, 4, 10])


def test_triangular_closed_form():
    # low 0, mode 1, high 4: F(mode) = (c - a) / (b - a) = 1/4, mean (0 + 1 + 4) / 3
    d = Triangular(dist="triangular", low=0, mode=1, high=4)
    assert d.mean() == pytest.approx(5 / 3)
    # left of the mode F(x) = x^2 / 4 and right of it 1 - (4 - x)^2 / 12
    # F(1) = 1/4, F(0.5) = 1/16, F(2) = 1 - 4/12 = 2/3
    assert_allclose(d.ppf(np.array([0.25, 1 / 16, 2 / 3])), [1, 0.5, 2], rtol=1e-12)
    assert_allclose(d.ppf(np.array([1 - 1 / 12])), [3], rtol=1e-12)


def test_truncated_normal_mean_closed_form():
    # E[X | lo < X < hi] = mu + sd * (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha))
    mu, sd, lo, hi = 0.9, 0.05, 0.8, 1.0
    alpha, beta = (lo - mu) / sd, (hi - mu) / sd

    def phi(z: float) -> float:
        return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)

    expected = mu + sd * (phi(alpha) - phi(beta)) / (ndtr(beta) - ndtr(alpha))
    d = Normal(dist="normal", mean=mu, sd=sd, low=lo, high=hi)
    assert d.mean() == pytest.approx(expected, rel=1e-12)
    # symmetric window about the mean: the median and the mean are the mean
    assert d.mean() == pytest.approx(0.9, rel=1e-12)
    assert d.ppf(np.array([0.5]))[0] == pytest.approx(0.9, rel=1e-12)


def test_untruncated_normal_quartiles():
    # the quartiles of N(mu, sd) are mu -/+ 0.6744897501960817 sd
    d = Normal(dist="normal", mean=1, sd=2)
    assert_allclose(d.ppf(np.array([0.25, 0.75])), [1 - 2 * 0.6744897501960817,
                                                     1 + 2 * 0.6744897501960817], rtol=1e-12)


def test_beta_closed_form():
    # Beta(1, 1) is uniform; Beta(2, 1) has F(x) = x^2, so ppf(u) = sqrt(u)
    assert_allclose(Beta(dist="beta", a=1, b=1, low=3, high=5).ppf(np.array([0.5])), [4])
    assert_allclose(Beta(dist="beta", a=2, b=1).ppf(np.array([0.25, 0.81])), [0.5, 0.9],
                    rtol=1e-12)
    assert Beta(dist="beta", a=2, b=6, low=0, high=400).mean() == pytest.approx(100)


def test_distributions_are_frozen():
    d = Uniform(dist="uniform", low=0, high=1)
    with pytest.raises(Exception):
        d.low = 0.5  # type: ignore[misc]
    assert d.low == 0
