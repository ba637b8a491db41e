"""The keys of agreements as treaties write them (issue 13) are refused with a location,
what is wrong and what to do, and are shown by ``armsim show``."""

from __future__ import annotations

import textwrap

from armsim.scenario import load_scenario, validate_text
from armsim.scenario.describe import describe

HEAD = """\
armsim: 1
name: keys
issues:
  freeze: {range: [0, 1]}
actors:
  us: {bloc: alliance, preferences: {freeze: {ideal: 0}}}
  rok: {bloc: alliance, preferences: {freeze: {ideal: 0}}}
  dprk: {preferences: {freeze: {ideal: 0}}}
sessions:
  - {venue: Singapore, participants: [us, dprk], agenda: [freeze], rounds: 2}
"""


def said_of(text: str) -> dict[tuple[int, int], tuple[str, str]]:
    """Every problem of a file, by (line, column): (severity, message)."""
    return {(p.line, p.column): (p.severity, p.message) for p in validate_text(text)[1]}


def problems_of(text: str) -> dict[tuple[int, int], str]:
    loaded, problems = validate_text(textwrap.dedent(text))
    assert loaded is None
    return {(p.line, p.column): p.message for p in problems if p.severity == "error"}


def test_counterparts_are_a_rule_or_pairs_of_actors_or_blocs():
    said = problems_of(HEAD + "environment:\n  counterparts: accross_blocs\n")
    assert said == {(12, 17): "'accross_blocs' is not a rule of counterparts; did you mean "
                    "'across_blocs'? The rules: across_blocs (the default: allies in a bloc do "
                    "not play each other), all, rivals, or a list of pairs such as "
                    "[[united_states, north_korea]]"}
    said = problems_of(HEAD + "environment:\n  counterparts: [[alliance, dprkk], [us, us]]\n")
    assert said == {(12, 29): "unknown actor or bloc 'dprkk'; did you mean 'dprk'?",
                    (12, 37): "'us' is paired with itself: a pair names two sides that play "
                              "the compliance game against each other"}
    said = problems_of(HEAD + "environment:\n  counterparts: [us, dprk]\n")
    assert "a non-empty list of pairs" in said[(12, 17)]


def test_counterparts_can_be_set_and_are_shown():
    loaded, _ = validate_text(HEAD)
    assert loaded.environment.counterparts == "across_blocs"
    assert "compliance game: across blocs (allies in a bloc do not play each other)" \
        in describe(loaded)
    both = load_scenario(loaded, {"environment.counterparts": [["us", "rok"]]})
    assert both.environment.counterparts == (("us", "rok"),)
    assert "compliance game: these pairs only: us and rok" in describe(both)


def test_traded_for_names_another_issue_once():
    text = HEAD.replace("  freeze: {range: [0, 1]}\n", "  freeze: {range: [0, 1], binds: [dprk], "
                        "traded_for: [freeze, drills, relief, relief]}\n"
                        "  relief: {range: [0, 1], binds: [alliance]}\n"
                        "  drills: {range: [0, 1], binds: [dprk]}\n")
    said = said_of(text)
    assert said[(4, 55)] == ("error", "'freeze' cannot be traded for itself: a trade pairs the "
                             "actors one commitment binds with those another binds")
    assert said[(4, 63)][0] == "warning" and "bind the same actors (dprk)" in said[(4, 63)][1]
    assert said[(4, 79)] == ("error", "'relief' is listed twice")
    text = text.replace("freeze, drills, relief, relief", "releif")
    said = {(p.line, p.column): p.message for p in validate_text(text)[1]}
    assert said[(4, 55)] == "unknown issue 'releif'; did you mean 'relief'?"
    good = validate_text(text.replace("releif", "relief"))[0]
    assert good.issues["freeze"].traded_for == ["relief"]
    assert "binds dprk, traded for relief" in describe(good)


def test_verification_keys_are_located_and_explained():
    text = HEAD.replace("  freeze: {range: [0, 1]}\n",
                        "  freeze: {range: [0, 1], verification: {dprkk: 0.5, us: 2}}\n"
                        "  access: {range: [0, 60], binds: [dprk], verifies: [freez]}\n"
                        "  notice: {range: [0, 60], binds: [us], verifies: [access], "
                        "detection: [0.9, 1.5]}\n")
    text = text.replace("dprk: {preferences", "dprk: {verification: -1, preferences")
    said = said_of(text)
    assert said[(4, 42)] == ("error", "unknown actor or bloc 'dprkk'; did you mean 'dprk'?")
    assert said[(4, 58)] == ("error", "2 is outside [0, 1]")
    assert said[(5, 54)] == ("error", "unknown issue 'freez'; did you mean 'freeze'?")
    assert said[(5, 53)][1].startswith("'access' verifies freez but has no detection")
    assert said[(6, 72)] == ("error", "detection [0.9, 1.5] gives the chance that a defection "
                             "is detected at the range's lo and at its hi: two probabilities "
                             "in [0, 1]")
    assert said[(6, 52)][0] == "warning" and "binds us and 'access' binds dprk" \
        in said[(6, 52)][1]
    assert said[(10, 24)] == ("error", "-1 is outside [0, 1]")


def test_verification_is_shown():
    text = HEAD.replace("  freeze: {range: [0, 1]}\n",
                        "  freeze: {range: [0, 1], verification: {dprk: 0.5, '*': 0.9}}\n"
                        "  access: {range: [0, 60], binds: [dprk], verifies: [freeze], "
                        "detection: [0.9, 0.5]}\n")
    loaded, problems = validate_text(text.replace("dprk: {preferences",
                                                  "dprk: {verification: 0.3, preferences"))
    shown = describe(loaded)
    assert "freeze: Freeze [0, 1], binds all (reciprocal), verification dprk 0.5, * 0.9" in shown
    assert "verifies freeze (detection 0.9 at 0, 0.5 at 60)" in shown
    assert "reservation 0, verification 0.3" in shown


def test_ceiling_keys_are_located_and_explained():
    text = HEAD.replace("issues:\n", "forces:\n  tanks: {max: 10}\n  guns: {max: 10}\n"
                        "issues:\n").replace(
        "  freeze: {range: [0, 1]}\n",
        "  freeze: {range: [0, 1], ceiling: total}\n"
        "  cap: {range: [0, 9], caps: [tanks, gunz, tanks], ceiling: blocs}\n"
        "  flank: {range: [0, 9], caps: tanks, ceiling: bloc, binds: [us, dprk]}\n"
        "  centre: {range: [0, 9], caps: 3}\n")
    said = said_of(text)
    assert said[(7, 36)] == ("error", "a ceiling on a total's level needs the forces it caps: "
                             "add caps (a force, or a list of forces whose sum it caps)")
    assert said[(8, 38)] == ("error", "unknown force 'gunz'; did you mean 'guns'?")
    assert said[(8, 44)] == ("error", "'tanks' is listed twice")
    assert said[(8, 61)][1] == ("'blocs' is not allowed: input should be 'each', 'bloc' or "
                                "'total'; did you mean 'bloc'?")
    assert said[(9, 48)][0] == "warning" and said[(9, 48)][1].startswith(
        "no two actors that 'flank' may bind (dprk, us) share a bloc")
    assert said[(10, 33)][1].startswith("caps is a force id, or a non-empty list of force ids")
    good = validate_text(text.replace("ceiling: total}", "}").replace("gunz, tanks], ceiling: "
                                                                     "blocs", "guns], ceiling: "
                                                                     "bloc").replace(
        "caps: 3", "caps: [guns]"))[0]
    shown = describe(good)
    assert "caps tanks + guns (their sum), a ceiling on each bloc's total" in shown
    assert good.issues["centre"].caps == "guns"


LIFE = HEAD.replace("issues:\n", "forces:\n  tanks: {max: 10}\nissues:\n").replace(
    "  freeze: {range: [0, 1]}\n",
    "  freeze: {range: [0, 1], enters_into_force: -1, extension: {rounds: 2, tmes: 1}}\n"
    "  cap: {range: [0, 9], caps: tanks, phases: [{after: 4, share: 0.5}, "
    "{after: 4, share: 0.3}]}\n"
    "  flank: {range: [0, 9], phases: [{after: 1, share: 1.5}]}\n")


def test_life_cycle_keys_are_located_and_explained():
    said = said_of(LIFE)
    assert said[(6, 46)] == ("error", "-1 is out of range: it should be greater than or "
                             "equal to 0")
    assert said[(6, 73)] == ("error", "unknown key 'tmes'; did you mean 'times'?")
    assert said[(6, 61)][1].startswith("an extension follows the end of a term: give "
                                       "'freeze' a duration")
    assert said[(7, 78)][1].startswith("phase 1 comes 4 rounds after entry into force, not "
                                       "after phase 0 (4)")
    assert said[(7, 88)][1] == ("share 0.3 is below the share already due (0.5): a phased "
                                "reduction only goes further")
    assert said[(7, 45)][0] == "warning" and "the agreed level itself never binds" \
        in said[(7, 45)][1]
    assert said[(8, 53)] == ("error", "1.5 is outside [0, 1]")
    assert said[(8, 34)][1].startswith("phases schedule the cuts of a ceiling on forces, "
                                       "but 'flank' caps none")


EVENTS = HEAD + """\
aftermath: 6
events:
  - {round: 1, does: withdraw}
  - {round: 2, does: suspend, actor: dprkk, issues: [freez]}
  - {round: 3, does: new_government, actor: us, set: {patiense: 0.9}}
  - {round: 3, does: new_government, actor: us, set: {forces: {tanks: {grievance: 1}},
     trust: {rokk: 0.1}}}
  - {round: 4, does: resume, actor: us}
  - {round: 5, does: explode}
  - {round: 9, does: suspend, set: {patience: 0.5}}
"""


def test_events_are_located_and_explained():
    said = said_of(EVENTS)
    assert said[(13, 5)][1] == "withdraw needs the actor it concerns: add actor: <actor id>"
    assert said[(14, 38)][1] == "unknown actor 'dprkk'; did you mean 'dprk'?"
    assert said[(14, 54)][1] == "unknown issue 'freez'; did you mean 'freeze'?"
    assert said[(15, 55)][1] == "unknown key 'patiense'; did you mean 'patience'?"
    assert said[(16, 64)][1].startswith("us holds no force 'tanks'")
    assert said[(17, 14)][1] == "unknown actor 'rokk'; did you mean 'rok'?"
    assert said[(18, 5)] == ("warning", "nothing suspended before this event is resumed by it "
                             "(every issue, us)")
    assert said[(19, 22)][1].startswith("'explode' is not allowed: input should be "
                                        "'withdraw', 'suspend', 'resume' or 'new_government'")
    assert said[(20, 13)] == ("warning", "a run has 8 rounds (0 to 7): an event in round 9 "
                              "never happens; give more aftermath, or an earlier round")
    assert said[(20, 36)][1].startswith("set is what a new government changes; a suspend")
    assert len(said) == 10


def test_events_and_terms_are_shown():
    text = HEAD.replace("  freeze: {range: [0, 1]}\n", "  freeze: {range: [0, 1], "
                        "enters_into_force: 2, duration: 6, extension: {rounds: 3, times: 2, "
                        "automatic: true}}\n") + (
        "aftermath: 10\nevents:\n  - {round: 5, does: suspend, actor: dprk, label: a test}\n"
        "  - {round: 7, does: new_government, actor: us, set: {compliance: grim, trust: 0.2}}\n")
    shown = describe(validate_text(text)[0])
    assert ("enters into force 2 rounds after signature, lasts 6 rounds, extendable 2 times "
            "by 3 rounds automatically") in shown
    assert "  round 5: dprk suspends its part in every agreement (a test)" in shown
    assert "  round 7: a new government in us: trust: {*: 0.2}, compliance: grim" in shown


def test_calendar_keys_are_located_and_explained():
    text = HEAD.replace(
        "  - {venue: Singapore, participants: [us, dprk], agenda: [freeze], rounds: 2}\n",
        "  - {venue: Singapore, participants: [us, dprk], agenda: [freeze], rounds: 2, "
        "reopens: true, gap: -2}\n"
        "  - {venue: Hanoi, participants: [us, dprk], agenda: [freeze], rounds: 2, interim: "
        "yes, enters_into_force: 1.5}\n")
    said = said_of(text)
    assert said[(10, 88)][0] == "warning" and said[(10, 88)][1].startswith(
        "no earlier session has any of its issues on its agenda")
    assert said[(10, 99)] == ("error", "-2 is out of range: it should be greater than or "
                               "equal to 0")
    assert said[(11, 84)][0] == "warning" and said[(11, 84)][1].startswith(
        "no later session has any of its issues on its agenda")
    assert said[(11, 108)] == ("error", "expected a whole number, got 1.5")
    good = validate_text(text.replace("gap: -2", "gap: 3").replace("1.5", "2"))[0]
    shown = describe(good)
    assert "7 rounds (4 of talks, 3 between sessions, 0 after)" in shown
    assert ("2 rounds, issue by issue, alternating, interim (a later session may replace its "
            "deals), its deals enter into force 2 rounds after signature") in shown
