"""Numbers too large to simulate: seeds beyond the 64-bit generator, runs too long to end.

Each is refused with a located message (exit 2 on the command line), never an
OverflowError or a run that cannot finish.
"""

from __future__ import annotations

import numpy as np
import pytest
from scenario_helpers import BASE, armsim_cli, check, the_error

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
