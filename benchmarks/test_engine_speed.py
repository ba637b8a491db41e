"""Runs per second of the engine and of the whole ``armsim run``, scenario by scenario.

`make bench` runs these; README.md reports the numbers with the machine and its load.
Every benchmark records ``runs_per_second`` (and, where it applies, the peak memory, the
cores and the load average while it ran) in ``extra_info``, so ``--benchmark-json`` keeps
them beside the timings.

The matrix (issue 12):

- the engine alone (``armsim.batch.run_batch``, the kernel loaded beforehand) at 10^3
  runs in this process and at 10^5 and 10^6 runs on two worker processes;
- the whole command, ``armsim run NAME --runs N`` in a fresh interpreter (loading, the
  runs, runs.csv, summary.json and the four figures), at the same sizes, and for 10^6
  runs of the no-linkage variant also with ``--no-plots``, to set beside the engine;
- one run, ``armsim.run(NAME, runs=1)``, with the kernel loaded and without;

for the article scenario, its no-linkage and strong-verification variants (where every
run agrees: the compliance game runs every week), INF 1987 and Richardson's classic. The
first command and a sweep with a categorical factor are in test_first_command.py and
test_sweep_speed.py. No headline figure should come from the article scenario alone:
nothing is ever agreed there, so it never times the compliance game.

The limit to beat, for the record: a fused, compiled prototype of the same rounds (C with
SIMD maths, the same results for crises, collapses, compliance and payoffs) ran about
100,000 runs/s of no-linkage and 300,000 of the article scenario on the two cores of the
reference machine when issue 12 was filed (the NumPy engine then: 11,500 and 72,500).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

import armsim
from armsim.batch import run_batch
from armsim.core import compiled

ROOT = Path(__file__).resolve().parent.parent
MATRIX = ["geneva_2022", "geneva_2022_no_linkage", "geneva_2022_strong_verification",
          "inf_1987", "classics/richardson"]
SIZES = {1_000: 1, 100_000: 2, 1_000_000: 2}       # runs: worker processes


def _record(benchmark, runs: int, **more) -> None:
    benchmark.extra_info["runs_per_second"] = round(runs / benchmark.stats.stats.mean)
    benchmark.extra_info["load_average"] = round(os.getloadavg()[0], 2)
    benchmark.extra_info.update(more)


@pytest.fixture(scope="module", autouse=True)
def kernel():
    compiled.load()


def _loaded(name: str):
    from armsim.scenario import load_scenario

    return load_scenario(ROOT / "scenarios" / f"{name}.yaml")


@pytest.mark.parametrize("runs", list(SIZES))
@pytest.mark.parametrize("name", MATRIX)
def test_engine(benchmark, name, runs):
    scenario = _loaded(name)
    workers = SIZES[runs]
    run_batch(scenario, min(runs, 20_000), workers=workers)        # warm the pool's path
    out = benchmark.pedantic(run_batch, args=(scenario, runs), kwargs={"workers": workers},
                             rounds=1 if runs >= 10**6 else 3, iterations=1)
    assert len(out["agreement"]) == runs
    _record(benchmark, runs, cores=workers,
            peak_rss_mib_main=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


def _peak_mib(pid: int) -> int | None:
    """The process's peak resident memory so far (VmHWM), in MiB; None once it is gone."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def _command(name: str, runs: int, *extra: str) -> dict[str, float]:
    """``armsim run`` as a person types it, in a fresh interpreter; the peak memory of its
    main process, read from /proc every 20 ms while it runs (the rusage of a child forked
    from this process would count this process's own peak: Linux keeps ru_maxrss across
    exec)."""
    with tempfile.TemporaryDirectory() as folder:
        args = [sys.executable, "-m", "armsim.cli", "run", name, "--runs", str(runs),
                "--out", folder, "-q", *extra]
        child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)})
        peak = 0
        while child.poll() is None:
            peak = max(peak, _peak_mib(child.pid) or 0)
            time.sleep(0.02)
        assert child.returncode == 0, args
        return {"peak_rss_mib_main": peak}


@pytest.mark.parametrize("runs", list(SIZES))
@pytest.mark.parametrize("name", MATRIX)
def test_whole_command(benchmark, name, runs):
    memory = {}
    benchmark.pedantic(lambda: memory.update(_command(name, runs)),
                       rounds=1 if runs >= 10**6 else 3, iterations=1, warmup_rounds=0)
    _record(benchmark, runs, **memory)


def test_a_million_runs_without_figures(benchmark):
    """The output path: 10^6 runs of no-linkage written to runs.csv, to set beside
    test_engine[1000000-geneva_2022_no_linkage] (issue 12: within 1.5 times it, the main
    process under 1 GiB)."""
    memory = {}
    benchmark.pedantic(lambda: memory.update(_command("geneva_2022_no_linkage", 10**6,
                                                      "--no-plots")),
                       rounds=1, iterations=1)
    _record(benchmark, 10**6, **memory)


@pytest.mark.parametrize("kernel_loaded", [True, False], ids=["kernel", "numpy"])
@pytest.mark.parametrize("name", MATRIX)
def test_one_run(benchmark, name, kernel_loaded):
    """``armsim.run(name, runs=1)``: what explain, the Mesa model and the classroom pay
    per run (issue 12: under 5 ms for the article scenario)."""
    scenario = _loaded(name)
    compiled.use("auto" if kernel_loaded else "numpy")
    try:
        armsim.run(scenario, runs=1)
        benchmark.pedantic(armsim.run, args=(scenario,), kwargs={"runs": 1}, rounds=30,
                           iterations=1, warmup_rounds=3)
    finally:
        compiled.use(None)
    _record(benchmark, 1)
