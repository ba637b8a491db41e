"""Play a state: the seat's decisions come from the student, every rule stays the core's."""

from __future__ import annotations

import numpy as np
import pytest

from app_helpers import (GENEVA, INF, NO_LINKAGE, PACKAGE, SCENARIOS, follow_advice,
                         play_to_end)
from armsim.abm import ArmsControlModel
from armsim.app.classroom import ClassroomModel
from armsim.core.run import Phase
from armsim.app.play import PROPOSE, RESPOND, Decision, HumanAgent


def same_outputs(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for key in a:
        assert np.array_equal(np.asarray(a[key]), np.asarray(b[key]), equal_nan=True), key


@pytest.mark.parametrize("file, seat", [
    (NO_LINKAGE, "russia"), (NO_LINKAGE, "united_states"), (GENEVA, "european_allies"),
    (PACKAGE, "russia"), (INF, "soviet_union"),
    (SCENARIOS / "classics" / "rubinstein.yaml", "beta"),
    (SCENARIOS / "classics" / "compliance_game.yaml", "alpha"),
])
def test_a_seat_that_follows_its_strategy_plays_the_scenarios_run(file, seat):
    seated = ClassroomModel(file=str(file), seat=seat)
    turns = play_to_end(seated)
    plain = ArmsControlModel(file)
    plain.run_model()
    assert turns > 0
    same_outputs(seated.outputs(), plain.outputs())


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
    model = ClassroomModel(file=str(GENEVA), seat="Russia")
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


def test_an_offer_at_the_responders_ideal_that_the_proposer_can_live_with_is_agreed():
    # No linkage: the US (student) offers Russia its ideals on exercises (5) and bombers
    # (2). Russia gets utility 1 on each, the most it could ask; the US keeps 1 - 5/200 and
    # 1 - 4/30, above its reservation 0.35; no red line is crossed: both are agreed.
    model = ClassroomModel(file=str(NO_LINKAGE), seat="united_states")
    assert model.turn.kind == PROPOSE and model.turn.round == 0
    model.submit(Decision.propose({"exercise_limits": 5.0, "bomber_limits": 2.0}))
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
def test_the_students_answer_decides_within_the_red_lines(accept, expected):
    model = ClassroomModel(file=str(NO_LINKAGE), seat="russia")
    model.submit(Decision.respond(accept, model.turn.offer))
    agreed = {name for i, name in enumerate(model.spec.issues) if model.state.agreed[0, i]}
    assert agreed == expected


def test_linkage_still_binds_a_student_who_accepts_everything():
    # Russia insists on NATO enlargement, which the US red line excludes: nothing is agreed
    model = ClassroomModel(file=str(GENEVA), seat="russia")
    model.submit(Decision.respond(True, model.turn.offer))
    assert not model.state.agreed[0].any()
    model = ClassroomModel(file=str(GENEVA), seat="russia", linkage=False)
    model.submit(Decision.respond(True, model.turn.offer))
    assert model.state.agreed[0].sum() == 4


def test_a_wrong_decision_is_refused_and_the_turn_still_waits():
    model = ClassroomModel(file=str(NO_LINKAGE), seat="united_states")
    with pytest.raises(ValueError, match="outside its range"):
        model.submit(Decision.propose({"bomber_limits": 31.0}))
    with pytest.raises(ValueError, match="not open"):
        model.submit(Decision.propose({"no_such_issue": 1.0}))
    with pytest.raises(ValueError, match="must propose"):
        model.submit(Decision.respond(True, {"bomber_limits": 1.0}))
    assert model.waiting and model.round == 0
    follow_advice(model)
    assert model.round == 1


def test_submitting_without_a_turn_is_an_error():
    model = ClassroomModel(file=str(GENEVA))
    assert model.turn is None
    with pytest.raises(ValueError, match="not the student's turn"):
        model.submit(Decision.respond(True, {}))


def test_a_human_agent_outside_the_classroom_plays_its_strategy():
    # only the classroom model waits for a person; a plain Mesa model never pauses, and a
    # HumanAgent without a decision does what its scenario strategy does
    model = ArmsControlModel(GENEVA, agent_classes={"united_states": HumanAgent})
    plain = ArmsControlModel(GENEVA)
    model.run_model()
    plain.run_model()
    same_outputs(model.outputs(), plain.outputs())


def test_a_paused_round_is_part_played_and_resumes_where_it_stopped():
    # Russia (the seat) answers in round 0: the round is paused before RESOLVE, with the
    # United States' offer made and nothing agreed yet
    model = ClassroomModel(file=str(GENEVA), seat="russia")
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


def test_the_story_tells_the_students_offer():
    model = ClassroomModel(file=str(NO_LINKAGE), seat="united_states")
    model.submit(Decision.propose({"bomber_limits": 2.0}))
    text = " ".join(line for r, line in model.lines(since=0))
    assert "strategic-bomber sorties near the other's territory at 2 sorties per month" in text


def test_run_model_stops_at_the_students_turn():
    model = ClassroomModel(file=str(NO_LINKAGE), seat="ukraine")
    model.run_model()                       # Ukraine first sits at the table in Vienna
    assert model.waiting and model.round == 10 and model.turn.kind == RESPOND
    follow_advice(model)
    assert model.round == 11
