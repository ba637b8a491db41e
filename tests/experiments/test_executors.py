"""Whoever runs the chunks, and however big they are, the dataset is the same.

The reference is one chunk in this process; every other way (chunks of any size,
local processes, any ``concurrent.futures`` executor, a Dask cluster by client,
by address or by ``DASK_SCHEDULER_ADDRESS``) must give an identical Dataset:
values, dtypes, coordinates and provenance.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest
import xarray as xr
from experiments_helpers import SCENARIO

from armsim.experiments import local_cluster, sweep

# a per-run number, a strategy (two groups) and noise 0 / not 0: 8 points x 8 runs
PARAMS = {"actors.russia.reservation": [0.3, 0.6],
          "actors.russia.strategy.type": ["boulware", "linear"],
          "environment.noise": [0.0, 0.5]}
RUNS, SEED = 8, 3
TINY = {"environment.noise": [0.0, 0.5]}
TRIM = "MALLOC_TRIM_THRESHOLD_"


def run(params=PARAMS, runs=RUNS, **options):
    return sweep(SCENARIO, params, runs=runs, seed=SEED, **options)


@pytest.fixture(scope="module")
def reference():
    return run(workers=1, chunk=16384)


@pytest.fixture(scope="module")
def dask_client():
    """armsim's LocalCluster of two worker processes, started without MALLOC_TRIM set
    here (so the workers could only get it from the nanny)."""
    saved = os.environ.pop(TRIM, None)
    client = local_cluster(2)
    try:
        yield client
    finally:
        client.close()
        client.cluster.close()
        if saved is not None:
            os.environ[TRIM] = saved


def test_the_reference_is_whole(reference):
    assert reference.sizes == {"point": 8, "run": RUNS}
    assert reference.attrs["runs"] == RUNS and reference.attrs["seed"] == SEED


@pytest.mark.parametrize("chunk", [7, 100, 16384])
def test_chunk_size_does_not_matter(reference, chunk):
    xr.testing.assert_identical(reference, run(workers=1, chunk=chunk))


def test_chunks_of_one_row():
    tiny = run(TINY, runs=3, workers=1, chunk=16384)
    assert tiny.sizes == {"point": 2, "run": 3}
    xr.testing.assert_identical(tiny, run(TINY, runs=3, workers=1, chunk=1))


def test_two_local_processes(reference):
    xr.testing.assert_identical(reference, run(workers=2, chunk=16))


def test_a_thread_pool(reference):
    with ThreadPoolExecutor(max_workers=2) as pool:
        xr.testing.assert_identical(reference, run(executor=pool, chunk=16))


def test_a_process_pool(reference):
    with ProcessPoolExecutor(max_workers=2) as pool:
        xr.testing.assert_identical(reference, run(executor=pool, chunk=16))


def test_a_dask_client(reference, dask_client):
    xr.testing.assert_identical(reference, run(executor=dask_client, chunk=16))


def test_a_dask_scheduler_named_by_the_variable(reference, dask_client, monkeypatch):
    """DASK_SCHEDULER_ADDRESS (read when no executor nor workers is given) is used as
    a scheduler address: a new client on the same cluster."""
    address = dask_client.scheduler.address
    assert address.startswith("tcp://")
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", address)
    xr.testing.assert_identical(reference, run(chunk=16))


def test_local_cluster_workers_are_single_threaded(dask_client):
    threads = dask_client.nthreads()
    assert len(threads) == 2 and set(threads.values()) == {1}


def test_local_cluster_workers_have_no_malloc_trim(dask_client):
    import dask

    environ = dask_client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert len(environ) == 2 and set(environ.values()) == {None}
    # and the configuration is left as it was: the nanny's default still sets it
    assert TRIM in dask.config.get("distributed.nanny.pre-spawn-environ")


def test_a_plain_local_cluster_would_set_malloc_trim(monkeypatch):
    """What the test above guards against: distributed's nanny sets the variable. A
    chunk evaluated in the worker sets glibc's thresholds all the same, which overrides
    it (armsim.runner.keep_freed_memory ran there; what it does to page faults is
    measured in tests/batch/test_runner.py, in local workers: in a Dask worker the chunk
    runs in a thread whose own malloc arena makes the count vary either way)."""
    from distributed import Client, LocalCluster

    from armsim.runner import Chunks, run_chunks
    from helpers import FaultsOfASecondBlock

    monkeypatch.delenv(TRIM, raising=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        environ = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        tuned_before = client.run(lambda: __import__("armsim.runner").runner._KEEPING)
        list(run_chunks(FaultsOfASecondBlock(), Chunks(0, 2, 1), executor=client))
        tuned_after = client.run(lambda: __import__("armsim.runner").runner._KEEPING)
    assert list(environ.values()) == ["65536"]
    assert list(tuned_before.values()) == [False] and list(tuned_after.values()) == [True]


def test_an_executor_of_another_kind_is_refused():
    with pytest.raises(TypeError, match="not int"):
        run(TINY, runs=2, executor=4)


@pytest.mark.parametrize("options", [{"runs": 0}, {"chunk": 0}, {"workers": 0, "runs": 2}])
def test_runs_chunk_and_workers_must_be_positive(options):
    with pytest.raises(ValueError, match="at least 1"):
        run(TINY, **{"runs": 2, "chunk": 1, **options})


def test_a_silent_scheduler_named_by_the_variable_says_to_unset_it(monkeypatch):
    """No --scheduler was given: the message must not tell the user to drop one."""
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", "tcp://127.0.0.1:1")
    with pytest.raises(ConnectionError) as raised:
        run(runs=2)
    assert "unset DASK_SCHEDULER_ADDRESS" in str(raised.value)
    assert "--scheduler" not in str(raised.value)
