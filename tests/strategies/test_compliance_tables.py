"""Each compliance strategy against fixed opponents over 6 turns with full verification,
move by move, as Axelrod's strategy tests state them (C comply, D defect). The tables
are worked out from each rule; tests/reference/test_compliance_game.py checks the same
strategies against the axelrod library itself."""

import pytest
from strategy_helpers import actions

ALL_C, ALL_D, ALT = "always_comply", "always_defect", "alternate"


@pytest.mark.parametrize("tested, opponent, expected", [
    (ALL_C, ALL_D, "CCCCCC"),
    (ALL_D, ALL_C, "DDDDDD"),
    ("tit_for_tat", ALT, "CCDCDC"),          # copies the opponent's last move
    ("tit_for_tat", ALL_D, "CDDDDD"),
    ("grim", ALT, "CCDDDD"),                 # for ever after the first defection
    ("tit_for_two_tats", ALL_D, "CCDDDD"),   # two defections in a row
    ("tit_for_two_tats", ALT, "CCCCCC"),     # never two in a row
    ("suspicious_tit_for_tat", ALL_C, "DCCCCC"),
    ("suspicious_tit_for_tat", ALT, "DCDCDC"),
    (ALT, ALL_D, "CDCDCD"),
    ({"type": "random", "p": 1}, ALL_D, "CCCCCC"),
    ({"type": "random", "p": 0}, ALL_C, "DDDDDD"),
    ({"type": "generous_tit_for_tat", "p": 0}, ALT, "CCDCDC"),   # no generosity: tit for tat
    ({"type": "generous_tit_for_tat", "p": 1}, ALL_D, "CCCCCC"),  # forgives everything
    ({"type": "conditional", "bias": -50, "tension": 0, "trust": 0}, ALL_D, "CCCCCC"),
    ({"type": "conditional", "bias": 50, "tension": 0, "trust": 0}, ALL_C, "DDDDDD"),
])
def test_behaviour_table(tested, opponent, expected):
    assert actions(tested, opponent)[0] == expected
