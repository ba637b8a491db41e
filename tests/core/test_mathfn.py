"""exp, log and pow from IEEE arithmetic (armsim/core/mathfn.py), against the C library.

Python's ``math`` module calls the platform's C library, correctly rounded in nearly
every case: armsim's functions must stay within one unit in the last place of it, and
give the special values of IEEE 754 / C99.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from armsim.core import mathfn

RNG = np.random.default_rng(20221)


def ulps(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """|got - want| in units of the last place of want."""
    return np.abs(got - want) / np.spacing(np.abs(want))


@pytest.mark.parametrize("low, high", [(-745.0, 709.7), (-1.0, 1.0), (-40.0, 40.0),
                                       (-1e-8, 1e-8)])
def test_exp_is_within_one_ulp_of_the_c_library(low, high):
    x = RNG.uniform(low, high, 200_000)
    want = np.array([math.exp(v) for v in x])
    normal = want > np.finfo(float).tiny          # subnormal results have coarser ulps
    assert ulps(mathfn.exp(x), want)[normal].max() <= 1.0


@pytest.mark.parametrize("log10_low, log10_high", [(-300, 300), (-1, 1), (-0.01, 0.01)])
def test_log_is_within_one_ulp_of_the_c_library(log10_low, log10_high):
    x = 10.0 ** RNG.uniform(log10_low, log10_high, 200_000)
    want = np.array([math.log(v) for v in x])
    nonzero = want != 0.0
    assert ulps(mathfn.log(x), want)[nonzero].max() <= 1.0


def test_special_values_follow_ieee_754():
    e = mathfn.exp([np.nan, np.inf, -np.inf, 0.0, 710.0, -746.0])
    assert np.isnan(e[0]) and e[1] == np.inf and e[2] == 0.0 and e[3] == 1.0
    assert e[4] == np.inf and e[5] == 0.0
    lg = mathfn.log([np.nan, np.inf, 0.0, -1.0, 1.0, 5e-324])
    assert np.isnan(lg[0]) and lg[1] == np.inf and lg[2] == -np.inf and np.isnan(lg[3])
    assert lg[4] == 0.0
    assert lg[5] == pytest.approx(math.log(5e-324), rel=1e-15)   # the smallest subnormal


def test_pow_at_its_edges_and_within_a_few_ulps_inside():
    assert list(mathfn.pow([0.0, 0.0, 0.0, 1.0, 0.5], [0.0, 2.0, -1.0, 1e9, 0.0])) == [
        1.0, 0.0, np.inf, 1.0, 1.0]
    x, y = RNG.uniform(0.01, 1.0, 100_000), RNG.uniform(0.0, 50.0, 100_000)
    want = np.array([math.pow(a, b) for a, b in zip(x, y)])
    # exp(w), w = y log x: log's half ulp and the product's rounding give w a relative
    # error up to 2**-52, an absolute one of |w| 2**-52, which exp turns into a relative
    # error of |w| 2**-52, up to 2 |w| ulps (an ulp is 2**-53 to 2**-52 relative), plus
    # exp's own ulp; 4 |w| leaves room for the rounding of the product's inputs
    bound = 2.0 + 4.0 * np.abs(y * np.log(x))
    assert np.all(ulps(mathfn.pow(x, y), want) <= bound)


def test_logistic_is_one_over_one_plus_e_to_minus_z_and_never_overflows():
    z = np.array([-1000.0, -3.0, 0.0, 3.0, 1000.0])
    with np.errstate(all="raise"):
        got = mathfn.logistic(z)
    assert got[0] == 0.0 and got[2] == 0.5 and got[4] == 1.0
    assert got[3] == pytest.approx(1.0 / (1.0 + math.exp(-3.0)), rel=1e-15)
    assert got[1] + got[3] == pytest.approx(1.0, rel=1e-15)


def test_results_do_not_depend_on_the_array_they_come_in():
    """The same bits for one value alone, in a long array, or in a 2-D block."""
    x = RNG.uniform(-50.0, 50.0, 4097)
    whole = mathfn.exp(x)
    alone = np.array([mathfn.exp(np.array([v]))[0] for v in x[:64]])
    assert whole[:64].tobytes() == alone.tobytes()
    assert mathfn.exp(x[:4096].reshape(64, 64)).ravel().tobytes() == whole[:4096].tobytes()
    y = np.abs(x)
    assert mathfn.log(y[:4096].reshape(64, 64)).ravel().tobytes() == mathfn.log(y)[:4096].tobytes()
