"""A named mediator who is also a party (``sessions[s].mediator``): Seoul between
Washington and Pyongyang, 2018.

South Korea chairs and proposes, every round, the Nash bargaining solution of all the
participants, itself included (MODEL.md 3, mediated sessions), and is bound by what is
agreed like the others. On a cap x in [0, 100] (y = x / 100) with the United States'
ideal 0 and reservation 0.4, North Korea's ideal 100 and South Korea's ideal 50 (both
reservation 0), all weights 1, the product on y <= 1/2 is

    g(y) = (0.6 - y) * y * (0.5 + y),   g'(y) = 0.3 + 0.2 y - 3 y^2 = 0
    =>  y* = (0.2 + sqrt(0.04 + 3.6)) / 6 = 0.35131...,

inside [0, 1/2], and the log of the product is concave, so this is the solution:
x* = 35.131... . Without South Korea in the product (it cares nothing for the cap) the
two others' solution maximises (0.6 - y) y: y = 0.3, x = 30. On a whole-number issue
the mediator takes the better neighbour: g(0.35) = 0.25 * 0.35 * 0.85 = 0.074375 beats
g(0.36) = 0.24 * 0.36 * 0.86 = 0.0743040, so 35.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import scenario
from reference_helpers import run

from armsim.explain import story
from armsim.scenario import validate_text

SEOUL = """\
armsim: 1
name: Seoul in the chair
aftermath: 3
issues:
  exercise_cap: {{label: Cap on exercises, unit: thousand troops, range: [0, 100]{whole}}}
actors:
  united_states:
    label: United States
    preferences: {{exercise_cap: {{ideal: 0}}}}
    reservation: 0.4
  north_korea:
    label: North Korea
    preferences: {{exercise_cap: {{ideal: 100}}}}
  south_korea:
    label: South Korea
    preferences: {{exercise_cap: {{ideal: {seoul}, weight: {weight}}}}}
sessions:
  - venue: Panmunjom
    participants: [united_states, north_korea, south_korea]
    agenda: [exercise_cap]
    rounds: 2
{chair}
"""


def seoul(chair: str = "    mediator: south_korea", ideal: float = 50, weight: float = 1,
          whole: bool = False) -> str:
    return SEOUL.format(chair=chair, seoul=ideal, weight=weight,
                        whole=", whole: true" if whole else "")


Y_STAR = (0.2 + math.sqrt(0.04 + 3.6)) / 6


def test_the_mediator_proposes_the_nash_point_of_the_others_and_itself():
    out = run(seoul(), trajectories=True)
    assert out["agreement_round"][0] == 0
    assert out["agreed.exercise_cap"][0] == pytest.approx(100 * Y_STAR, rel=1e-12)
    assert out["trace.proposer"][0, 0] == 2                   # South Korea, by index
    # a party: bound, and playing the compliance game in the rounds after
    assert out["compliance_rate.south_korea"][0] == 1.0


def test_without_its_own_stake_the_nash_point_is_the_others():
    out = run(seoul(weight=0))
    assert out["agreed.exercise_cap"][0] == pytest.approx(30.0, rel=1e-12)


def test_the_mediators_own_ideal_moves_the_deal_toward_it():
    # South Korea's ideal at 60: on y <= 0.6 its utility is 0.4 + y, and the product
    # (0.6 - y) y (0.4 + y) has g'(y) = 0.24 + 0.4 y - 3 y^2, zero at
    # y = (0.4 + sqrt(0.16 + 2.88)) / 6 = 0.3573 (inside [0, 0.6]): above the 0.3513 of
    # an ideal at 50
    y = (0.4 + math.sqrt(0.16 + 2.88)) / 6
    out = run(seoul(ideal=60))
    assert out["agreed.exercise_cap"][0] == pytest.approx(100 * y, rel=1e-12)
    assert 100 * y > 100 * Y_STAR


def test_on_a_whole_number_issue_the_mediator_takes_the_better_whole_neighbour():
    out = run(seoul(whole=True))
    assert out["agreed.exercise_cap"][0] == 35.0


def test_an_anonymous_chair_over_the_same_parties_proposes_the_same_levels():
    named = run(seoul(), trajectories=True)
    chair = run(seoul(chair="    protocol: mediated"), trajectories=True)
    assert named["agreed.exercise_cap"][0] == chair["agreed.exercise_cap"][0]
    assert chair["trace.proposer"][0, 0] == -1


def test_the_story_names_the_mediator():
    text = story(scenario(seoul())).text()
    assert ("South Korea, a party, mediates: every round it proposes the Nash bargaining "
            "solution of all the participants, itself included.") in text
    assert ("South Korea, mediating, proposed the Nash bargaining solution of all the "
            "participants, itself included, issue by issue:") in text


@pytest.mark.parametrize("chair, path, message", [
    ("    mediator: south_koera", ("sessions", 0, "mediator"),
     "unknown actor 'south_koera'; did you mean 'south_korea'?"),
    ("    mediator: china", ("sessions", 0, "mediator"), "unknown actor 'china'"),
    ("    mediator: south_korea\n    protocol: alternating", ("sessions", 0, "protocol"),
     "a mediator ('south_korea') proposes the Nash bargaining solution every round"),
])
def test_a_bad_mediator_is_refused_where_it_is_written(chair, path, message):
    loaded, problems = validate_text(seoul(chair=chair), "seoul.yaml")
    assert loaded is None
    (error,) = [p for p in problems if p.severity == "error"]
    # the chair is written from line 22 (`    mediator: ` is 14 characters)
    assert error.path == path and message in error.message
    assert (error.line, error.column) == ((22, 15) if path[-1] == "mediator" else (23, 15))


def test_a_mediator_must_be_at_the_table():
    text = seoul().replace("participants: [united_states, north_korea, south_korea]",
                           "participants: [united_states, north_korea]")
    loaded, problems = validate_text(text, "seoul.yaml")
    (error,) = [p for p in problems if p.severity == "error"]
    assert (error.line, error.column) == (22, 15)       # `    mediator: ` is 14 characters
    assert "'south_korea' is not a participant of this session" in error.message


def test_a_mediator_by_dotted_override_makes_the_session_mediated():
    from armsim.scenario import load_scenario

    plain = scenario(seoul(chair=""))
    assert plain.sessions[0].protocol == "alternating"
    chaired = load_scenario(plain, {"sessions.0.mediator": "south_korea"})
    assert chaired.sessions[0].protocol == "mediated"
    assert run(chaired)["agreed.exercise_cap"][0] == pytest.approx(100 * Y_STAR, rel=1e-12)
    np.testing.assert_array_equal(run(plain)["agreement"], [True])
