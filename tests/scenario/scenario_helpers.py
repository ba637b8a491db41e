"""Helpers shared by the scenario tests: write YAML, validate it, pick out problems.

Test files are written inline and dedented, so "line 1" is the first line after the
opening quotes; columns are 1-based, as an editor counts them.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from armsim.scenario import Problem, Scenario, validate_text

# A small valid scenario, in the shape of MODEL.md section 7. Line numbers matter to
# some tests; they are given in comments on the right.
BASE = """\
armsim: 1
name: Test talks
seed: 7
runs: 10
aftermath: 3
forces:
  missiles: {label: Missiles, unit: launchers, max: 400}
  troops: {label: Troops, unit: thousand, max: 200}
issues:
  deployments:
    label: Missile limits
    unit: launchers
    range: [0, 400]
    caps: missiles
    binds: all
  expansion:
    label: NATO expansion
    range: [0, 1]
    binds: [nato]
actors:
  usa:
    label: United States
    bloc: nato
    rivals: [russia]
    forces:
      missiles: {initial: 0, reaction: 0.2, fatigue: 0.5, grievance: 0}
    preferences:
      deployments: {ideal: 0, weight: 0.5, red_line: {min: 0, max: 300}}
      expansion: {ideal: 1, weight: 1, red_line: {min: 1}}
    insists: []
    strategy: {type: tit_for_tat, reciprocity: 1.0, opening: 0.05}
    compliance: {type: tit_for_tat}
    patience: 0.98
    reservation: 0.3
    trust: {russia: 0.2}
  russia:
    label: Russia
    rivals: [usa]
    forces:
      missiles: {initial: 100, reaction: 0.3, fatigue: 0.5, grievance: 5}
      troops: {initial: 100}
    preferences:
      deployments: {ideal: 200, weight: 0.5}
      expansion: {ideal: 0, weight: 1}
    strategy: linear
    patience: 0.95
    reservation: 0.2
    trust: 0.3
sessions:
  - venue: Geneva
    participants: [usa, russia]
    agenda: [deployments, expansion]
    rounds: 6
    package: false
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def write(folder: Path, text: str | bytes, name: str = "scenario.yaml") -> Path:
    """Write ``text`` (dedented if str) or raw bytes to ``folder/name``."""
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(dedent(text), encoding="utf-8")
    return path


def check(text: str, **kwargs: Any) -> tuple[Scenario | None, list[Problem]]:
    return validate_text(dedent(text), "s.yaml", **kwargs)


def errors(text: str, **kwargs: Any) -> list[Problem]:
    return [p for p in check(text, **kwargs)[1] if p.severity == "error"]


def the_error(text: str, **kwargs: Any) -> Problem:
    """The one error of ``text``; fails if there is not exactly one."""
    scenario, problems = check(text, **kwargs)
    assert scenario is None
    found = [p for p in problems if p.severity == "error"]
    assert len(found) == 1, "\n".join(map(str, problems))
    return found[0]


def the_warning(text: str, **kwargs: Any) -> Problem:
    """The one problem of ``text``, a warning: the file is valid; fails otherwise."""
    scenario, problems = check(text, **kwargs)
    assert isinstance(scenario, Scenario), "\n".join(map(str, problems))
    assert [p.severity for p in problems] == ["warning"], "\n".join(map(str, problems))
    return problems[0]


def where(problem: Problem) -> tuple[int | None, int | None, str]:
    return problem.line, problem.column, problem.message
