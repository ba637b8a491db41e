"""The first command a user types, ``armsim run geneva_2022`` (1,000 runs, runs.csv and
four figures), timed whole in a fresh interpreter, and its figures alone.

Issue 12 asks for the whole command under 2 s wall on the 2-core reference machine
(it took 5.8 s when filed, 2.8-3.5 s before the figures were laid out by hand and
drawn in two processes). Run on an idle machine: the figures use both cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import armsim
from armsim.plot import write_figures
from armsim.plot.data import prepare
from armsim.plot.style import save_png
from armsim.plot.write import _figures

ROOT = Path(__file__).resolve().parent.parent


def test_first_command(benchmark, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "armsim.cli", "run", "geneva_2022", "--out",
               str(tmp_path / "out"), "-q"]

    def first_command():
        subprocess.run(command, check=True, capture_output=True, env=env)

    benchmark.pedantic(first_command, rounds=5, iterations=1, warmup_rounds=1)
    assert len(list((tmp_path / "out").glob("*.png"))) == 4


@pytest.fixture(scope="module")
def geneva_results():
    return armsim.run(ROOT / "scenarios" / "geneva_2022.yaml", runs=1_000)


@pytest.mark.parametrize("workers", [1, 2])
def test_write_figures(benchmark, geneva_results, tmp_path, workers):
    written = benchmark.pedantic(write_figures, args=(geneva_results, tmp_path),
                                 kwargs={"workers": workers}, rounds=5, iterations=1,
                                 warmup_rounds=1)
    assert len(written) == 4


@pytest.mark.parametrize("name", ["outcomes.png", "tension.png", "forces.png", "dance.png"])
def test_one_figure(benchmark, geneva_results, tmp_path, name):
    data = prepare(geneva_results)
    draw = _figures()[name][0]
    benchmark.pedantic(lambda: save_png(draw(data), tmp_path / name), rounds=5,
                       iterations=1, warmup_rounds=1)
