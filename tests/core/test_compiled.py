"""The compiled kernel (armsim/core/kernel.py) gives the NumPy phases' numbers, bit for bit.

The NumPy phases are the reference: every bundled scenario, scenarios from the
property-test generator, every compliance strategy with sanctions and withdrawal, a
compliance strategy the kernel does not know, and runs stepped phase by phase (as the
Mesa model and the classroom step them) must give the same outputs, trajectories and
intermediate decisions on both paths.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from helpers import BUNDLED, scenario
from hypothesis import HealthCheck, given, settings
from generators import scenarios as random_scenarios

from armsim.compile import build_spec, draw_params
from armsim.core import compiled
from armsim.core.run import Phase, Run
from armsim.scenario import load_scenario, validate_text

RUNS = np.array([0, 1, 2, 3, 4, 5, 6, 7, 977, 65_537])


def run_both(loaded, runs=RUNS, trajectories=False):
    """Outputs (and trajectories) of the same runs on the NumPy phases and the kernel."""
    spec = build_spec(loaded)
    params = draw_params(loaded, spec, runs)
    out = []
    for use in (False, True):
        run = Run(spec, params, runs, compiled=use, trajectories=trajectories)
        run.run_to_end()
        got = run.outputs()
        if trajectories:
            got.update({f"trace.{k}": v for k, v in run.trajectories().items()})
        out.append(got)
    return out


def differing(a: dict, b: dict) -> list[str]:
    assert a.keys() == b.keys()
    return [k for k in a if a[k].tobytes() != b[k].tobytes() or a[k].dtype != b[k].dtype]


@pytest.mark.parametrize("trajectories", [False, True], ids=["fused", "traced"])
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_scenario_gives_the_same_bits(path, trajectories):
    numpy_out, kernel_out = run_both(load_scenario(path), trajectories=trajectories)
    assert differing(numpy_out, kernel_out) == []


# every compliance strategy at once, with a sanction, withdrawal and compliance noise, so
# that every branch of the kernel's decisions and consequences is taken
EVERY_STRATEGY = """
armsim: 1
name: every compliance strategy
seed: 5
aftermath: 40
forces:
  arms: {max: 100}
issues:
  cap: {range: [0, 100], caps: arms}
  relief: {range: [0, 10], binds: [b]}
actors:
  a:
    rivals: [b, c]
    forces: {arms: {initial: 50, reaction: 0.1, fatigue: 0.2, grievance: 1}}
    preferences: {cap: {ideal: 10, weight: 1}, relief: {ideal: 0, weight: 1}}
    strategy: hardliner
    compliance: {type: deterred, temperature: 0.5, retaliation: 2, trust_weight: 0.5}
    patience: 0.95
    trust: 0.6
  b:
    rivals: [a]
    forces: {arms: {initial: 60, reaction: 0.1, fatigue: 0.2, grievance: 1}}
    preferences: {cap: {ideal: 10, weight: 1}, relief: {ideal: 0, weight: 1}}
    strategy: hardliner
    compliance: {type: deterred}
    patience: 0.9
    trust: 0.4
  c:
    rivals: [a]
    forces: {arms: {initial: 5, reaction: 0.05, fatigue: 0.3, grievance: 0}}
    preferences: {cap: {ideal: 10, weight: 1}, relief: {ideal: 0, weight: 1}}
    strategy: hardliner
    compliance: {type: STRATEGY}
    patience: 1.0
    trust: 0.7
sessions:
  - {venue: V, participants: [a, b, c], agenda: [cap, relief], rounds: 2}
environment:
  verification: 0.6
  tolerance: 4
  noise: 2.0
  compliance_noise: 0.05
  sanction: 0.5
  withdrawal: true
"""

STRATEGIES = ["always_comply", "always_defect", "tit_for_tat", "grim", "tit_for_two_tats",
              "suspicious_tit_for_tat", "alternate", "random", "generous_tit_for_tat",
              "conditional", "deterred"]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_compliance_strategy_with_sanctions_and_withdrawal(strategy):
    loaded = scenario(EVERY_STRATEGY.replace("STRATEGY", strategy))
    numpy_out, kernel_out = run_both(loaded, runs=np.arange(200), trajectories=True)
    assert differing(numpy_out, kernel_out) == []
    # the runs did play the game, collapse and withdraw, so the branches were taken
    assert np.nanmax(numpy_out["compliance_rate.a"]) >= 0
    assert numpy_out["agreement"].all() and numpy_out["collapsed"].any()


def _no_linkage():
    return load_scenario(next(p for p in BUNDLED if p.stem == "geneva_2022_no_linkage"))


@pytest.mark.parametrize("trajectories", [False, True], ids=["fused", "traced"])
@pytest.mark.parametrize("case", ["deterred", "conditional", "no_linkage"])
def test_blocks_of_runs_give_the_same_bits(case, trajectories):
    """600 runs go through the rounds after the talks in three blocks (256, 256, 88), with
    their compliance game moved runs last: every strategy's scenario (collapses and
    withdrawals in every block), and the article's without linkage, where some runs of
    each block agree and play and some do not."""
    loaded = _no_linkage() if case == "no_linkage" else scenario(
        EVERY_STRATEGY.replace("STRATEGY", case))
    numpy_out, kernel_out = run_both(loaded, runs=np.arange(600), trajectories=trajectories)
    assert differing(numpy_out, kernel_out) == []
    agreed = numpy_out["agreement"]
    if case == "no_linkage":         # a crisis during the talks ends a run's agreements
        talks = build_spec(loaded).talk_rounds
        crisis = numpy_out["crisis_round"]
        playing = agreed & ~((crisis >= 0) & (crisis < talks))
        for block in (playing[:256], playing[256:512], playing[512:]):
            assert block.any() and not block.all()
    else:
        assert agreed.all() and numpy_out["collapsed"].any()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(random_scenarios())
def test_random_scenarios_give_the_same_bits(data):
    loaded, problems = validate_text(yaml.safe_dump(data))
    if loaded is None:
        return
    numpy_out, kernel_out = run_both(loaded, runs=np.arange(6), trajectories=True)
    assert differing(numpy_out, kernel_out) == []


def stepped(loaded, use: bool, runs=np.arange(8)):
    """Step runs phase by phase, as the Mesa model does, recording every decision point's
    intermediate arrays."""
    spec = build_spec(loaded)
    run = Run(spec, draw_params(loaded, spec, runs), runs, compiled=use)
    seen = []
    while not run.finished:
        phase = run.advance()
        if phase is Phase.COMPLY and run.turn is not None:
            turn = run.turn
            seen.append([turn.playing, turn.intended] + (
                [turn.pairs, turn.observes, turn.bound, turn.live]
                if turn.pairs is not None else []))
        elif phase is Phase.CRISIS:
            seen.append([run.record["actions"], run.record["playing"],
                         run.record["detected"], run.state.x.copy(), run.state.theta.copy()])
    return seen, run.outputs()


@pytest.mark.parametrize("path", [p for p in BUNDLED if "no_linkage" in p.name
                                  or "inf_1987" in p.name], ids=lambda p: p.stem)
def test_phase_by_phase_the_decisions_are_the_same(path):
    loaded = load_scenario(path)
    (seen_numpy, out_numpy), (seen_kernel, out_kernel) = (stepped(loaded, use)
                                                          for use in (False, True))
    assert len(seen_numpy) == len(seen_kernel)
    for a, b in zip(seen_numpy, seen_kernel):
        assert [x.tobytes() for x in a] == [x.tobytes() for x in b]
    assert differing(out_numpy, out_kernel) == []


def test_replaced_intentions_are_what_the_kernel_plays():
    """A person's (or a custom agent's) intentions, given between COMPLY and VERIFY, are
    played by the kernel as by the NumPy phase."""
    loaded = load_scenario(BUNDLED[0].parent / "geneva_2022_no_linkage.yaml")
    spec = build_spec(loaded)
    runs = np.arange(4)
    outs = []
    for use in (False, True):
        run = Run(spec, draw_params(loaded, spec, runs), runs, compiled=use)
        while not run.finished:
            run.advance_to(Phase.VERIFY)
            if run.finished:
                break
            if run.turn is not None and run.turn.pairs is not None:
                defect = np.zeros_like(run.turn.intended)
                defect[:, 1] = run.round % 3 == 0       # Russia cheats every third week
                run.replace_intentions(defect)
            run.step()
        outs.append(run.outputs())
    assert differing(*outs) == []
    assert outs[0]["compliance_rate.russia"].max() < 0.75


def test_a_strategy_the_kernel_does_not_know_decides_in_numpy():
    """A subclass of a built-in strategy that changes its rule does not inherit the
    kernel's rule: its actors' intentions come from NumPy, the rest from the kernel."""
    from armsim.strategies.compliance.tit_for_tat import TitForTat

    class Contrarian(TitForTat):
        def defects(self, view):
            return ~super().defects(view) & ~view.first

    loaded = load_scenario(BUNDLED[0].parent / "geneva_2022_no_linkage.yaml")
    spec = build_spec(loaded)
    compliers = list(spec.compliers)
    compliers[0] = Contrarian(compliers[0].config)
    from dataclasses import replace
    spec = replace(spec, compliers=tuple(compliers))
    runs = np.arange(16)
    params = draw_params(loaded, spec, runs)
    kernel_run = Run(spec, params, runs, compiled=True)
    assert not kernel_run.compiled.decides
    outs = []
    for run in (Run(spec, params, runs, compiled=False), kernel_run):
        run.run_to_end()
        outs.append(run.outputs())
    assert differing(*outs) == []
    # the United States now cheats whenever it saw nothing: far below tit for tat's rate
    assert np.nanmean(outs[0]["compliance_rate.united_states"]) < 0.5


# issue 13's force rules: a force reacting to the rivals' levels of another (two links on
# one cell, to check their order), and a force's own noise
LINKED = """
armsim: 1
name: tests and exercises
aftermath: 30
forces:
  tests: {label: Tests, max: 1000%s}
  exercises: {label: Exercises, max: 1000}
  drills: {label: Drills, max: 1000, noise: 0}
actors:
  a: {rivals: [b, c], forces: {tests: {initial: 40, fatigue: 0.5, grievance: 3%s}}}
  b: {rivals: [a], forces: {exercises: {initial: 4, fatigue: 0.5, grievance: 6}}}
  c: {rivals: [a], forces: {drills: {initial: 9, fatigue: 0.3, grievance: 2},
      exercises: {initial: 30, fatigue: 0.4, grievance: 1}}}
environment: {noise: 2}
"""


@pytest.mark.parametrize("tests, reacts", [
    ("", ""),
    (", noise: 2", ""),                           # the environment's sd, written
    (", noise: 5", ""),                           # its own sd
    ("", ", reacts_to: {exercises: 0.25, drills: 0.125}"),
    (", noise: 0.5", ", reacts_to: {exercises: 0.25, drills: 0.125}"),
], ids=["plain", "same-noise", "own-noise", "linked", "both"])
def test_linked_forces_and_a_forces_own_noise_give_the_same_bits(tests, reacts):
    loaded = scenario(LINKED % (tests, reacts))
    spec = build_spec(loaded)
    params = draw_params(loaded, spec, RUNS)
    asked = Run(spec, params, RUNS, compiled=True)
    assert asked.compiled is not None
    numpy_run = Run(spec, params, RUNS, compiled=False)
    for run in (numpy_run, asked):
        run.run_to_end()
    assert differing(numpy_run.outputs(), asked.outputs()) == []
    assert np.ptp(numpy_run.outputs()["final_force.a.tests"]) > 0     # the noise moved it


def test_the_kernel_mode_is_chosen_by_use_or_the_environment(monkeypatch):
    monkeypatch.setenv(compiled.ENV, "numpy")
    compiled.use(None)
    assert not compiled.wanted(10**6)
    monkeypatch.setenv(compiled.ENV, "compiled")
    assert compiled.wanted(1)
    monkeypatch.setenv(compiled.ENV, "fast")
    with pytest.raises(ValueError, match="ARMSIM_KERNEL='fast'"):
        compiled.wanted(1)
    compiled.use("numpy")
    assert not compiled.wanted(10**6)
    with pytest.raises(ValueError, match="one of auto, numpy, compiled"):
        compiled.use("gpu")
    compiled.use(None)
