"""Figure creation and saving: large type for a classroom projector, Agg, atomic PNGs.

Figures are made with ``matplotlib.figure.Figure`` on an Agg canvas, never through
pyplot, so writing them leaves no global state (and no open windows) behind and
does not change the backend of a notebook that calls them.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

DPI = 110
RC = {
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 11,
    "figure.titlesize": 17,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
}
MEDIATOR_COLOUR = "0.15"


@contextmanager
def classroom() -> Iterator[None]:
    """Draw (and save) inside this for the house look."""
    import matplotlib

    with matplotlib.rc_context(RC):
        yield


def new_figure(width: float, height: float) -> Any:
    """A figure on an Agg canvas, with constrained layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def save_png(fig: Any, path: Path) -> Path:
    """Render ``fig`` to ``path`` atomically: a reader sees the old file or the new one."""
    from armsim.files import atomic_write

    buffer = io.BytesIO()
    with classroom():
        fig.savefig(buffer, format="png", dpi=DPI)
    atomic_write(Path(path), buffer.getvalue())
    return Path(path)
