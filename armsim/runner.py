"""The chunk runner: chunks of runs in this process, on local processes, on any
``concurrent.futures.Executor`` or on Dask, for ``armsim run`` and sweeps alike.

A *job* is a picklable object with ``evaluate(start, stop) -> {output: (stop - start,)}``
(a :class:`~armsim.batch.BatchJob` for a batch, a
:class:`~armsim.experiments.plan.Plan` for a sweep); a chunk is ``(start, stop)``.
:func:`run_chunks` yields ``(index, outputs)`` as the chunks finish. Row ``r`` is a pure
function of (seed, r), so who runs which chunk, in which order and in chunks of which
size never changes a number.

**Default chunk size** (:func:`default_chunk`): at least two chunks per worker, each of
at most 16,384 rows (a worker's memory stays small) and, unless the batch is smaller, at
least 1,024, in a number of chunks that is a multiple of the workers, so that they
finish together (10^5 rows on two workers: eight chunks of 12,500, not six of 16,384
and one of 1,696). Small batches (at most 1,024 rows: one chunk) run in this process.

**Local processes** are forked (so plain scripts need no ``__main__`` guard), get the
job once (not with every chunk), ignore Ctrl-C (the main process ends them), and exit
by themselves within about a second when the main process dies, even by ``kill -9``.
At most a few chunks per worker are in flight at a time, so a batch of many chunks
never holds all of them in memory at once. Every worker process (local, an executor's or
Dask's) keeps the memory its chunks free for the next (:func:`keep_freed_memory`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from typing import Any, Protocol

import numpy as np

from armsim import __version__

Chunk = tuple[int, int]
Outputs = dict[str, np.ndarray]
MIN_CHUNK, MAX_CHUNK = 1024, 16384
SCHEDULER_VARIABLE = "DASK_SCHEDULER_ADDRESS"
IN_FLIGHT = 3           # chunks submitted ahead per worker (local processes, executors)
PARENT_CHECK = 0.25     # seconds between a local worker's checks that its parent lives


class Job(Protocol):
    def evaluate(self, start: int, stop: int) -> Outputs: ...


class Chunks(Sequence[Chunk]):
    """Rows ``start:stop`` cut into chunks of ``size``, made on demand (a batch of 10^9
    runs is a few numbers, not 10^9 indices); ``first`` makes the first chunk that long
    (the runs whose trajectories the figures keep)."""

    def __init__(self, start: int, stop: int, size: int, first: int | None = None):
        if size < 1:
            raise ValueError(f"chunk must be at least 1, got {size}")
        self.start, self.stop, self.size = start, stop, size
        self.first = min(first, stop - start) if first else 0
        rest = stop - start - self.first
        self._count = (1 if self.first else 0) + max(0, -(-rest // size))

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        if self.first:
            if i == 0:
                return self.start, self.start + self.first
            lo = self.start + self.first + (i - 1) * self.size
        else:
            lo = self.start + i * self.size
        return lo, min(lo + self.size, self.stop)


def default_chunk(rows: int, workers: int | None = None) -> int:
    """Rows per chunk: a multiple of the workers' number of chunks, at least two each,
    1,024 to 16,384 rows each (module doc)."""
    n = local_workers(workers)
    count = max(2 * n, -(-rows // MAX_CHUNK))
    count = -(-count // n) * n
    return max(MIN_CHUNK, -(-rows // count))


def local_workers(workers: int | None) -> int:
    """Worker processes on this machine: ``workers``, or every core."""
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    return workers or os.cpu_count() or 1


def evaluate(job: Job, start: int, stop: int) -> Outputs:
    """A plain function for executors: ``job.evaluate(start, stop)``, refused by a
    worker whose armsim differs from the one that made the job. In a worker process
    (a child of another Python process: a pool's, an executor's, a Dask nanny's) glibc
    keeps the memory a chunk frees for the next (:func:`keep_freed_memory`), and before
    its first chunk the memory a chunk works in (the job's ``working_bytes(rows)``, where
    it has one) is faulted in at once (:func:`warm_heap`)."""
    version = getattr(job, "version", __version__)
    if version != __version__:
        raise RuntimeError(f"this worker has armsim {__version__} but the work was planned "
                           f"with {version}: install the same armsim everywhere")
    if not _KEEPING and multiprocessing.parent_process() is not None:
        if keep_freed_memory():
            warm_heap(getattr(job, "working_bytes", lambda rows: 0)(stop - start))
    return job.evaluate(start, stop)


#: glibc's thresholds in worker processes: blocks from 32 MiB up are mapped on their own
#: (glibc's own ceiling for this threshold), and up to 256 MiB of freed memory at the top
#: of the heap is kept rather than handed back to the system
MMAP_THRESHOLD, TRIM_THRESHOLD = 32 << 20, 256 << 20
_KEEPING = False


def keep_freed_memory() -> bool:
    """Let glibc keep the memory this process frees for its next allocations, instead of
    handing it back to the system and faulting it in again, page by page, on the next
    chunk (glibc's defaults start low and adapt only after a process has freed large
    blocks: a fresh worker's first chunks took 10-30% longer, with 2,000-6,000 page faults
    each against about 200). Set once per worker process, where armsim's chunks are
    the process's work; a no-op (False) where the C library is not glibc. Dask's nanny
    sets ``MALLOC_TRIM_THRESHOLD_=65536`` for its workers: this overrides it."""
    global _KEEPING
    _KEEPING = True
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):      # not a C library with mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    m_trim_threshold, m_mmap_threshold = -1, -3          # glibc's <malloc.h>
    return bool(mallopt(m_mmap_threshold, MMAP_THRESHOLD)
                and mallopt(m_trim_threshold, TRIM_THRESHOLD))


def warm_heap(nbytes: int) -> None:
    """Touch about ``nbytes`` of heap (at most :data:`TRIM_THRESHOLD`) in blocks that
    glibc keeps once freed (below :data:`MMAP_THRESHOLD`), so that a worker's first chunk
    finds its memory in place: NumPy asks for large pages for such blocks, and faulting
    64 MiB in as 2 MiB pages took about 2,000 faults where the first chunk of the
    article scenario faulted 15,000 small ones (30-40 ms, a quarter of the chunk)."""
    block = 16 << 20
    count = -(-min(int(nbytes), TRIM_THRESHOLD) // block)
    blocks = [np.ones(block // 8) for _ in range(count)]
    del blocks


def run_chunks(job: Job, chunks: Sequence[Chunk], todo: Iterable[int] | None = None, *,
               executor: Any = None, workers: int | None = None
               ) -> Iterator[tuple[int, Outputs]]:
    """Yield ``(index, outputs)`` for the chunks numbered ``todo`` (default: all), as
    they finish.

    ``executor``: None (local: this process for one worker or one chunk, else a pool
    of ``workers`` forked processes, every core by default, for more than 1,024 rows
    in more than one chunk; a Dask scheduler named by
    the ``DASK_SCHEDULER_ADDRESS`` variable is used instead when set and ``workers``
    is not), a ``concurrent.futures.Executor``, a ``dask.distributed.Client``, or a
    scheduler address (``"tcp://host:8786"``; ``"local"`` starts a LocalCluster of
    ``workers``). A scheduler that cannot be reached raises ``ConnectionError``.
    """
    todo = range(len(chunks)) if todo is None else todo
    if not isinstance(todo, (range, list, tuple)):
        todo = list(todo)
    if not len(todo):
        return
    drop = "drop --scheduler"
    if executor is None and os.environ.get(SCHEDULER_VARIABLE) and workers is None:
        executor = os.environ[SCHEDULER_VARIABLE]
        drop = f"unset {SCHEDULER_VARIABLE} (which names it) to run on local processes"
    if isinstance(executor, str):
        yield from _on_scheduler(job, chunks, todo, executor, workers, drop)
    elif _is_dask_client(executor):
        yield from _on_dask(job, chunks, todo, executor)
    elif isinstance(executor, Executor):
        window = IN_FLIGHT * (getattr(executor, "_max_workers", None) or local_workers(None))
        yield from _windowed(lambda i: executor.submit(evaluate, job, *chunks[i]), todo,
                             window)
    elif executor is not None:
        raise TypeError("executor is a concurrent.futures.Executor, a dask.distributed.Client "
                        f"or a scheduler address, not {type(executor).__name__}")
    else:
        n = local_workers(workers)
        if n == 1 or len(todo) == 1 or _few_rows(chunks, todo):
            for i in todo:
                yield i, evaluate(job, *chunks[i])
        else:
            _load_kernel(chunks, todo)
            yield from _on_pool(job, chunks, todo, n)


def _load_kernel(chunks: Sequence[Chunk], todo: Sequence[int]) -> None:
    """Load the compiled kernel here, before the workers are forked, when their chunks
    will use it (:func:`armsim.core.compiled.wanted`): they inherit it instead of each
    loading it (or compiling it, the first time) on its own."""
    from armsim.core import compiled

    largest = max(chunks[i][1] - chunks[i][0] for i in todo)
    if compiled.wanted(largest):
        compiled.load()


def _few_rows(chunks: Sequence[Chunk], todo: Sequence[int]) -> bool:
    """At most :data:`MIN_CHUNK` rows in all: not worth starting processes for."""
    rows = 0
    for i in todo:
        start, stop = chunks[i]
        rows += stop - start
        if rows > MIN_CHUNK:
            return False
    return True


def _windowed(submit: Callable[[int], Future], todo: Sequence[int], window: int
              ) -> Iterator[tuple[int, Outputs]]:
    """Submit ``window`` chunks ahead, yield each as it finishes; cancel the rest on exit."""
    pending: dict[Future, int] = {}
    queue = iter(todo)
    try:
        for i in queue:
            pending[submit(i)] = i
            if len(pending) >= window:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                i = pending.pop(future)
                yield i, future.result()
                following = next(queue, None)
                if following is not None:
                    pending[submit(following)] = following
    finally:
        for future in pending:
            future.cancel()


# -- local processes -----------------------------------------------------------------

_JOB: dict[str, Any] = {}


def _install(job: Job, parent: int) -> None:
    """Pool initialiser: each process receives the job once, not with every chunk.

    A Ctrl-C in a terminal goes to every process of the foreground group, the pool's
    workers included; they ignore it (an idle worker would otherwise print a
    KeyboardInterrupt traceback), and the main process, which gets it too, ends them.
    A watchdog thread ends the worker once ``parent`` is gone (killed by ``kill -9``,
    it can no longer end them, and they would wait on their pipe forever).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # forked with Ctrl-C blocked (see _forking): one that came meanwhile is now ignored
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _JOB["job"] = job
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True,
                     name="armsim-parent-watchdog").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def _pooled(start: int, stop: int) -> Outputs:
    return evaluate(_JOB["job"], start, stop)


def _on_pool(job: Job, chunks: Sequence[Chunk], todo: Sequence[int], workers: int
             ) -> Iterator[tuple[int, Outputs]]:
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_install, initargs=(job, os.getpid()))
    finished = False
    try:
        yield from _windowed(lambda i: _forking(pool.submit, _pooled, *chunks[i]), todo,
                             IN_FLIGHT * workers)
        finished = True
    finally:
        if not finished:        # interrupted or failed: the chunks still running are lost
            _end_workers(pool)
        # wait for the pool's manager thread: left running, it races the interpreter's
        # exit hook over its wake-up pipe and Python prints an OSError traceback
        pool.shutdown(wait=True, cancel_futures=True)


def _forking(submit: Callable[..., Future], *args: Any) -> Future:
    """``submit(*args)`` with Ctrl-C blocked in this thread: a pool forks its workers inside
    its first submit, and a worker that got a Ctrl-C between the fork and its initialiser
    (which ignores it) would print a KeyboardInterrupt traceback from Python's fork hooks.
    The signal stays pending here and arrives as soon as the submit returns."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return submit(*args)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the pool's processes, which ignore Ctrl-C (see :func:`_install`), so
    that an interrupted batch neither waits for the chunks they are running nor leaves
    them running."""
    terminate = getattr(pool, "terminate_workers", None)      # Python 3.14
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


# -- Dask ----------------------------------------------------------------------------

def _is_dask_client(executor: Any) -> bool:
    return type(executor).__module__.startswith("distributed") and hasattr(executor, "scatter")


def _on_dask(job: Job, chunks: Sequence[Chunk], todo: Sequence[int], client: Any
             ) -> Iterator[tuple[int, Outputs]]:
    from distributed import as_completed as dask_completed

    shared = client.scatter(job, broadcast=True)
    futures = [client.submit(evaluate, shared, *chunks[i], pure=False,
                             key=f"armsim-chunk-{i}-{os.urandom(4).hex()}") for i in todo]
    index = {f.key: i for f, i in zip(futures, todo)}
    try:
        for future in dask_completed(futures):
            yield index[future.key], future.result()
            future.release()
    finally:
        client.cancel(futures)


def connect(address: str, workers: int | None = None, drop: str = "drop --scheduler") -> Any:
    """A ``dask.distributed.Client`` for ``address`` (``"local"``: a new LocalCluster
    of ``workers``); ``ConnectionError`` saying what to do if there is none."""
    try:
        from distributed import Client
    except ImportError:
        raise ConnectionError("a Dask scheduler needs the distributed extra: pip install "
                              f"'armsim[distributed]', or {drop}") from None
    if address == "local":
        return local_cluster(local_workers(workers))
    try:
        return Client(address, timeout="10s")
    except (ValueError, TypeError) as exc:
        raise ConnectionError(f"{address!r} is not a Dask scheduler address ({exc}): give one "
                              "such as tcp://host:8786, or 'local' for a cluster on this "
                              f"machine, or {drop}") from None
    except OSError as exc:
        raise ConnectionError(f"no Dask scheduler answers at {address} ({exc}); start one "
                              f"with `dask scheduler`, or {drop}") from None


def _on_scheduler(job: Job, chunks: Sequence[Chunk], todo: Sequence[int], address: str,
                  workers: int | None, drop: str) -> Iterator[tuple[int, Outputs]]:
    client = connect(address, workers, drop)
    try:
        yield from _on_dask(job, chunks, todo, client)
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


def in_order(results: Iterator[tuple[int, Outputs]], first: int = 0
             ) -> Iterator[Outputs]:
    """The outputs of chunks ``first, first + 1, ...`` in that order, from results that
    come as they finish (later ones wait until those before them are in)."""
    waiting: dict[int, Outputs] = {}
    following = first
    for i, outputs in results:
        waiting[i] = outputs
        while following in waiting:
            yield waiting.pop(following)
            following += 1


__all__ = ["Chunks", "connect", "default_chunk", "evaluate", "in_order", "local_cluster",
           "local_workers", "run_chunks", "unset_malloc_trim"]
