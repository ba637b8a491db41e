"""Run r of seed s is the same whatever batch, chunk or process computes it.

MODEL.md section 4: every draw is a pure function of (seed, run, round, actor,
purpose), so outputs and trajectories must agree bit for bit (NaN positions
included) across chunk sizes, a run computed alone, and one or two worker
processes, on a scenario that draws distributions, force noise, compliance noise,
stochastic compliance, detection and crises.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from core_helpers import assert_identical
from helpers import scenario

import armsim
from armsim.batch import concat, iter_batch, run_batch, run_chunk
from armsim.compile import build_spec

UNCERTAIN = """\
armsim: 1
name: Everything random
seed: 17
dt: 1
aftermath: 25
forces:
  missiles: {label: Missiles, max: 400}
  troops: {label: Troops, max: 200}
issues:
  deployments: {label: Missile limits, range: [0, 400], caps: missiles, binds: all}
  exercises: {label: Exercise limits, range: [0, 200], caps: troops, binds: all}
  expansion: {label: No expansion, range: [0, 1], binds: [west]}
actors:
  west:
    bloc: nato
    rivals: [east]
    forces:
      missiles: {initial: {dist: uniform, low: 50, high: 150}, reaction: 0.2, fatigue: 0.1,
                 grievance: {dist: normal, mean: 2, sd: 1}}
      troops: {initial: 60, reaction: {dist: triangular, low: 0, mode: 0.1, high: 0.3},
               fatigue: 0.2, grievance: 3}
    preferences:
      deployments: {ideal: 0, weight: {dist: beta, a: 2, b: 2}, red_line: {max: 300}}
      exercises: {ideal: 20, weight: 0.5}
      expansion: {ideal: 1, weight: 1, red_line: {min: 0.4}}
    strategy: {type: tit_for_tat, reciprocity: {dist: uniform, low: 0.8, high: 1.2}}
    compliance: {type: conditional}
    patience: {dist: uniform, low: 0.9, high: 0.99}
    reservation: {dist: uniform, low: 0.1, high: 0.4}
    trust: {dist: beta, a: 2, b: 5}
  east:
    rivals: [west, south]
    forces:
      missiles: {initial: 100, reaction: 0.3, fatigue: 0.1, grievance: 5}
      troops: {initial: {dist: uniform, low: 0, high: 200}, reaction: 0.2, fatigue: 0.15}
    preferences:
      deployments: {ideal: 200, weight: 0.5}
      exercises: {ideal: 100, weight: 1}
      expansion: {ideal: 0, weight: 2, red_line: {max: 0.7}}
    strategy: boulware
    compliance: {type: random, p: {dist: uniform, low: 0.5, high: 0.95}}
    reservation: 0.2
  south:
    rivals: [east]
    forces:
      troops: {initial: 10, reaction: 0.1, fatigue: 0.3, grievance: 1}
    preferences:
      exercises: {ideal: 50}
      deployments: {ideal: 100}
    strategy: {type: grit, step: 0.1, wait: 2}
    compliance: {type: generous_tit_for_tat}
    reservation: {dist: uniform, low: 0, high: 0.5}
sessions:
  - {venue: Geneva, participants: [west, east], agenda: [deployments, expansion], rounds: 4}
  - {venue: Vienna, participants: [east, west, south], agenda: [exercises, deployments],
     rounds: 3, protocol: mediated}
environment:
  verification: {dist: uniform, low: 0.5, high: 1}
  tolerance: 3
  noise: {dist: uniform, low: 0, high: 5}
  compliance_noise: {dist: uniform, low: 0, high: 0.2}
  crisis: {hazard: {dist: uniform, low: 0, high: 0.05}, exponent: 2}
"""

RUNS = 40


@pytest.fixture(scope="module")
def uncertain():
    return scenario(UNCERTAIN)


@pytest.fixture(scope="module")
def whole(uncertain):
    """All runs in one chunk, in this process: the reference."""
    return run_batch(uncertain, RUNS, chunk=4096, workers=1, trajectories=True)


def test_the_scenario_exercises_the_randomness(whole):
    """Guard against a vacuous test: runs differ, and all the stochastic parts act."""
    assert np.unique(whole["mean_tension"]).size == RUNS
    assert np.unique(whole["trace.forces"][:, 0]).size > RUNS      # force noise from round 0
    assert 0 < whole["crisis"].sum() < RUNS
    assert whole["agreement"].any()
    actions = whole["trace.action"]
    assert (actions == 0).any() and (actions == 1).any()
    assert np.isnan(whole["agreed.expansion"]).any()
    rates = whole["compliance_rate.east"]
    assert np.unique(rates[np.isfinite(rates)]).size > 5


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_chunk_size_does_not_matter(uncertain, whole, chunk):
    assert_identical(whole, run_batch(uncertain, RUNS, chunk=chunk, workers=1,
                                      trajectories=True))


@pytest.mark.parametrize("r", [0, 17, RUNS - 1])
def test_a_run_alone_is_the_run_in_the_batch(uncertain, whole, r):
    assert_identical(whole, run_chunk(uncertain, np.array([r]), trajectories=True),
                     rows=slice(r, r + 1))


def test_any_subset_in_any_order(uncertain, whole):
    rows = np.array([33, 5, 17, 39, 0])
    assert_identical(whole, run_chunk(uncertain, rows, trajectories=True), rows=rows)


def test_a_later_start_gives_the_same_runs(uncertain, whole):
    tail = concat(list(iter_batch(uncertain, RUNS - 20, start=20, chunk=9, workers=1,
                                  trajectories=True)))
    assert_identical(whole, tail, rows=slice(20, RUNS))


def test_a_scenario_is_compiled_once_and_sharing_changes_nothing(uncertain, whole):
    """A scenario's structure (Spec) is made once per scenario object and shared by every
    batch of it; another seed makes another scenario, with a structure of its own; a
    fresh copy of the scenario, compiled anew, gives the same bits; and the structure
    kept does not keep its scenario alive."""
    assert build_spec(uncertain) is build_spec(uncertain)
    reseeded = uncertain.with_seed(18)
    assert (build_spec(reseeded).seed, build_spec(uncertain).seed) == (18, 17)
    fresh = scenario(UNCERTAIN)
    assert build_spec(fresh) is not build_spec(uncertain)
    assert_identical(whole, run_batch(fresh, RUNS, chunk=4096, workers=1, trajectories=True))
    gone = weakref.ref(fresh)
    del fresh
    gc.collect()
    assert gone() is None


def test_two_worker_processes_give_the_same_bits(uncertain, whole):
    assert_identical(whole, run_batch(uncertain, RUNS, chunk=7, workers=2, trajectories=True))


def test_outputs_without_trajectories_are_the_same(uncertain, whole):
    plain = run_batch(uncertain, RUNS, chunk=13, workers=1)
    assert_identical({k: v for k, v in whole.items() if not k.startswith("trace.")}, plain)


def test_the_python_api_gives_the_same_runs(uncertain, whole):
    results = armsim.run(uncertain, runs=RUNS, chunk=11, trajectories=True)
    assert_identical({k: v for k, v in whole.items() if not k.startswith("trace.")},
                     results.outputs)
    assert_identical({k.removeprefix("trace."): v for k, v in whole.items()
                      if k.startswith("trace.")}, results.trajectories)


def test_another_seed_gives_other_runs(uncertain, whole):
    other = run_batch(uncertain.model_copy(update={"seed": 18}), RUNS, workers=1)
    assert not np.array_equal(other["final_force.west.missiles"],
                              whole["final_force.west.missiles"])
