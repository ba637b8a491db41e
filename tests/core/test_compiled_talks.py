"""The kernel's talk rounds (kernel.talk_round) give the NumPy talks' arrays, bit for bit.

The NumPy functions (talks.propose, respond, resolve and deadlock.observe) are the
reference. Runs stepped round by round on both paths must leave, after every talk round,
the same offer, utilities, red-line and threshold verdicts, linkage, acceptances and
agreements, the same deadlocks declared, broken and ended, and the same talk memory
(aspirations, utilities received, GRIT's idle count) and deadlock count, on scenarios from
the property-test generator with per-run ideals and lines, short deadlocks and memory reset
added, and on a package of nine issues (NumPy adds a row of eight or more numbers by its
pairwise rule, which the kernel reproduces).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import yaml
from helpers import BUNDLED, scenario
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from generators import scenarios as random_scenarios

from armsim.compile import build_spec, draw_params
from armsim.core import compiled
from armsim.core.run import Run
from armsim.scenario import load_scenario, validate_text

RUNS = np.arange(24)


def talk_rounds(loaded, runs, use: bool) -> tuple[list[dict], Run]:
    """Step the runs round by round; after each talk round, every array it left."""
    spec = build_spec(loaded)
    run = Run(spec, draw_params(loaded, spec, runs), runs, compiled=use)
    seen = []
    while not run.finished and run.round < spec.talk_rounds:
        run.step()
        state, talks = run.state, run.talks
        got = {"agreed": state.agreed, "level": state.level,
               "deadlock_round": state.deadlock_round}
        if talks is not None:
            got.update(offer=talks.offer, proposer=np.array(talks.proposer),
                       accepted=talks.accepted, agreed_now=talks.agreed,
                       inside=talks.why[0], likes=talks.why[1], linked=talks.why[2],
                       worth=talks.worth, needs=talks.needs)
            if talks.deadlock is not None:
                d = talks.deadlock
                got.update({f"deadlock.{k}": np.asarray(getattr(d, k)) for k in
                            ("declared", "who", "broke", "ended", "rounds", "before",
                             "after")})
        if state.talk is not None:
            got.update(aspiration=state.talk.aspiration, last=state.talk.last_received,
                       previous=state.talk.prev_received,
                       **{f"memory.{k}": v for k, v in state.talk.memory.items()})
        if state.stall is not None:
            got.update(still=state.stall.still, breaks=state.stall.breaks,
                       ended=state.stall.ended)
        seen.append({k: np.array(v, copy=True) for k, v in got.items()})
    run.run_to_end()
    return seen, run


def assert_same_talks(loaded, runs=RUNS) -> Run:
    (numpy_seen, numpy_run), (kernel_seen, kernel_run) = (talk_rounds(loaded, runs, use)
                                                          for use in (False, True))
    assert len(numpy_seen) == len(kernel_seen)
    for t, (a, b) in enumerate(zip(numpy_seen, kernel_seen)):
        assert a.keys() == b.keys(), t
        for key in a:
            assert a[key].dtype == b[key].dtype and a[key].shape == b[key].shape, (t, key)
            assert a[key].tobytes() == b[key].tobytes(), (t, key)
    outputs = numpy_run.outputs(), kernel_run.outputs()
    assert [k for k in outputs[0] if outputs[0][k].tobytes() != outputs[1][k].tobytes()] == []
    return kernel_run


@st.composite
def talk_scenarios(draw) -> dict:
    """The generator's scenarios with what the talks' rules add: ideals and red lines
    drawn per run, deadlocks declared after one to three still rounds, memory reset,
    longer sessions."""
    data = draw(random_scenarios())
    issues = data["issues"]
    for actor in data["actors"].values():
        for name, pref in actor["preferences"].items():
            lo, hi = issues[name]["range"]
            if "ideal" in pref and not issues[name].get("whole") and \
                    not pref.get("non_negotiable") and draw(st.integers(0, 3)) == 0:
                spread = (hi - lo) / 10
                line = pref.get("red_line", {})
                low = max(lo, pref["ideal"] - spread, line.get("min", lo))
                high = min(hi, pref["ideal"] + spread, line.get("max", hi))
                if high > low:
                    pref["ideal"] = {"dist": "uniform", "low": low, "high": high}
    for session in data["sessions"]:
        if session.get("protocol") == "mediated" or "mediator" in session:
            continue
        session["rounds"] = draw(st.integers(1, 9))
        if draw(st.booleans()):
            session["deadlock_rounds"] = draw(st.integers(1, 3))
        if draw(st.integers(0, 3)) == 0:
            session["memory"] = "reset"
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(talk_scenarios())
def test_random_talks_give_the_same_arrays_every_round(data):
    loaded, problems = validate_text(yaml.safe_dump(data))
    if loaded is None:
        return
    assert_same_talks(loaded)


@pytest.mark.parametrize("path", [p for p in BUNDLED if p.stem.startswith("geneva")
                                  or p.stem in ("inf_1987", "compliance_game")],
                         ids=lambda p: p.stem)
def test_bundled_talks_give_the_same_arrays_every_round(path):
    assert_same_talks(load_scenario(path), np.arange(200))


# nine issues in a package (eight or more numbers: NumPy's pairwise row sum), linkage,
# a deadlock after two still rounds, and each negotiator the kernel knows
NINE = """
armsim: 1
name: nine issues
aftermath: 2
issues:
%s
actors:
  a:
    strategy: {type: tit_for_tat, reciprocity: 0.8, opening: 0.1}
    reservation: 0.3
    insists: [i0]
    preferences:
%s
  b:
    strategy: {type: grit, step: 0.07, wait: 2}
    reservation: 0.35
    preferences:
%s
  c:
    strategy: {type: time_dependent, exponent: {dist: uniform, low: 0.3, high: 3}}
    reservation: {dist: uniform, low: 0.2, high: 0.5}
    preferences:
%s
  d:
    strategy: boulware
    reservation: 0.3
    preferences:
%s
sessions:
  - {venue: V, participants: [a, b, c, d], agenda: [%s], rounds: 12, package: true,
     deadlock_rounds: 2}
  - {venue: W, participants: [c, a, d], agenda: [%s], rounds: 6}
"""


def nine_issues() -> str:
    rng = np.random.default_rng(12)
    names = [f"i{i}" for i in range(9)]
    issues = "\n".join(f"  {n}: {{label: {n}, range: [0, 100]}}" for n in names)
    prefs = []
    for _ in range(4):
        lines = []
        for n in names:
            ideal = float(rng.integers(0, 101))
            weight = round(float(rng.uniform(0.1, 2)), 3)
            lines.append(f"      {n}: {{ideal: {ideal}, weight: {weight}}}")
        prefs.append("\n".join(lines))
    return NINE % (issues, *prefs, ", ".join(names), ", ".join(names[:4]))


def test_a_package_of_nine_issues_gives_the_same_arrays_every_round():
    run = assert_same_talks(scenario(nine_issues()), np.arange(300))
    assert run.compiled is not None and run.compiled.talks


def test_the_kernel_plays_the_talks_it_knows_and_leaves_the_others_to_numpy():
    def kernel_talks(loaded, spec=None) -> bool:
        spec = spec or build_spec(loaded)
        run = Run(spec, draw_params(loaded, spec, RUNS), RUNS, compiled=True)
        return bool(run.compiled and run.compiled.talks)

    folder = BUNDLED[0].parent
    assert kernel_talks(load_scenario(folder / "geneva_2022.yaml"))
    # Rubinstein's own offers, and private red lines (the participants learn), run in NumPy
    assert not kernel_talks(load_scenario(folder / "classics" / "rubinstein.yaml"))
    assert not kernel_talks(load_scenario(folder / "geneva_2022_uncertain_red_lines.yaml"))
    # a subclass that changes a rule does not inherit the kernel's
    from armsim.strategies.negotiation.tit_for_tat import TitForTat

    class Stubborn(TitForTat):
        def concede(self, talk, params, p):
            pass

    loaded = scenario(nine_issues())
    spec = build_spec(loaded)
    negotiators = list(spec.negotiators)
    negotiators[0] = Stubborn(negotiators[0].config)
    assert not kernel_talks(loaded, replace(spec, negotiators=tuple(negotiators)))
    assert compiled.talks_supported(compiled.load(), spec)
