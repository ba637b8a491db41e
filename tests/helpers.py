"""What tests across folders share: where the bundled scenarios are, an inline scenario
read and validated like a user's file, and ``armsim`` run as a person runs it.

``pyproject.toml`` puts this folder on pytest's path (``pythonpath = ["tests"]``), so a
test anywhere writes ``from helpers import scenario``; tests/conftest.py holds the
fixtures they share.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from armsim import __version__
from armsim.scenario import Scenario, validate_text

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
#: every bundled scenario file: the top-level ones, then the classics, then the histories
BUNDLED = (sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "classics").glob("*.yaml"))
           + sorted((SCENARIOS / "history").glob("*.yaml")))


def scenario(text: str) -> Scenario:
    """A valid scenario from inline YAML (dedented); fails the test, listing the problems,
    if it is invalid."""
    loaded, problems = validate_text(textwrap.dedent(text))
    errors = [p for p in problems if p.severity == "error"]
    assert loaded is not None and not errors, "\n".join(str(p) for p in problems)
    return loaded


def from_data(data: dict) -> Scenario:
    """A valid scenario from a random scenario's data (tests/generators.py), written as
    YAML; a mediated package solves a Nash product by 40 sweeps of bisection each round
    (~0.2 s at any batch size), so one round of it is kept."""
    import yaml

    for session in data["sessions"]:
        if session.get("protocol") == "mediated" and session["package"]:
            session["rounds"] = 1
    loaded, problems = validate_text(yaml.safe_dump(data, sort_keys=False))
    assert loaded is not None, "\n".join(map(str, problems))
    return loaded


def cli_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "armsim.cli", *map(str, args)]


def cli_environment() -> dict[str, str]:
    """This environment without a Dask scheduler (sweeps run on local processes), with the
    armsim of this tree first on the path (from any working folder)."""
    env = {k: v for k, v in os.environ.items() if k != "DASK_SCHEDULER_ADDRESS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def armsim_cli(*args: object, timeout: float = 300, cwd: Path | None = None
               ) -> subprocess.CompletedProcess[str]:
    """Run ``armsim ARGS...`` as a person does, in a real process (in folder ``cwd``):
    never a traceback, never armsim's report of its own bug."""
    done = subprocess.run(cli_command(*args), capture_output=True, text=True,
                          timeout=timeout, check=False, env=cli_environment(), cwd=cwd)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert "unexpected error" not in done.stderr, done.stderr
    assert "this is a bug" not in done.stderr, done.stderr
    return done


@contextlib.contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted on ``folder`` (made if missing) with mount ``options`` (e.g.
    ``size=2M`` or ``size=1M,ro``), unmounted afterwards; skips the test where this
    process may not mount one."""
    folder.mkdir(parents=True, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                      capture_output=True).returncode:
        pytest.skip(f"cannot mount a tmpfs ({options}) here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


#: below the 32 MiB from which glibc maps a block on its own (armsim.runner.MMAP_THRESHOLD)
SECOND_BLOCK = 16 << 20


class FaultsOfASecondBlock:
    """A chunk-runner job whose chunk allocates, touches and frees a 16 MiB block, then
    counts the page faults of touching a second one (what a chunk's temporaries pay):
    how the tests see whether a worker keeps the memory it frees
    (armsim.runner.keep_freed_memory), in local workers and in Dask's."""

    version = __version__

    def evaluate(self, start: int, stop: int) -> dict:
        import resource                 # Unix's

        np.ones(SECOND_BLOCK // 8)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        np.ones(SECOND_BLOCK // 8)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        return {"faults": np.array([after - before] * (stop - start))}
