"""Verification per issue, per actor, and negotiated as an inspection regime (issue 13,
item 4; docs/model.md 7.20.3). Detection rates are checked against the chance worked out
by hand, within a binomial interval (z = 4: a false alarm once in ~16,000 runs of the
suite)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import scenario

from armsim.compile import build_spec, draw_params
from armsim.core.run import Run

# x always defects under whatever binds it; y complies. One round of talks (both want the
# same levels, so everything on the agenda is agreed at once), then ten turns.
TEXT = """
armsim: 1
name: verification by issue
aftermath: 10
issues:
  p: {range: [0, 1], binds: [x], verification: 0.3}
  q: {range: [0, 1], binds: [x], verification: {x: 0.5, '*': 0.9}}
  s: {range: [0, 1], binds: [x]}
  access:
    label: Notice before access to a suspected site
    unit: days
    range: [0, 60]
    binds: [x]
    verifies: [p]
    detection: [0.95, 0.35]
actors:
  x:
    verification: VX
    preferences: {p: {ideal: 0}, q: {ideal: 0}, s: {ideal: 0}, access: {ideal: 24}}
    strategy: hardliner
    compliance: always_defect
  y:
    preferences: {p: {ideal: 0}, q: {ideal: 0}, s: {ideal: 0}, access: {ideal: 24}}
    strategy: hardliner
    compliance: always_comply
sessions:
  - {venue: V, participants: [x, y], agenda: AGENDA, rounds: 1}
environment: {verification: 0.2}
"""


def detection_rate(agenda: str, vx: str = "null", runs: int = 2000) -> tuple[int, int]:
    """Detected defections of x and its turns over runs 0..runs-1 (x defects every turn)."""
    loaded = scenario(TEXT.replace("AGENDA", agenda).replace("VX", vx))
    spec = build_spec(loaded)
    index = np.arange(runs)
    run = Run(spec, draw_params(loaded, spec, index), index)
    detected = turns = 0
    while not run.finished:
        record = run.step()
        detected += int(record["detected"][:, 0].sum())
        turns += int((record["playing"][:, 0] & record["actions"][:, 0]).sum())
    return detected, turns


def inside(detected: int, turns: int, chance: float) -> bool:
    return abs(detected - turns * chance) <= 4 * math.sqrt(turns * chance * (1 - chance))


@pytest.mark.parametrize("agenda, vx, chance", [
    ("[s]", "null", 0.2),          # the environment's
    ("[s]", "0.4", 0.4),           # the actor's, where the issue says nothing
    ("[p]", "0.4", 0.3),           # the issue's, over the actor's
    ("[q]", "null", 0.5),          # the entry for the actor, over its '*'
    ("[p, q]", "null", 0.5),       # bound by both: caught if either regime catches it
    ("[p, access]", "null", 0.71),  # access agreed at 24 days: 0.95 - 0.6 * 24/60 on p
    ("[s, access]", "null", 0.2),  # the regime verifies p, which is not agreed
])
def test_the_detection_rate_is_the_chance_worked_out_by_hand(agenda, vx, chance):
    detected, turns = detection_rate(agenda, vx)
    assert turns == 2000 * 10
    assert inside(detected, turns, chance), (detected / turns, chance)


def test_deterrence_weighs_the_verification_the_actor_faces():
    """deterred with a sanction of 4 and no retaliation or tolerance complies iff
    v * 4 >= T - R = 2 (docs/model.md 7.11a): at the environment's 0.2 it cheats; with its
    own verification 0.6 it complies (0.6 * 4 = 2.4); with the issue's 0.3 over that, it
    cheats again (1.2 < 2). The issues bind both here: alone, x would gain nothing by
    cheating (no counterpart to exploit) and never cheat."""
    base = TEXT.replace("binds: [x], ", "").replace("s: {range: [0, 1], binds: [x]}",
                                                   "s: {range: [0, 1]}").replace("compliance: always_defect",
                        "compliance: {type: deterred, retaliation: 0}").replace(
        "environment: {verification: 0.2}", "environment: {verification: 0.2, sanction: 4}")
    for agenda, vx, cheats in (("[s]", "null", True), ("[s]", "0.6", False),
                               ("[p]", "0.6", True)):
        loaded = scenario(base.replace("AGENDA", agenda).replace("VX", vx))
        spec = build_spec(loaded)
        run = Run(spec, draw_params(loaded, spec, np.arange(2)), np.arange(2))
        run.step()
        assert bool(run.step()["actions"][0, 0]) is cheats, (agenda, vx)
