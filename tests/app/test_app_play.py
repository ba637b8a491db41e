"""Play states: the seats' decisions come from people, every rule stays the core's."""

from __future__ import annotations

import numpy as np
import pytest

from app_helpers import (GENEVA, INF, NO_LINKAGE, PACKAGE, SCENARIOS, follow_advice,
                         play_to_end)
from armsim.abm import ArmsControlModel
from armsim.app.classroom import ClassroomModel
from armsim.app.play import PROPOSE, RESPOND, Decision, HumanAgent
from armsim.core.run import Phase

EVERYONE = ("united_states", "russia", "european_allies", "ukraine")


def same_outputs(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert np.array_equal(np.asarray(a[key]), np.asarray(b[key]), equal_nan=True), key


@pytest.mark.parametrize("file, seats", [
    (NO_LINKAGE, ["russia"]), (NO_LINKAGE, ["united_states", "russia"]),
    (SCENARIOS / "geneva_2022_uncertain_red_lines.yaml", ["russia", "united_states"]),
    (NO_LINKAGE, list(EVERYONE)), (GENEVA, list(EVERYONE)),
    (PACKAGE, ["russia", "united_states"]), (INF, ["soviet_union"]),
    (SCENARIOS / "classics" / "rubinstein.yaml", ["beta"]),
    (SCENARIOS / "classics" / "compliance_game.yaml", ["alpha"]),
])
def test_seats_that_follow_their_strategies_play_the_scenarios_run(file, seats):
    seated = ClassroomModel(file=str(file), seats=seats)
    turns = play_to_end(seated)
    plain = ArmsControlModel(file)
    plain.run_model()
    assert turns > 0
    same_outputs(seated.outputs(), plain.outputs())


def test_several_seats_answer_the_same_offer_at_once():
    # No linkage, Brussels' first round would be the US's; in Vienna (round 10) the
    # allies propose and the US, Russia and Ukraine answer. Round 0: the US proposes
    # to Russia: one turn; then Russia answers it.
    model = ClassroomModel(file=str(NO_LINKAGE), seats=["united_states", "russia"])
    assert list(model.turns) == ["united_states"] and model.turn.kind == PROPOSE
    follow_advice(model)
    assert list(model.turns) == ["russia"] and model.turn.kind == RESPOND
    assert model.round == 0 and model.paused_at == Phase.RESOLVE


def test_a_mediated_session_asks_the_seat_to_answer_the_mediator(tmp_path):
    mediated = tmp_path / "mediated.yaml"
    text = NO_LINKAGE.read_text()
    assert text.count("    protocol: alternating\n") == 3
    mediated.write_text(text.replace("    protocol: alternating\n",
                                     "    protocol: mediated\n", 1))
    model = ClassroomModel(file=str(mediated), seat="russia")
    assert model.turn.kind == RESPOND and model.turn.proposer == "mediator"
    plain = ArmsControlModel(mediated)
    play_to_end(model)
    plain.run_model()
    same_outputs(model.outputs(), plain.outputs())


def test_the_model_waits_for_the_seat_and_steps_do_nothing_meanwhile():
    model = ClassroomModel(file=str(NO_LINKAGE), seat="Russia")
    # the United States proposes first in Geneva: Russia must answer in round 0
    assert model.turn is not None and model.turn.kind == RESPOND
    assert model.turn.proposer == "united_states" and model.turn.round == 0
    time_before = model.time
    for _ in range(3):
        model.step()
    assert model.round == 0 and model.time == time_before and not model.history
    follow_advice(model)
    assert model.round == 1 and model.time == time_before + 1
    # Russia proposes in round 1
    assert model.turn.kind == PROPOSE and model.turn.round == 1


# --- empty turns ----------------------------------------------------------------------

def test_with_linkage_no_answer_of_russia_counts_so_its_answers_are_skipped():
    # Russia insists on NATO enlargement, and its red line there is at most 0 (closed
    # door); the United States' red line is at least 1. Every US offer leaves the door
    # open (1), across Russia's line: NATO enlargement is never agreed, so by Russia's
    # own linkage nothing is, whatever Russia answers. Russia only proposes.
    model = ClassroomModel(file=str(GENEVA), seat="russia")
    asked = []
    while not model.finished:
        if model.turns:
            asked.append((model.turn.round, model.turn.kind))
            follow_advice(model)
        else:
            model.step()
    assert {kind for _, kind in asked} == {PROPOSE}
    assert [r for r, _ in asked] == [1, 3, 5, 8, 12]      # Geneva 1, 3, 5; Brussels; Vienna
    skipped = [e for e in model.log if e.kind == RESPOND]
    assert skipped and all(e.by.startswith("nobody: no answer could change") for e in skipped)
    assert all(not e.people and e.chosen == e.strategy for e in skipped)
    assert any("NATO enlargement and security guarantees: it crosses your red line (at most "
               "open-door index 0)" in note for note in skipped[0].notes)


def test_a_proposal_pinned_by_red_lines_is_skipped():
    # No linkage: in Vienna (round 13) only NATO enlargement is left, where Ukraine's red
    # line is at least 1 and the range's top is 1: its offer can only be 1.
    model = ClassroomModel(file=str(NO_LINKAGE), seat="ukraine")
    model.run_model()
    assert model.finished and not model.turns
    pinned = [e for e in model.log if e.kind == PROPOSE]
    assert [(e.round, e.chosen) for e in pinned] == [(13, {"nato_expansion": 1.0})]
    assert pinned[0].by.startswith("nobody: every open issue is fixed by its red lines")


def test_the_turn_names_linkage_and_the_red_lines_that_make_an_answer_not_count():
    model = ClassroomModel(file=str(GENEVA), seat="european_allies")
    model.run_model()
    # Brussels, round 7: the allies propose; Russia's linkage is named for the turn
    assert model.turn.kind == PROPOSE and model.turn.round == 7
    assert ("Russia insists on NATO enlargement and security guarantees: unless it is "
            "agreed too, nothing else is agreed, whatever you answer.") in model.turn.general


# --- honest stories ------------------------------------------------------------------

def test_a_players_rejection_is_told_as_theirs_not_as_the_strategys_reasoning():
    # No linkage, round 0: the US offers exercises at 5 thousand troops, Russia's ideal
    # (range 0-200): worth 1 - |5 - 5| / 200 = 1.00 to Russia, whose strategy accepts it.
    model = ClassroomModel(file=str(NO_LINKAGE), seat="russia", players={"russia": "Ana"})
    assert model.turn.offer["exercise_limits"] == 5.0 and model.turn.advice["exercise_limits"]
    model.submit(Decision.respond(False, model.turn.offer))
    line = next(text for r, text in model.lines(since=0) if text.startswith(
        "Reciprocal ceiling on troops in exercises"))
    assert ("Russia (played by Ana) refused, though its strategy would have accepted: the "
            "offer is worth 1.00 to it") in line
    assert "worth too little" not in line and "it wants" not in line
    # the public record says only that Russia said no
    public = " ".join(e.text for e in model.public if e.round == 0)
    assert "Russia said no." in public and "worth" not in public
    # and the seat's panel says what the answer did
    assert "Exercise limits: not agreed: you said no." in model.last["russia"]


LINKED = """\
armsim: 1
name: Linked talks
seed: 1
runs: 2
aftermath: 1
issues:
  x: {label: Issue X, unit: units, range: [0, 10], binds: all}
  y: {label: Issue Y, unit: units, range: [0, 10], binds: all}
actors:
  a:
    label: Alpha
    preferences: {x: {ideal: 0, weight: 1}, y: {ideal: 0, weight: 1}}
    strategy: hardliner
  b:
    label: Beta
    preferences: {x: {ideal: 0, weight: 1}, y: {ideal: 0, weight: 1}}
    insists: [x]
    strategy: hardliner
sessions:
  - venue: Here
    participants: [a, b]
    agenda: [x, y]
    rounds: 2
"""


def test_linkage_is_named_and_told_when_it_holds_a_players_acceptance_back(tmp_path):
    # Alpha asks its ideal, 0 on both, which is Beta's too: Beta's strategy accepts both.
    # Beta's player accepts Y but not X; Beta insists on X, so Y is not agreed either.
    path = tmp_path / "linked.yaml"
    path.write_text(LINKED)
    model = ClassroomModel(file=str(path), seat="b", players={"b": "Bo"})
    turn = model.turn
    assert turn.kind == RESPOND and turn.advice == {"x": True, "y": True}
    assert ("You insist on Issue X: unless it is agreed too, nothing else is agreed, "
            "whatever you answer.") in turn.general
    model.submit(Decision.respond({"x": False, "y": True}))
    assert not model.state.agreed.any()
    story = " ".join(text for r, text in model.lines(since=0))
    assert ("Beta (played by Bo) accepted, but its linkage held it back: it insists on "
            "Issue X first.") in story
    assert ("Issue Y: not agreed: you could not agree to it: you insist on Issue X first."
            in model.last["b"])
    assert model.last["b"][1] == "You accepted Issue Y and rejected Issue X."


def test_the_public_record_keeps_each_seats_private_numbers_private():
    model = ClassroomModel(file=str(NO_LINKAGE), run=2)
    model.run_model()
    story = " ".join(e.text for e in model.events)
    public = " ".join(e.text for e in model.public)
    for private in ("reservation", "worth", "trust", "Utility", "kept its commitments"):
        assert private in story, private
        assert private not in public, private
    assert "How it ended" in public and "AGREED" in public


# --- people come and go ---------------------------------------------------------------

def test_a_seat_left_to_the_agent_is_decided_by_its_strategy():
    model = ClassroomModel(file=str(NO_LINKAGE), seats=["united_states", "russia"])
    model.hand_to_agent("united_states", "Ana left")
    assert list(model.turns) == ["russia"]    # the agent made the US offer; Russia answers
    assert model.log[0].by == "the agent (Ana left)" and not model.log[0].people
    model.hand_to_agent("russia")
    model.run_model()
    plain = ArmsControlModel(NO_LINKAGE)
    plain.run_model()
    same_outputs(model.outputs(), plain.outputs())


def test_a_seat_taken_back_waits_for_its_players_again():
    model = ClassroomModel(file=str(NO_LINKAGE), seat="russia")
    model.hand_to_agent("russia")             # round 0 answered by the agent; round 1's
    assert not model.turns and model.round == 1      # offer, Russia's, waits for a step
    model.take_seat("russia", "Bo")
    assert model.turn.kind == PROPOSE and model.turn.round == 1
    model.submit(Decision.as_strategy(model.turn))
    assert model.log[-1].by == "Bo" and model.log[-1].people


def test_a_seat_taken_while_others_answer_answers_too():
    # Brussels (round 6): the US offers, the allies and Russia answer; the allies' seat is
    # empty until Russia's players are thinking, then taken: its answer waits too
    model = ClassroomModel(file=str(NO_LINKAGE), seats=["russia", "european_allies"])
    model.hand_to_agent("european_allies")
    while not (model.turns and model.round == 6):
        follow_advice(model) if model.turns else model.step()
    assert list(model.turns) == ["russia"]
    model.take_seat("european_allies", "Cy")
    assert sorted(model.turns) == ["european_allies", "russia"]
    def allies_at_6():
        return [e.by for e in model.log if e.round == 6 and e.actor == "european_allies"]

    assert allies_at_6() == []                # the agent's answer is taken back
    follow_advice(model)
    assert model.round == 7 and allies_at_6() == ["Cy"]


# --- rules stay the core's ------------------------------------------------------------

def test_an_offer_at_the_responders_ideal_that_the_proposer_can_live_with_is_agreed():
    # No linkage: the US (student) offers Russia its ideals on exercises (5) and bombers
    # (2). Russia gets utility 1 on each, the most it could ask; the US keeps 1 - 5/200 and
    # 1 - 4/30, above its reservation 0.35; no red line is crossed: both are agreed.
    model = ClassroomModel(file=str(NO_LINKAGE), seat="united_states")
    assert model.turn.kind == PROPOSE and model.turn.round == 0
    model.submit(Decision.propose({"exercise_limits": 5.0, "bomber_limits": 2.0}))
    model.step()
    talks = model.history[0]["talks"]
    issues = model.spec.issues
    assert talks.offer[0, issues.index("exercise_limits")] == 5.0
    assert talks.offer[0, issues.index("bomber_limits")] == 2.0
    assert model.state.agreed[0, issues.index("exercise_limits")]
    assert model.state.level[0, issues.index("bomber_limits")] == 2.0


@pytest.mark.parametrize("accept, expected", [
    # accepting all: agreed wherever the US offer lies inside Russia's red lines, i.e.
    # everything but NATO enlargement (the US offers 1, Russia's red line is at most 0)
    (True, {"missile_deployments", "exercise_limits", "bomber_limits", "us_force_posture"}),
    (False, set()),
])
def test_the_players_answer_decides_within_the_red_lines(accept, expected):
    model = ClassroomModel(file=str(NO_LINKAGE), seat="russia")
    model.submit(Decision.respond(accept, model.turn.offer))
    agreed = {name for i, name in enumerate(model.spec.issues) if model.state.agreed[0, i]}
    assert agreed == expected


def test_a_wrong_decision_is_refused_and_the_turn_still_waits():
    model = ClassroomModel(file=str(NO_LINKAGE), seat="united_states")
    with pytest.raises(ValueError, match="outside its range"):
        model.submit(Decision.propose({"bomber_limits": 31.0}))
    with pytest.raises(ValueError, match="not open"):
        model.submit(Decision.propose({"no_such_issue": 1.0}))
    # the US red line on NATO enlargement is at least 1 (the open door): its offers keep it
    with pytest.raises(ValueError, match="crosses united_states's own red line"):
        model.submit(Decision.propose({"nato_expansion": 0.0}))
    with pytest.raises(ValueError, match="must propose"):
        model.submit(Decision.respond(True, {"bomber_limits": 1.0}))
    assert model.waiting and model.round == 0
    follow_advice(model)
    assert model.turn.kind == RESPOND or model.round == 1


def test_submitting_without_a_turn_is_an_error():
    model = ClassroomModel(file=str(GENEVA))
    assert model.turn is None
    with pytest.raises(ValueError, match="not its turn"):
        model.submit(Decision.respond(True, {}), "russia")


def test_a_human_agent_outside_the_classroom_plays_its_strategy():
    # only the classroom model waits for people; a plain Mesa model never pauses, and a
    # HumanAgent without a decision does what its scenario strategy does
    model = ArmsControlModel(GENEVA, agent_classes={"united_states": HumanAgent})
    plain = ArmsControlModel(GENEVA)
    model.run_model()
    plain.run_model()
    same_outputs(model.outputs(), plain.outputs())


def test_a_paused_round_is_part_played_and_resumes_where_it_stopped():
    # Russia (the seat) answers in round 0: the round is paused before RESOLVE, with the
    # United States' offer made and nothing agreed yet
    model = ClassroomModel(file=str(NO_LINKAGE), seat="russia")
    assert model.paused_at == Phase.RESOLVE and model.run.phase == Phase.RESOLVE
    assert model.run.proposal.proposer == model.spec.actors.index("united_states")
    assert not model.state.agreed.any() and model.round == 0


def test_the_story_grows_by_at_least_one_line_per_round():
    model = ClassroomModel(file=str(GENEVA))
    before = len(model.events)
    assert all(e.round == -1 for e in model.events)
    for t in range(model.spec.rounds):
        model.step()
        assert any(e.round == t for e in model.events[before:]), t
        before = len(model.events)
    assert model.events[-1].round == model.spec.rounds      # the ending
    assert model.finished and not model.running


def test_the_story_tells_the_players_offer():
    model = ClassroomModel(file=str(NO_LINKAGE), seat="united_states")
    model.submit(Decision.propose({"bomber_limits": 2.0}))
    model.step()
    text = " ".join(line for r, line in model.lines(since=0))
    assert "The United States (played by a student) proposed, issue by issue:" in text
    assert "strategic-bomber sorties near the other's territory at 2 sorties per month" in text


def test_run_model_stops_at_the_players_turn():
    model = ClassroomModel(file=str(GENEVA), seat="ukraine")
    model.run_model()                 # Ukraine first decides something in Vienna: round 13
    assert model.waiting and model.round == 13 and model.turn.kind == PROPOSE
    follow_advice(model)                      # nobody else decides: the round is played
    assert model.round == 14 and not model.waiting


# --- what the scenario language offers since issue 13 ------------------------------------

THIRDS = LINKED.replace("x: {label: Issue X, unit: units, range: [0, 10], binds: all}",
                        "x: {label: Issue X, unit: units, range: [0, 10], binds: all, "
                        "whole: true}")


def test_an_offer_on_a_whole_number_issue_is_whole(tmp_path):
    path = tmp_path / "whole.yaml"
    path.write_text(THIRDS.replace("    insists: [x]\n", ""))
    model = ClassroomModel(file=str(path), seat="a")
    assert model.turn.kind == PROPOSE and model.offer_window("a", "x") == (0.0, 10.0)
    with pytest.raises(ValueError, match="not a whole number"):
        model.submit(Decision.propose({"x": 2.5}))
    model.submit(Decision.propose({"x": 2.0}))
    assert model.log[-1].chosen == {"x": 2.0}


def test_a_sessions_own_linkage_is_named_on_the_turn(tmp_path):
    # Beta's linkage is the session's, not its own: the panel names it all the same
    path = tmp_path / "session_linkage.yaml"
    path.write_text(LINKED.replace("    insists: [x]\n", "").replace(
        "    rounds: 2\n", "    rounds: 2\n    insists: {b: [x]}\n"))
    model = ClassroomModel(file=str(path), seat="b")
    assert ("You insist on Issue X: unless it is agreed too, nothing else is agreed, "
            "whatever you answer.") in model.turn.general


def test_a_party_who_mediates_is_not_asked_to_propose(tmp_path):
    # a chairing participant proposes the Nash solution by the session's rule; its
    # players answer the others' nothing: the round asks them nothing to propose
    path = tmp_path / "mediator.yaml"
    path.write_text(LINKED.replace("    insists: [x]\n", "").replace(
        "    rounds: 2\n", "    rounds: 2\n    mediator: a\n"))
    model = ClassroomModel(file=str(path), seats=["a", "b"])
    assert "a" not in model.turns
    plain = ArmsControlModel(path)
    play_to_end(model)
    plain.run_model()
    same_outputs(model.outputs(), plain.outputs())


def test_where_red_lines_are_private_every_answer_is_asked():
    # an answer teaches the others about the seat's own lines (beliefs learn from it), so
    # it is asked even where it cannot make an agreement: Russia answers every US offer
    model = ClassroomModel(file=str(SCENARIOS / "geneva_2022_uncertain_red_lines.yaml"),
                           seat="russia")
    asked = []
    while not model.finished:
        if model.turns:
            asked.append(model.turn.kind)
            follow_advice(model)
        else:
            model.step()
    assert not any(e.by.startswith("nobody: no answer") for e in model.log)
    assert asked.count(RESPOND) == sum(1 for e in model.log if e.kind == RESPOND)
