"""Numbers too large to simulate: seeds beyond the 64-bit generator, runs too long to end.

Each is refused with a located message (exit 2 on the command line), never an
OverflowError or a run that cannot finish.
"""

from __future__ import annotations

import numpy as np
import pytest
from scenario_helpers import BASE, check, the_error, where, write
from helpers import armsim_cli

import armsim
from armsim.explain import story
from armsim.scenario import load_scenario
from armsim.scenario.schema import MAX_ROUNDS, MAX_SEED

LARGEST_KEY = int(np.iinfo(np.uint64).max)  # a run's key is a 64-bit word


def test_the_largest_seed_is_the_largest_64_bit_key():
    assert MAX_SEED == LARGEST_KEY


def test_a_seed_beyond_64_bits_is_refused_with_the_exact_bound():
    problem = the_error(BASE.replace("seed: 7", f"seed: {LARGEST_KEY + 1}"))
    assert problem.path == ("seed",) and problem.line == 3
    assert str(LARGEST_KEY) in problem.message and str(LARGEST_KEY + 1) in problem.message


def test_the_largest_seed_runs(base_file):
    results = armsim.run(base_file, runs=2, seed=LARGEST_KEY)
    assert results.seed == LARGEST_KEY and len(results) == 2


@pytest.mark.parametrize("seed", [-1, LARGEST_KEY + 1, 2.0, True, "3"])
def test_the_api_refuses_a_seed_it_cannot_key(base_file, seed):
    with pytest.raises(ValueError, match="whole number from 0 to"):
        armsim.run(base_file, runs=2, seed=seed)
    with pytest.raises(ValueError, match="whole number from 0 to"):
        story(base_file, seed=seed)


@pytest.mark.parametrize("runs", [2.5, 0, -3, True, "10"])
def test_the_api_refuses_runs_that_are_not_a_positive_whole_number(base_file, runs):
    with pytest.raises(ValueError, match="runs is a whole number"):
        armsim.run(base_file, runs=runs)


@pytest.mark.parametrize("command", ["run", "explain"])
def test_the_command_line_refuses_a_seed_beyond_64_bits(base_file, tmp_path, command):
    extra = ["--out", tmp_path / "out"] if command == "run" else []
    done = armsim_cli(command, base_file, "--seed", LARGEST_KEY + 1, *extra)
    assert done.returncode == 2
    assert done.stderr.startswith("--seed: the seed is a whole number from 0 to "
                                  f"{LARGEST_KEY}")
    assert not (tmp_path / "out").exists()


def test_a_session_longer_than_the_limit_is_refused():
    text = BASE.replace("rounds: 6", f"rounds: {10 ** 23}")
    problem = the_error(text)
    assert problem.path == ("sessions", 0, "rounds")
    assert str(MAX_ROUNDS) in problem.message


def test_sessions_and_aftermath_together_may_not_exceed_the_limit():
    sessions = 6  # BASE's one session
    at_limit = BASE.replace("aftermath: 3", f"aftermath: {MAX_ROUNDS - sessions}")
    scenario, problems = check(at_limit)
    assert scenario is not None and scenario.rounds == MAX_ROUNDS
    problem = the_error(BASE.replace("aftermath: 3", f"aftermath: {MAX_ROUNDS - sessions + 1}"))
    assert problem.path == ("aftermath",) and problem.line == 5
    assert f"{MAX_ROUNDS + 1:,}" in problem.message


def test_an_endless_aftermath_set_on_the_command_line_exits_2(base_file, tmp_path):
    done = armsim_cli("run", base_file, "--set", f"aftermath={10 ** 11}", "--runs", 2,
                      "--out", tmp_path / "out")
    assert done.returncode == 2
    assert done.stderr.startswith("--set aftermath:")


def test_with_seed_keeps_the_scenario_and_its_file(base_file):
    scenario = load_scenario(base_file)
    reseeded = scenario.with_seed(LARGEST_KEY)
    assert reseeded.seed == LARGEST_KEY and reseeded.path == scenario.path
    assert reseeded.model_copy(update={"seed": scenario.seed}) == scenario
    assert scenario.with_seed(None) is scenario


# --- the bound on every number: 1e15 in size ------------------------------------------

TOO_LARGE = ("is too large: a number in a scenario lies between -1e15 and 1e15, which keeps "
             "everything a run computes finite")

SMALL = """
    armsim: 1
    name: t
    issues:
      d: {label: D, range: [0, 10]}
    actors:
      a: {preferences: {d: {ideal: 2}}}
      b:
        forces: {m: {grievance: 1}}
        preferences: {d: {ideal: 8}}
    forces:
      m: {label: M, max: 10}
    sessions:
      - {venue: G, participants: [a, b], agenda: [d], rounds: 2}
    environment:
      noise: 0
      tolerance: 2
      payoffs: {R: 3, S: 0, T: 5, P: 1}
    """


@pytest.mark.parametrize(("old", "new", "line", "column", "shown"), [
    # line 15 `  noise: ` is 9 characters
    ("noise: 0", "noise: 1e308", 15, 10, "1e+308"),
    # line 8 `    forces: {m: {grievance: ` is 4 + 8 + 4 + 12 = 28 characters
    ("grievance: 1}", "grievance: -1e308}", 8, 29, "-1e+308"),
    # line 17 `  payoffs: {R: ` is 2 + 9 + 4 = 15 characters
    ("{R: 3,", "{R: 1e308,", 17, 16, "1e+308"),
    # line 4 `  d: {label: D, range: [` is 5 + 10 + 9 = 24 characters
    ("range: [0, 10]", "range: [-1e308, 1e308]", 4, 25, "-1e+308"),
    # a 401-digit whole number: line 6 `  a: {preferences: {d: {ideal: ` is 5 + 14 + 4 + 8 = 31
    ("ideal: 2}", f"ideal: {10 ** 400}}}", 6, 32, "a whole number of 401 digits"),
    # line 16 `  tolerance: ` is 13 characters; 1e30 is a whole number, told as written
    ("tolerance: 2", "tolerance: 1e30", 16, 14, "1e+30"),
])
def test_a_number_beyond_1e15_is_refused_where_it_is(old, new, line, column, shown):
    assert old in SMALL
    found = [where(p) for p in check(SMALL.replace(old, new))[1] if p.severity == "error"]
    assert found[0] == (line, column, f"{shown} {TOO_LARGE}")
    # the range's other end is refused too, at its own place (`-1e308, ` is 8 more)
    assert found[1:] == ([(4, 33, f"1e+308 {TOO_LARGE}")] if "range" in old else [])


def test_the_bound_is_inclusive_and_a_span_of_twice_it_is_fine():
    text = SMALL.replace("range: [0, 10]", "range: [-1e15, 1e15]").replace(
        "grievance: 1", "grievance: -1e15")
    scenario, problems = check(text)
    assert problems == [] and scenario.issues["d"].hi - scenario.issues["d"].lo == 2e15
    assert check(SMALL.replace("noise: 0", "noise: 1.000001e15"))[0] is None


def test_a_distribution_s_parameters_are_bounded_too():
    # a distribution's problems are told at the distribution: line 15, after `  noise: `
    problem = the_error(SMALL.replace("noise: 0", "noise: {dist: uniform, low: 0, high: 1e16}"))
    assert where(problem) == (15, 10, f"bad distribution: high: 1e+16 {TOO_LARGE}")
    # a normal may still leave a side open with .inf: that is no truncation, not a number
    scenario, problems = check(SMALL.replace(
        "grievance: 1", "grievance: {dist: normal, mean: 0, sd: 1, low: -.inf, high: .inf}"))
    assert problems == []


def test_a_whole_number_python_cannot_even_read_is_refused_at_its_place():
    # beyond 4300 digits Python refuses to convert the text; `  a: {preferences: {d: {ideal: `
    # is 31 characters, as above
    problem = the_error(SMALL.replace("ideal: 2}", "ideal: 1" + "0" * 5000 + "}"))
    assert where(problem) == (6, 32, "this whole number has 5,001 digits: far too large (a "
                                     "number in a scenario lies between -1e15 and 1e15)")


def test_a_401_digit_number_is_one_invalid_file_among_several(base_file, tmp_path):
    bad = write(tmp_path, BASE.replace("ideal: 200", f"ideal: {10 ** 400}"), "bad.yaml")
    done = armsim_cli("validate", bad, base_file)
    assert done.returncode == 2
    # line 43 `      deployments: {ideal: ` is 6 + 14 + 8 = 27 characters
    assert done.stderr.splitlines() == [
        f"{bad}:43:28: actors.russia.preferences.deployments.ideal: a whole number of 401 "
        f"digits {TOO_LARGE}", "1 of 2 files invalid"]
    assert done.stdout == f"{base_file}: valid\n"


def test_numbers_at_the_bound_run_and_draw_their_figures(tmp_path):
    """Every number as large as allowed: the run's numbers stay finite, the figures draw."""
    path = write(tmp_path, """
        armsim: 1
        name: at the bound
        dt: 1e15
        forces:
          m: {label: M, max: 1e15}
        issues:
          d: {label: D, range: [-1e15, 1e15], caps: m}
        actors:
          a:
            rivals: [b]
            forces: {m: {initial: 1e15, reaction: 1e15, fatigue: 1e15, grievance: 1e15}}
            preferences: {d: {ideal: -1e15, weight: 1e15}}
          b:
            rivals: [a]
            forces: {m: {initial: 0, reaction: 1e15, grievance: -1e15}}
            preferences: {d: {ideal: 1e15, weight: 1e15}}
        sessions:
          - {venue: G, participants: [a, b], agenda: [d], rounds: 3}
        aftermath: 5
        environment:
          noise: 1e15
          payoffs: {R: 5e14, S: -1e15, T: 1e15, P: 1e14}
        """)
    out = tmp_path / "out"
    done = armsim_cli("run", path, "--runs", 3, "--out", out)
    assert done.returncode == 0, done.stderr
    assert {"runs.csv", "outcomes.png", "forces.png"} <= {p.name for p in out.iterdir()}
    import pandas as pd

    runs = pd.read_csv(out / "runs.csv")
    measured = runs.drop(columns=[c for c in runs if c.startswith("agreed.")])
    assert np.isfinite(measured.select_dtypes("number").to_numpy()).all()


@pytest.mark.parametrize("key", ["runs", "environment.tolerance"])
def test_a_count_of_hundreds_of_digits_is_too_large_not_a_crash(key):
    # found by the property tests: a whole number too large to become a float
    scenario, problems = check(BASE, overrides={key: 10 ** 320})
    assert scenario is None
    assert [(p.file, p.message) for p in problems] == [
        (f"--set {key}", f"a whole number of 321 digits {TOO_LARGE}")]
