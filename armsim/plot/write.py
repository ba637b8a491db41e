"""Write every figure of a batch into a folder, each PNG atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from armsim.plot.data import prepare
from armsim.plot.style import save_png

if TYPE_CHECKING:
    from armsim.results import Results
    from armsim.scenario import Scenario


def _figures() -> dict[str, tuple[Callable[[Any], Any], bool]]:
    """File name -> (figure function, needs trajectories)."""
    from armsim.plot.dance import dance
    from armsim.plot.outcomes import outcomes
    from armsim.plot.timeseries import forces, tension

    return {"outcomes.png": (outcomes, False), "tension.png": (tension, True),
            "forces.png": (forces, True), "dance.png": (dance, True)}


def write_figures(results: Results, folder: str | os.PathLike[str],
                  scenario: Scenario | None = None, *, limit: int | None = None) -> list[Path]:
    """Write outcomes.png, tension.png, forces.png and dance.png into ``folder``.

    Everything is drawn from ``results`` (see :mod:`armsim.plot.data`), nothing is
    simulated: figures over rounds show the trajectories the results hold (of their
    first ``limit`` runs, if given); ``scenario`` (default: ``results.scenario``) gives
    names, units and sessions. Figures that cannot be drawn (no trajectories; no scenario for the
    dance) are skipped, and :func:`prepare` warns why. Returns the paths written.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = prepare(results, scenario, limit=limit)
    written = []
    for name, (draw, needs_traces) in _figures().items():
        if needs_traces and not data.traces:
            continue
        if name == "dance.png" and data.spec is None:
            continue
        fig = draw(data)
        written.append(save_png(fig, folder / name))
    return written
