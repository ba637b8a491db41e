"""Rubinstein with the default patience 1 of both sides and a 3-round horizon: the last
proposer (tested, at k = 2) takes everything, so the shares by backward induction are
P2 = 1, P1 = 1 - 1 * 1 = 0, P0 = 1 - 1 * 0 = 1: tested asks its ideal (0) and the
responder accepts at once (tests/reference/test_rubinstein.py covers the closed forms)."""

import math

from strategy_helpers import offers


def test_the_first_offer_is_the_equilibrium_and_is_accepted():
    made = offers("rubinstein", "rubinstein", rounds=3)
    assert made[0] == 0 and all(math.isnan(x) for x in made[1:])   # agreed in round 0
