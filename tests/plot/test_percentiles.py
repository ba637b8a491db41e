"""The bands of the figures over rounds: percentiles over runs that leave NaN out."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from armsim.plot.data import percentiles

QS = (5, 25, 50, 75, 95)


def test_percentiles_by_hand():
    """Linear interpolation between order statistics, index (n - 1) q / 100: of 0, 10,
    20, 30, 40 the 5th percentile is at index 0.2 (2), the 25th at 1 (10); of 1, 2, 3, 4
    (NaN left out) the 25th at 0.75 (1.75), the median at 1.5 (2.5); a column of NaN
    has none."""
    values = np.array([[0.0, 1.0, np.nan],
                       [10.0, np.nan, np.nan],
                       [20.0, 3.0, np.nan],
                       [30.0, 2.0, np.nan],
                       [40.0, 4.0, np.nan]])
    got = percentiles(values, (5, 25, 50))
    np.testing.assert_allclose(got[:, 0], [2.0, 10.0, 20.0])
    np.testing.assert_allclose(got[:, 1], [1.15, 1.75, 2.5])
    assert np.isnan(got[:, 2]).all()


@pytest.mark.parametrize("holes", [0.0, 0.02, 0.5])
def test_percentiles_are_numpys_nanpercentile(holes):
    """The same numbers as np.nanpercentile over the runs, with and without NaN, for
    the shapes the figures pass: ``(runs, rounds)`` and ``(runs, rounds, A, K)``."""
    rng = np.random.default_rng(12)
    for shape in [(200, 66), (37, 9, 4, 5)]:
        values = rng.gamma(2.0, 3.0, size=shape)
        values[rng.random(shape) < holes] = np.nan
        with warnings.catch_warnings():     # as nanpercentile warns of all-NaN columns
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = np.nanpercentile(values, QS, axis=0)
        np.testing.assert_array_equal(percentiles(values), expected)


def test_percentiles_of_no_runs_are_nan():
    got = percentiles(np.zeros((0, 4)), QS)
    assert got.shape == (5, 4) and np.isnan(got).all()

