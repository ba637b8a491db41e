"""Ceilings on a bloc's total, on the total of all bound, and on the sum of several forces
(issue 13, item 1; docs/model.md 7.20.4): sub-limits inside a bloc and by zone are such
ceilings on fewer forces or on each state."""

from __future__ import annotations

import numpy as np
import pytest
from agreements_helpers import run

# Four states in two blocs hold tanks in two zones; nothing moves them but the ceilings
# (no reaction, fatigue or grievance). A ceiling of 100 over both zones is agreed in round
# 0 and held from round 1; d cheats.
CFE = """
armsim: 1
name: ceilings on totals
aftermath: 3
forces:
  flank: {label: Tanks in the flank zone, max: 1000}
  centre: {label: Tanks elsewhere, max: 1000}
issues:
  tanks: {range: [0, 1000], caps: [flank, centre], ceiling: CEILING}
SUBLIMIT
actors:
  a: {bloc: nato, forces: {flank: {initial: 50}, centre: {initial: 30}}, PREF}
  b: {bloc: nato, forces: {flank: {initial: 40}, centre: {initial: 0}}, PREF}
  c: {bloc: wto, forces: {flank: {initial: 90}, centre: {initial: 0}}, PREF}
  d: {bloc: wto, forces: {flank: {initial: 60}, centre: {initial: 0}}, PREF,
      compliance: always_defect}
sessions:
  - {venue: Vienna, participants: [a, b, c, d], agenda: AGENDA, rounds: 1}
"""
PREF = ("preferences: {tanks: {ideal: LEVEL}, flank_cap: {ideal: 45}}, strategy: hardliner, "
        "compliance: always_comply")


def levels(ceiling: str, level: float, sublimit: bool = False) -> np.ndarray:
    """(A, K) levels after the last round."""
    text = CFE.replace("CEILING", ceiling).replace("PREF", PREF).replace("LEVEL", str(level))
    text = text.replace("compliance: always_comply,\n      compliance: always_defect",
                        "compliance: always_defect")
    text = text.replace("SUBLIMIT", "  flank_cap: {range: [0, 1000], caps: flank}").replace(
        "AGENDA", "[tanks, flank_cap]" if sublimit else "[tanks]")
    out = run(text)
    assert out["trace.action"][0, 1:, 3].tolist() == [1, 1, 1]          # d cheats
    return out["trace.forces"][0, -1]


def test_a_blocs_compliers_are_scaled_down_to_its_ceiling():
    """NATO's compliers hold 80 + 40 = 120 > 100: each of their cells times 100/120.
    The Warsaw Pact's complier c holds 90 <= 100 and keeps it; d cheats and keeps 60
    (the bloc's total, 150, is over the ceiling by d's cheating alone)."""
    x = levels("bloc", 100)
    assert x[0].tolist() == pytest.approx([50 * 5 / 6, 30 * 5 / 6], rel=1e-15)
    assert x[1].tolist() == pytest.approx([40 * 5 / 6, 0], rel=1e-15)
    assert x[2].tolist() == [90, 0] and x[3].tolist() == [60, 0]
    assert x[:2].sum() == pytest.approx(100, rel=1e-15)


def test_a_total_over_every_bound_complier():
    """80 + 40 + 90 = 210 compliers' tanks against 100: each times 100/210."""
    x = levels("total", 100)
    assert x[:3].ravel().tolist() == pytest.approx(
        [50 * 10 / 21, 30 * 10 / 21, 40 * 10 / 21, 0, 90 * 10 / 21, 0], rel=1e-15)
    assert x[3].tolist() == [60, 0]


def test_each_states_sum_over_two_zones():
    """Each state's own 60 over both zones: a (80) times 60/80, c (90) times 60/90;
    b (40) is under it; d cheats."""
    x = levels("each", 60)
    assert x.ravel().tolist() == pytest.approx([37.5, 22.5, 40, 0, 60, 0, 60, 0], rel=1e-15)


def test_a_sub_limit_by_zone_then_the_bloc_total():
    """A flank sub-limit of 45 per state (an actor's own single-force cap, applied with
    the forces step, as every cap before issue 13): a 45, b 40, c 45 (d cheats, 60). Then
    NATO's 45 + 30 + 40 = 115 > 100: times 100/115 = 20/23; c's 45 is under 100."""
    x = levels("bloc", 100, sublimit=True)
    assert x[:2].ravel().tolist() == pytest.approx([45 * 20 / 23, 30 * 20 / 23, 40 * 20 / 23, 0],
                                           rel=1e-15)
    assert x[2].tolist() == [45, 0] and x[3].tolist() == [60, 0]


RACE = """
armsim: 1
name: a race under bloc ceilings
seed: 3
aftermath: 30
forces:
  flank: {label: Flank, max: 500}
  centre: {label: Centre, max: 500}
issues:
  tanks: {range: [0, 1000], caps: [flank, centre], ceiling: bloc}
actors:
  a: {bloc: nato, rivals: [c, d], forces: {flank: {initial: 50, reaction: 0.2, grievance: 9},
      centre: {initial: 30, reaction: 0.1, grievance: 5}}, PREF}
  b: {bloc: nato, rivals: [c], forces: {flank: {initial: 40, reaction: 0.3, grievance: 4}}, PREF}
  c: {bloc: wto, rivals: [a, b], forces: {flank: {initial: 90, reaction: 0.2, grievance: 7},
      centre: {initial: 10, reaction: 0.2, grievance: 8}}, PREF}
  d: {bloc: wto, rivals: [a], forces: {centre: {initial: 60, reaction: 0.1, grievance: 6}},
      PREF}
sessions:
  - {venue: Vienna, participants: [a, b, c, d], agenda: [tanks], rounds: 1}
environment: {noise: 5, compliance_noise: 0.2}
""".replace("PREF", "preferences: {tanks: {ideal: 150}}, strategy: hardliner")


def test_a_blocs_compliers_never_exceed_its_ceiling_in_a_noisy_race():
    """Forces grow, shocks push them, a fifth of actions slip into cheating: in every run
    and round after the agreement, each bloc's compliers together hold at most 150."""
    out = run(RACE, runs=200)
    x = out["trace.forces"][:, 1:].sum(axis=3)                         # (n, T-1, A)
    complied = out["trace.action"][:, 1:] == 0
    for members in ([0, 1], [2, 3]):
        total = (x[:, :, members] * complied[:, :, members]).sum(axis=2)
        assert (total <= 150 * (1 + 1e-12)).all()
        assert (total > 150 - 1e-9).any()                # the ceiling did bind somewhere
