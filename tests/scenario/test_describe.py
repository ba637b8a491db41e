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


# --- red lines drawn per run: the zone as a chance, worked out by hand ----------------

DRAWN = """\
armsim: 1
name: drawn lines
issues:
  d: {range: [0, 1]}
actors:
  a: {preferences: {d: {ideal: 0, red_line: A}}}
  b: {preferences: {d: {ideal: 1, red_line: B}}}
  c: {preferences: {d: {ideal: 1, red_line: C}}}
sessions:
  - {venue: V, participants: [a, b, c], agenda: [d], rounds: 3}
"""
U = "{{dist: uniform, low: {}, high: {}}}"


def scenario(text):
    loaded, problems = check(text)
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


@pytest.mark.parametrize("a, b, c, chance", [
    # P(min_b <= 0.4), min_b ~ U(0, 1)
    ("{max: 0.4}", "{min: %s}" % U.format(0, 1), "{}", 0.4),
    # P(min_b <= max_a) = E[max_a] for max_a ~ U(0.3, 0.7), min_b ~ U(0, 1)
    ("{max: %s}" % U.format(0.3, 0.7), "{min: %s}" % U.format(0, 1), "{}", 0.5),
    # P(max(min_b, min_c) <= 0.5) = 0.5 ** 2 for two U(0, 1) mins
    ("{max: 0.5}", "{min: %s}" % U.format(0, 1), "{min: %s}" % U.format(0, 1), 0.25),
    # L ~ U(0.2, 0.6), H ~ U(0.4, 0.8): P(L > H) = int_0.4^0.6 (l - 0.4) / 0.16 dl = 0.125
    ("{max: %s}" % U.format(0.4, 0.8), "{min: %s}" % U.format(0.2, 0.6), "{}", 0.875),
])
def test_the_zone_is_not_empty_with_the_chance_worked_out_by_hand(a, b, c, chance):
    from armsim.scenario.zone import zone_chance

    loaded = scenario(DRAWN.replace("A", a).replace("B", b).replace("C", c))
    found = zone_chance(loaded, "d", ["a", "b", "c"])
    assert found.exact == pytest.approx(chance, abs=1e-12)
    assert abs(found.monte_carlo - chance) < 4 * (chance * (1 - chance) / found.draws) ** 0.5
    assert f"not empty with probability {chance:.4f} exactly" in describe(loaded)


def test_a_normal_red_line_has_only_the_monte_carlo_chance():
    from armsim.scenario.zone import zone_chance

    line = "{min: {dist: normal, mean: 0.5, sd: 0.1, low: 0, high: 1}}"
    loaded = scenario(DRAWN.replace("A", "{max: 0.5}").replace("B", line).replace("C", "{}"))
    found = zone_chance(loaded, "d", ["a", "b"])
    assert found.exact is None
    assert abs(found.monte_carlo - 0.5) < 4 * (0.25 / found.draws) ** 0.5


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


def test_show_lists_the_events_in_round_order_in_words():
    scenario, problems = check("""
        armsim: 1
        name: Events
        issues:
          limit: {label: Limit, range: [0, 10]}
          access: {label: Access, range: [0, 10]}
        actors:
          a: {preferences: {limit: {ideal: 1}, access: {ideal: 1}}}
          b: {preferences: {limit: {ideal: 1}, access: {ideal: 1}}}
        sessions:
          - {venue: V, participants: [a, b], agenda: [limit, access], rounds: 1}
        aftermath: 9
        events:
          - {round: 6, does: resume, issues: [access]}
          - {round: 2, does: suspend, issues: [access], label: inspections paused}
          - {round: 4, does: suspend, actor: b}
          - {round: 8, does: withdraw, actor: a, issues: [limit]}
        """)
    assert [p for p in problems if p.severity == "error"] == []
    text = describe(scenario)
    lines = text[text.index("Events from outside the talks"):].splitlines()[1:5]
    assert lines == ["  round 2: access is suspended (inspections paused)",
                     "  round 4: b suspends its part in every agreement",
                     "  round 6: access is resumed",
                     "  round 8: a withdraws from limit"]
