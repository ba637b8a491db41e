"""Figures of experiments: a rate over two factors (heat map), over one (line with a
95% band), and Sobol' indices (bars with intervals).

Points that share the plotted factors' values are pooled (their runs together), so
a heat map of a three-factor grid shows each cell averaged over the third factor;
the title says so.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from armsim.plot.style import classroom, new_figure


def heatmap(dataset: Any, x: str, y: str, output: str = "agreement", ax: Any = None) -> Any:
    """The output's rate (or mean) on a grid of factors ``x`` by ``y``; returns the Figure."""
    from armsim.experiments.summary import pooled

    table = pooled(dataset, output, [y, x])
    grid = table.pivot(index=y, columns=x, values=output)
    grid = grid.reindex(index=_order(dataset, y, grid.index),
                        columns=_order(dataset, x, grid.columns))
    with classroom():
        fig, ax = _figure(ax, 7.5, 5.8)
        values = grid.to_numpy(dtype=float)
        image = ax.imshow(values, origin="lower", aspect="auto", cmap="viridis",
                          vmin=0.0 if dataset[output].dtype == bool else None,
                          vmax=1.0 if dataset[output].dtype == bool else None)
        ax.set_xticks(range(grid.shape[1]), [_label(v) for v in grid.columns], rotation=45)
        ax.set_yticks(range(grid.shape[0]), [_label(v) for v in grid.index])
        ax.grid(False)
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=9,
                        color=_ink(image, value))
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        fig.colorbar(image, ax=ax, label=_what(dataset, output))
        ax.set_title(_title(dataset, output, [x, y]), wrap=True)
    return fig


def line(dataset: Any, x: str, output: str = "agreement", hue: str | None = None,
         ax: Any = None) -> Any:
    """The output's rate (or mean) over factor ``x`` with its 95% band, a line per value
    of ``hue`` if given; returns the Figure."""
    from pandas.api.types import is_numeric_dtype

    from armsim.experiments.summary import pooled

    by = [hue, x] if hue else [x]
    table = pooled(dataset, output, by)
    categorical = not is_numeric_dtype(table[x])    # names: object, <U or pandas' str dtype
    with classroom():
        fig, ax = _figure(ax, 7.5, 5.0)
        groups = table.groupby(hue, sort=True) if hue else [(None, table)]
        if hue:
            groups = sorted(groups, key=lambda g: _order(dataset, hue, table[hue]).index(g[0]))
        for name, part in groups:
            part = part.set_index(x, drop=False).loc[_order(dataset, x, part[x])]
            xs = np.arange(len(part)) if categorical else part[x].to_numpy(dtype=float)
            label = f"{hue} = {_label(name)}" if hue else None
            ax.plot(xs, part[output], marker="o", label=label)
            ax.fill_between(xs, part["low"], part["high"], alpha=0.25)
            if categorical:
                ax.set_xticks(xs, [_label(v) for v in part[x]])
        ax.set_xlabel(x)
        ax.set_ylabel(_what(dataset, output))
        if hue:
            ax.legend()
        ax.set_title(_title(dataset, output, by), wrap=True)
    return fig


def sobol_bars(result: Any, ax: Any = None) -> Any:
    """First-order and total Sobol' indices per parameter with their intervals."""
    table = result.indices
    names = list(table.index)
    pos = np.arange(len(names))
    with classroom():
        fig, ax = _figure(ax, max(6.0, 1.6 * len(names) + 3), 5.0)
        for offset, key, colour in ((-0.2, "S1", "tab:blue"), (0.2, "ST", "tab:orange")):
            ax.bar(pos + offset, table[key], width=0.4, color=colour,
                   yerr=table[f"{key}_conf"], capsize=4,
                   label={"S1": "first order (S1)", "ST": "total (ST)"}[key])
        ax.axhline(0.0, color="0.3", linewidth=0.8)
        ax.set_xticks(pos, [n.replace(".", ".\u200b") for n in names], rotation=20, ha="right")
        ax.set_ylabel("share of the output's variance")
        ax.legend()
        ax.set_title(f"Sobol' indices of {result.output} "
                     f"({int(result.conf_level * 100)}% intervals)", wrap=True)
    return fig


def _order(dataset: Any, path: str, shown: Any) -> list[Any]:
    """The values ``shown`` of a factor in axis order: numbers ascending, names (and
    other levels) in the order the design gives them (boulware, linear, conceder)."""
    from pandas.api.types import is_numeric_dtype

    values = list(dict.fromkeys(shown))
    if is_numeric_dtype(dataset[path].dtype):
        return sorted(values)
    first = {v: i for i, v in enumerate(dict.fromkeys(dataset[path].values.tolist()))}
    return sorted(values, key=lambda v: first.get(v, len(first)))


def _ink(image: Any, value: float) -> str:
    """Black or white, whichever reads on the cell's colour (by its luminance)."""
    red, green, blue, _ = image.cmap(image.norm(value))
    return "black" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.4 else "white"


def _figure(ax: Any, width: float, height: float) -> tuple[Any, Any]:
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(width, height)
    return fig, fig.add_subplot()


def _what(dataset: Any, output: str) -> str:
    return f"P({output})" if dataset[output].dtype == bool else f"mean {output}"


def _title(dataset: Any, output: str, shown: list[str]) -> str:
    factors = [k for k, v in dataset.coords.items() if v.dims == ("point",) and k != "point"]
    others = [f for f in factors if f not in shown]
    runs = dataset.sizes["run"]
    pooled_over = f", pooled over {', '.join(others)}" if others else ""
    return f"{_what(dataset, output)}, {runs} run{'s' * (runs != 1)} per point{pooled_over}"


def _label(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{value:.3g}"
    return str(value)
