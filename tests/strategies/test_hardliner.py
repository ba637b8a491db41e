"""The hardliner asks for its ideal and accepts nothing less: against a linear opponent
(reservation 0.5, 5 rounds) it offers 0 throughout and refuses 87.5 (worth 0.125 to it),
62.5 (0.375); the opponent asks alpha(1/4) = 0.875 and alpha(3/4) = 0.625 of its own."""

import pytest
from strategy_helpers import offers


def test_its_ideal_and_nothing_less():
    assert offers("hardliner", "linear") == pytest.approx([0, 87.5, 0, 62.5, 0])


def test_two_hardliners_never_move():
    assert offers("hardliner", "hardliner", rounds=4) == [0, 100, 0, 100]
