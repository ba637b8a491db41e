"""A force that reacts to another force (``reacts_to``), against the closed form of the map.

North Korea's missile tests y react to the United States' exercises e, and the exercises
to the tests (the 2017-2018 "freeze for freeze" spiral). With fatigues n, m, linked
reactions c (tests to exercises), d (exercises to tests), grievances h, g and dt = 1,
the engine's step is the linear map

    (y, e)' = J (y, e) + (h, g),    J = [[1 - n, c], [d, 1 - m]].

With n = m = 1/2 and c = d = 1/4, J has the eigenvalue 3/4 on (1, 1) and 1/4 on
(1, -1), and the fixed point solves (I - J) x = (h, g): for h = 3, g = 6,
x* = (16, 20) by Cramer's rule (det (I - J) = 1/4 - 1/16 = 3/16; y* = (3/2 + 3/2) /
(3/16) = 16, e* = (3/4 + 3) / (3/16) = 20). From (40, 4) the deviation (24, -16) is
4 (1, 1) + 20 (1, -1), so after t rounds

    y_t = 16 + 4 (3/4)^t + 20 (1/4)^t,    e_t = 20 + 4 (3/4)^t - 20 (1/4)^t.

(Round 1 by hand from the step itself: y = 40/2 + 4/4 + 3 = 24, e = 40/4 + 4/2 + 6 = 18.)
``armsim validate`` checks the spectral radius of the whole map over every held cell.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import scenario
from reference_helpers import run

from armsim.richardson import system_of
from armsim.scenario import validate_text

FREEZE = """\
armsim: 1
name: freeze for freeze, the forces alone
dt: {dt}
aftermath: {rounds}
forces:
  tests: {{label: Missile tests, unit: tests a year, max: 1000}}
  exercises: {{label: US-ROK exercises, unit: thousand troops, max: 1000}}
actors:
  north_korea:
    rivals: [united_states]
    forces:
      tests: {{initial: {y0}, fatigue: {n}, grievance: {h}, reacts_to: {{exercises: {c}}}}}
  united_states:
    rivals: [north_korea]
    forces:
      exercises: {{initial: {e0}, fatigue: {m}, grievance: {g}, reacts_to: {{tests: {d}}}}}
"""


def freeze(**numbers: object) -> str:
    base = dict(dt=1, rounds=30, y0=40, e0=4, n=0.5, m=0.5, h=3, g=6, c=0.25, d=0.25)
    return FREEZE.format(**{**base, **numbers})


def test_linked_forces_move_by_the_closed_form_of_the_two_force_map():
    out = run(freeze(), trajectories=True)
    t = np.arange(1, 31)
    y = 16 + 4 * 0.75 ** t + 20 * 0.25 ** t
    e = 20 + 4 * 0.75 ** t - 20 * 0.25 ** t
    forces = out["trace.forces"][0]                                  # (T, A, K)
    np.testing.assert_allclose(forces[:, 0, 0], y, rtol=1e-12)
    np.testing.assert_allclose(forces[:, 1, 1], e, rtol=1e-12)
    assert forces[0, 0, 0] == 24 and forces[0, 1, 1] == 18          # the first step by hand


def test_linked_forces_converge_to_the_fixed_point_solved_by_hand():
    # deviations shrink like (3/4)^t: 130 rounds leave 4 * 0.75^130 < 1e-15
    out = run(freeze(rounds=130))
    np.testing.assert_allclose(out["final_force.north_korea.tests"], [16.0], rtol=1e-12)
    np.testing.assert_allclose(out["final_force.united_states.exercises"], [20.0], rtol=1e-12)


def test_a_linked_reaction_adds_to_the_reaction_within_the_force():
    # a third cell: South Korea holds exercises too, rival of North Korea. North Korea's
    # tests now react to both exercise levels: y' = y/2 + (e_us + e_rok)/4 + 3. With every
    # exercise level held at 8 (fatigue 0, no grievance, no reaction), y* = 2 (3 + 4) = 14
    text = """\
        armsim: 1
        name: two allies exercising
        aftermath: 60
        forces:
          tests: {label: Tests, max: 1000}
          exercises: {label: Exercises, max: 1000}
        actors:
          north_korea:
            rivals: [united_states, south_korea]
            forces: {tests: {initial: 0, fatigue: 0.5, grievance: 3,
                             reacts_to: {exercises: 0.25}}}
          united_states: {forces: {exercises: {initial: 8}}}
          south_korea: {forces: {exercises: {initial: 8}}}
        """
    out = run(text)
    np.testing.assert_allclose(out["final_force.north_korea.tests"], [14.0], rtol=1e-12)


def test_dt_scales_the_linked_reaction():
    # dt = 1/2 with n = m = 1, c = d = 1/2 gives the same J = [[1/2, 1/4], [1/4, 1/2]] and
    # grievance terms dt h = 3, dt g = 6: the same path
    out = run(freeze(dt=0.5, n=1, m=1, c=0.5, d=0.5, h=6, g=12), trajectories=True)
    t = np.arange(1, 31)
    np.testing.assert_allclose(out["trace.forces"][0][:, 0, 0],
                               16 + 4 * 0.75 ** t + 20 * 0.25 ** t, rtol=1e-12)


# --- the stability check of armsim validate -----------------------------------------

def warnings(text: str) -> list[str]:
    loaded, problems = validate_text(text)
    assert loaded is not None, "\n".join(map(str, problems))
    return [p.message for p in problems if p.severity == "warning"]


def test_the_stable_map_has_the_radius_worked_out_by_hand_and_no_warning():
    system = system_of(scenario(freeze()))
    assert system.radius == pytest.approx(0.75, abs=1e-12)        # eigenvalue 3/4
    np.testing.assert_allclose(system.matrix, [[0.5, 0.25], [0.25, 0.5]])
    assert not any("unstable" in w for w in warnings(freeze()))


def test_an_unstable_linked_pair_is_named_with_its_spectral_radius():
    # c = d = 3/4: J = [[1/2, 3/4], [3/4, 1/2]] has eigenvalues 5/4 (on (1, 1)) and -1/4
    text = freeze(c=0.75, d=0.75)
    system = system_of(scenario(text))
    assert system.radius == pytest.approx(1.25, abs=1e-12)
    assert system.dominant_names == "north_korea.tests and united_states.exercises"
    loaded, problems = validate_text(text, "freeze.yaml")
    (warning,) = [p for p in problems if p.severity == "warning"]
    # line 12 `      tests: {` is 13 characters: the force's mapping starts at column 14
    assert (warning.line, warning.column) == (12, 14)
    assert str(warning).startswith("freeze.yaml:12:14: warning: actors.north_korea.forces.tests: "
                                   "the force dynamics are unstable in discrete time: the "
                                   "spectral radius of I + dt*M over the 2 held force cells "
                                   "is 1.25, above 1, dominated by north_korea.tests and "
                                   "united_states.exercises")


RING = """\
armsim: 1
name: three rivals
forces:
  arms: {label: Arms, max: 100}
actors:
  a: {rivals: [b, c], forces: {arms: {initial: 10, reaction: 0.15, fatigue: 0.2}}}
  b: {rivals: [a, c], forces: {arms: {initial: 10, reaction: 0.15, fatigue: 0.2}}}
  c: {rivals: [a, b], forces: {arms: {initial: 10, reaction: %s, fatigue: 0.2}}}
"""


def test_any_number_of_actors_three_rivals_in_a_ring():
    # J = (1 - m) I + r (ones - I) = 0.8 I + 0.15 (ones - I): eigenvalue 0.8 + 2 * 0.15 = 1.1
    # on (1, 1, 1) and 0.8 - 0.15 = 0.65 twice; each continuous pair is stable (m > r)
    system = system_of(scenario(RING % "0.15"))
    assert system.radius == pytest.approx(1.1, abs=1e-12)
    assert len(system.dominant) == 2
    (text,) = [w for w in warnings(RING % "0.15") if "unstable" in w]
    assert "is 1.1, above 1" in text and "3 held force cells" in text
    # c reacting to nothing: [[.8, .15, .15], [.15, .8, .15], [0, 0, .8]] is block
    # triangular, eigenvalues 0.8 + 0.15, 0.8 - 0.15 (the a-b pair) and 0.8: stable, 0.95
    system = system_of(scenario(RING % "0"))
    assert system.radius == pytest.approx(0.95, abs=1e-12)
    assert system.dominant_names == "a.arms and b.arms"
    assert not any("unstable" in w for w in warnings(RING % "0"))
    # c reacting a little (0.05): with l = 0.8 + s, det(J - l I) = 0 is
    # s^3 - (a^2 + 2ab) s - 2 a^2 b = s^3 - 0.0375 s - 0.00225 = 0 (a = 0.15, b = 0.05),
    # whose largest root is about 0.2186: unstable, though each pair alone is stable
    system = system_of(scenario(RING % "0.05"))
    np.testing.assert_allclose(system.matrix, [[0.8, 0.15, 0.15], [0.15, 0.8, 0.15],
                                               [0.05, 0.05, 0.8]])
    s = max(np.roots([1, 0, -0.0375, -0.00225]).real)
    assert s == pytest.approx(0.2186, abs=1e-4)
    assert system.radius == pytest.approx(0.8 + s, abs=1e-12)
    assert any("is 1.019, above 1" in w for w in warnings(RING % "0.05"))


def arms(actors: str) -> str:
    """One force, arms, held by the actors given (YAML lines under ``actors:``)."""
    return ("armsim: 1\nname: arms alone\nforces:\n  arms: {label: Arms, max: 100}\n"
            f"actors:\n{actors}")


def test_a_lone_cell_that_overshoots_is_named_alone():
    # fatigue 2.5 with dt 1: 1 - 2.5 = -1.5, a force that overshoots 0 by more each round
    text = arms("  a: {forces: {arms: {initial: 10, fatigue: 2.5, grievance: 10}}}\n"
                "  b: {forces: {arms: {initial: 10, fatigue: 0.5}}}\n")
    system = system_of(scenario(text))
    assert system.radius == pytest.approx(1.5) and system.dominant_names == "a.arms"
    assert any("is 1.5, above 1, dominated by a.arms;" in w for w in warnings(text))


def test_a_force_without_fatigue_or_reaction_is_neutral_not_unstable():
    text = arms("  a: {forces: {arms: {initial: 10}}}\n")
    system = system_of(scenario(text))
    assert system.radius == 1.0 and not system.diverges and not system.stable
    assert warnings(text) == []


def test_drawn_reactions_are_checked_at_their_means():
    text = freeze(c="{dist: uniform, low: 0.5, high: 1.0}", d=0.75)
    system = system_of(scenario(text))
    assert system.radius == pytest.approx(1.25, abs=1e-12)      # c at its mean 0.75
    (text_,) = [w for w in warnings(text) if "unstable" in w]
    assert "(the distributions at their means)" in text_


def test_a_linked_reaction_is_a_sweep_factor():
    # c = 1/2 (d = 1/4): det (I - J) = 1/4 - 1/8 = 1/8, y* = (3/2 + 3) / (1/8) = 36,
    # e* = (3/4 + 3) / (1/8) = 30; J's radius 1/2 + sqrt(1/8) = 0.854, so 250 rounds settle
    from armsim.compile import drawn_paths
    from armsim.experiments import sweep

    path = "actors.north_korea.forces.tests.reacts_to.exercises"
    loaded = scenario(freeze(rounds=250))
    assert path in drawn_paths(loaded)
    data = sweep(loaded, {path: [0.25, 0.5]}, runs=1, workers=1)
    np.testing.assert_allclose(data["final_force.north_korea.tests"].values[:, 0], [16, 36],
                               rtol=1e-12)
    np.testing.assert_allclose(data["final_force.united_states.exercises"].values[:, 0],
                               [20, 30], rtol=1e-12)
