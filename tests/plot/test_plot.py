"""The figures of armsim.plot and the bargaining geometry they draw.

The frontier and Nash cases are worked by hand in the comments; the figure tests run a
small two-party scenario written inline and check the PNG files, not their pixels.
"""

from __future__ import annotations

import dataclasses
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import armsim
from armsim.plot import (FigureData, dance_of, forces, nash_point, pareto_frontier, prepare,
                         write_figures)
from armsim.plot.bargaining import utilities

# Two parties, two issues with opposite ideals, a mediated second session: offers, an
# agreement, compliance and a little noise. Fixed weights, so utilities can be worked
# by hand; Red's reservation is drawn per run.
SMALL = """\
armsim: 1
name: Two-party test talks
seed: 11
runs: 40
aftermath: 8
forces:
  missiles: {label: Missiles in range, unit: launchers, max: 100}
  drills: {label: Troops in drills, unit: thousand troops, max: 50}
issues:
  missile_cap:
    label: Ceiling on missiles
    unit: launchers
    range: [0, 100]
    caps: missiles
    binds: all
  drill_cap:
    label: Ceiling on drills
    unit: thousand troops
    range: [0, 50]
    caps: drills
    binds: all
actors:
  blue:
    label: Blue
    rivals: [red]
    forces:
      missiles: {initial: 40, reaction: 0.2, fatigue: 0.4, grievance: 5}
      drills: {initial: 20, reaction: 0.1, fatigue: 0.3, grievance: 2}
    preferences:
      missile_cap: {ideal: 0, weight: 0.6}
      drill_cap: {ideal: 50, weight: 0.4}
    strategy: linear
    compliance: {type: tit_for_tat}
    patience: 0.97
    reservation: 0.3
  red:
    label: Red
    rivals: [blue]
    forces:
      missiles: {initial: 60, reaction: 0.3, fatigue: 0.4, grievance: 5}
      drills: {initial: 30, reaction: 0.2, fatigue: 0.3, grievance: 3}
    preferences:
      missile_cap: {ideal: 100, weight: 0.4}
      drill_cap: {ideal: 0, weight: 1.0}
    strategy: boulware
    compliance: {type: generous_tit_for_tat}
    patience: 0.95
    reservation: {dist: uniform, low: 0.15, high: 0.35}
sessions:
  - venue: Geneva (first round)
    participants: [blue, red]
    agenda: [missile_cap, drill_cap]
    rounds: 6
  - venue: Vienna
    participants: [red, blue]
    agenda: [missile_cap, drill_cap]
    rounds: 3
    protocol: mediated
environment:
  verification: 0.8
  tolerance: 2
  noise: 1.0
  crisis: {hazard: 0.05, exponent: 2}
"""

FIGURES = {"outcomes.png", "tension.png", "forces.png", "dance.png"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def write_scenario(folder: Path, text: str = SMALL) -> Path:
    path = folder / "small.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (the IHDR chunk comes first)."""
    head = path.read_bytes()[:24]
    assert head[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    assert head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_scenario(tmp_path_factory.mktemp("scenario"))


@pytest.fixture(scope="module")
def results(scenario_file: Path) -> armsim.Results:
    """30 runs without --trajectories: armsim.run keeps the first runs' for the figures."""
    return armsim.run(scenario_file, runs=30)


# --- the Pareto frontier --------------------------------------------------------------

def test_frontier_with_separate_concerns_reaches_both_ideals():
    # Actor 0 cares only about issue 0 (ideal 0), actor 1 only about issue 1 (ideal 1):
    # the deal x = (0, 1) gives each its ideal, so the frontier is the point (1, 1).
    frontier = pareto_frontier(ideal=[[0, 0], [1, 1]], weight=[[1, 0], [0, 1]],
                               lo=[0, 0], hi=[1, 1])
    np.testing.assert_allclose(frontier.utility, [[1.0, 1.0]])
    np.testing.assert_allclose(frontier.levels, [[0.0, 1.0]])


def test_frontier_of_one_issue_is_the_line_from_one_ideal_to_the_other():
    frontier = pareto_frontier(ideal=[[0], [1]], weight=[[1], [1]], lo=[0], hi=[1])
    np.testing.assert_allclose(frontier.utility, [[0, 1], [1, 0]])
    np.testing.assert_allclose(frontier.levels, [[1], [0]])


def test_frontier_concedes_first_the_issue_cheapest_for_the_other_side():
    # Normalised weights: actor 0 (0.75, 0.25), actor 1 (0.5, 0.5); ideals 0 and 1.
    # From actor 1's ideal (1, 1), U = (0, 1). Conceding issue 0 costs actor 1 0.5 for
    # a gain of 0.75 to actor 0 (ratio 2/3), issue 1 costs 0.5 for 0.25 (ratio 2), so
    # issue 0 goes first: (0, 1) gives U = (0.75, 0.5); then (0, 0) gives U = (1, 0).
    frontier = pareto_frontier(ideal=[[0, 0], [1, 1]], weight=[[3, 1], [1, 1]],
                               lo=[0, 0], hi=[1, 1])
    np.testing.assert_allclose(frontier.utility, [[0, 1], [0.75, 0.5], [1, 0]])
    np.testing.assert_allclose(frontier.levels, [[1, 1], [0, 1], [0, 0]])


def test_red_lines_cut_the_frontier_down_to_the_common_window():
    # One issue on [0, 1], ideals 0 and 1, both red lines leave [0.3, 0.6]:
    # x = 0.6 gives U = (0.4, 0.6), x = 0.3 gives U = (0.7, 0.3).
    frontier = pareto_frontier(ideal=[[0], [1]], weight=[[1], [1]], lo=[0], hi=[1],
                               window_lo=[0.3], window_hi=[0.6])
    np.testing.assert_allclose(frontier.utility, [[0.4, 0.6], [0.7, 0.3]])


def test_an_issue_with_no_common_level_stays_at_the_status_quo():
    # Issue 1's window is empty (red lines 0.8 and below 0.2): it stays at hi = 1.
    frontier = pareto_frontier(ideal=[[0, 0], [1, 1]], weight=[[1, 1], [1, 1]],
                               lo=[0, 0], hi=[1, 1], window_lo=[0, 0.8], window_hi=[1, 0.2])
    assert (frontier.levels[:, 1] == 1).all()


def test_no_deal_lies_beyond_the_frontier():
    rng = np.random.default_rng(3)
    ideal = np.array([[0.0, 40.0, 2.0], [10.0, 0.0, 9.0]])
    weight = np.array([[0.5, 1.0, 0.2], [0.3, 0.6, 1.0]])
    lo, hi = np.array([0.0, 0.0, 0.0]), np.array([10.0, 50.0, 10.0])
    frontier = pareto_frontier(ideal, weight, lo, hi)
    deals = rng.uniform(lo, hi, size=(5000, 3))
    u = utilities(deals, ideal, weight, lo, hi)
    # the frontier runs from actor 1's best to actor 0's: U0 rises as U1 falls
    front = frontier.utility
    assert np.all(np.diff(front[:, 0]) >= 0) and np.all(np.diff(front[:, 1]) <= 0)
    ceiling = np.interp(u[:, 0], front[:, 0], front[:, 1], right=-np.inf)
    assert np.all(u[:, 1] <= ceiling + 1e-12)


# --- the Nash bargaining point ------------------------------------------------------

@pytest.mark.parametrize("r1, r2", [(0.0, 0.0), (0.3, 0.1), (0.1, 0.45), (0.2, 0.2)])
def test_nash_point_of_one_issue(r1, r2):
    # U1 = 1 - x, U2 = x: maximise (1 - x - r1) (x - r2), so x = (1 - r1 + r2) / 2.
    frontier = pareto_frontier(ideal=[[0], [1]], weight=[[1], [1]], lo=[0], hi=[1])
    nash = nash_point(frontier, [r1, r2])
    assert nash is not None
    np.testing.assert_allclose(nash.levels, [(1 - r1 + r2) / 2], atol=1e-12)
    np.testing.assert_allclose(nash.utility, [1 - nash.levels[0], nash.levels[0]])


def test_nash_point_on_a_kinked_frontier_is_the_kink():
    # Frontier (0, 1) - (0.75, 0.5) - (1, 0), reservations 0: on the first segment the
    # product 0.75 t (1 - 0.5 t) rises up to t = 1; on the second,
    # (0.75 + 0.25 t)(0.5 - 0.5 t) falls from t = 0. The maximum, 0.375, is the kink.
    frontier = pareto_frontier(ideal=[[0, 0], [1, 1]], weight=[[3, 1], [1, 1]],
                               lo=[0, 0], hi=[1, 1])
    nash = nash_point(frontier, [0, 0])
    np.testing.assert_allclose(nash.utility, [0.75, 0.5])
    np.testing.assert_allclose(nash.levels, [0, 1])
    assert nash.product == pytest.approx(0.375)


def test_no_nash_point_when_the_reservations_leave_no_zone_of_agreement():
    frontier = pareto_frontier(ideal=[[0], [1]], weight=[[1], [1]], lo=[0], hi=[1])
    assert nash_point(frontier, [0.6, 0.5]) is None


def test_nash_point_agrees_with_the_engines_mediator():
    # Two implementations of one computation: the mediator's coordinate ascent in
    # armsim.core.offers and the exact search along the frontier give the same product.
    from armsim.core.offers import nash_bargaining

    ideal = np.array([[0.0, 40.0, 2.0], [10.0, 0.0, 9.0]])
    weight = np.array([[0.5, 1.0, 0.2], [0.3, 0.6, 1.0]])
    lo, hi = np.array([0.0, 0.0, 0.0]), np.array([10.0, 50.0, 10.0])
    reservation = np.array([0.2, 0.3])
    nash = nash_point(pareto_frontier(ideal, weight, lo, hi), reservation)
    x = nash_bargaining(ideal, hi - lo, weight[None], reservation[None], np.ones((1, 3), bool),
                        lo, hi, True, sweeps=40)
    theirs = utilities(x, ideal, weight, lo, hi)[0]
    assert np.prod(theirs - reservation) == pytest.approx(nash.product, rel=1e-6)
    assert nash.product >= np.prod(theirs - reservation) - 1e-12


# --- the figures ----------------------------------------------------------------------

def test_write_figures_writes_four_readable_pngs(results, tmp_path):
    (tmp_path / "tension.png").write_bytes(b"an old figure")      # replaced, not appended
    written = write_figures(results, tmp_path)
    assert {p.name for p in written} == FIGURES
    assert all(isinstance(p, Path) and p.parent == tmp_path for p in written)
    for path in written:
        width, height = png_size(path)
        assert 800 <= width <= 3000 and 500 <= height <= 2500, path.name
        assert 20_000 < path.stat().st_size < 3_000_000, path.name
    # written atomically: nothing but the figures is left in the folder
    assert {p.name for p in tmp_path.iterdir()} == FIGURES


def test_the_figures_trajectories_are_the_runs_of_the_results(scenario_file, results):
    # A run is a function of (seed, run index): the trajectories a batch keeps for its
    # figures are those a batch recording every run's gives for the same runs.
    recorded = armsim.run(scenario_file, runs=30, trajectories=True)
    assert set(results.figure_traces) == set(recorded.trajectories)
    data = prepare(results, limit=12)
    assert list(data.traced) == list(range(12))
    for name, value in data.traces.items():
        np.testing.assert_array_equal(value, recorded.trajectories[name][:12], err_msg=name)


# every way into the NumPy engine: simulate (where the engine defines it and where the
# batch imports it), the round loop's stepping function or method, where they exist
ENGINE_ENTRIES = ("armsim.core.engine:simulate", "armsim.core.engine:step",
                  "armsim.batch:simulate", "armsim.core.run:simulate",
                  "armsim.core.run:Run.advance", "armsim.core.run:Run.step")


def forbid_simulation(monkeypatch):
    """Any run of the NumPy engine raises."""
    import importlib

    def simulating(*args, **kwargs):
        raise AssertionError("a figure simulated a run")

    patched = []
    for entry in ENGINE_ENTRIES:
        module, _, path = entry.partition(":")
        try:
            owner = importlib.import_module(module)
        except ImportError:
            continue
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent, None)
        if owner is not None and hasattr(owner, name):
            monkeypatch.setattr(owner, name, simulating)
            patched.append(entry)
    assert "armsim.batch:simulate" in patched and len(patched) >= 2, patched


def test_figures_simulate_nothing_and_draw_the_runs_of_runs_csv(scenario_file, tmp_path,
                                                                monkeypatch):
    results = armsim.run(scenario_file, runs=2500, seed=4)   # several chunks, a pool
    results.write(tmp_path)
    forbid_simulation(monkeypatch)
    with pytest.raises(AssertionError, match="simulated a run"):   # the patch does bite
        armsim.run(scenario_file, runs=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        written = write_figures(results, tmp_path)
        data = prepare(results)
        for kind in ("outcomes", "tension", "forces", "dance"):
            results.plot(kind)
    assert {p.name for p in written} == FIGURES
    # the figures draw the first 200 runs (FIGURE_RUNS, documented in armsim.run), and
    # each one's last tension is its final_tension in runs.csv, read here as text
    import csv

    with open(tmp_path / "runs.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2500 and list(data.traced) == list(range(200))
    for r in data.traced:
        assert int(rows[r]["run"]) == r
        assert data.traces["tension"][r, -1] == float(rows[r]["final_tension"]), r
    dance = dance_of(data)
    assert dance is not None and rows[dance.run]["run"] == str(dance.run)


def test_figures_use_the_trajectories_the_results_hold(scenario_file, tmp_path):
    recorded = armsim.run(scenario_file, runs=10, trajectories=True)
    recorded = dataclasses.replace(recorded, scenario=None)
    recorded.meta["scenario_file"] = ""          # nothing to re-run, nothing to label
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        written = write_figures(recorded, tmp_path)
    assert {p.name for p in written} == {"outcomes.png", "tension.png", "forces.png"}


def test_without_trajectories_only_outcomes_are_drawn(results, tmp_path):
    results = armsim.Results(results.outputs, results.runs, results.scenario_name,
                             results.seed, {"scenario_file": str(tmp_path / "gone.yaml")})
    with pytest.warns(UserWarning, match="hold no trajectories"):
        written = write_figures(results, tmp_path)
    assert [p.name for p in written] == ["outcomes.png"]


def test_results_never_reread_the_scenario_file(tmp_path, monkeypatch):
    """The figures of results that do not know their scenario show the runs they hold
    (no dance: it needs the scenario's preferences), whatever the file now says."""
    path = write_scenario(tmp_path)
    ran = dataclasses.replace(armsim.run(path, runs=10, overrides={"sessions.0.rounds": 2}),
                              scenario=None)
    path.write_text("not a scenario any more")
    forbid_simulation(monkeypatch)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        written = write_figures(ran, tmp_path / "figures")
    assert {p.name for p in written} == {"outcomes.png", "tension.png", "forces.png"}
    assert prepare(ran).traces["tension"].shape == (10, 2 + 3 + 8)   # 2 + 3 rounds, aftermath 8


def test_results_of_overrides_draw_the_runs_they_hold(scenario_file, tmp_path):
    """armsim.run keeps the scenario it ran, overrides and seed applied: figures of its
    results show those very runs (re-running them gives the results' outputs)."""
    overrides = {"sessions.0.rounds": 2, "environment.noise": 1.5}
    results = armsim.run(scenario_file, runs=10, seed=3, overrides=overrides)
    assert results.scenario.sessions[0].rounds == 2 and results.scenario.seed == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = prepare(results)
        written = write_figures(results, tmp_path)
    assert len(data.traced) == 10
    # the talks the figures show last the overridden two rounds
    assert data.sessions()[0][1:] == (0, 2)
    assert {p.name for p in written} == {"outcomes.png", "tension.png", "forces.png",
                                         "dance.png"}


def test_the_dance_shows_the_first_offers_in_the_two_actors_utilities(results):
    data = prepare(results, limit=5)
    dance = dance_of(data)
    assert dance is not None and dance.run == 0 and dance.pair == (0, 1)
    # Blue (linear concession) opens at its aspiration 1: its ideal (0, 50), which
    # gives Red (weights 0.4 and 1.0 on ideals 100 and 0) nothing.
    assert dance.rounds[0] == 0 and dance.proposer[0] == 0
    np.testing.assert_allclose(dance.utility[0], [1.0, 0.0], atol=1e-12)
    # The status quo (100, 50): Blue 0.4 / 1.0 = 0.4, Red 0.4 / 1.4.
    np.testing.assert_allclose(dance.status_quo, [0.4, 0.4 / 1.4])
    assert dance.nash is not None
    assert (dance.nash.utility > dance.reservation).all()
    assert ((dance.utility >= 0) & (dance.utility <= 1)).all()


def test_results_plot_returns_a_figure(results):
    from matplotlib.figure import Figure

    fig = results.plot()
    assert isinstance(fig, Figure) and len(fig.axes) >= 3
    for kind in ("tension", "forces", "dance"):
        assert isinstance(results.plot(kind), Figure)


def test_outcomes_draws_the_rates_into_a_given_axes(results):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    assert results.plot(ax=ax) is fig
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == pytest.approx([results.rate(n)["rate"]
                                     for n in ("agreement", "collapsed", "crisis")])


def test_figure_data_names_come_from_the_scenario(results):
    data = prepare(results, trajectories={}, quiet=True)
    assert isinstance(data, FigureData) and not data.traces
    assert data.actor_label(1) == "Red"
    assert data.issue_unit(1) == "thousand troops"
    assert data.sessions() == [("Geneva", 0, 6), ("Vienna", 6, 9)]


def test_importing_armsim_plot_does_not_import_matplotlib():
    code = "import sys, armsim, armsim.plot; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_every_bundled_scenario_gets_its_four_figures(bundled_file, tmp_path):
    """Classics without forces (Rubinstein, the compliance game) or without talks
    (Richardson) too: a figure with nothing to show says so instead of failing."""
    written = write_figures(armsim.run(bundled_file, runs=8, seed=1), tmp_path)
    assert {p.name for p in written} == FIGURES
    for figure in written:                        # a PNG header, at a size one can read
        width, height = png_size(figure)
        assert width >= 600 and height >= 400, figure.name


def test_a_force_no_actor_holds_gets_a_panel_that_says_so(tmp_path):
    """A declared force that no actor holds (here also capped by an issue) draws no
    lines: its panel says so, with no empty legend (matplotlib warns on one)."""
    text = SMALL.replace(
        "  drills: {label: Troops in drills, unit: thousand troops, max: 50}\n",
        "  drills: {label: Troops in drills, unit: thousand troops, max: 50}\n"
        "  drones: {label: Armed drones, unit: drones, max: 10}\n")
    results = armsim.run(write_scenario(tmp_path, text), runs=5, trajectories=True)
    held = [a for a in ("blue", "red") if f"final_force.{a}.drones" in results.outputs]
    assert held == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = forces(results)
    panels = {ax.get_title(): ax for ax in fig.axes if ax.get_visible()}
    drones = panels["Armed drones"]
    sessions = 2  # SMALL's: each ends in a dashed line on every panel
    assert drones.get_legend() is None and len(drones.get_lines()) == sessions
    assert [t.get_text() for t in drones.texts] == ["no actor holds this force"]
    # the held forces keep one line and one legend entry per holder
    for title in ("Missiles in range", "Troops in drills"):
        labels = [t.get_text() for t in panels[title].get_legend().get_texts()]
        assert labels == ["Blue", "Red"]
        assert len(panels[title].get_lines()) == sessions + 2


def test_figures_drawn_in_a_forked_process_are_the_same_files(results, tmp_path):
    """workers=2 (what armsim run uses) writes the same four PNGs, byte for byte, and
    calls ``alongside`` (runs.csv, in armsim run) while the child draws."""
    one, two = tmp_path / "one", tmp_path / "two"
    called = []
    written = write_figures(results, two, workers=2, alongside=lambda: called.append(1))
    assert called == [1]
    assert [p.name for p in written] == [p.name for p in write_figures(results, one)]
    assert {p.name for p in written} == FIGURES
    for figure in written:
        assert figure.read_bytes() == (one / figure.name).read_bytes(), figure.name


def test_figures_drawn_by_a_painter_started_before_the_runs_are_the_same_files(results,
                                                                                tmp_path):
    """The painter armsim run starts before its batch (it imports matplotlib meanwhile)
    draws the four PNGs over two processes, byte for byte those of one process, while
    ``alongside`` runs here."""
    from armsim.painter import Painter

    one, two = tmp_path / "one", tmp_path / "two"
    called = []
    written = write_figures(results, two, painter=Painter(2),
                            alongside=lambda: called.append(1))
    assert called == [1]
    assert [p.name for p in written] == [p.name for p in write_figures(results, one)]
    for figure in written:
        assert figure.read_bytes() == (one / figure.name).read_bytes(), figure.name


def test_what_a_painter_fails_to_draw_is_drawn_by_the_caller(results, tmp_path):
    """A painter killed before it draws leaves every figure to write_figures."""
    from armsim.painter import Painter

    painter = Painter(2)
    painter._proc.kill()
    painter._proc.join()
    written = write_figures(results, tmp_path, painter=painter)
    assert {p.name for p in written} == FIGURES
    assert all(p.stat().st_size > 1000 for p in written)


@pytest.mark.parametrize(("argv", "draws"), [
    (["armsim", "run"], True),                                  # the scenario's runs
    (["armsim", "run", "geneva_2022", "-q"], True),
    (["armsim", "run", "x.yaml", "--runs", "100000"], True),    # EARLY_RUNS itself
    (["armsim", "run", "x.yaml", "--runs", "100001"], False),
    (["armsim", "run", "x.yaml", "--runs=500", "-o", "out"], True),
    (["armsim", "run", "-n500", "x.yaml"], True),
    (["armsim", "run", "-n", "2000000"], False),
    (["armsim", "run", "x.yaml", "--no-plots"], False),
    (["armsim", "run", "--help"], False),
    (["armsim", "run", "-n"], False),                           # typer will say what is wrong
    (["armsim", "run", "-n", "many"], False),
    (["armsim", "sweep", "x.yaml"], False),
    (["armsim"], False),
    (["-m", "run", "x.yaml"], True),                            # python -m armsim.cli run
])
def test_which_command_lines_start_a_painter_with_the_process(argv, draws):
    from armsim.painter import draws_figures

    assert draws_figures(argv) is draws


def test_a_painter_started_with_the_process_is_taken_once_and_sent_home_if_unwanted(
        tmp_path):
    """``armsim run`` takes the painter started as the process began; one its options
    turn out not to want (here runs hidden from the glance in ``-qn``, and no figures) is
    closed, not left waiting."""
    from typer.testing import CliRunner

    from armsim import painter
    from armsim.cli import app

    painter.start_early(["armsim", "run", "-qn", "20"])
    started = painter._early
    assert started is not None and len(started) == 2
    done = CliRunner().invoke(app, ["run", "classics/richardson", "-qn", "20", "--no-plots",
                                    "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert painter.take_early() is None
    assert started._proc is None                     # closed and reaped by the command
    assert not list((tmp_path / "out").glob("*.png"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a painter forks")
def test_a_painter_never_given_figures_is_stopped_not_waited_for():
    """Closed before it is given figures (the scenario did not load), a painter is
    terminated at once, still importing matplotlib, rather than left to finish."""
    import signal

    from armsim.painter import Painter

    painter = Painter(2)
    process = painter._proc
    painter.close()
    assert process.exitcode == -signal.SIGTERM


def test_the_figures_are_shared_out_evenly_among_the_painters():
    from armsim.plot.write import shares

    assert shares(["outcomes.png", "tension.png", "forces.png", "dance.png"], 2) == [
        ["forces.png", "tension.png"], ["dance.png", "outcomes.png"]]   # 0.65 and 0.78
    assert shares(["outcomes.png"], 2) == [[], ["outcomes.png"]] or \
        shares(["outcomes.png"], 2) == [["outcomes.png"], []]


# --- the dance of more than two parties, one panel per session -----------------------

# Three parties bargain over one issue of range [0, 1]: West's ideal is 0, East's and
# North's 1, equal weights, reservations 0. A mediator maximises the product of the
# gains, (1 - x) * x * x; its derivative 2x - 3x^2 vanishes at x = 2/3, where West gets
# 1/3 and the other two 2/3 each. The two-party frontier of West and East alone would
# put the point at x = 1/2 (utilities 1/2, 1/2): the old figure's mistake. A second
# session on another issue, between West and East, makes a second panel.
THREE = """\
armsim: 1
name: Three parties
seed: 5
runs: 4
aftermath: 2
issues:
  cap: {label: A cap, unit: units, range: [0, 1], binds: all}
  other: {label: Another cap, unit: units, range: [0, 10], binds: all}
actors:
  west:
    preferences: {cap: {ideal: 0, weight: 1}, other: {ideal: 0, weight: 1}}
    strategy: hardliner
    reservation: 0
  east:
    preferences: {cap: {ideal: 1, weight: 1}, other: {ideal: 10, weight: 1}}
    strategy: hardliner
    reservation: 0
  north:
    preferences: {cap: {ideal: 1, weight: 1}, other: {ideal: 10, weight: 1}}
    strategy: hardliner
    reservation: 0
sessions:
  - venue: Trilateral
    participants: [west, east, north]
    agenda: [cap]
    rounds: 3
  - venue: Bilateral
    participants: [west, east]
    agenda: [other]
    rounds: 2
"""


@pytest.fixture(scope="module")
def three(tmp_path_factory):
    path = write_scenario(tmp_path_factory.mktemp("three"), THREE)
    return armsim.run(path, runs=2)


def test_the_nash_point_of_three_parties_is_worked_out_by_hand(three):
    from armsim.plot.dance_data import dances_of

    first, second = dances_of(prepare(three), 0)
    assert first.parties == (0, 1, 2) and first.pair == (0, 1)
    np.testing.assert_allclose(first.nash.levels[0], 2 / 3, atol=1e-9)
    np.testing.assert_allclose(first.nash_parties, [1 / 3, 2 / 3, 2 / 3], atol=1e-9)
    np.testing.assert_allclose(first.nash.utility, [1 / 3, 2 / 3], atol=1e-9)
    assert first.nash.product == pytest.approx((1 / 3) * (2 / 3) ** 2)
    # the second session's bargain is its own: two parties, issue 'other' alone, whose
    # Nash point maximises (1 - x/10) (x/10): x = 5, utilities 1/2 each
    assert second.parties == (0, 1) and list(second.agenda) == [False, True]
    np.testing.assert_allclose(second.nash.levels[1], 5.0, atol=1e-6)
    np.testing.assert_allclose(second.nash.utility, [0.5, 0.5], atol=1e-9)


def test_each_session_has_its_panel_with_its_own_offers(three):
    from armsim.plot.dance_data import dances_of

    first, second = dances_of(prepare(three), 0)
    # three rounds of hardliners at their ideals in the first session, two in the second
    assert list(first.rounds) == [0, 1, 2] and list(second.rounds) == [3, 4]
    assert list(first.proposer) == [0, 1, 2] and list(second.proposer) == [0, 1]
    # West asks 0 on the cap: utility 1 to West, 0 to East; East asks 1: the reverse
    np.testing.assert_allclose(first.utility[:2], [[1, 0], [0, 1]], atol=1e-12)
    np.testing.assert_allclose(second.utility, [[1, 0], [0, 1]], atol=1e-12)


def test_dance_png_draws_a_panel_per_session(three):
    from armsim.plot import dance

    fig = dance(three, 0)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert [t.split(",")[0] for t in titles] == ["Trilateral", "Bilateral"]
    assert "at the table: West, East and North" in titles[0].replace("\n", " ")


def test_venue_names_never_overlap_over_a_long_run():
    # the article scenario: sessions of 6, 4 and 4 rounds in an axis of 66 rounds, too
    # narrow for their names side by side: the names take two rows, and no two overlap
    from armsim.plot import tension

    results = armsim.run(Path(armsim.__file__).parent / "data" / "scenarios" /
                         "geneva_2022.yaml", runs=5)
    fig = tension(results)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    venues = [t for t in fig.axes[0].texts if t.get_text() in ("Geneva", "Brussels", "Vienna")]
    assert len(venues) == 3
    boxes = [t.get_window_extent(renderer) for t in venues]
    for j, a in enumerate(boxes):
        for b in boxes[j + 1:]:
            assert not a.overlaps(b)
    assert len({round(b.y0) for b in boxes}) == 2                 # two rows
