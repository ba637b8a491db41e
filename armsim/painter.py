"""A process that draws the figures, started before a batch runs.

``armsim run``'s figures cost about two seconds of matplotlib: half a second importing
it, the rest (1.3-1.5 s of one core on a quiet host) making and laying out ticks and
text and rasterising. A painter is forked before the batch runs (where the platform
forks) and imports matplotlib, and what the figures' data need, while the runs are
computed; given the figures, it forks once more, so that two processes share the
drawing over both cores without importing matplotlib twice. What it fails to draw (it
was killed, or never got going) is left to the caller
(:func:`armsim.plot.write.write_figures` draws it).

A painter ignores Ctrl-C (the main process stops it) and ends by itself when the main
process goes away, even by ``kill -9``: its pipe closes. (This module stays outside
:mod:`armsim.plot`, whose package imports every figure: it must be light to import.)
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import warnings
from pathlib import Path
from typing import Any

#: seconds the painter is given to draw before the caller draws instead
PATIENCE = 120.0
#: ``armsim run`` starts a painter before the runs for batches up to this many runs
#: (larger ones compute long enough for matplotlib's import to hide behind them anyway)
EARLY_RUNS = 100_000
#: the painter started with the process (:func:`start_early`), until the command takes it
_early: Painter | None = None


class Painter:
    """A process, forked now, that will draw figures in ``ways`` processes (see the
    module doc). ``len(painter)`` is 0 where the platform does not fork."""

    def __init__(self, ways: int = 2) -> None:
        self.ways = ways
        self._proc: Any = None
        self._conn: Any = None
        self._sender: Any = None
        if not sys.platform.startswith("linux"):
            return
        context = multiprocessing.get_context("fork")
        mine, theirs = context.Pipe()
        with warnings.catch_warnings():      # forking with threads: it only draws and exits
            warnings.simplefilter("ignore", DeprecationWarning)
            self._proc = context.Process(target=_paint, args=(theirs, mine), daemon=True)
            self._proc.start()
        theirs.close()
        self._conn = mine

    def __len__(self) -> int:
        return self.ways if self._proc is not None else 0

    def draw(self, data: Any, folder: Path, shares: list[list[str]]) -> None:
        """Hand over the figures to draw, ``shares`` (one list of file names per process).
        The data go through the pipe from a thread (the painter reads them once it has
        imported matplotlib), so the caller goes on meanwhile."""
        self._shares = [n for share in shares for n in share]
        self._sender = threading.Thread(target=_send, args=(self._conn, (data, folder, shares)),
                                        daemon=True)
        self._sender.start()

    def done(self) -> list[str]:
        """Wait for the painter; returns the names it did not draw."""
        left = list(self._shares)
        try:
            self._sender.join(PATIENCE)
            if not self._sender.is_alive() and self._conn.poll(PATIENCE):
                left = list(self._conn.recv())
        except (EOFError, OSError):
            pass
        self.close()
        return left

    def close(self) -> None:
        """Send the painter home and reap it: one never given figures is stopped at once
        (it may still be importing matplotlib, and has written nothing), so that a
        command that ends early (a scenario that does not load) does not wait for it."""
        if self._proc is None:
            return
        if self._sender is None:
            self._proc.terminate()
        self._conn.close()
        self._proc.join(timeout=5)
        if self._proc.is_alive():
            self._proc.terminate()
            self._proc.join()
        self._proc = None


def _import_what_the_figures_need() -> None:
    """Import, while the runs are computed, what would otherwise be imported after they
    end, on the way to the figures: what unpickling the figures' data needs (results,
    scenario, spec: a fifth of a second) and what the dance draws with (the engine's
    bargaining rules, path effects, PIL's image plugins)."""
    import matplotlib.patheffects  # noqa: F401
    from PIL import Image

    import armsim.compile  # noqa: F401
    import armsim.core.offers  # noqa: F401
    import armsim.core.rules  # noqa: F401
    import armsim.core.talks  # noqa: F401
    import armsim.results  # noqa: F401

    Image.preinit()


def _send(conn: Any, job: Any) -> None:
    try:
        conn.send(job)
    except (BrokenPipeError, OSError):     # the painter is gone: done() finds it out
        pass


def _paint(conn: Any, parents_end: Any) -> None:
    """The painter: import matplotlib, wait for the figures, draw the first share here
    and each other share in a forked process; send back the names not drawn."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parents_end.close()
    try:
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.figure  # noqa: F401

        from armsim.plot.write import _draw, _figures

        _figures()                          # the figure modules, imported once
        _import_what_the_figures_need()
        job = conn.recv()                   # EOFError when the main process is gone
        if job is None:
            os._exit(0)
        data, folder, shares = job
        children = []
        for share in shares[1:]:
            pid = os.fork()
            if pid == 0:                    # a child draws its share and exits
                try:
                    _draw(data, folder, share)
                except BaseException:  # noqa: BLE001
                    os._exit(1)
                os._exit(0)
            children.append((pid, share))
        left: list[str] = []
        try:
            _draw(data, folder, shares[0])
        except BaseException:  # noqa: BLE001 - the caller draws what is left
            left += shares[0]
        for pid, share in children:
            _, status = os.waitpid(pid, 0)
            if status != 0:
                left += share
        conn.send(left)
    except BaseException:  # noqa: BLE001
        os._exit(1)
    os._exit(0)


def draws_figures(argv: list[str]) -> bool:
    """Whether the command line ``argv`` (the program first) is ``armsim run`` drawing
    figures for at most :data:`EARLY_RUNS` runs, as far as a glance at it tells (the
    scenario's own number of runs when none is given); whatever it cannot read says no,
    and the command decides once its options are parsed."""
    args = list(argv[1:])
    if not args or args[0] != "run":
        return False
    runs, i = None, 1
    while i < len(args):
        arg = args[i]
        i += 1
        if arg in ("--no-plots", "--help", "-h", "--"):
            return False
        if arg in ("--runs", "-n"):
            if i == len(args):
                return False
            value, i = args[i], i + 1
        elif arg.startswith("--runs="):
            value = arg[len("--runs="):]
        elif arg.startswith("-n") and not arg.startswith("--"):
            value = arg[2:]
        else:
            continue
        try:
            runs = int(value)
        except ValueError:
            return False
    return runs is None or runs <= EARLY_RUNS


def start_early(argv: list[str]) -> None:
    """Fork the figures' painter now if ``argv`` is an ``armsim run`` that draws them
    (:func:`draws_figures`): called as the ``armsim`` command starts, before typer and
    the commands' modules are imported, it has matplotlib imported a tenth of a second
    sooner. The command takes it with :func:`take_early`."""
    global _early
    if _early is None and draws_figures(argv):
        _early = Painter(2)


def take_early() -> Painter | None:
    """The painter :func:`start_early` started, handed over once (None if none)."""
    global _early
    painter, _early = _early, None
    return painter
