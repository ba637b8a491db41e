"""Caps traded for relief (issue 13, item 10; docs/model.md 7.20.2): one commitment binds
one side, the other binds the other side; traded for each other, the two sides play the
compliance game against each other, earn its payoffs, and the deal falls as a whole."""

from __future__ import annotations

import math

from agreements_helpers import moves, run

# The JCPOA's bargain reduced to its compliance game: Iran's centrifuge cap binds Iran
# alone, sanctions relief binds the United States alone; both agreed at once (the same
# ideals); Iran alternates, Washington answers what it detects; a tolerance of two
# detections; five turns after the one round of talks.
JCPOA = """
armsim: 1
name: caps for relief
aftermath: 5
issues:
  centrifuge_cap: {range: [0, 1], binds: [iran]TRADE}
  sanctions_relief: {range: [0, 1], binds: [united_states]}
actors:
  united_states:
    preferences: {centrifuge_cap: {ideal: 0}, sanctions_relief: {ideal: 0}}
    strategy: hardliner
    compliance: tit_for_tat
  iran:
    preferences: {centrifuge_cap: {ideal: 0}, sanctions_relief: {ideal: 0}}
    strategy: hardliner
    compliance: alternate
sessions:
  - {venue: Vienna, participants: [united_states, iran],
     agenda: [centrifuge_cap, sanctions_relief], rounds: 1}
environment: {verification: 1, tolerance: 2}
"""


def test_without_a_trade_each_side_plays_alone_and_earns_nothing():
    """No pair: payoffs undefined. Washington, a party to the cap, still sees Iran's
    slips (turns 2 and 4) and answers them (turns 3 and 5). The second detection (turn 4)
    collapses the cap alone; relief stays in force and Washington plays on alone (its own
    second detected defection, turn 5, then collapses relief too)."""
    out = run(JCPOA.replace("TRADE", ""))
    assert (moves(out, 1)[1:], moves(out, 0)[1:]) == ("CDCD.", "CCDCD")
    assert math.isnan(out["compliance_payoff.united_states"][0])
    assert math.isnan(out["compliance_payoff.iran"][0])
    assert out["trace.in_force"][0, 4].tolist() == [False, True]
    assert out["trace.in_force"][0, 5].tolist() == [False, False]


def test_traded_for_relief_the_two_sides_play_each_other():
    """With the trade, one pair: (C,C) 3/3, (D,C) Iran 5, (C,D) Washington 5, (D,C)
    Iran 5. Iran 3+5+0+5 = 13 over 4 turns; Washington 3+0+5+0 = 8 over 4. The second
    detection collapses the cap and, with it, the relief it was traded for: nobody plays
    turn 5."""
    out = run(JCPOA.replace("TRADE", ", traded_for: [sanctions_relief]"))
    assert (moves(out, 1)[1:], moves(out, 0)[1:]) == ("CDCD.", "CCDC.")
    assert out["compliance_payoff.iran"][0] == 13 / 4
    assert out["compliance_payoff.united_states"][0] == 8 / 4
    assert out["trace.in_force"][0, 4].tolist() == [False, False]
    assert bool(out["collapsed"][0])


def test_a_collapse_takes_only_what_was_traded_for_it_and_is_in_force():
    """a (binding x) is traded for b, never agreed; d (binding y) is traded for c, never
    agreed either. x's first detected defection collapses a (tolerance 1); the trade
    reaches b, which is not in force, and stops there: d stays in force."""
    out = run("""
        armsim: 1
        name: separate trades
        aftermath: 2
        issues:
          a: {range: [0, 1], binds: [x], traded_for: [b]}
          b: {range: [0, 1], binds: [y]}
          c: {range: [0, 1], binds: [x]}
          d: {range: [0, 1], binds: [y], traded_for: [c]}
        actors:
          x: {preferences: {a: {ideal: 0}, d: {ideal: 0}}, strategy: hardliner,
              compliance: always_defect}
          y: {preferences: {a: {ideal: 0}, d: {ideal: 0}}, strategy: hardliner,
              compliance: always_comply}
        sessions:
          - {venue: V, participants: [x, y], agenda: [a, d], rounds: 1}
        environment: {verification: 1, tolerance: 1}
        """)
    assert out["trace.in_force"][0, 1].tolist() == [False, False, False, True]
