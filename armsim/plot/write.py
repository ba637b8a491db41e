"""Write every figure of a batch into a folder, each PNG atomically.

Drawing the four figures of the article scenario costs 1.3-1.5 s of one core on a quiet
host (forked, as ``armsim run`` draws them), most of it matplotlib making and laying out
ticks and text. With ``workers=2`` on a platform that forks (Linux), a forked child
draws half of them while this process draws the rest (and, first, whatever
``alongside`` writes, e.g. runs.csv): the child inherits the prepared data and the
imported matplotlib, so it starts in milliseconds.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from armsim.plot.data import FigureData, prepare
from armsim.plot.style import save_png

if TYPE_CHECKING:
    from armsim.painter import Painter
    from armsim.results import Results
    from armsim.scenario import Scenario

# the figures a forked child draws, about as long together as the parent's share (times
# of the article scenario: see COST; runs.csv of 1,000 runs ~0.5 s with pandas' import):
# without and with something to write alongside
CHILD_DRAWS = ("forces.png", "tension.png")
CHILD_DRAWS_ALONGSIDE = ("forces.png", "dance.png", "tension.png")
#: each figure's share of the drawing time (the article scenario, CPU seconds of a forked
#: process that builds and saves it on the 2-core reference machine, medians of 10 on a
#: loaded host), to split the figures evenly among painters
COST = {"forces.png": 0.50, "dance.png": 0.43, "outcomes.png": 0.35, "tension.png": 0.15}


def _figures() -> dict[str, tuple[Callable[[Any], Any], bool]]:
    """File name -> (figure function, needs trajectories)."""
    from armsim.plot.dance import dance
    from armsim.plot.outcomes import outcomes
    from armsim.plot.timeseries import forces, tension

    return {"outcomes.png": (outcomes, False), "tension.png": (tension, True),
            "forces.png": (forces, True), "dance.png": (dance, True)}


def write_figures(results: Results, folder: str | os.PathLike[str],
                  scenario: Scenario | None = None, *, limit: int | None = None,
                  workers: int = 1,
                  alongside: Callable[[], object] | None = None,
                  painter: Painter | None = None) -> list[Path]:
    """Write outcomes.png, tension.png, forces.png and dance.png into ``folder``.

    Everything is drawn from ``results`` (see :mod:`armsim.plot.data`), nothing is
    simulated: figures over rounds show the trajectories the results hold (of their
    first ``limit`` runs, if given); ``scenario`` (default: ``results.scenario``) gives
    names, units and sessions. Figures that cannot be drawn (no trajectories; no scenario for the
    dance) are skipped, and :func:`prepare` warns why. ``workers=2`` draws half of the
    figures in a forked process (where the platform forks; else one after another);
    ``alongside``, if given, is called while that process draws (e.g. to write runs.csv).
    ``painter`` (:class:`armsim.painter.Painter`, started before the batch ran)
    draws the figures instead, shared out evenly among its processes, while
    ``alongside`` runs here; what it fails to draw is drawn here. Returns the paths of
    the figures written, in the order above.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = prepare(results, scenario, limit=limit)
    names = drawable(data)
    if painter is not None and len(painter):
        painter.draw(data, folder, shares(names, len(painter)))
        try:
            if alongside is not None:
                alongside()
            left = painter.done()
        finally:
            painter.close()
        _draw(data, folder, [n for n in names if n in left])
        return [folder / n for n in names]
    theirs = [n for n in names if n in (CHILD_DRAWS if alongside is None
                                        else CHILD_DRAWS_ALONGSIDE)]
    forked = _fork(data, folder, theirs) if workers > 1 and _can_fork() else None
    try:
        if alongside is not None:
            alongside()
        _draw(data, folder, [n for n in names if forked is None or n not in theirs])
        if forked is not None:
            forked.join()
            if forked.exitcode != 0:   # it failed (or was killed): draw its share here
                _draw(data, folder, theirs)
    finally:
        if forked is not None and forked.is_alive():   # interrupted: stop it, no orphan
            forked.terminate()
            forked.join()
    return [folder / n for n in names]


def shares(names: list[str], count: int) -> list[list[str]]:
    """``names`` dealt to ``count`` painters so their drawing times (:data:`COST`) are
    about even: the costliest first, each to the least loaded."""
    out: list[list[str]] = [[] for _ in range(count)]
    load = [0.0] * count
    for name in sorted(names, key=lambda n: -COST.get(n, 0.2)):
        k = load.index(min(load))
        out[k].append(name)
        load[k] += COST.get(name, 0.2)
    return out


def drawable(data: FigureData) -> list[str]:
    """The figures ``data`` can give: all four, fewer without trajectories or a scenario."""
    return [name for name, (_, needs_traces) in _figures().items()
            if (data.traces or not needs_traces)
            and (name != "dance.png" or data.spec is not None)]


def _draw(data: FigureData, folder: Path, names: list[str]) -> None:
    figures = _figures()
    for name in names:
        save_png(figures[name][0](data), folder / name)


def _draw_in_child(data: FigureData, folder: Path, names: list[str]) -> None:
    """:func:`_draw`, silent on failure (Ctrl-C, or a bug that the parent meets again
    when it draws the same figures): only the exit code tells the parent."""
    try:
        _draw(data, folder, names)
    except BaseException:  # noqa: BLE001 - the parent reports, not the child
        os._exit(1)


def _can_fork() -> bool:
    return sys.platform.startswith("linux")


def _fork(data: FigureData, folder: Path, names: list[str]) -> Any:
    """A started child process that draws ``names`` into ``folder``, or None if none."""
    if not names:
        return None
    import multiprocessing

    # both processes draw: import matplotlib once, here, not once in each after the fork
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    child = multiprocessing.get_context("fork").Process(
        target=_draw_in_child, args=(data, folder, names), daemon=True)
    with warnings.catch_warnings():
        # Python 3.12 warns that forking a process with threads may deadlock the child;
        # the child only draws with matplotlib and NumPy and exits (and a failed child's
        # figures are drawn again by the parent)
        warnings.simplefilter("ignore", DeprecationWarning)
        child.start()
    return child
