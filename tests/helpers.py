"""What tests across folders share: where the bundled scenarios are, an inline scenario
read and validated like a user's file, and ``armsim`` run as a person runs it.

``pyproject.toml`` puts this folder on pytest's path (``pythonpath = ["tests"]``), so a
test anywhere writes ``from helpers import scenario``; tests/conftest.py holds the
fixtures they share.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from armsim.scenario import Scenario, validate_text

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
#: every bundled scenario file, the classics after the others
BUNDLED = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "classics").glob("*.yaml"))


def scenario(text: str) -> Scenario:
    """A valid scenario from inline YAML (dedented); fails the test, listing the problems,
    if it is invalid."""
    loaded, problems = validate_text(textwrap.dedent(text))
    errors = [p for p in problems if p.severity == "error"]
    assert loaded is not None and not errors, "\n".join(str(p) for p in problems)
    return loaded


def cli_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "armsim.cli", *map(str, args)]


def cli_environment() -> dict[str, str]:
    """This environment without a Dask scheduler: sweeps run on local processes."""
    return {k: v for k, v in os.environ.items() if k != "DASK_SCHEDULER_ADDRESS"}


def armsim_cli(*args: object, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``armsim ARGS...`` as a person does, in a real process: never a traceback, never
    armsim's report of its own bug."""
    done = subprocess.run(cli_command(*args), capture_output=True, text=True,
                          timeout=timeout, check=False, env=cli_environment())
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert "unexpected error" not in done.stderr, done.stderr
    return done
