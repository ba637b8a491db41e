"""Time-dependent concession: alpha(tau) = 1 - (1 - r) tau^(1/e), asked by moving from its
ideal (0) toward the other's (100) by (1 - alpha) * 100. Reservation r = 0.5, a session
of 5 rounds: it proposes at k = 0, 2, 4 (tau 0, 1/2, 1); the hardliner asks 100 at 1, 3."""

import pytest
from strategy_helpers import offers


@pytest.mark.parametrize("strategy, expected", [
    # linear, e = 1: alpha 1, 0.75, 0.5
    ("linear", [0, 100, 25, 100, 50]),
    # boulware, e = 0.2: alpha(1/2) = 1 - 0.5 / 2^5 = 0.984375
    ("boulware", [0, 100, 1.5625, 100, 50]),
    # conceder, e = 5: alpha(1/2) = 1 - 0.5 * 2^(-1/5) = 0.564724...
    ("conceder", [0, 100, 100 * 0.5 * 2 ** -0.2, 100, 50]),
    # e = 2: alpha(1/2) = 1 - 0.5 / sqrt(2)
    ({"type": "time_dependent", "exponent": 2}, [0, 100, 50 / 2 ** 0.5, 100, 50]),
])
def test_offers_against_a_hardliner(strategy, expected):
    assert offers(strategy) == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_it_accepts_what_it_would_itself_ask_next():
    # linear tested (r 0.5) against a linear opponent (r 0.5) over 3 rounds: tested asks
    # 0 (alpha 1); the opponent at k = 1 asks alpha 0.75 of its own, offering 75, worth
    # 0.25 to tested, below what tested asks next (alpha(1) = 0.5); at k = 2 tested offers
    # 50, worth 0.5 to the opponent, who would ask 0.5 next: agreed at 50
    assert offers("linear", "linear", rounds=3) == pytest.approx([0, 75, 50])
