"""The 95% intervals of a batch's rates (Wilson score), at their edges."""

from __future__ import annotations

import numpy as np
import pytest

from armsim.results import Z95, wilson


@pytest.mark.parametrize("n", [1, 7, 200, 1000, 12345])
def test_no_success_gives_an_interval_from_exactly_zero(n):
    rate, low, high = wilson(0, n)
    assert rate == 0.0 and low == 0.0
    # with p = 0 the Wilson upper end is z^2 / (n + z^2)
    assert high == pytest.approx(Z95 ** 2 / (n + Z95 ** 2), rel=1e-12)


@pytest.mark.parametrize("n", [1, 7, 200, 1000, 12345])
def test_all_successes_give_an_interval_to_exactly_one(n):
    rate, low, high = wilson(n, n)
    assert rate == 1.0 and high == 1.0
    assert low == pytest.approx(n / (n + Z95 ** 2), rel=1e-12)


def test_the_edges_hold_for_arrays_too():
    successes, n = np.array([0, 3, 10]), np.array([10, 10, 10])
    _, low, high = wilson(successes, n)
    assert low[0] == 0.0 and high[2] == 1.0
    assert 0.0 < low[1] < 0.3 < high[1] < 1.0
