"""``armsim explain``: the story of one run says what the engine did, in words.

The story of a bundled scenario must agree with the batch's outputs for that run
(the numbers in runs.csv). On tiny scenarios written inline, each fact the
narrative must state is derived here by hand from the scenario: red lines, the
time-dependent concession formula, the Nash bargaining solution, the compliance
strategies and the trust rule (MODEL.md sections 2 and 3).
"""

from __future__ import annotations

import math
import re
import textwrap

import numpy as np
import pytest
from helpers import SCENARIOS, armsim_cli, scenario

import armsim
from armsim.explain import Story, story
from armsim.scenario import Scenario

def said(s: Story, round_: int) -> str:
    """Everything the story says about one round, as one text."""
    return "\n".join(text for r, text in s.lines() if r == round_)


def first_number(text: str) -> float:
    return float(re.search(r"-?\d+(?:\.\d+)?", text).group())


# -- the story of a bundled scenario agrees with runs.csv -----------------------------

@pytest.mark.parametrize("file, seed, run", [
    ("geneva_2022.yaml", None, 1),                 # no agreement; a crisis in the aftermath
    ("geneva_2022_no_linkage.yaml", None, 0),      # three agreements kept
    ("geneva_2022_no_linkage.yaml", None, 4),      # agreements that collapse
    ("geneva_2022_no_linkage.yaml", None, 11),     # agreements, then a crisis
    ("geneva_2022_no_linkage.yaml", 7, 2),
    ("geneva_2022_package.yaml", 3, 0),
])
def test_the_story_matches_the_batch_for_that_run(file, seed, run):
    path = SCENARIOS / file
    results = armsim.run(path, runs=run + 1, seed=seed)
    expected = {key: values[run] for key, values in results.outputs.items()}
    s = story(path, seed=seed, run=run)
    text = s.text()
    loaded = armsim.load_scenario(path)

    # the replay is the run itself: every output equal, bit for bit
    assert set(s.outputs) == set(expected)
    for key, value in expected.items():
        assert np.array_equal(np.asarray(s.outputs[key]), value, equal_nan=True), key

    # the agreement round it states, and the round it tells of the first AGREED
    first = int(expected["agreement_round"])
    agreed_rounds = [r for r, line in s.lines() if line.startswith("AGREED: ")]
    if first >= 0:
        assert f"First agreement in round {first}." in text
        assert min(agreed_rounds) == first
    else:
        assert "No agreement was reached." in text and not agreed_rounds

    # each agreed level it states, with the issue's label and unit
    for name, issue in loaded.issues.items():
        level = expected[f"agreed.{name}"]
        lines = [line for _, line in s.lines() if line.startswith(f"AGREED: {issue.label} at ")]
        if math.isnan(level):
            assert not lines
            continue
        assert len(lines) == 1
        stated = lines[0][len(f"AGREED: {issue.label} at "):]
        assert first_number(stated) == pytest.approx(level, rel=1e-3, abs=1e-9)
        assert issue.unit in stated

    # the crisis round, stated and told
    crisis = int(expected["crisis_round"])
    crisis_rounds = [r for r, line in s.lines() if line.startswith("CRISIS:")]
    if crisis >= 0:
        assert f"A crisis broke out in round {crisis}." in text
        assert crisis_rounds == [crisis]
    else:
        assert "No crisis broke out." in text and not crisis_rounds

    # the final tension, to the two decimals it shows
    stated = float(re.search(r"Final tension (\d\.\d\d)", text).group(1))
    assert abs(stated - expected["final_tension"]) <= 0.005 + 1e-12


def test_the_story_uses_labels_venues_and_dates():
    text = story(SCENARIOS / "geneva_2022_no_linkage.yaml", run=0).text()
    assert "Geneva (US-Russia Strategic Stability Dialogue), 2022-01-10" in text
    assert "Brussels (NATO-Russia Council), 2022-01-12" in text
    assert "The United States proposed" in text and "Russia proposed" in text
    assert "united_states" not in text and "missile_deployments" not in text


def test_overrides_and_seed_reach_the_replay():
    path = SCENARIOS / "geneva_2022_no_linkage.yaml"
    over = {"environment.verification": 1.0}
    s = story(path, seed=11, run=3, overrides=over)
    results = armsim.run(path, runs=4, seed=11, overrides=over)
    assert s.outputs["final_tension"] == results.outputs["final_tension"][3]
    assert "the story of run 3 (seed 11)" in s.text()
    assert "detected with probability 1.00" in s.text()


# -- hand-worked talks ------------------------------------------------------------------

TWO = """
armsim: 1
name: Two states
issues:
  ceiling: {{label: Missile ceiling, unit: launchers, range: [0, 10]}}
actors:
  east: {{label: East, preferences: {{ceiling: {east}}}, strategy: {east_strategy},
         reservation: 0.2}}
  west: {{label: West, preferences: {{ceiling: {west}}}, strategy: linear, reservation: 0.3}}
sessions:
  - {{venue: Geneva, date: 1985-03-12, participants: [{order}], agenda: [ceiling],
     rounds: {rounds}}}
"""


def two(east="{ideal: 0}", west="{ideal: 10}", east_strategy="linear", order="east, west",
        rounds=2) -> Scenario:
    return scenario(TWO.format(east=east, west=west, east_strategy=east_strategy, order=order,
                               rounds=rounds))


def test_an_agreement_at_the_level_worked_out_by_hand():
    # Linear concession, aspiration 1 - (1 - r) * tau, tau = k / (rounds - 1).
    # Round 0: East asks aspiration 1, its ideal 0. West's threshold is what it would
    # ask next, aspiration(tau=1) = r_west = 0.3; 0 is worth 1 - |0 - 10| / 10 = 0 to it.
    # Round 1: West asks 0.3: level x with 1 - |x - 10| / 10 = 0.3, so x = 3. East gets
    # 1 - 3/10 = 0.7 >= its threshold r_east = 0.2: agreed at 3 launchers in round 1.
    s = story(two())
    round0, round1 = said(s, 0), said(s, 1)
    assert "East proposed" in round0
    assert ("Missile ceiling at 0 launchers. West refused: worth 0.00 to it, below its "
            "reservation, 0.30 (it wants 10 launchers).") in round0
    assert "AGREED" not in round0
    assert "West proposed" in round1
    agreed = re.search(r"AGREED: Missile ceiling at (\S+) launchers, binding East and West "
                       r"from round 2\.", round1)
    assert agreed and float(agreed.group(1)) == pytest.approx(3.0)
    assert "First agreement in round 1." in s.text()
    assert "Geneva, 1985-03-12: East and West meet for 2 rounds" in s.text()


def test_a_hardliner_refuses_anything_below_its_ideal():
    # West (linear) opens at its ideal 10, worth 1 - 10/10 = 0 to East; a hardliner
    # accepts only its own ideal, 0 (its threshold is 1 - 1e-9, printed 1.00).
    s = story(two(east_strategy="hardliner", order="west, east", rounds=1))
    assert ("Missile ceiling at 10 launchers (status quo: no limit). East refused: worth 0.00 "
            "to it, below the 1.00 it would accept now (it wants 0 launchers).") in said(s, 0)
    assert "No agreement was reached." in s.text()


def test_a_refusal_at_a_red_line():
    # East accepts at most 4, West at least 6: no common level. West's offer stays
    # within its own red line, at its ideal 8, which crosses East's; 8 is worth
    # 1 - |8 - 2| / 10 = 0.4 to East.
    s = story(two(east="{ideal: 2, red_line: {max: 4}}", west="{ideal: 8, red_line: {min: 6}}",
                  order="west, east", rounds=1))
    assert "The red lines leave no common level on Missile ceiling" in s.text()
    assert ("Missile ceiling at 8 launchers. East refused: the offer is worth 0.40 to it, but "
            "crosses its red line (at most 4 launchers).") in said(s, 0)


def test_a_refusal_at_a_non_negotiable_issue():
    # non_negotiable: East accepts only the status quo, 10 (no limit), its ideal; West
    # offers its own ideal 0, worth 1 - 10/10 = 0 to East.
    s = story(two(east="{non_negotiable: true}", west="{ideal: 0, red_line: {max: 5}}",
                  order="west, east", rounds=1))
    assert ("East refused: the offer is worth 0.00 to it, but crosses its red line (only the "
            "status quo, 10 launchers)" in said(s, 0))


LINKED = """
armsim: 1
name: Linkage
issues:
  expansion: {{label: No further expansion, unit: open-door index, range: [0, 1]}}
  exercises: {{label: Exercise limits, unit: thousand troops, range: [0, 100]}}
actors:
  east:
    label: East
    preferences:
      expansion: {{ideal: 0, red_line: {{max: 0.2}}}}
      exercises: {{ideal: 40}}
    insists: [{insists}]
  west:
    label: West
    preferences:
      expansion: {{ideal: 1, red_line: {{min: 0.9}}}}
      exercises: {{ideal: 40}}
sessions:
  - {{venue: Vienna, participants: [west, east], agenda: [expansion, exercises], rounds: 1,
     package: {package}}}
"""


def test_a_refusal_for_linkage():
    # Both want exercises at 40, so West offers 40; East would take it but insists on
    # expansion, where red lines leave no common level ([0.9, 0.2] is empty). 40 is worth
    # 1 to East; in a one-round session a linear responder needs alpha(1) = r = 0. West
    # offers expansion at its ideal 1, worth 1 - |1 - 0| / 1 = 0 to East.
    s = story(scenario(LINKED.format(insists="expansion", package="false")))
    round0 = said(s, 0)
    assert ("Exercise limits at 40 thousand troops. East refused: linkage, it insists on "
            "No further expansion first (the offer is worth 1.00 to it; it needs its "
            "reservation, 0.00).") in round0
    assert ("No further expansion at open-door index 1 (status quo: no limit). East refused: "
            "the offer is worth 0.00 to it, but crosses its red line (at most open-door index "
            "0.2).") in round0
    assert "East insists on No further expansion: without it, it accepts nothing." in s.text()
    assert "AGREED" not in s.text()


def test_without_linkage_the_same_offer_is_agreed():
    s = story(scenario(LINKED.format(insists="", package="false")))
    assert ("AGREED: Exercise limits at 40 thousand troops, binding East and West from "
            "round 1.") in said(s, 0)


def test_a_package_falls_whole_at_one_red_line():
    s = story(scenario(LINKED.format(insists="", package="true")))
    round0 = said(s, 0)
    assert "West proposed, a package (all or nothing):" in round0
    # the package (expansion 1, exercises 40) is worth (0 + 1) / 2 = 0.5 to East
    assert ("East refused the package: it crosses its red line on No further expansion "
            "(at most open-door index 0.2); as a whole it is worth 0.50 to it.") in round0
    assert "AGREED" not in s.text()


MEDIATED = """
armsim: 1
name: Mediation
issues:
  ceiling: {label: Missile ceiling, unit: launchers, range: [0, 10]}
actors:
  east: {label: East, preferences: {ceiling: {ideal: 0}}, reservation: 0}
  west: {label: West, preferences: {ceiling: {ideal: 10}}, reservation: 0}
sessions:
  - {venue: Geneva, participants: [east, west], agenda: [ceiling], rounds: 1,
     protocol: mediated}
"""


def test_a_mediator_proposes_the_nash_bargaining_solution():
    # Nash product with reservations 0: (1 - x/10) * (x/10), maximal at x = 5.
    s = story(scenario(MEDIATED))
    round0 = said(s, 0)
    assert "The mediator proposed the Nash bargaining solution" in round0
    agreed = re.search(r"AGREED: Missile ceiling at (\S+) launchers", round0)
    assert agreed and float(agreed.group(1)) == pytest.approx(5.0)


# -- hand-worked compliance -------------------------------------------------------------

CHEAT = """
armsim: 1
name: Cheating
aftermath: {aftermath}
issues:
  ceiling: {{label: Missile ceiling, unit: launchers, range: [0, 10]}}
actors:
  east: {{label: East, preferences: {{ceiling: {{ideal: 5}}}}, compliance: {east}}}
  west: {{label: West, preferences: {{ceiling: {{ideal: 5}}}}, compliance: always_comply}}
sessions:
  - {{venue: Geneva, participants: [east, west], agenda: [ceiling], rounds: 1}}
environment: {{verification: 1, tolerance: {tolerance}}}
"""


def test_a_detected_defection_and_a_collapse_at_tolerance():
    # Both want 5: agreed at once in round 0. From round 1 East always defects and,
    # with verification 1, is always detected; West's trust in East falls by the loss
    # rate 0.3 from 0.5 to 0.35, then to 0.245. The second detection reaches the
    # tolerance of 2: the agreement collapses in round 2, not before.
    s = story(scenario(CHEAT.format(aftermath=3, east="always_defect", tolerance=2)))
    assert "AGREED: Missile ceiling at 5 launchers" in said(s, 0)
    round1, round2 = said(s, 1), said(s, 2)
    assert "Compliance: West complied; East defected and was detected." in round1
    assert ("East's defection was detected: West's trust in East fell from 0.50 to 0.35. "
            "Detected defections so far: 1 (an agreement collapses at 2).") in round1
    assert "COLLAPSED" not in round1
    assert "West's trust in East fell from 0.35 to 0.24" in round2   # 0.245 shown as 0.24
    assert ("COLLAPSED: the agreement on Missile ceiling at 5 launchers (agreed in round 0): "
            "detected defections reached the tolerance of 2.") in round2
    assert "Round 3: no agreement in force" in said(s, 3)
    assert "Collapsed: Missile ceiling at 5 launchers (agreed in round 0)." in s.text()
    assert s.outputs["collapsed"] is True
    assert s.outputs["compliance_rate.east"] == 0.0


def test_quiet_rounds_are_summed_up_in_one_line():
    # Both always comply: after the agreement of round 0, rounds 1-10 are all alike.
    s = story(scenario(CHEAT.format(aftermath=10, east="always_comply", tolerance="null")))
    quiet = [e for e in s.events if e.kind == "quiet"]
    assert [(e.round, e.last) for e in quiet] == [(1, 10)]
    assert quiet[0].text.startswith("Rounds 1-10: East and West kept their commitments; "
                                    "tension ")
    assert not any(text.startswith("Round 5") for _, text in s.lines())


# -- the command --------------------------------------------------------------------------

def test_the_command_prints_the_story(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(textwrap.dedent(CHEAT.format(aftermath=3, east="always_defect",
                                                 tolerance=2)))
    done = armsim_cli("explain", path, "--seed", 3, "--run", 1)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Cheating: the story of run 1 (seed 3)\n")
    assert "Round 0: Geneva, meeting 1 of 1" in done.stdout
    assert "How it ended, after round 3:" in done.stdout


def test_the_command_takes_overrides(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(textwrap.dedent(CHEAT.format(aftermath=3, east="always_defect",
                                                 tolerance=2)))
    done = armsim_cli("explain", path, "--set", "environment.tolerance=1")
    assert done.returncode == 0, done.stderr
    assert "COLLAPSED" in done.stdout and "tolerance of 1." in done.stdout


def test_the_command_on_a_bad_file_exits_2_with_located_errors(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("armsim: 1\nname: t\nactors:\n  a: {patience: 1.5}\n")
    done = armsim_cli("explain", path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"{path}:4:17: actors.a.patience: 1.5 is outside (0, 1]" in done.stderr
    assert "nothing was run" in done.stderr


def test_the_command_on_a_missing_file_or_a_bad_run_exits_2(tmp_path):
    missing = armsim_cli("explain", tmp_path / "missing.yaml")
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
    negative = armsim_cli("explain", SCENARIOS / "geneva_2022.yaml", "--run", -1)
    assert negative.returncode == 2


PINNED = """
armsim: 1
name: Pinned
issues:
  cap: {label: Missile ceiling, unit: launchers, range: [0, 100]}
actors:
  west:
    label: West
    preferences: {cap: {ideal: 0, red_line: {max: 60}}}
    strategy: {type: tit_for_tat, opening: 0.05}
    reservation: 0.3
  east:
    label: East
    preferences: {cap: {ideal: 100}}
    strategy: hardliner
sessions:
  - {venue: Geneva, participants: [west, east], agenda: [cap], rounds: 10}
"""


def test_a_deadlock_is_told_with_the_gesture_and_the_end():
    # tests/strategies/test_deadlock.py's table: East's offer is pinned at 60 (worth 0.4 to
    # West, who asks 0.95); nobody moves in rounds 2 and 3, so a deadlock is declared in
    # round 3 and West's restart gesture takes it to 0.90; again in rounds 5 and 6, and
    # the session ends there with rounds 7, 8 and 9 not held.
    s = story(scenario(PINNED))
    assert ("Missile ceiling at 60 launchers. West refused: worth 0.40 to it, below the 0.95 "
            "it would accept now (it wants 0 launchers).") in said(s, 1)
    assert ("DEADLOCK: for 2 rounds nobody moved: no offer changed and nobody would accept "
            "less. West breaks it with a restart gesture, a concession of its opening size: it "
            "now asks 0.90 (was 0.95).") in said(s, 3)
    assert ("No one's rule has anything more to give: the talks at Geneva end here as a "
            "deadlock; 3 of its rounds are not held.") in said(s, 6)
    assert "Rounds 7-9: the talks at Geneva ended in deadlock;" in s.text()
    assert "The talks at Geneva ended as a deadlock in round 6." in s.text()
    assert s.outputs["deadlock"] is True and s.outputs["deadlock_round"] == 6


# -- issue 13: forces and talks as treaties write them ----------------------------------

TREATY_FORCES = """\
armsim: 1
name: Centrifuges and sanctions
aftermath: 2
forces:
  centrifuges: {label: Operating centrifuges, unit: centrifuges, max: 20000, noise: 200}
  sanctions: {label: Sanctions, unit: index points, max: 100}
issues:
  centrifuge_cap: {label: Centrifuge cap, unit: centrifuges, range: [0, 20000],
                   caps: centrifuges, whole: true}
actors:
  iran:
    label: Iran
    rivals: [p5_plus_1]
    forces:
      centrifuges: {initial: 19000, fatigue: 0.1, grievance: 1000,
                    reacts_to: {sanctions: 5}}
    preferences:
      centrifuge_cap: {ideal: 10000, one_sided: more}
  p5_plus_1:
    label: P5+1
    rivals: [iran]
    forces:
      sanctions: {initial: 80, fatigue: 0.5, grievance: 10}
    preferences:
      centrifuge_cap: {ideal: 5060}
sessions:
  - {venue: Vienna, participants: [iran, p5_plus_1], agenda: [centrifuge_cap], rounds: 2}
"""


def test_the_story_tells_linked_forces_noise_whole_levels_and_one_sided_preferences():
    s = story(scenario(TREATY_FORCES)).text()
    assert ("Centrifuge cap: 0 to 20000 centrifuges, 20000 being the status quo (no limit); "
            "reciprocal: it binds every side alike; levels are whole numbers.") in s
    # a force reacting to another, and the whole map's stability: J = [[0.9, 5], [0, 0.5]]
    # is triangular, its eigenvalues the diagonal 0.9 and 0.5
    assert ("Iran's Operating centrifuges react to P5+1's Sanctions, with reaction 5 "
            "(in centrifuges, per index points, each round).") in s
    assert ("Taken together, a round's step is one linear map over the 2 force levels, with "
            "spectral radius 0.9: stable") in s
    assert ("forces take a random shock each round (sd Operating centrifuges 200 "
            "centrifuges)") in s
    assert ("Iran: in talks, conceding at an even pace (linear); once bound, complying, but "
            "answering a detected defection with one (tit for tat); counts any level of "
            "Centrifuge cap at or above 10000 centrifuges as good as 10000 centrifuges (more "
            "room is never worse)") in s


def test_show_prints_noise_links_the_dynamics_whole_levels_and_one_sided():
    from armsim.scenario.describe import describe

    text = describe(scenario(TREATY_FORCES))
    assert ("  centrifuges: Operating centrifuges [centrifuges, max 20000, noise sd 200]: "
            "iran 19000") in text
    assert "    iran reacts to its rivals' sanctions: 5 a round per unit" in text
    assert ("  dynamics: spectral radius of I + dt*M over 2 held cells 0.9 (stable: forces "
            "settle), dominated by iran.centrifuges") in text
    assert "[0, 20000 centrifuges], whole numbers, binds all" in text
    assert "one-sided: any level above the ideal is as good" in text
