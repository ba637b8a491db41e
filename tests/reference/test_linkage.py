"""Linkage and packages (MODEL.md section 2, step 1).

If the participants' red lines leave no common level on an issue, that issue cannot
be agreed; under ``package: true``, or where an actor ``insists`` on it, nothing can.
The expectations follow from the red lines alone.
"""

from __future__ import annotations

import numpy as np
import pytest
from reference_helpers import run

LINKED = """\
armsim: 1
name: Linkage
issues:
  expansion: {{label: No further expansion, range: [0, 1]}}
  exercises: {{label: Exercise limits, range: [0, 100]}}
actors:
  east:
    preferences:
      expansion: {{ideal: 0, red_line: {{max: 0.2}}}}
      exercises: {{ideal: 40}}
    insists: [{insists}]
    strategy: {{type: linear}}
  west:
    preferences:
      expansion: {{ideal: 1, red_line: {{min: {west_min}}}}}
      exercises: {{ideal: 40}}
    strategy: {{type: linear}}
sessions:
  - {{venue: Geneva, participants: [east, west], agenda: [expansion, exercises], rounds: 4,
     package: {package}, protocol: {protocol}}}
"""


def linked(insists: str = "", west_min: float = 0.9, package: str = "false",
           protocol: str = "alternating") -> str:
    return LINKED.format(insists=insists, west_min=west_min, package=package,
                         protocol=protocol)


@pytest.mark.parametrize("protocol", ["alternating", "mediated"])
def test_without_linkage_the_feasible_issue_is_agreed(protocol):
    out = run(linked(protocol=protocol))
    assert out["agreement"][0]
    assert out["agreed.exercises"][0] == pytest.approx(40.0)   # both want 40
    assert np.isnan(out["agreed.expansion"][0])                 # [0.9, 0.2] is empty


@pytest.mark.parametrize("protocol", ["alternating", "mediated"])
def test_insisting_on_an_infeasible_issue_blocks_everything(protocol):
    out = run(linked(insists="expansion", protocol=protocol), trajectories=True)
    assert not out["agreement"][0]
    assert out["agreement_round"][0] == -1
    assert np.isnan(out["agreed.exercises"][0]) and np.isnan(out["agreed.expansion"][0])
    assert not out["trace.in_force"].any()


@pytest.mark.parametrize("protocol", ["alternating", "mediated"])
def test_a_package_with_an_infeasible_issue_is_never_agreed(protocol):
    out = run(linked(package="true", protocol=protocol))
    assert not out["agreement"][0]
    assert np.isnan(out["agreed.exercises"][0])


def test_insisting_on_a_feasible_issue_lets_both_through():
    # west accepts any level from 0.1: the window [0.1, 0.2] is not empty
    out = run(linked(insists="expansion", west_min=0.1))
    assert out["agreement"][0]
    assert 0.1 - 1e-9 <= out["agreed.expansion"][0] <= 0.2 + 1e-9
    assert out["agreed.exercises"][0] == pytest.approx(40.0)


TWO_INSISTED = """\
armsim: 1
name: Two linked issues
issues:
  missiles: {label: Missile limits, range: [0, 1]}
  expansion: {label: No further expansion, range: [0, 1]}
  exercises: {label: Exercise limits, range: [0, 1]}
actors:
  east:
    preferences:
      missiles: {ideal: 0.5}
      expansion: {ideal: 0, red_line: {max: 0.2}}
      exercises: {ideal: 0.5}
    insists: [missiles, expansion]
  west:
    preferences:
      missiles: {ideal: 0.5}
      expansion: {ideal: 1, red_line: {min: 0.8}}
      exercises: {ideal: 0.5}
sessions:
  - {venue: Geneva, participants: [east, west], agenda: [missiles, expansion, exercises],
     rounds: 3}
"""


def test_insisting_on_two_issues_links_them_to_each_other():
    # east insists on missiles and expansion; expansion has no common level
    # ([0, 0.2] against [0.8, 1]), so east accepts nothing, not even missiles
    out = run(TWO_INSISTED)
    assert np.isnan(out["agreed.expansion"][0])
    assert np.isnan(out["agreed.exercises"][0])
    assert np.isnan(out["agreed.missiles"][0])
    assert not out["agreement"][0]
