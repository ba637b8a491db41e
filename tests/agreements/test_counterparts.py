"""Who plays the compliance game against whom (issue 13, item 12; docs/model.md 7.12).

Allies in a bloc bound by the same agreement do not play each other by default; actors
across the binding do. The payoffs below are worked out by hand, turn by turn."""

from __future__ import annotations

import pytest
from agreements_helpers import moves, run

# The 2018 "freeze for freeze" reduced to its compliance game: a freeze binding all three;
# Washington alternates (a slip every other turn), Seoul answers what it sees, Pyongyang
# always complies. Verification 1, no noise: six turns after a one-round session.
FREEZE = """
armsim: 1
name: freeze for freeze
aftermath: 6
issues:
  freeze: {range: [0, 1]}
actors:
  us: {bloc: alliance, preferences: {freeze: {ideal: 0}}, strategy: hardliner,
       compliance: alternate, rivals: [dprk]}
  rok: {bloc: alliance, preferences: {freeze: {ideal: 0}}, strategy: hardliner,
        compliance: tit_for_tat, rivals: [dprk]}
  dprk: {preferences: {freeze: {ideal: 0}}, strategy: hardliner, compliance: always_comply}
sessions:
  - {venue: Singapore, participants: [us, dprk, rok], agenda: [freeze], rounds: 1}
environment:
  verification: 1
"""


def test_allies_in_a_bloc_earn_no_pair_payoffs_against_each_other():
    """Across blocs (the default): pairs us-dprk and rok-dprk only. Seoul never sees
    Washington's slips, so it complies throughout.
    us vs dprk: (C,C) 3, (D,C) 5 alternately: 3+5+3+5+3+5 = 24 over 6 pair-turns = 4.
    rok vs dprk: 3 every turn = 3. dprk: 3+0+3+0+3+0 against us, 6 x 3 against rok:
    27 over 12 pair-turns = 2.25."""
    out = run(FREEZE)
    assert moves(out, 0)[1:] == "CDCDCD" and moves(out, 1)[1:] == "CCCCCC"
    assert out["compliance_payoff.us"][0] == 4.0
    assert out["compliance_payoff.rok"][0] == 3.0
    assert out["compliance_payoff.dprk"][0] == 2.25
    assert out["compliance_rate.rok"][0] == 1.0
    # Seoul's trust in Washington never moves: it does not play (or watch) its ally
    assert (out["trace.trust"][0, :, 1, 0] == 0.5).all()


def test_all_makes_allies_play_each_other_as_before_issue_13():
    """counterparts: all. Seoul answers each slip a turn later: C C D C D C.
    us: vs dprk 24; vs rok 3+5+0+5+0+5 = 18: 42/12 = 3.5.
    rok: vs us 3+0+5+0+5+0 = 13; vs dprk 3+3+5+3+5+3 = 22: 35/12.
    dprk: vs us 9; vs rok 3+3+0+3+0+3 = 12: 21/12 = 1.75."""
    out = run(FREEZE.replace("verification: 1", "verification: 1\n  counterparts: all"))
    assert moves(out, 1)[1:] == "CCDCDC"
    assert out["compliance_payoff.us"][0] == 3.5
    assert out["compliance_payoff.rok"][0] == pytest.approx(35 / 12, abs=1e-15)
    assert out["compliance_payoff.dprk"][0] == 1.75
    assert out["compliance_rate.rok"][0] == 4 / 6


@pytest.mark.parametrize("rule", ["rivals", "[[alliance, dprk]]", "[[us, dprk], [dprk, rok]]"])
def test_other_ways_of_saying_across_the_binding_give_the_same_pairs(rule):
    """The declared rivals, the bloc against Pyongyang, and the two pairs by name are
    the same pairs here: the payoffs of the first test."""
    out = run(FREEZE.replace("verification: 1", f"verification: 1\n  counterparts: {rule}"))
    assert (out["compliance_payoff.us"][0], out["compliance_payoff.rok"][0],
            out["compliance_payoff.dprk"][0]) == (4.0, 3.0, 2.25)


def test_a_pair_of_allies_named_alone_plays_only_each_other():
    """counterparts: [[us, rok]]: Pyongyang plays nobody (bound, so it has turns, but no
    pair payoff: NaN); us vs rok as in the second test: us 18/6 = 3, rok 13/6."""
    out = run(FREEZE.replace("verification: 1", "verification: 1\n  counterparts: [[us, rok]]"))
    assert out["compliance_payoff.us"][0] == 3.0
    assert out["compliance_payoff.rok"][0] == pytest.approx(13 / 6, abs=1e-15)
    assert out["compliance_payoff.dprk"][0] != out["compliance_payoff.dprk"][0]   # NaN
    assert out["compliance_rate.dprk"][0] == 1.0
