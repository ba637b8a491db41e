"""The Mesa engine gives the NumPy engine's numbers, run for run, exactly.

MODEL.md section 4: run r of seed s is the same on either engine. For every bundled
scenario and several seeds, each run of an :class:`ArmsControlModel` (n = 1, one Mesa
step per round, agents asked for every decision) must equal row r of a NumPy batch:
every output of MODEL.md section 5 and every per-round trajectory, NaNs equal. The
same holds on random small scenarios from the engine's property-test generator, and
for the files ``armsim run`` writes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from abm_helpers import differences, same
from helpers import BUNDLED, ROOT, from_data
from hypothesis import HealthCheck, given, settings
from generators import scenarios as random_scenarios

from armsim.abm import ArmsControlModel, run_mesa
from armsim.batch import run_chunk
from armsim.scenario import load_scenario, validate_text

# a few first runs and two far ones (the generator is keyed by run index, not position)
RUNS = np.array([0, 1, 2, 3, 977, 65_537])
SEEDS = [None, 7, 2_147_483_647]      # None: the scenario's own seed


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: f"seed={s}")
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_each_run_of_the_mesa_model_equals_the_batch_row(path: Path, seed: int | None):
    loaded = load_scenario(path)
    if seed is not None:
        loaded = loaded.model_copy(update={"seed": seed})
    batch = run_chunk(loaded, RUNS, trajectories=True)
    for row, r in enumerate(RUNS):
        model = ArmsControlModel(loaded, run=int(r), trajectories=True, collect=False)
        model.run_model()
        assert model.round == model.spec.rounds and not model.running
        assert differences(batch, row, {**model.outputs(), **{
            f"trace.{k}": v for k, v in model.trajectories().items()}}) == [], (path.stem, r)


def test_seed_and_overrides_reach_the_model_as_they_reach_a_batch():
    path = ROOT / "scenarios" / "geneva_2022_no_linkage.yaml"
    overrides = {"environment.verification": 0.4, "actors.russia.patience": 0.9}
    batch = run_chunk(load_scenario(path, overrides).model_copy(update={"seed": 11}),
                      np.array([5]))
    model = ArmsControlModel(path, seed=11, run=5, overrides=overrides, collect=False)
    model.run_model()
    assert differences(batch, 0, model.outputs()) == []


def test_run_mesa_has_the_batch_engines_keys_shapes_and_dtypes():
    loaded = load_scenario(ROOT / "scenarios" / "inf_1987.yaml")
    batch = run_chunk(loaded, np.arange(10, 15), trajectories=True)
    mesa = run_mesa(loaded, 5, start=10, trajectories=True)
    assert list(mesa) == list(batch)
    for key in batch:
        assert mesa[key].dtype == batch[key].dtype and mesa[key].shape == batch[key].shape, key
        assert same(mesa[key], batch[key]), key


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_scenarios())
def test_random_scenarios_agree_run_for_run(data):
    loaded = from_data(data)
    runs = np.array([0, 1, 2, 1_000_003])
    batch = run_chunk(loaded, runs, trajectories=True)
    mesa = run_mesa(loaded, runs, trajectories=True)
    assert [key for key in batch if not same(batch[key], mesa[key])] == []


def _armsim_run(tmp: Path, engine: str) -> Path:
    out = tmp / engine
    done = subprocess.run(
        [sys.executable, "-m", "armsim.cli", "run", str(ROOT / "scenarios" / "geneva_2022.yaml"),
         "--runs", "20", "--seed", "5", "--engine", engine, "--no-plots", "--quiet",
         "--out", str(out)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return out


def test_armsim_run_writes_the_same_runs_csv_on_both_engines(tmp_path: Path):
    mesa, numpy = _armsim_run(tmp_path, "mesa"), _armsim_run(tmp_path, "numpy")
    assert (mesa / "runs.csv").read_bytes() == (numpy / "runs.csv").read_bytes()
    lines = (mesa / "runs.csv").read_text().splitlines()
    assert len(lines) == 21 and lines[0].startswith("run,agreement,")
    left = yaml.safe_load((mesa / "summary.json").read_text())      # JSON is YAML
    right = yaml.safe_load((numpy / "summary.json").read_text())
    assert (left.pop("engine"), right.pop("engine")) == ("mesa", "numpy")
    assert left == right


def test_the_engine_option_is_checked():
    done = subprocess.run([sys.executable, "-m", "armsim.cli", "run", "--engine", "netlogo"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "netlogo" in done.stderr
    done = subprocess.run([sys.executable, "-m", "armsim.cli", "run", "--engine", "mesa",
                           "--workers", "2"], capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 2 and "--workers" in done.stderr


DEADLOCK = """
armsim: 1
name: pinned by a red line, over three sessions
issues:
  cap: {range: [0, 100]}
actors:
  tested:
    preferences: {cap: {ideal: 0, red_line: {max: 60}}}
    strategy: {type: grit, step: 0.1, wait: 2}
    reservation: 0.3
  partner:
    preferences: {cap: {ideal: 100}}
    strategy: {type: tit_for_tat, opening: 0.02}
sessions:
  - {venue: One, participants: [tested, partner], agenda: [cap], rounds: 10}
  - {venue: Two, participants: [partner, tested], agenda: [cap], rounds: 6, memory: reset}
  - {venue: Three, participants: [tested, partner], agenda: [cap], rounds: 9, deadlock_rounds: 3}
"""


def test_memory_and_deadlocks_are_the_same_on_both_engines():
    loaded, _ = validate_text(DEADLOCK)
    batch = run_chunk(loaded, RUNS, trajectories=True)
    # session One is test_grit's table against a partner pinned at 60: nobody moves in
    # rounds 6 and 7 (GRIT idle, the partner has nothing new to reciprocate), a deadlock
    # is declared in round 7 and GRIT's renewed step offers 40 in round 8
    assert batch["trace.offer"][0, :9, 0].tolist() == pytest.approx(
        [10, 60, 20, 60, 30, 60, 30, 60, 40])
    for row, r in enumerate(RUNS):
        model = ArmsControlModel(loaded, run=int(r), trajectories=True, collect=False)
        model.run_model()
        assert differences(batch, row, {**model.outputs(), **{
            f"trace.{k}": v for k, v in model.trajectories().items()}}) == [], r


# every construct of issue 13's forces-and-talks half: a force that reacts to another,
# noise per force in its own unit, linkage for one session, a mediator who is a party,
# a one-sided preference and whole-number levels, with compliance noise and detection
FREEZE_FOR_FREEZE = """
armsim: 1
name: freeze for freeze, every new key
aftermath: 12
forces:
  tests: {label: Missile tests, unit: tests a year, max: 40, noise: 1.5}
  exercises: {label: US-ROK exercises, unit: thousand troops, max: 300, noise: 20}
issues:
  test_freeze: {range: [0, 40], caps: tests, whole: true}
  exercise_cap: {range: [0, 300], caps: exercises, whole: true}
  denuclearisation: {range: [0, 1]}
actors:
  north_korea:
    rivals: [united_states, south_korea]
    forces:
      tests: {initial: 20, fatigue: 0.4, grievance: 2, reacts_to: {exercises: 0.02}}
    preferences:
      test_freeze: {ideal: 8, weight: 1, one_sided: more}
      exercise_cap: {ideal: 0, weight: 2}
      denuclearisation: {non_negotiable: true}
    compliance: {type: random, p: 0.9}
  united_states:
    rivals: [north_korea]
    forces:
      exercises: {initial: 200, fatigue: 0.3, grievance: 50, reacts_to: {tests: 1.5}}
    preferences:
      test_freeze: {ideal: 0, weight: 2}
      exercise_cap: {ideal: 250, weight: 1, one_sided: more}
      denuclearisation: {ideal: 0, red_line: {max: 0.2}}
    compliance: tit_for_tat
  south_korea:
    rivals: [north_korea]
    forces:
      exercises: {initial: 100, fatigue: 0.3, grievance: 25, reacts_to: {tests: 0.5}}
    preferences:
      test_freeze: {ideal: 2}
      exercise_cap: {ideal: 120}
    compliance: generous_tit_for_tat
sessions:
  - venue: Hanoi
    participants: [united_states, north_korea]
    agenda: [test_freeze, exercise_cap, denuclearisation]
    rounds: 3
    insists: {united_states: [denuclearisation]}
  - venue: Panmunjom
    participants: [united_states, north_korea, south_korea]
    agenda: [test_freeze, exercise_cap]
    rounds: 2
    mediator: south_korea
environment:
  verification: 0.7
  tolerance: 3
  compliance_noise: 0.05
  noise: 1
  crisis: {hazard: 0.05}
"""


@pytest.mark.parametrize("seed", SEEDS, ids=lambda s: f"seed={s}")
def test_every_new_construct_is_the_same_on_both_engines(seed):
    loaded, problems = validate_text(FREEZE_FOR_FREEZE)
    assert loaded is not None, problems
    if seed is not None:
        loaded = loaded.model_copy(update={"seed": seed})
    batch = run_chunk(loaded, RUNS, trajectories=True)
    # the talks did something: nothing at Hanoi (the linkage), agreements at Panmunjom
    made = batch["agreement_round"]
    assert ((made == -1) | (made >= 3)).all() and (made >= 3).any()
    for row, r in enumerate(RUNS):
        model = ArmsControlModel(loaded, run=int(r), trajectories=True, collect=False)
        model.run_model()
        assert differences(batch, row, {**model.outputs(), **{
            f"trace.{k}": v for k, v in model.trajectories().items()}}) == [], r


# every key of issue 13 (docs/model.md 7.20) at once: who plays whom, a trade, verification
# per issue, per actor and as a regime, a bloc ceiling over two zones with phases, entry
# into force, a term and an extension, a gap, an interim session, a reopening one, and
# each kind of outside event
EVERY_KEY = """
armsim: 1
name: agreements as treaties write them
seed: 13
aftermath: 14
forces:
  flank: {label: Flank tanks, max: 500}
  centre: {label: Central tanks, max: 500}
  sanctions: {label: Sanctions, max: 100}
issues:
  tanks: {range: [0, 800], caps: [flank, centre], ceiling: bloc, enters_into_force: 1,
          phases: [{after: 0, share: 0.5}, {after: 2, share: 1}], duration: 6,
          extension: {rounds: 3, times: 2}, verification: {west: 0.9, '*': 0.6}}
  flank_cap: {range: [0, 500], caps: flank, binds: [east], traded_for: [relief]}
  relief: {range: [0, 100], caps: sanctions, binds: [west]}
  inspections: {range: [0, 30], binds: [east], verifies: [tanks, flank_cap],
                detection: [0.95, 0.4]}
actors:
  us: {bloc: west, rivals: [ussr], forces: {flank: {initial: 200, reaction: 0.1, fatigue: 0.2,
       grievance: 20}, centre: {initial: 150, grievance: 5, fatigue: 0.1},
       sanctions: {initial: 80, fatigue: 0.1, grievance: 8}},
       preferences: {tanks: {ideal: 300}, flank_cap: {ideal: 100}, relief: {ideal: 60},
       inspections: {ideal: 0}}, compliance: tit_for_tat}
  uk: {bloc: west, rivals: [ussr], forces: {flank: {initial: 100, grievance: 10, fatigue: 0.1}},
       preferences: {tanks: {ideal: 300}}, compliance: {type: random, p: 0.9}}
  ussr: {bloc: east, rivals: [us, uk], verification: 0.5,
         forces: {flank: {initial: 300, reaction: 0.2, fatigue: 0.2, grievance: 30},
         centre: {initial: 200, grievance: 10, fatigue: 0.05}},
         preferences: {tanks: {ideal: 500}, flank_cap: {ideal: 250}, relief: {ideal: 0},
         inspections: {ideal: 30}}, compliance: {type: deterred, temperature: 1}}
sessions:
  - {venue: Vienna, participants: [us, ussr, uk], agenda: [tanks, inspections], rounds: 3,
     interim: true}
  - {venue: Paris, participants: [ussr, us, uk], agenda: [tanks, flank_cap, relief,
     inspections], rounds: 3, gap: 2, enters_into_force: 2}
  - {venue: Vienna again, participants: [us, ussr, uk], agenda: [tanks, flank_cap, relief],
     rounds: 2, gap: 3, reopens: true}
environment: {verification: 0.7, tolerance: 3, noise: 5, compliance_noise: 0.05,
              counterparts: across_blocs, withdrawal: true, sanction: 1}
events:
  - {round: 9, does: suspend, actor: ussr, issues: [tanks]}
  - {round: 11, does: resume, actor: ussr, issues: [tanks]}
  - {round: 12, does: new_government, actor: uk, set: {compliance: grim, trust: 0.3,
     forces: {flank: {grievance: 25}}}}
  - {round: 20, does: withdraw, actor: us, label: Washington leaves}
"""


def test_every_key_of_issue_13_is_the_same_on_both_engines():
    loaded, problems = validate_text(EVERY_KEY)
    assert loaded is not None, "\n".join(map(str, problems))
    batch = run_chunk(loaded, RUNS, trajectories=True)
    assert batch["agreement"].all() and "trace.ceiling" in batch and "expired" in batch
    for row, r in enumerate(RUNS):
        model = ArmsControlModel(loaded, run=int(r), trajectories=True, collect=False)
        model.run_model()
        assert differences(batch, row, {**model.outputs(), **{
            f"trace.{k}": v for k, v in model.trajectories().items()}}) == [], r
