"""The sweep store: a folder of whole chunks that a killed sweep resumes from.

The dataset assembled from stored chunks must be the one an uninterrupted sweep
gives; a resume must compute only the missing chunks and refuse a store that holds
a different sweep, naming what differs.
"""

from __future__ import annotations

import json
import math
import shutil
import signal
import subprocess
import time

import numpy as np
import pytest
import xarray as xr
from experiments_helpers import SCENARIO, chunk_files, ctrl_c_in_a_terminal, wait_for_children
from helpers import armsim_cli, cli_command, cli_environment

from armsim.experiments import StoreError, sweep

PARAMS = {"actors.russia.reservation": [0.3, 0.6], "environment.noise": [0.0, 0.5]}
RUNS, SEED, CHUNK = 5, 4, 6                # 4 points x 5 runs = 20 rows: chunks of 6, 6, 6, 2


def stored(out, params=PARAMS, **options):
    settings = {"runs": RUNS, "seed": SEED, "chunk": CHUNK, "workers": 1, **options}
    return sweep(SCENARIO, params, out=out, **settings)


def stats(paths):
    """What would change if a file were written again: its inode and modification time."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in paths}


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished store (not to be changed), and the dataset its sweep returned."""
    out = tmp_path_factory.mktemp("finished") / "sweep"
    return out, stored(out)


@pytest.fixture
def done(finished, tmp_path):
    """A copy of the finished store for one test to change, and its dataset."""
    original, data = finished
    return shutil.copytree(original, tmp_path / "sweep"), data


def test_a_store_holds_a_manifest_whole_chunks_and_the_dataset(finished):
    out, data = finished
    assert sorted(p.name for p in out.iterdir()) == [".lock", "chunks", "sweep.json", "sweep.nc"]
    files = chunk_files(out)
    assert [p.name for p in files] == ["000000.nc", "000001.nc", "000002.nc", "000003.nc"]
    manifest = json.loads((out / "sweep.json").read_text())
    assert (manifest["runs"], manifest["seed"], manifest["chunk"], manifest["points"],
            manifest["design"]) == (RUNS, SEED, CHUNK, 4, "grid")
    assert [f["path"] for f in manifest["factors"]] == list(PARAMS)
    # the chunks are consecutive rows, point-major: row p * runs + r is run r of point p
    rows = []
    for k, path in enumerate(files):
        with xr.open_dataset(path) as chunk:
            start, stop = k * CHUNK, min((k + 1) * CHUNK, 4 * RUNS)
            assert (chunk.attrs["start"], chunk.attrs["stop"]) == (start, stop)
            assert chunk.sizes["row"] == stop - start
            rows.append(chunk["mean_tension"].values)
    np.testing.assert_array_equal(np.concatenate(rows), data["mean_tension"].values.ravel())
    with xr.open_dataset(out / "sweep.nc") as on_disk:
        xr.testing.assert_identical(on_disk.load(), data)


def test_a_stored_sweep_is_the_sweep_in_memory(finished):
    _, data = finished
    xr.testing.assert_identical(data, sweep(SCENARIO, PARAMS, runs=RUNS, seed=SEED,
                                            workers=1))


def test_a_store_is_not_overwritten_without_resume(done):
    out, _ = done
    with pytest.raises(StoreError, match="already holds a sweep: add --resume"):
        stored(out)


@pytest.mark.parametrize("change, named", [
    ({"runs": RUNS + 1}, "runs"),
    ({"seed": SEED + 1}, "seed"),
    ({"chunk": CHUNK + 1}, "chunk"),
    ({"params": {**PARAMS, "environment.noise": [0.0, 0.7]}}, "factors"),
    ({"params": {"actors.russia.reservation": [0.3, 0.6]}}, "factors"),
    ({"overrides": {"environment.crisis.hazard": 0.1}}, "scenario_hash"),
])
def test_resuming_a_different_sweep_names_what_differs(done, change, named):
    out, _ = done
    before = stats(chunk_files(out) + [out / "sweep.json", out / "sweep.nc"])
    with pytest.raises(StoreError, match=f"holds a different sweep \\(.*{named}.*differ\\)"):
        stored(out, resume=True, **change)
    assert stats(chunk_files(out) + [out / "sweep.json", out / "sweep.nc"]) == before


def test_resuming_a_finished_sweep_computes_nothing(done):
    out, data = done
    before = stats(chunk_files(out))
    calls = []
    again = stored(out, resume=True, workers=2, progress=calls.append)   # workers may change
    assert calls == [4 * RUNS]                     # every row was done before it started
    assert stats(chunk_files(out)) == before
    xr.testing.assert_identical(again, data)


def test_resuming_computes_exactly_the_missing_chunks(done):
    out, data = done
    files = chunk_files(out)
    for lost in (files[1], files[3], out / "sweep.nc"):
        lost.unlink()
    kept = stats([files[0], files[2]])
    calls = []
    again = stored(out, resume=True, progress=calls.append)
    assert calls == [CHUNK + CHUNK, CHUNK, 2]      # done before, then chunks 1 and 3
    assert stats([files[0], files[2]]) == kept
    assert [p.name for p in chunk_files(out)] == [p.name for p in files]
    xr.testing.assert_identical(again, data)
    with xr.open_dataset(out / "sweep.nc") as on_disk:
        xr.testing.assert_identical(on_disk.load(), data)


def test_a_folder_that_holds_something_else_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="is not empty and holds no sweep"):
        stored(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_unreadable_manifest_is_refused(tmp_path):
    (tmp_path / "sweep.json").write_text("{not json")
    with pytest.raises(StoreError, match="cannot be read.*not an armsim sweep folder"):
        stored(tmp_path, resume=True)


# ------------------------------------------------------------------ kill and resume

KILL_PARAMS = ["actors.russia.reservation=0.3,0.4,0.5,0.6"]
KILL_RUNS, KILL_CHUNK = 150, 50            # 600 rows: 12 chunks, each a tenth of a second or more


def sweep_args(out, *more):
    params = [arg for text in KILL_PARAMS for arg in ("--param", text)]
    return ["sweep", SCENARIO, *params, "--runs", KILL_RUNS, "--seed", SEED, "--chunk",
            KILL_CHUNK, "--workers", 1, "--out", out, "--no-plots", "--quiet", *more]


def interrupt_when(out, ready, sig=signal.SIGKILL, args=(), timeout=90.0):
    """Start the sweep command, send it ``sig`` as soon as ``ready()``; its stderr and
    exit code."""
    process = subprocess.Popen(cli_command(*sweep_args(out, *args)), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=cli_environment())
    deadline = time.monotonic() + timeout
    try:
        while not ready():
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "the sweep did not get there in time"
            time.sleep(0.01)
    finally:
        process.send_signal(sig)
        code = process.wait(timeout=timeout)
        err = process.stderr.read()
        process.stderr.close()
    assert "Traceback" not in err, err
    return code, err


def kill_after_first_chunk(out, sig=signal.SIGKILL):
    """SIGKILL (or ``sig``) the sweep command as soon as one chunk is stored."""
    return interrupt_when(out, lambda: (out / "chunks").exists() and chunk_files(out), sig)


def test_a_killed_sweep_resumes_to_the_uninterrupted_dataset(tmp_path):
    out = tmp_path / "killed"
    kill_after_first_chunk(out)
    chunks = math.ceil(4 * KILL_RUNS / KILL_CHUNK)
    survivors = chunk_files(out)
    assert 1 <= len(survivors) < chunks, "the kill came too late to test a resume"
    assert not (out / "sweep.nc").exists()
    for path in survivors:                          # whole chunks only
        with xr.open_dataset(path) as chunk:
            assert chunk.sizes["row"] == KILL_CHUNK == chunk.attrs["stop"] - chunk.attrs["start"]
            assert np.isfinite(chunk["mean_tension"].values).all()
    before = stats(survivors)

    done = armsim_cli(*sweep_args(out, "--resume"))
    assert done.returncode == 0, done.stderr
    assert stats(survivors) == before              # the stored chunks were not recomputed
    assert len(chunk_files(out)) == chunks

    reference = sweep(SCENARIO, {"actors.russia.reservation": [0.3, 0.4, 0.5, 0.6]},
                      runs=KILL_RUNS, seed=SEED, workers=1, chunk=1000)
    with xr.open_dataset(out / "sweep.nc") as resumed:
        xr.testing.assert_identical(resumed.load(), reference)


def test_ctrl_c_after_a_chunk_says_how_to_resume(tmp_path):
    out = tmp_path / "stopped"
    code, err = kill_after_first_chunk(out, signal.SIGINT)
    assert code == 130
    done = len(chunk_files(out))
    assert done >= 1 and (out / "sweep.json").exists()
    assert f"interrupted: {done} chunk" in err and "--resume" in err, err


def test_ctrl_c_before_any_chunk_leaves_nothing_and_says_to_start_again(tmp_path):
    """One chunk of all 600 rows: the Ctrl-C comes once the sweep has started its
    store, long before that chunk is done."""
    out = tmp_path / "early"
    code, err = interrupt_when(out, (out / "sweep.json").exists, signal.SIGINT,
                               args=("--chunk", 4 * KILL_RUNS))
    assert code == 130
    assert "nothing was stored" in err and "--resume" not in err, err
    assert not (out / "sweep.json").exists() and not chunk_files(out)


def test_a_second_sweep_into_a_busy_folder_is_refused(tmp_path):
    """The folder is locked while a sweep writes to it: two writers would both compute
    every chunk."""
    from armsim.experiments import SweepStore

    first = SweepStore(tmp_path / "busy")
    first.open({"runs": 1}, resume=False)
    try:
        with pytest.raises(StoreError, match="another armsim command is writing"):
            SweepStore(tmp_path / "busy").open({"runs": 1}, resume=True)
    finally:
        first.close()
    after = SweepStore(tmp_path / "busy")
    assert after.open({"runs": 1}, resume=True) == set()
    after.close()


def _signal_then_sleep(started):
    started.set()
    time.sleep(30)


def test_forked_workers_do_not_keep_the_folder_locked(tmp_path):
    """A local pool forks its workers while the store is locked; were the sweep's
    process killed, they would otherwise hold the lock and refuse the --resume."""
    import multiprocessing

    from armsim.experiments import SweepStore

    first = SweepStore(tmp_path / "forked")
    first.open({"runs": 1}, resume=False)
    context = multiprocessing.get_context("fork")
    started = context.Event()
    child = context.Process(target=_signal_then_sleep, args=(started,))
    child.start()
    try:
        # the child's after-fork hooks run before its target: once it signals, it has
        # closed its copy of the lock (without the wait, start() may return first)
        assert started.wait(30)
        first.close()                                # the parent lets go; the child lives on
        again = SweepStore(tmp_path / "forked")
        assert again.open({"runs": 1}, resume=True) == set()
        again.close()
    finally:
        child.kill()
        child.join()


def test_a_sweep_whose_executor_fails_at_once_leaves_no_store(tmp_path):
    out = tmp_path / "nowhere"
    with pytest.raises(ConnectionError, match="no Dask scheduler answers"):
        stored(out, executor="tcp://127.0.0.1:1")
    assert not (out / "sweep.json").exists()
    again = stored(out)                              # the same command runs again
    xr.testing.assert_identical(again, stored(tmp_path / "plain"))


def test_a_resume_keeps_the_stored_chunking(tmp_path):
    out = tmp_path / "sweep"
    stored(out)
    (out / "chunks" / "000001.nc").unlink()
    (out / "sweep.nc").unlink()
    (out / "chunks" / ".000002.nc.99.tmp").write_text("cut off by a kill")
    resumed = sweep(SCENARIO, PARAMS, out=out, resume=True, runs=RUNS, seed=SEED, workers=1)
    assert json.loads((out / "sweep.json").read_text())["chunk"] == CHUNK
    assert not list((out / "chunks").glob(".*.tmp"))
    xr.testing.assert_identical(resumed, stored(tmp_path / "plain"))


def test_ctrl_c_in_a_terminal_stops_the_local_workers_without_a_traceback(tmp_path):
    """A terminal's Ctrl-C reaches the whole process group, the pool's workers too.
    Four workers for three chunks: one worker is idle (it would print a
    KeyboardInterrupt traceback); the sweep must say how to go on, end every worker
    and exit at once, without waiting for the chunks still running."""
    import psutil

    out = tmp_path / "terminal"
    args = [*sweep_args(out)]
    args[args.index("--runs") + 1] = 6000               # 24,000 rows: chunks of seconds
    args[args.index("--chunk") + 1] = 8000
    args[args.index("--workers") + 1] = 4
    process = subprocess.Popen(cli_command(*args), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env=cli_environment(),
                               start_new_session=True)      # its own group, as in a terminal
    children = wait_for_children(process, 4)
    time.sleep(0.5)                                         # the workers are under way
    assert process.poll() is None and not (out / "sweep.nc").exists()
    stopped = time.monotonic()
    code, err = ctrl_c_in_a_terminal(process)
    waited = time.monotonic() - stopped
    assert code == 130
    assert "interrupted" in err, err
    _, alive = psutil.wait_procs(children, timeout=5)
    assert not alive, "workers outlived the interrupted sweep"
    assert waited < 5, f"the sweep took {waited:.1f} s to stop"


def test_a_folder_that_cannot_be_made_is_a_store_error(tmp_path):
    """A --out that cannot be created (here a 'chunks' file where the store needs its
    folder) is a message naming the folder, not an unexpected OSError."""
    out = tmp_path / "taken"
    out.mkdir()
    (out / "chunks").write_text("not a folder")
    with pytest.raises(StoreError, match=f"cannot make the folder {out}.*choose another --out"):
        stored(out)


def test_an_out_that_cannot_be_written_exits_2_with_a_message(tmp_path):
    import sys

    if not sys.platform.startswith("linux"):
        pytest.skip("/proc refuses new folders on Linux")
    done = armsim_cli(*sweep_args("/proc/armsim-qa-sweep"))
    assert done.returncode == 2
    assert "cannot make the folder /proc/armsim-qa-sweep" in done.stderr
