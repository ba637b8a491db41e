"""Sweeps under faults: a killed main process, a full disk, damaged and foreign chunks,
a bad scheduler and an absurd design; and a Ctrl-C of ``armsim run``, whose chunks go to
the same local workers. Each ends with a message saying what happened and what to do
(exit 2 from the command line), nothing hangs, nothing is mixed or lost."""

from __future__ import annotations

import errno
import shutil
import signal
import subprocess

import pytest
import xarray as xr
from experiments_helpers import SCENARIO, chunk_files, ctrl_c_in_a_terminal, wait_for_children
from helpers import armsim_cli, cli_command, cli_environment, tmpfs

import armsim.experiments.store
from armsim.experiments import StoreError, sweep
from armsim.experiments.store import StoreWarning

PARAMS = {"actors.russia.reservation": [0.3, 0.6], "environment.noise": [0.0, 0.5]}
RUNS, SEED, CHUNK = 5, 4, 6                # 4 points x 5 runs = 20 rows: chunks of 6, 6, 6, 2


def stored(out, **options):
    settings = {"runs": RUNS, "seed": SEED, "chunk": CHUNK, "workers": 1, **options}
    return sweep(SCENARIO, PARAMS, out=out, **settings)


@pytest.fixture(scope="module")
def reference():
    """The sweep, uninterrupted and in memory."""
    return sweep(SCENARIO, PARAMS, runs=RUNS, seed=SEED, chunk=CHUNK, workers=1)


def test_workers_end_when_the_sweep_is_killed(tmp_path):
    """kill -9 of the main process: its pool's workers, forked from it, exit by
    themselves (they would otherwise wait on their pipe forever)."""
    import psutil

    args = ["sweep", SCENARIO, "-p", "actors.russia.reservation=0.3,0.4,0.5,0.6",
            "--runs", 20000, "--chunk", 2000, "--workers", 2, "--out", tmp_path / "killed",
            "--no-plots", "--quiet"]
    process = subprocess.Popen(cli_command(*args), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=cli_environment())
    children: list = []
    alive: list = []
    try:
        children = wait_for_children(process, 2)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        _, alive = psutil.wait_procs(children, timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
        for child in children:          # orphans, if the test fails: end them
            if child.is_running():
                child.kill()
    assert alive == [], f"{len(alive)} workers outlived the killed sweep"


def test_ctrl_c_in_a_terminal_stops_a_run_and_its_workers(tmp_path):
    """The whole process group gets the Ctrl-C: the workers ignore it, the run ends
    them, writes the runs finished so far and says so; exit 130, no traceback."""
    import psutil

    process = subprocess.Popen(
        cli_command("run", SCENARIO, "--runs", 400_000, "--workers", 2, "--out",
                    tmp_path / "out", "--no-plots", "--quiet"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=cli_environment(),
        start_new_session=True)
    children = wait_for_children(process, 2)
    code, err = ctrl_c_in_a_terminal(process)
    assert code == 130 and "interrupted" in err, err
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []


def test_a_full_disk_says_so_and_resume_finishes_the_sweep(tmp_path, monkeypatch, reference):
    real = armsim.experiments.store._write_netcdf
    writes = []

    def full_after_two(data, path):
        writes.append(path.name)
        if len(writes) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(data, path)

    monkeypatch.setattr(armsim.experiments.store, "_write_netcdf", full_after_two)
    out = tmp_path / "full"
    with pytest.raises(StoreError) as info:
        stored(out)
    message = str(info.value)
    assert f"the disk holding {out} is full" in message
    assert "the 2 chunks stored so far are kept" in message and "--resume" in message
    assert len(chunk_files(out)) == 2
    assert not list((out / "chunks").glob(".*.tmp"))      # no half-written chunk left
    monkeypatch.setattr(armsim.experiments.store, "_write_netcdf", real)
    xr.testing.assert_identical(stored(out, resume=True), reference)


def test_a_full_tmpfs_is_a_message_and_exit_2(tmp_path):
    """A real full disk: a 2 MiB tmpfs (needs the right to mount one)."""
    with tmpfs(tmp_path / "disk", "size=2M") as disk:
        done = armsim_cli("sweep", SCENARIO, "-p", "environment.verification=0.3..0.9:40",
                          "--runs", 200, "--chunk", 400, "--workers", 1, "--out", disk / "s",
                          "--no-plots", "--quiet")
        assert done.returncode == 2, done.stderr
        assert f"the disk holding {disk / 's'} is full" in done.stderr
        assert "Free some space, then run the same command with --resume" in done.stderr
        assert "this is a bug" not in done.stderr
        assert not [p for p in (disk / "s" / "chunks").iterdir() if p.name.endswith(".tmp")]


def test_a_truncated_chunk_is_computed_again_with_a_warning(tmp_path, reference):
    out = tmp_path / "damaged"
    stored(out)
    chunk = out / "chunks" / "000001.nc"
    chunk.write_bytes(chunk.read_bytes()[:200])          # cut short, as by a full disk
    with pytest.warns(StoreWarning, match=f"{chunk} is damaged .*: it is computed again"):
        resumed = stored(out, resume=True)
    xr.testing.assert_identical(resumed, reference)


def test_a_chunk_of_another_sweep_is_computed_again_with_a_warning(tmp_path, reference):
    """A chunk copied in from a sweep of another seed has the same name and rows; its
    fingerprint (of sweep.json's content) tells it apart."""
    out, other = tmp_path / "mine", tmp_path / "other"
    stored(out)
    stored(other, seed=SEED + 1)
    shutil.copy(other / "chunks" / "000002.nc", out / "chunks" / "000002.nc")
    with pytest.warns(StoreWarning, match="000002.nc belongs to another sweep"):
        resumed = stored(out, resume=True)
    xr.testing.assert_identical(resumed, reference)


def test_the_command_line_prints_the_warning_and_finishes(tmp_path):
    out = tmp_path / "cli"
    args = ["sweep", SCENARIO, "-p", "actors.russia.reservation=0.3,0.6", "--runs", RUNS,
            "--seed", SEED, "--chunk", CHUNK, "--workers", 1, "--out", out, "--no-plots",
            "--quiet"]
    assert armsim_cli(*args).returncode == 0
    (out / "chunks" / "000000.nc").write_bytes(b"not netCDF")
    done = armsim_cli(*args, "--resume")
    assert done.returncode == 0, done.stderr
    assert f"warning: {out / 'chunks' / '000000.nc'} is damaged" in done.stderr
    assert "computed again" in done.stderr


@pytest.mark.parametrize("address", ["nonsense", "tcp://"])
def test_a_bad_scheduler_address_is_a_message(tmp_path, address):
    out = tmp_path / "sched"
    done = armsim_cli("sweep", SCENARIO, "-p", "environment.verification=0.3,0.9",
                      "--runs", 4, "--scheduler", address, "--out", out, "--no-plots")
    assert done.returncode == 2
    assert f"{address!r} is not a Dask scheduler address" in done.stderr, done.stderr
    assert "this is a bug" not in done.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_a_design_of_absurd_size_is_refused_by_its_size():
    """10^8 grid levels x 1,000 runs: refused before any level is made (a grid of them
    would need gigabytes just for its list of points)."""
    done = armsim_cli("sweep", SCENARIO, "-p", "environment.verification=0.2..0.9:100000000",
                      "--no-plots")
    assert done.returncode == 2
    # docs/experiments.md: "at most 10^9 rows (points x runs)"
    assert ("the design has 100,000,000 points x 1,000 runs = 100,000,000,000 rows, more "
            "than a sweep holds (1,000,000,000 rows at most" in done.stderr), done.stderr
    assert "this is a bug" not in done.stderr


def test_design_size_counts_the_points_as_the_designs_table_says():
    """docs/experiments.md, Designs: a grid is every combination of levels (5 per range
    without steps), LHS n points (64), Sobol' n * (factors + 2) (n = 256)."""
    from armsim.experiments import factor
    from armsim.experiments.designs import design_size, make_design

    factors = [factor("environment.verification", "0.2..0.9:7"),
               factor("environment.noise", [0.0, 1.0, 2.0]),
               factor("environment.crisis.hazard", "0.01..0.03")]
    assert design_size(factors, "grid") == 7 * 3 * 5
    assert design_size(factors, "grid", 2) == 7 * 3 * 2
    assert design_size(factors, "lhs") == 64 and design_size(factors, "lhs", 10) == 10
    assert design_size(factors, "sobol") == 256 * 5 and design_size(factors, "sobol", 8) == 40
    for kind, n in (("grid", None), ("lhs", 10), ("sobol", 8)):
        assert make_design(factors, kind, n).size == design_size(factors, kind, n)
