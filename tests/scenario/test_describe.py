"""``armsim show``'s text, in process: zones of agreement worked out by hand from red lines."""

from __future__ import annotations

import pytest
from scenario_helpers import check

from armsim.scenario.describe import acceptable, describe, zone_of_agreement

THREE = """
    armsim: 1
    name: Three sides
    issues:
      d: {label: D, unit: km, range: [0, 100]}
    actors:
      a: {preferences: {d: {ideal: 30, red_line: {min: 20, max: 70}}}}
      b: {preferences: {d: {ideal: 90, red_line: {min: 40}}}}
      c: {preferences: {d: {non_negotiable: true}}}
      e: {}
    """


@pytest.fixture
def three():
    scenario, problems = check(THREE)
    assert problems == []
    return scenario


def test_acceptable_levels_per_actor(three):
    assert acceptable(three, "a", "d") == (20, 70)
    assert acceptable(three, "b", "d") == (40, 100)  # no max: up to the status quo
    assert acceptable(three, "c", "d") == (100, 100)  # non-negotiable: only hi
    assert acceptable(three, "e", "d") == (0, 100)  # no preference: anything


@pytest.mark.parametrize("actors, zone", [
    (["a", "b"], (40, 70)),  # [20, 70] and [40, 100]
    (["b", "c"], (100, 100)),
    (["a", "c"], None),  # [20, 70] and [100, 100]
    (["e"], (0, 100)),
    ([], (0, 100)),  # nobody to object
    (None, None),  # everyone: a and c disagree
])
def test_zone_of_agreement(three, actors, zone):
    assert zone_of_agreement(three, "d", actors) == zone


def test_describe_shows_red_lines_zones_and_distributions():
    scenario, problems = check("""
        armsim: 1
        name: t
        forces:
          m: {label: M, max: 10}
        issues:
          d: {label: D, range: [0, 10]}
        actors:
          a:
            forces: {m: {initial: {dist: triangular, low: 0, mode: 1, high: 2}}}
            preferences: {d: {ideal: 2, red_line: {max: 4}}}
            patience: {dist: normal, mean: 0.9, sd: 0.05, low: 0.8, high: 1}
          b:
            preferences: {d: {non_negotiable: true}}
            reservation: {dist: uniform, low: 0.1, high: 0.3}
        sessions:
          - {venue: G, participants: [a, b], agenda: [d], rounds: 3}
        environment:
          verification: {dist: beta, a: 8, b: 2}
        """)
    assert scenario is not None
    lines = [line.strip() for line in describe(scenario).splitlines()]
    assert ("strategy linear, compliance tit_for_tat, patience normal(mean=0.9, sd=0.05, "
            "low=0.8, high=1), reservation 0") in lines
    assert "strategy linear, compliance tit_for_tat, patience 1, reservation uniform(low=0.1, " \
           "high=0.3)" in lines
    assert "m: M [max 10]: a triangular(low=0, mode=1, high=2)" in lines
    # a accepts [0, 4], b only the status quo 10: no zone
    assert "zone of possible agreement: none" in lines
    assert "- d: zone of agreement none" in lines
    assert any(line.startswith("b") and line.endswith("red line: non-negotiable (no limit)")
               for line in lines)
    assert "Environment: verification beta(a=8, b=2, low=0, high=1), tolerance none, crisis " \
           "hazard 0" in lines


def test_show_says_where_a_session_cannot_converge_and_its_memory_keys():
    scenario, _ = check("""
        armsim: 1
        name: Two hardliners
        issues:
          d: {range: [0, 10]}
        actors:
          a: {preferences: {d: {ideal: 0}}, strategy: hardliner}
          b: {preferences: {d: {ideal: 10}}, strategy: hardliner}
        sessions:
          - {venue: G, participants: [a, b], agenda: [d], rounds: 4, memory: reset,
             deadlock_rounds: 3}
        """)
    text = describe(scenario)
    assert ("  0. G: a, b; 4 rounds, issue by issue, alternating, memory reset (starts "
            "afresh), deadlock after 3 rounds without a move") in text
    assert ("     ! cannot converge: the hardliners want different levels of 'd' (a 0, b 10, "
            "within the red lines)") in text
