"""Summaries of a sweep (rates with Wilson intervals, means with normal intervals,
pooled over factors) and its figures (labels and plotted values, not pixels)."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from matplotlib.container import BarContainer, ErrorbarContainer
from matplotlib.figure import Figure

from armsim.experiments.sensitivity import Sensitivity
from armsim.experiments.summary import OutputError, point_statistic, pooled, summarise
from armsim.plot.sweeps import heatmap, line, sobol_bars

Z = statistics.NormalDist().inv_cdf(0.975)
STRATEGY, NOISE, RESERVATION = ("actors.russia.strategy.type", "environment.noise",
                                "actors.russia.reservation")


def wilson_by_hand(k: int, n: int) -> tuple[float, float, float]:
    """Wilson (1927): (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)."""
    p = k / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def mean_by_hand(values) -> tuple[float, float, float, int]:
    defined = [float(v) for v in values if math.isfinite(v)]
    m = statistics.fmean(defined)
    half = Z * statistics.stdev(defined) / math.sqrt(len(defined))
    return m, m - half, m + half, len(defined)


@pytest.fixture(scope="module")
def hand():
    """Three points of ten runs, written out."""
    nan = math.nan
    crisis = np.zeros((3, 10), dtype=bool)
    crisis[0, [1, 4, 8]] = True                        # 3 of 10
    crisis[2, :] = True                                # 10 of 10
    tension = np.full((3, 10), nan)
    tension[0, :4] = [1.0, 2.0, 3.0, 4.0]              # 4 defined: mean 2.5, sd sqrt(5/3)
    tension[1, 7] = 0.25                               # 1 defined: no interval
    return xr.Dataset({"crisis": (("point", "run"), crisis),
                       "mean_tension": (("point", "run"), tension)},
                      coords={"point": np.arange(3), "run": np.arange(10),
                              "x": ("point", [0.1, 0.2, 0.3])}, attrs={"seed": 3})


def test_rates_and_means_of_a_table_worked_by_hand(hand):
    summary = summarise(hand)
    assert list(summary.data_vars) == [f"{name}{suffix}" for name in ("crisis", "mean_tension")
                                       for suffix in ("", "_low", "_high", "_n")]
    table = summary.to_dataframe()
    crisis = table[["crisis", "crisis_low", "crisis_high"]].to_numpy()
    # 3 of 10: the textbook Wilson interval (0.1078, 0.6032)
    assert crisis[0] == pytest.approx([0.3, 0.1078, 0.6032], abs=5e-5)
    # 0 of n: [0, z^2 / (n + z^2)]; n of n: [n / (n + z^2), 1]
    assert crisis[1] == pytest.approx([0.0, 0.0, Z * Z / (10 + Z * Z)], rel=1e-12)
    assert crisis[2] == pytest.approx([1.0, 10 / (10 + Z * Z), 1.0], rel=1e-12)
    assert table["crisis_n"].tolist() == [10, 10, 10]
    tension = table[["mean_tension", "mean_tension_low", "mean_tension_high"]].to_numpy()
    half = Z * math.sqrt(5 / 3) / 2
    assert tension[0] == pytest.approx([2.5, 2.5 - half, 2.5 + half], rel=1e-12)
    assert tension[1][0] == 0.25 and np.isnan(tension[1][1:]).all()     # one value: no interval
    assert np.isnan(tension[2]).all()                                   # none defined
    assert table["mean_tension_n"].tolist() == [4, 1, 0]
    # the factors stay, the runs go, the provenance is kept
    assert list(summary.coords) == ["point", "x"] and summary.attrs == {"seed": 3}


def test_point_statistic_is_the_rate_or_the_mean_of_defined_runs(hand):
    np.testing.assert_array_equal(point_statistic(hand, "crisis"), [0.3, 0.0, 1.0])
    np.testing.assert_array_equal(point_statistic(hand, "mean_tension")[:2], [2.5, 0.25])


def test_a_point_of_a_real_sweep(grid_sweep):
    p, runs = 4, grid_sweep.sizes["run"]
    table = summarise(grid_sweep).isel(point=p)
    crises = int(grid_sweep["crisis"].values[p].sum())
    assert 0 < crises < runs
    assert (float(table["crisis"]), float(table["crisis_low"]), float(table["crisis_high"])) \
        == pytest.approx(wilson_by_hand(crises, runs), rel=1e-12)
    assert (float(table["mean_tension"]), float(table["mean_tension_low"]),
            float(table["mean_tension_high"]), int(table["mean_tension_n"])) == \
        pytest.approx(mean_by_hand(grid_sweep["mean_tension"].values[p]), rel=1e-12)
    assert set(summarise(grid_sweep).data_vars) >= {"agreement", "collapsed", "crisis",
                                                    "mean_tension"}


def run_averages(dataset, output, mask):
    """Each run's average over the points in ``mask``: under common random numbers the
    points' runs r are one draw of luck, so the n independent units are the runs."""
    return dataset[output].values[mask].astype(float).mean(axis=0)


def test_pooling_over_a_factor_averages_each_run_over_the_points(grid_sweep):
    table = pooled(grid_sweep, "crisis", [NOISE])
    assert table[NOISE].tolist() == [0.0, 0.5]
    for level, row in zip((0.0, 0.5), table.itertuples(index=False)):
        mask = grid_sweep[NOISE].values == level
        averages = run_averages(grid_sweep, "crisis", mask)
        assert averages.size == grid_sweep.sizes["run"] == row.n
        assert row.crisis == pytest.approx(grid_sweep["crisis"].values[mask].mean(), rel=1e-12)
        assert (row.crisis, row.low, row.high, row.n) == pytest.approx(
            mean_by_hand(averages), rel=1e-12)


def test_pooling_over_two_factors_and_over_none(grid_sweep):
    table = pooled(grid_sweep, "mean_tension", [STRATEGY, NOISE])
    assert list(zip(table[STRATEGY], table[NOISE])) == [
        (s, v) for s in ("boulware", "linear", "tit_for_tat") for v in (0.0, 0.5)]
    for row in table.itertuples(index=False):
        mask = (grid_sweep[STRATEGY].values == row[0]) & (grid_sweep[NOISE].values == row[1])
        assert (row.mean_tension, row.low, row.high, row.n) == pytest.approx(
            mean_by_hand(run_averages(grid_sweep, "mean_tension", mask)), rel=1e-12)
    everything = pooled(grid_sweep, "crisis", [])
    assert len(everything) == 1
    assert everything["crisis"][0] == pytest.approx(grid_sweep["crisis"].values.mean(),
                                                    rel=1e-12)


def test_a_lone_point_keeps_its_wilson_interval(grid_sweep):
    table = pooled(grid_sweep, "crisis", [RESERVATION, STRATEGY, NOISE])
    for p, row in enumerate(table.itertuples(index=False)):
        runs = grid_sweep["crisis"].values[p]
        assert (row.crisis, row.low, row.high) == pytest.approx(
            wilson_by_hand(int(runs.sum()), runs.size), rel=1e-12)


def test_unknown_outputs_and_factors_are_named(grid_sweep):
    with pytest.raises(OutputError, match="no output named 'crisiss'; did you mean 'crisis'"):
        summarise(grid_sweep, ["crisiss"])
    with pytest.raises(OutputError, match=f"'environment.noize' is not a factor of this sweep "
                                          f"\\(factors: {RESERVATION}, {STRATEGY}, {NOISE}\\)"):
        pooled(grid_sweep, "crisis", ["environment.noize"])


# ------------------------------------------------------------------------ figures

def _pooled_rates(dataset, output, rows, columns):
    """Rates over the runs of the points sharing a (row, column) pair: a grid by hand."""
    row_levels = sorted(set(dataset[rows].values.tolist()))
    col_levels = sorted(set(dataset[columns].values.tolist()))
    values = dataset[output].values
    return np.array([[values[(dataset[rows].values == r) & (dataset[columns].values == c)].mean()
                      for c in col_levels] for r in row_levels])


def test_a_heatmap_shows_pooled_rates_with_its_labels(grid_sweep):
    fig = heatmap(grid_sweep, NOISE, STRATEGY, "crisis")
    assert isinstance(fig, Figure)
    ax, bar = fig.axes
    assert (ax.get_xlabel(), ax.get_ylabel(), bar.get_ylabel()) == (NOISE, STRATEGY, "P(crisis)")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["boulware", "linear", "tit_for_tat"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0", "0.5"]
    np.testing.assert_allclose(ax.images[0].get_array(),
                               _pooled_rates(grid_sweep, "crisis", STRATEGY, NOISE), rtol=1e-12)
    assert ax.get_title() == f"P(crisis), 24 runs per point, pooled over {RESERVATION}"


def test_a_line_shows_pooled_means_with_its_labels(grid_sweep):
    fig = line(grid_sweep, RESERVATION, "mean_tension", hue=STRATEGY)
    ax = fig.axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == (RESERVATION, "mean mean_tension")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        f"{STRATEGY} = {s}" for s in ("boulware", "linear", "tit_for_tat")]
    by_hand = _pooled_rates(grid_sweep, "mean_tension", STRATEGY, RESERVATION)
    for curve, expected in zip(ax.get_lines(), by_hand):
        np.testing.assert_array_equal(curve.get_xdata(), [0.3, 0.6])
        np.testing.assert_allclose(curve.get_ydata(), expected, rtol=1e-12)
    assert ax.get_title() == f"mean mean_tension, 24 runs per point, pooled over {NOISE}"


def test_a_line_over_levels_that_are_names(grid_sweep):
    ax = line(grid_sweep, STRATEGY, "agreement").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["boulware", "linear", "tit_for_tat"]
    assert ax.get_ylabel() == "P(agreement)"


def test_a_figure_can_be_drawn_on_a_given_axes(grid_sweep):
    fig = Figure()
    ax = fig.add_subplot()
    assert heatmap(grid_sweep, NOISE, RESERVATION, "crisis", ax=ax) is fig
    assert line(grid_sweep, NOISE, "crisis", ax=ax) is fig


def test_sobol_bars_show_both_indices_with_their_intervals():
    names = ["actors.russia.patience", "environment.crisis.hazard"]
    indices = pd.DataFrame({"S1": [0.0, 0.7], "S1_conf": [0.0, 0.2], "ST": [0.0, 0.9],
                            "ST_conf": [0.0, 0.1]}, index=pd.Index(names, name="parameter"))
    result = Sensitivity("crisis", indices, None, np.zeros(8), 0.95)
    fig = sobol_bars(result)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "share of the output's variance"
    assert ax.get_title() == "Sobol' indices of crisis (95% intervals)"
    assert [t.get_text().replace("\u200b", "") for t in ax.get_xticklabels()] == names
    s1, st = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [b.get_height() for b in s1] == [0.0, 0.7] and [b.get_height() for b in st] == [0.0, 0.9]
    errors = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    for container, spans in zip(errors, ([(0.0, 0.0), (0.5, 0.9)], [(0.0, 0.0), (0.8, 1.0)])):
        segments = container.lines[2][0].get_segments()       # S1 -+ S1_conf, ST -+ ST_conf
        np.testing.assert_allclose([(seg[0][1], seg[1][1]) for seg in segments], spans)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["first order (S1)",
                                                                   "total (ST)"]


def _synthetic(runs, crisis):
    """A 2 x 2 x 2 grid over three long paths, with the given crisis per (point, run)."""
    paths = ["actors.united_states.forces.intermediate_missiles.reaction",
             "actors.russia.forces.troops_at_ukraine_border.fatigue",
             "environment.tension.mistrust"]
    levels = [(a, b, c) for a in (0.1, 0.2) for b in (0.3, 0.4) for c in (1.0, 2.0)]
    coords = {path: ("point", [lv[d] for lv in levels]) for d, path in enumerate(paths)}
    data = {"crisis": (("point", "run"), np.asarray(crisis, dtype=bool).reshape(8, runs))}
    return xr.Dataset(data, coords={"point": np.arange(8), "run": np.arange(runs), **coords}), paths


def _contrast(a, b):
    """WCAG 2 contrast ratio of two colours."""
    from matplotlib.colors import to_rgb

    def luminance(colour):
        c = np.array(to_rgb(colour))
        c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("crisis", [np.zeros(8 * 4), np.ones(8 * 4), np.arange(8 * 4) % 3 == 0])
def test_heatmap_numbers_are_readable_on_their_cells(crisis):
    """Every cell's number contrasts with the cell (WCAG ratio of 3 or more), a grid of
    equal rates too (where 'darker than the mean' chose black on dark purple)."""
    data, paths = _synthetic(4, crisis)
    fig = heatmap(data, paths[0], paths[1], "crisis")
    ax = fig.axes[0]
    image = ax.images[0]
    texts = [t for t in ax.texts if t.get_text()]
    assert len(texts) == 4
    for text in texts:
        j, i = (int(round(v)) for v in text.get_position())
        cell = image.cmap(image.norm(image.get_array()[i, j]))
        assert _contrast(text.get_color(), cell) >= 3, (text.get_text(), text.get_color())


def test_a_long_title_stays_inside_the_figure_and_one_run_is_singular():
    data, paths = _synthetic(1, np.zeros(8))
    for fig in (heatmap(data, paths[0], paths[1], "crisis"), line(data, paths[0], "crisis")):
        ax = fig.axes[0]
        assert ", 1 run per point, pooled over " in ax.get_title()
        fig.canvas.draw()
        box = ax.title.get_window_extent(fig.canvas.get_renderer())
        assert 0 <= box.x0 and box.x1 <= fig.bbox.width, (box, fig.bbox)


def test_named_levels_keep_the_designs_order_on_the_axes():
    """Strategies given as linear, boulware, conceder are drawn in that order (not
    alphabetically), each label with its own rate; numbers stay ascending."""
    names, numbers, runs = ["linear", "boulware", "conceder"], [0.9, 0.1], 6
    points = [(s, v) for s in names for v in numbers]
    crisis = np.array([[r < 1 + 2 * names.index(s) + (v > 0.5) for r in range(runs)]
                       for s, v in points])
    data = xr.Dataset({"crisis": (("point", "run"), crisis)},
                      coords={"point": np.arange(6), "run": np.arange(runs),
                              "strategy": ("point", [s for s, _ in points]),
                              "x": ("point", [v for _, v in points])})
    rate = {(s, v): (1 + 2 * names.index(s) + (v > 0.5)) / runs for s, v in points}

    ax = heatmap(data, "strategy", "x", "crisis").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0.1", "0.9"]
    np.testing.assert_allclose(ax.images[0].get_array(),
                               [[rate[s, v] for s in names] for v in (0.1, 0.9)])

    ax = line(data, "strategy", "crisis", hue="x").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    for curve, v in zip(ax.get_lines(), (0.1, 0.9)):
        np.testing.assert_allclose(curve.get_ydata(), [rate[s, v] for s in names])

    ax = line(data, "x", "crisis", hue="strategy").axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        f"strategy = {s}" for s in names]
    for curve, s in zip(ax.get_lines(), names):
        np.testing.assert_allclose(curve.get_xdata(), [0.1, 0.9])
        np.testing.assert_allclose(curve.get_ydata(), [rate[s, 0.1], rate[s, 0.9]])
