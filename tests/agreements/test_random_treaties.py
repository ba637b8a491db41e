"""Random scenarios with every key of issue 13 (tests/generators.py: treaties): valid as
drawn, run on both engines run for run, never a traceback; invariants that follow from
the rules alone hold in every run and round."""

from __future__ import annotations

import copy

import numpy as np
import yaml
from generators import treaties
from helpers import from_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from armsim.abm import run_mesa
from armsim.batch import run_chunk
from armsim.scenario import validate_text

RUNS = np.array([0, 65_537])


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(treaties())
def test_random_treaties_agree_run_for_run_on_both_engines(data):
    scenario = from_data(data)
    batch = run_chunk(scenario, RUNS, trajectories=True)
    mesa = run_mesa(scenario, RUNS, trajectories=True)
    assert [k for k in batch if not np.array_equal(np.asarray(batch[k]), np.asarray(mesa[k]),
                                                   equal_nan=True)] == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(treaties())
def test_invariants_of_random_treaties(data):
    """Forces within [0, max]; tension in (0, 1); compliance rates in [0, 1]; nobody plays
    a turn before the round after the first agreement; where a phased ceiling binds an actor that
    complies and whose ceiling is on one force of its own, its level is at most the
    ceiling."""
    scenario = from_data(data)
    out = run_chunk(scenario, np.arange(6), trajectories=True)
    x = out["trace.forces"]
    top = np.array([f["max"] for f in data["forces"].values()])
    assert (x >= 0).all() and (x <= top).all()
    assert ((out["trace.tension"] > 0) & (out["trace.tension"] < 1)).all()
    playing = (out["trace.action"] >= 0).any(axis=2)                       # (n, T)
    first = out["agreement_round"]
    rounds = np.arange(playing.shape[1])
    assert not (playing & ((first[:, None] < 0) | (rounds[None] <= first[:, None]))).any()
    for name in data["actors"]:
        rate = out[f"compliance_rate.{name}"]
        assert ((rate >= 0) & (rate <= 1))[np.isfinite(rate)].all()
    if "trace.ceiling" in out:
        forces = list(data["forces"])
        for i, issue in enumerate(data["issues"].values()):
            caps = issue.get("caps")
            if issue.get("ceiling", "each") != "each" or not isinstance(caps, str):
                continue
            k = forces.index(caps)
            kept = (out["trace.action"] == 0) & np.isfinite(out["trace.ceiling"][:, :, i])
            assert (x[..., k][kept] <= np.maximum(out["trace.ceiling"][:, :, i][kept], 0)
                    + 1e-9).all()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(treaties(), st.data())
def test_random_damage_to_a_treaty_is_answered_with_located_errors(data, pick):
    """Any key of issue 13 given a wrong value: a located error or a valid scenario, never
    an exception."""
    data = copy.deepcopy(data)
    spots = [("environment", "counterparts")]
    spots += [("issues", i, k) for i, issue in data["issues"].items() for k in issue]
    spots += [("sessions", s, k) for s, session in enumerate(data["sessions"])
              for k in ("gap", "interim", "reopens", "enters_into_force")]
    spots += [("actors", a, "verification") for a in data["actors"]]
    spots += [("events", e, k) for e, event in enumerate(data["events"]) for k in event]
    where = pick.draw(st.sampled_from(spots))
    node = data
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = pick.draw(st.sampled_from(
        [-1, 1.5, "nonsense", None, [], {}, [["x", "y"]], {"dist": "uniform", "low": 0,
                                                             "high": 2}, True, 10**9]))
    text = yaml.safe_dump(data, sort_keys=False)
    scenario, problems = validate_text(text)
    errors = [p for p in problems if p.severity == "error"]
    assert scenario is not None or errors
    assert all(p.line is not None for p in errors), [str(p) for p in errors]
