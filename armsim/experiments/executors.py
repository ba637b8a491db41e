"""Where a sweep's chunks run: this process, local processes, any executor, or Dask.

Every chunk is rows ``start:stop`` of a :class:`~armsim.experiments.plan.Plan`; a
worker runs them and sends back only the per-run outputs (the trajectories never
leave it). Chunks come back as they finish, each with its index, so the caller can
store them at once; results never depend on who ran which chunk.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from typing import Any

import numpy as np

from armsim.experiments.plan import Plan, evaluate_rows

Chunk = tuple[int, int]
SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"


def run_chunks(plan: Plan, chunks: Sequence[Chunk], todo: Sequence[int], *,
               executor: Any = None, workers: int | None = None
               ) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    """Yield ``(index, outputs)`` for the chunks numbered ``todo``, as they finish.

    ``executor``: None (local: this process for one worker or one chunk, else a
    process pool of ``workers``, all cores by default; a Dask scheduler named by the
    ``DASK_SCHEDULER_ADDRESS`` variable is used instead when set), a
    ``concurrent.futures.Executor``, a ``dask.distributed.Client``, or a scheduler
    address (``"tcp://host:8786"``; ``"local"`` starts a LocalCluster of ``workers``).
    """
    if not todo:
        return
    drop = "drop --scheduler"
    if executor is None and os.environ.get(SCHEDULER_VARIABLE) and workers is None:
        executor = os.environ[SCHEDULER_VARIABLE]
        drop = f"unset {SCHEDULER_VARIABLE} (which names it) to run on local processes"
    if isinstance(executor, str):
        yield from _on_scheduler(plan, chunks, todo, executor, workers, drop)
    elif _is_dask_client(executor):
        yield from _on_dask(plan, chunks, todo, executor)
    elif isinstance(executor, Executor):
        yield from _on_executor(plan, chunks, todo, executor)
    elif executor is not None:
        raise TypeError("executor is a concurrent.futures.Executor, a dask.distributed.Client "
                        f"or a scheduler address, not {type(executor).__name__}")
    else:
        n = local_workers(workers)
        if n == 1 or len(todo) == 1:
            for i in todo:
                yield i, plan.evaluate(*chunks[i])
        else:
            yield from _on_pool(plan, chunks, todo, n)


def local_workers(workers: int | None) -> int:
    """Worker processes for a local sweep: ``workers``, or every core."""
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    return workers or os.cpu_count() or 1


_PLAN: dict[str, Plan] = {}


def _install(plan: Plan) -> None:
    """Pool initialiser: each process receives the plan once, not with every chunk.

    A Ctrl-C in a terminal goes to every process of the foreground group, the pool's
    workers included; they ignore it (an idle worker would otherwise print a
    KeyboardInterrupt traceback), and the sweep's process, which gets it too, ends them.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _PLAN["plan"] = plan


def _pooled(start: int, stop: int) -> dict[str, np.ndarray]:
    return _PLAN["plan"].evaluate(start, stop)


def _on_pool(plan: Plan, chunks: Sequence[Chunk], todo: Sequence[int], workers: int
             ) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    # fork (Linux's default), so that plain scripts need no ``if __name__ == "__main__"``
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_install, initargs=(plan,))
    finished = False
    try:
        futures = {pool.submit(_pooled, *chunks[i]): i for i in todo}
        for future in as_completed(futures):
            yield futures[future], future.result()
        finished = True
    finally:
        if not finished:        # interrupted or failed: the chunks still running are lost
            _end_workers(pool)
        # wait for the pool's manager thread: left running, it races the interpreter's
        # exit hook over its wake-up pipe and Python prints an OSError traceback
        pool.shutdown(wait=True, cancel_futures=True)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's processes, which ignore Ctrl-C (see :func:`_install`), so
    that an interrupted sweep neither waits for the chunks they are running nor leaves
    them running."""
    terminate = getattr(pool, "terminate_workers", None)      # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


def _on_executor(plan: Plan, chunks: Sequence[Chunk], todo: Sequence[int], executor: Executor
                 ) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    futures = {executor.submit(evaluate_rows, plan, *chunks[i]): i for i in todo}
    try:
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        for future in futures:
            future.cancel()


def _is_dask_client(executor: Any) -> bool:
    return type(executor).__module__.startswith("distributed") and hasattr(executor, "scatter")


def _on_dask(plan: Plan, chunks: Sequence[Chunk], todo: Sequence[int], client: Any
             ) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    from distributed import as_completed as dask_completed

    shared = client.scatter(plan, broadcast=True)
    futures = [client.submit(evaluate_rows, shared, *chunks[i], pure=False,
                             key=f"armsim-chunk-{i}-{os.urandom(4).hex()}") for i in todo]
    index = {f.key: i for f, i in zip(futures, todo)}
    try:
        for future in dask_completed(futures):
            yield index[future.key], future.result()
            future.release()
    finally:
        client.cancel(futures)


def _on_scheduler(plan: Plan, chunks: Sequence[Chunk], todo: Sequence[int], address: str,
                  workers: int | None, drop: str = "drop --scheduler"
                  ) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
    if address == "local":
        client = local_cluster(local_workers(workers))
    else:
        from distributed import Client

        try:
            client = Client(address, timeout="10s")
        except OSError as exc:
            raise ConnectionError(f"no Dask scheduler answers at {address} ({exc}); start "
                                  f"one with `dask scheduler`, or {drop}") from None
    try:
        yield from _on_dask(plan, chunks, todo, client)
    finally:
        cluster = client.cluster if address == "local" else None
        client.close()
        if cluster is not None:
            cluster.close()


def local_cluster(n_workers: int = 2, **options: Any) -> Any:
    """A ``dask.distributed.Client`` on a new LocalCluster of single-threaded worker
    processes, with glibc's ``MALLOC_TRIM_THRESHOLD_`` left unset in the workers.

    Dask's nanny sets that variable to 65536 by default, which makes NumPy's large
    temporaries go back to the system and be faulted in again on every operation
    (about half the speed for armsim's kernel). Close the client and its cluster
    when done (``client.close(); client.cluster.close()``).
    """
    from distributed import Client, LocalCluster

    with unset_malloc_trim():
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=options.pop("dashboard_address", ":0"),
                               **options)
    return Client(cluster)


class unset_malloc_trim:
    """Within this block, Dask nannies start workers without ``MALLOC_TRIM_THRESHOLD_``.

    ``distributed`` is imported first: importing it later would merge its defaults,
    the variable included, back into the configuration (dask/distributed#8143).
    """

    KEY = "distributed.nanny.pre-spawn-environ"

    def __enter__(self) -> "unset_malloc_trim":
        import dask
        import distributed  # noqa: F401  (its defaults must be loaded before we edit them)

        environ = dict(dask.config.get(self.KEY, default={}) or {})
        environ.pop("MALLOC_TRIM_THRESHOLD_", None)
        self._config = dask.config.set({self.KEY: environ})
        self._config.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._config.__exit__(*exc)
