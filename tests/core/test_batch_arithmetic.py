"""The engine's arithmetic gives a run the same bits alone as in any batch.

NumPy's power takes shortcuts when it is given a single exponent (it squares for 2,
takes the square root for 0.5), which differ from pow() in the last bit now and then.
A run computed alone has single exponents where a batch has arrays of them, and a
sweep mixes exponents in one batch; the invariant is that each row's number depends
on that row's inputs only.
"""

from __future__ import annotations

import numpy as np
import pytest

from armsim.core.arrays import power
from armsim.core.dynamics import crisis_probability

N = 20_000


@pytest.fixture(scope="module")
def base():
    return np.random.default_rng(7).random(N)


def test_numpy_does_take_a_shortcut_for_a_single_exponent(base):
    """Guard: without the helper, a lone exponent of 2 or 0.5 gives other bits somewhere."""
    for e in (2.0, 0.5):
        assert (np.power(base, np.array([e])) != np.power(base, np.full(N, e))).any()


@pytest.mark.parametrize("e", [2.0, 0.5, 3.0, 1.7, 2])
def test_a_single_exponent_gives_the_bits_of_a_batch(base, e):
    batch = np.power(base, np.full(N, e))
    lone = np.array([power(base[i:i + 1], np.array([e]))[0] for i in range(0, N, 97)])
    assert np.array_equal(lone, batch[::97])
    assert np.array_equal(power(base, np.array([e])), batch)


def test_power_broadcasts_like_numpy(base):
    b = base[:12].reshape(3, 4, 1)
    t = np.array([[[2]]])
    assert power(b, t).shape == np.power(b, t).shape == (3, 4, 1)
    assert np.array_equal(power(b, t), np.power(b, np.full((3, 4, 1), 2)))
    assert power(0.5, np.array([2.0, 3.0])).tolist() == [0.25, 0.125]


def test_a_runs_crisis_chance_does_not_depend_on_the_others_exponents(base):
    # tensions where pow(x, 2) and x * x differ, so that the test can fail
    differ = base[np.power(base, np.full(N, 2.0)) != base * base]
    assert differ.size >= 8
    theta = differ[:8]
    hazard = np.full(8, 0.03)
    mixed = np.array([2.0, 3.0, 2.0, 0.5, 2.0, 1.0, 2.0, 2.5])
    together = crisis_probability(theta, hazard, mixed)
    alone = [crisis_probability(theta[i:i + 1], hazard[i:i + 1], mixed[i:i + 1])[0]
             for i in range(8)]
    assert np.array_equal(together, alone)
    all_two = crisis_probability(theta, hazard, np.full(8, 2.0))
    square = mixed == 2.0
    assert np.array_equal(together[square], all_two[square])
    assert np.array_equal(all_two, hazard * (theta * theta))
