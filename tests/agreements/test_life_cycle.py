"""The life of an agreement (issue 13, item 3; docs/model.md 7.20.5): entry into force
some rounds after signature, a phased reduction as a schedule of ceilings, a term and its
extension or expiry, and outside events (a withdrawal, a suspension, a new government).
Every round below is counted by hand from the rule: an agreement signed in round t binds
from round t + 1 + enters_into_force."""

from __future__ import annotations

import numpy as np
import pytest
from agreements_helpers import engines_differ, moves, run
from helpers import scenario

from armsim.explain import story

TREATY = """
armsim: 1
name: a treaty's life
aftermath: 12
forces:
  warheads: {label: Deployed warheads, max: 3000}
issues:
  limit: {range: [0, 3000], caps: warheads, TERMS}
actors:
  us:
    forces: {warheads: {initial: 2000}}
    preferences: {limit: {ideal: 1550}}
    strategy: hardliner
    compliance: USC
  russia:
    forces: {warheads: {initial: 1600}}
    preferences: {limit: {ideal: 1550}}
    strategy: hardliner
    compliance: RUC
sessions:
  - {venue: Prague, participants: [us, russia], agenda: [limit], rounds: 1}
environment: {verification: 1}
EVENTS
"""


def treaty(terms: str = "", us: str = "always_comply", russia: str = "always_comply",
           events: str = "", runs: int = 1) -> dict:
    text = TREATY.replace("TERMS", terms or "binds: all").replace("USC", us)
    return run(text.replace("RUC", russia).replace("EVENTS", events), runs=runs)


def test_entry_into_force_delays_the_first_turn_by_exactly_its_rounds():
    """Signed in round 0: with no delay the first turn is round 1; with enters_into_force
    3 it is round 4, and the ceiling (1550) binds the United States from then, not
    before."""
    assert moves(treaty(), 0)[:3] == ".CC"
    out = treaty("enters_into_force: 3")
    assert moves(out, 0)[:6] == "....CC"
    us = out["trace.forces"][0, :, 0, 0]
    assert us[:4].tolist() == [2000] * 4 and us[4] == 1550


def test_a_sunset_ends_the_compliance_game_at_its_round():
    """In force from round 3 (enters_into_force 2), for a duration of 4 rounds: turns in
    rounds 3, 4, 5 and 6; from round 7 it has expired: no turn, no ceiling."""
    out = treaty("enters_into_force: 2, duration: 4")
    assert moves(out, 0) == "...CCCC......"
    assert out["trace.in_force"][0, :, 0].tolist() == [True] * 7 + [False] * 6
    assert bool(out["expired"][0]) and not bool(out["collapsed"][0])


def test_automatic_extensions_then_expiry():
    """A term of 2 rounds from round 1, extended twice by 3 rounds: turns 1-2, 3-5, 6-8;
    expired from round 9."""
    out = treaty("duration: 2, extension: {rounds: 3, times: 2, automatic: true}")
    assert moves(out, 0) == ".CCCCCCCC...."


def test_an_extension_is_decided_by_whether_the_parties_still_value_the_treaty():
    """A term of 2 rounds, one extension of 4 rounds, decided by the withdrawal test:
    trust in the counterpart at least (P - S)/(R - S) = 1/3. Both comply: trust only
    rises (0.5 -> 0.55 -> 0.595), the treaty is extended: turns 1-6. Russia defects in
    both turns, detected: the US's trust 0.5 -> 0.35 -> 0.245 < 1/3: it expires after
    round 2."""
    terms = "duration: 2, extension: {rounds: 4}"
    assert moves(treaty(terms), 0) == ".CCCCCC......"
    out = treaty(terms, russia="always_defect")
    assert moves(out, 1) == ".DD.........."
    assert out["trace.trust"][0, 2, 0, 1] == pytest.approx(0.245, abs=1e-15)
    assert bool(out["expired"][0])


def test_a_phased_ceiling_binds_at_the_scheduled_rounds_and_not_before():
    """In force from round 1, the US holding 2000 then (Russia 1600, near the ceiling of
    1550). Phases: a quarter of the cut due 2 rounds after entry into force, all of it 4
    rounds after. Rounds 1-2: no ceiling yet (2000); rounds 3-4: 2000 - 0.25 * (2000 -
    1550) = 1887.5; from round 5: 1550. Russia: 1600 - 0.25 * 50 = 1587.5, then 1550."""
    out = treaty("phases: [{after: 2, share: 0.25}, {after: 4, share: 1}]")
    x = out["trace.forces"][0, :, :, 0]
    assert x[:, 0].tolist() == [2000, 2000, 2000, 1887.5, 1887.5] + [1550] * 8
    assert x[:, 1].tolist() == [1600, 1600, 1600, 1587.5, 1587.5] + [1550] * 8
    assert np.isnan(out["trace.ceiling"][0, 1, 0, 0])
    assert out["trace.ceiling"][0, 3, 0].tolist() == [1887.5, 1587.5]


EVENT_CASES = [
    # a withdrawal at round 4: the treaty collapses then; nobody plays from round 4
    ("- {round: 4, does: withdraw, actor: us}", ".CCC.........", ".CCC.........", True),
    # Russia suspends its part at round 3 and resumes at round 6: no Russian turns 3-5
    ("- {round: 3, does: suspend, actor: russia}\n  - {round: 6, does: resume, actor: russia}",
     ".CCCCCCCCCCCC", ".CC...CCCCCCC", False),
    # the whole treaty suspended at round 2, resumed at round 10
    ("- {round: 2, does: suspend}\n  - {round: 10, does: resume}",
     ".C........CCC", ".C........CCC", False),
    # a new government in Washington at round 5 no longer complies
    ("- {round: 5, does: new_government, actor: us, set: {compliance: always_defect}}",
     ".CCCCDDDDDDDD", ".CCCCCCCCCCCC", False),
]


@pytest.mark.parametrize("events, us, russia, collapsed", EVENT_CASES)
def test_outside_events_act_at_their_round(events, us, russia, collapsed):
    out = treaty(events="events:\n  " + events)
    assert (moves(out, 0), moves(out, 1)) == (us, russia)
    assert bool(out["collapsed"][0]) is collapsed


def test_a_new_governments_trust_and_forces_take_effect_at_its_round():
    """At round 3 the US's trust in Russia becomes 0.1 (it was 0.5, rising by a tenth of
    the gap each observed turn: 0.55, 0.595 after turns 1 and 2), then rises after
    Russia's compliance in round 3 (0.19); its warheads get a grievance of 100 a round,
    uncapped because it also stops complying; Russia answers (tit for tat) from round 4."""
    events = ("events:\n  - {round: 3, does: new_government, actor: us, set: {trust: 0.1, "
              "compliance: always_defect, forces: {warheads: {grievance: 100}}}}")
    out = treaty(russia="tit_for_tat", events=events)
    trust = out["trace.trust"][0, :, 0, 1]
    assert trust[:3].tolist() == pytest.approx([0.5, 0.55, 0.595], abs=1e-15)
    assert trust[3] == pytest.approx(0.1 + 0.1 * 0.9, abs=1e-15)   # observed compliance at 3
    assert moves(out, 0)[:6] == ".CCDDD" and moves(out, 1)[:6] == ".CCCDD"
    us = out["trace.forces"][0, :, 0, 0]
    assert us[2] == 1550 and us[3] == 1650 and us[4] == 1750


LIFE = """
armsim: 1
name: every life-cycle key
seed: 5
aftermath: 16
forces:
  warheads: {label: Warheads, max: 3000}
issues:
  limit:
    range: [0, 3000]
    caps: warheads
    enters_into_force: 2
    phases: [{after: 1, share: 0.5}, {after: 3, share: 1}]
    duration: 5
    extension: {rounds: 4, times: 2}
actors:
  us: {forces: {warheads: {initial: 2000, reaction: 0.2, fatigue: 0.3, grievance: 200}},
       preferences: {limit: {ideal: 1550}}, compliance: {type: random, p: 0.9},
       rivals: [russia]}
  russia: {forces: {warheads: {initial: 1600, reaction: 0.2, fatigue: 0.3, grievance: 150}},
           preferences: {limit: {ideal: 1700}}, compliance: tit_for_tat, rivals: [us]}
sessions:
  - {venue: Geneva, participants: [us, russia], agenda: [limit], rounds: 3}
environment: {verification: 0.8, noise: 20, compliance_noise: 0.05}
events:
  - {round: 6, does: suspend, actor: russia}
  - {round: 8, does: resume, actor: russia}
  - {round: 9, does: new_government, actor: us, set: {compliance: grim, patience: 0.9,
     trust: {russia: 0.2}, forces: {warheads: {grievance: 300}}}}
  - {round: 15, does: withdraw, actor: russia}
"""


def test_both_engines_agree_on_every_life_cycle_key():
    assert engines_differ(LIFE, runs=6) == []


def test_an_agreement_suspended_by_everyone_it_binds_leaves_tensions_share():
    """A limit binding the United States alone (Russia a party, not bound), in force from
    round 1: the US is held at 1550, Russia stays at 1600 (no dynamics), no rivals, so
    tension is logistic(-2 + 3 F - 2 G) with F = (1550 + 1600) / 2 / 3000 (docs/model.md
    7.14, the default weights). G = 1 while the limit is in effect; the US suspends its
    part in round 3, and the limit then binds nobody: G = 0 from round 3, although the
    treaty stays in force (its other party, Russia, never suspended anything)."""
    out = treaty("binds: [us]", events="events:\n  - {round: 3, does: suspend, actor: us}")
    f = (1550 + 1600) / 2 / 3000
    theta = out["trace.tension"][0]
    assert theta[2] == pytest.approx(1 / (1 + np.exp(-(-2 + 3 * f - 2))), abs=1e-12)
    assert theta[3] == pytest.approx(1 / (1 + np.exp(-(-2 + 3 * f))), abs=1e-12)
    assert out["trace.in_force"][0, 3:, 0].all()


@pytest.mark.parametrize("label, told", [
    ("Russia", "Russia withdraws from every agreement that binds it"),
    ("Soviet successors", "The Soviet successors withdraw from every agreement that binds "
                          "them"),
])
def test_explain_tells_a_withdrawal_with_the_pronoun_of_the_actors_label(label, told):
    text = TREATY.replace("TERMS", "binds: all").replace("USC", "always_comply")
    text = text.replace("RUC", "always_comply").replace("EVENTS", "events:\n  - {round: 4, "
                                                        "does: withdraw, actor: russia}")
    text = text.replace("  russia:\n", f"  russia:\n    label: {label}\n")
    lines = [line for _, line in story(scenario(text)).lines()]
    assert f"EVENT: {told}." in "\n".join(lines)


@pytest.mark.parametrize("binds, told", [
    ("binds: all", "In force: Limit at 1550 (agreed in round 0), suspended by Russia."),
    ("binds: [russia]", "In force: Limit at 1550 (agreed in round 0), suspended by Russia: "
                        "it binds nobody."),
])
def test_explain_ends_with_who_suspended_an_agreement_still_in_force(binds, told):
    text = TREATY.replace("TERMS", binds).replace("USC", "always_comply")
    text = text.replace("RUC", "always_comply").replace("EVENTS", "events:\n  - {round: 4, "
                                                        "does: suspend, actor: russia}")
    text = text.replace("  russia:\n", "  russia:\n    label: Russia\n")
    lines = [line for _, line in story(scenario(text)).lines()]
    assert told in lines
