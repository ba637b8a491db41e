"""The outcome distribution: how often talks agree, agreements collapse, crises break out,
and where the agreed levels fall on each issue."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from armsim.plot.data import FigureData, ensure, no_data, with_unit, wrap
from armsim.plot.style import classroom, lines, margins, new_figure

RATE_LABELS = {"agreement": "agreement", "collapsed": "an agreement\ncollapses",
               "crisis": "crisis"}
RATE_COLOURS = {"agreement": "tab:green", "collapsed": "tab:orange", "crisis": "tab:red"}


def outcomes(results: Any, ax: Any = None) -> Any:
    """Rates with 95% Wilson intervals and, per issue, a histogram of the agreed levels.

    With ``ax``, only the rates are drawn, into ``ax``; the figure is returned either way.
    """
    data = ensure(results, traces=False) if ax is None else FigureData(results)
    with classroom():
        if ax is not None:
            draw_rates(ax, data)
            return ax.figure
        n_issues = len(data.issues)
        cols = 1 if n_issues <= 2 else 2
        rows = max(1, math.ceil(n_issues / cols))
        size = (RATES_WIDTH + 4.6 * cols, max(5.6, 3.0 * rows + 1.0))
        fig = new_figure(*size, constrained=False)
        heads = [issue_title(data, i) for i in range(n_issues)]
        head = 0.1 + 0.19 * max([lines(h) for h in heads] + [1])   # inches, at 11 points
        # by hand, in inches (constrained layout measured every text several times):
        # the rates on the left, the issues' histograms in a grid on the right
        rates = fig.add_gridspec(1, 1, **margins(
            size, left=0.85, right=size[0] - RATES_WIDTH + 0.25, top=0.85, bottom=0.75))
        grid = fig.add_gridspec(rows, cols, **margins(
            size, rows, cols, left=RATES_WIDTH + 0.6, right=0.3, wgap=0.85, hgap=0.55 + head,
            top=0.85 + head, bottom=0.6))
        draw_rates(fig.add_subplot(rates[0, 0]), data)
        # a panel per issue, none for the grid's empty cells (an axes costs ~15 ms drawn or not)
        axes = [fig.add_subplot(grid[k // cols, k % cols]) for k in range(max(n_issues, 1))]
        for i in range(n_issues):
            draw_issue(axes[i], data, i, heads[i])
        if n_issues == 0:
            no_data(axes[0], "no issues")
        fig.text((RATES_WIDTH + size[0]) / 2 / size[0], 1 - 0.5 / size[1],
                 "where the agreed levels fall", fontsize=14, ha="center", va="top")
        fig.suptitle(f"{data.title}: outcomes of {len(data.results)} runs")
    return fig


RATES_WIDTH = 5.2   # inches: the rates' share of the outcome figure


def issue_title(data: FigureData, i: int) -> str:
    """Issue ``i``'s label and how often it was agreed (the title of its histogram)."""
    values = np.asarray(data.results.outputs[f"agreed.{data.issues[i]}"], dtype=float)
    share = np.isfinite(values).sum() / max(values.size, 1)
    return wrap(data.issue_label(i), 40) + f"\nagreed in {100 * share:.0f}% of runs"


def draw_rates(ax: Any, data: FigureData) -> None:
    """Bars of P(agreement), P(collapse), P(crisis) with 95% Wilson intervals."""
    names = [name for name in RATE_LABELS if name in data.results.outputs]
    rates = [data.results.rate(name) for name in names]
    x = np.arange(len(names))
    p = np.array([r["rate"] for r in rates])
    err = np.array([[r["rate"] - r["low"] for r in rates], [r["high"] - r["rate"] for r in rates]])
    err = np.clip(np.nan_to_num(err), 0.0, None)   # rounding can leave -1e-17 at a rate of 0
    ax.bar(x, p, color=[RATE_COLOURS[n] for n in names], width=0.65, alpha=0.85)
    ax.errorbar(x, p, yerr=err, fmt="none", ecolor="0.1", capsize=8, lw=1.8)
    for xi, r in zip(x, rates):
        ax.text(xi + 0.1, r["rate"] + 0.01, f"{100 * r['rate']:.0f}%", ha="left",
                va="bottom", fontsize=13, fontweight="bold")
    ax.set_xticks(x, [RATE_LABELS[n] for n in names])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of runs")
    ax.set_title("how often (bars: 95% intervals)")
    ax.grid(axis="x", visible=False)


def draw_issue(ax: Any, data: FigureData, i: int, title: str | None = None) -> None:
    """Histogram of the agreed level of issue ``i`` over the runs that agreed on it."""
    values = np.asarray(data.results.outputs[f"agreed.{data.issues[i]}"], dtype=float)
    agreed = values[np.isfinite(values)]
    span = data.issue_range(i)
    ax.set_title(issue_title(data, i) if title is None else title, fontsize=11)
    if span is not None:
        ax.set_xlim(span[0], span[1])
    if agreed.size == 0:
        ax.text(0.5, 0.5, "never agreed", ha="center", va="center", transform=ax.transAxes,
                color="0.4", fontsize=13)
        ax.set_yticks([])
    else:
        lo, hi = span if span is not None else (agreed.min(), agreed.max())
        bins = np.linspace(lo, hi, 21) if hi > lo else 10
        ax.hist(agreed, bins=bins, color="tab:blue", alpha=0.8, edgecolor="white")
        ax.set_ylabel("runs", fontsize=11)
    ax.set_xlabel(with_unit("agreed level", data.issue_unit(i)), fontsize=11)
    ax.tick_params(labelsize=10)
