"""Tit for tat in the talks (opening 0.05, reciprocity 1, reservation 0.3) against a
linear opponent (reservation 0.5) over 5 rounds, worked by hand:

k  who       aspiration          offer   utility of the offer to tested
0  tested    1 - 0.05 = 0.95       5
1  opponent  alpha(1/4) = 0.875   87.5   0.125
2  tested    0.95 (one offer seen: nothing to reciprocate)   5
3  opponent  alpha(3/4) = 0.625   62.5   0.375 (up 0.25 on the one before)
4  tested    0.95 - 0.25 = 0.70   30     (worth 0.30 to the opponent, who asks 0.5: no deal)
"""

import pytest
from strategy_helpers import offers


def test_concession_for_concession():
    tested = {"type": "tit_for_tat", "opening": 0.05, "reciprocity": 1}
    assert offers(tested, "linear", reservation=0.3) == pytest.approx(
        [5, 87.5, 5, 62.5, 30], rel=1e-12)


def test_half_reciprocity_returns_half_the_concession():
    tested = {"type": "tit_for_tat", "opening": 0.05, "reciprocity": 0.5}
    assert offers(tested, "linear", reservation=0.3)[4] == pytest.approx(100 * (1 - 0.825))


def test_it_never_asks_below_its_reservation():
    # reservation 0.8: the concession of 0.25 at k = 4 stops at 0.8, an offer of 20
    tested = {"type": "tit_for_tat", "opening": 0.05, "reciprocity": 1}
    assert offers(tested, "linear", reservation=0.8)[4] == pytest.approx(20)
