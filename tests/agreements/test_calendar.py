"""Talks with gaps between sessions, an interim deal followed by a final one, and a
collapsed deal reopened in a later session (issue 13, item 8; docs/model.md 7.20.6).
Rounds and levels are worked out by hand from the rules."""

from __future__ import annotations

import numpy as np
from agreements_helpers import engines_differ, moves, run

from armsim.compile import build_spec
from helpers import scenario

# One-round sessions of time-dependent negotiators: the proposer asks for its ideal and the
# responder, at the session's deadline, accepts anything worth its reservation (0). So the
# first session agrees Iran's ideal (20), a second session the P5+1's (60).
TALKS = """
armsim: 1
name: an interim deal, then a final one
aftermath: 4
forces:
  centrifuges: {label: Centrifuges, max: 100}
issues:
  enrichment: {range: [0, 100], caps: centrifuges, binds: [iran]}
actors:
  iran: {forces: {centrifuges: {initial: 90}}, preferences: {enrichment: {ideal: 60}},
         compliance: COMPLIANCE}
  p5: {preferences: {enrichment: {ideal: 20}}, compliance: always_comply}
sessions:
  - {venue: Geneva, participants: [p5, iran], agenda: [enrichment], rounds: 1FIRST}
  - {venue: Vienna, participants: [iran, p5], agenda: [enrichment], rounds: 1, gap: 5SECOND}
environment: {verification: 1, tolerance: 1}
"""


def talks(first: str = "", second: str = "", compliance: str = "always_comply") -> dict:
    return run(TALKS.replace("FIRST", first).replace("SECOND", second).replace(
        "COMPLIANCE", compliance))


def test_gaps_between_sessions_are_rounds_without_talks():
    """Geneva in round 0, five rounds without talks (1-5), Vienna in round 6, four
    aftermath rounds: 11 rounds. The schedule and the proposers say so."""
    loaded = scenario(TALKS.replace("FIRST", "").replace("SECOND", "").replace(
        "COMPLIANCE", "always_comply"))
    spec = build_spec(loaded)
    assert spec.rounds == loaded.rounds == 11 and spec.talk_rounds == 7
    assert [spec.schedule(t) for t in range(8)] == [(0, 0)] + [(-1, -1)] * 5 + [(1, 0),
                                                                                 (-1, -1)]
    out = talks()
    assert out["trace.proposer"][0].tolist() == [1] + [-2] * 10   # Vienna: nothing left open
    assert moves(out, 0) == ".CCCCCCCCCC"


def test_an_interim_deal_binds_until_the_final_one_replaces_it():
    """Geneva is interim: 20 is agreed in round 0 and caps Iran's centrifuges from round
    1 (90 -> 20). Vienna negotiates it again: Iran proposes its ideal, 60, accepted; it
    caps from round 7. agreement_round stays 0, the first agreement; agreed is the
    final level."""
    out = talks(first=", interim: true")
    assert out["trace.offer"][0, [0, 6], 0].tolist() == [20, 60]
    x = out["trace.forces"][0, :, 0, 0]
    assert x.tolist() == [90] + [20] * 10     # a cap of 60 lets nothing rise: no dynamics
    assert out["agreed.enrichment"][0] == 60 and out["agreement_round"][0] == 0
    assert moves(out, 0) == ".CCCCCCCCCC"
    # without interim, Vienna has nothing to negotiate: 20 stays
    assert talks()["agreed.enrichment"][0] == 20


def test_a_collapsed_deal_is_reopened_in_a_later_session():
    """Iran cheats at its first turn (round 1), detected: tolerance 1 collapses the deal.
    Vienna reopens it (reopens: true) and agrees 60 in round 6: Iran plays again from
    round 7. Without reopens, the collapsed deal stays off the agenda."""
    out = talks(second=", reopens: true", compliance="always_defect")
    assert moves(out, 0) == ".D.....D..."
    assert bool(out["collapsed"][0]) and out["agreed.enrichment"][0] == 60
    assert out["trace.in_force"][0, :, 0].tolist() == [True] + [False] * 5 + [True, False,
                                                                              False, False,
                                                                              False]
    kept_off = talks(compliance="always_defect")
    assert moves(kept_off, 0) == ".D........." and kept_off["agreed.enrichment"][0] == 20


CALENDAR = """
armsim: 1
name: every calendar key
seed: 11
aftermath: 6
forces:
  centrifuges: {label: Centrifuges, max: 100}
issues:
  enrichment: {range: [0, 100], caps: centrifuges, binds: [iran], traded_for: [relief],
               duration: 4, extension: {rounds: 2}}
  relief: {range: [0, 1], binds: [p5]}
actors:
  iran: {forces: {centrifuges: {initial: 90, reaction: 0.1, grievance: 3}}, rivals: [p5],
         preferences: {enrichment: {ideal: 60}, relief: {ideal: 0}},
         compliance: {type: random, p: 0.8}}
  p5: {forces: {centrifuges: {initial: 10}}, preferences: {enrichment: {ideal: 20},
       relief: {ideal: 1, weight: 0.5}}, compliance: tit_for_tat, rivals: [iran]}
sessions:
  - {venue: Geneva, participants: [p5, iran], agenda: [enrichment, relief], rounds: 2,
     interim: true, gap: 1}
  - {venue: Lausanne, participants: [iran, p5], agenda: [enrichment, relief], rounds: 3,
     gap: 3, reopens: true}
  - {venue: Vienna, participants: [p5, iran], agenda: [enrichment, relief], rounds: 2,
     gap: 2, reopens: true}
environment: {verification: 0.7, tolerance: 2, noise: 1}
"""


def test_both_engines_agree_on_every_calendar_key():
    assert engines_differ(CALENDAR, runs=8) == []
    out = run(CALENDAR, runs=8)
    assert (out["trace.proposer"][:, [0, 3, 4]] == -2).all()        # the gaps
    assert np.isfinite(out["agreed.enrichment"]).all()


def test_the_interim_deal_binds_until_the_final_one_enters_into_force():
    """The 2013 Joint Plan of Action, then the JCPOA, in miniature: the interim deal (20)
    is signed in round 0 and enters into force a round later (binds from round 2); the
    final one (60) is signed in round 6 and enters into force two rounds later (round 9).
    Iran's centrifuges grow by 5 a round from 60: 65, 70, then held at 20 from round 2 to
    round 8 (the interim deal still binds while the final one waits), then 25, 30 under
    the final ceiling of 60. Iran plays every round from 2."""
    text = TALKS.replace("initial: 90", "initial: 60, grievance: 5").replace(
        "FIRST", ", interim: true, enters_into_force: 1").replace(
        "SECOND", ", enters_into_force: 2").replace("COMPLIANCE", "always_comply")
    out = run(text)
    assert out["trace.forces"][0, :, 0, 0].tolist() == [65, 70] + [20] * 7 + [25, 30]
    assert moves(out, 0) == "..CCCCCCCCC"
    assert out["trace.offer"][0, 6, 0] == 60 and out["agreed.enrichment"][0] == 60
