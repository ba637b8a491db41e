"""GRIT (step 0.1, wait 2) against a hardliner, who never reciprocates (its offer of 100 is
worth 0 to GRIT every time), worked by hand: a step at each of its first offers while
fewer than ``wait`` of its own offers went unanswered (idle 0, 0, 1), then it concedes
only as the other does (nothing): aspiration 0.9, 0.8, 0.7, 0.7. Nobody moves in rounds
5 and 6 (the same offers, the same thresholds), so with two participants a deadlock is
declared in round 6 (deadlock_rounds 2): GRIT renews its initiative, its idle count
starts again, and at round 8 (idle 1 < wait 2) it steps once more to 0.6, an offer of 40."""

import pytest
from strategy_helpers import offers


def test_unilateral_steps_then_reciprocity():
    grit = {"type": "grit", "step": 0.1, "wait": 2}
    assert offers(grit, rounds=9, reservation=0.2) == pytest.approx(
        [10, 100, 20, 100, 30, 100, 30, 100, 40], rel=1e-12)


def test_a_longer_wait_keeps_stepping():
    # wait 4: steps while idle is 0, 0, 1, 2, 3 -> aspiration 0.9 ... 0.5
    grit = {"type": "grit", "step": 0.1, "wait": 4}
    assert offers(grit, rounds=9, reservation=0.2)[::2] == pytest.approx([10, 20, 30, 40, 50])
