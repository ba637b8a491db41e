"""``armsim sweep`` and ``armsim sensitivity``: experiments from the command line.

Both store their chunks in ``--out`` as they finish; a stopped one (Ctrl-C, a kill,
a lost machine) continues with the same command and ``--resume``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from armsim.cli.common import SCENARIO_HELP, fail, load_or_exit, require, scenario_file

PARAM_HELP = ("A factor: PATH=VALUES, with VALUES a list (0.5,0.9 or tit_for_tat,grit), a range "
              "(0.2..0.9, or 0.2..0.9:8 for 8 grid levels) or a distribution in YAML "
              "({dist: normal, mean: 0.9, sd: 0.02}). Repeatable.")
Params = Annotated[list[str], typer.Option("--param", "-p", help=PARAM_HELP,
                                          metavar="PATH=VALUES")]
SetOption = Annotated[Optional[list[str]], typer.Option(
    "--set", help="Override a value of the scenario first: PATH=VALUE.")]
Workers = Annotated[Optional[int], typer.Option(
    "--workers", min=1, help="Local worker processes (default: all cores); with "
    "--scheduler local, the LocalCluster's workers.")]
Scheduler = Annotated[Optional[str], typer.Option(
    "--scheduler", help="A Dask scheduler (tcp://host:8786), or 'local' for a LocalCluster "
    "on this machine; default: $DASK_SCHEDULER_ADDRESS if set, else local processes.")]
Resume = Annotated[bool, typer.Option(
    "--resume", help="Finish the sweep stored in --out: compute only its missing chunks.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
Chunk = Annotated[Optional[int], typer.Option(
    "--chunk", min=1, help="Runs per chunk of work (default: two chunks per worker, 1,024 to "
    "16,384 runs each; on --resume, the stored sweep's).")]


class DesignKind(str, Enum):
    """The designs of ``armsim sweep``."""

    grid = "grid"
    lhs = "lhs"
    sobol = "sobol"


def sweep_command(
    file: Annotated[Path, typer.Argument(help=SCENARIO_HELP)],
    param: Params,
    design: Annotated[DesignKind, typer.Option(
        "--design", help="grid: every combination; lhs: a Latin hypercube of --n points; "
        "sobol: Saltelli's sample (--n a power of 2).")] = DesignKind.grid,
    n: Annotated[Optional[int], typer.Option(
        "--n", min=1, help="Grid levels per range (5), LHS points (64), Sobol' base "
        "sample (256).")] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Runs per point.")] = 1000,
    seed: Annotated[Optional[int], typer.Option(
        "--seed", min=0, help="Seed (default: the scenario's).")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Folder for the chunks, sweep.nc, summary.csv and figures "
        "(default: out/<scenario>_sweep).")] = None,
    workers: Workers = None, scheduler: Scheduler = None, resume: Resume = False,
    set_: SetOption = None, chunk: Chunk = None, quiet: Quiet = False,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Write PNG figures.")] = True,
) -> None:
    """Run a scenario over a design of parameter values; store the results chunk by chunk."""
    sobol = ("SALib",) if design is DesignKind.sobol else ()
    path, scenario, factors = _prepare("armsim sweep", sobol, file, set_, param, scheduler)
    from armsim.experiments.summary import summarise
    from armsim.experiments.sweep import sweep

    folder = out or Path("out") / f"{path.stem}_sweep"
    data = _run(sweep, scenario, factors, folder, quiet, design=design.value, n=n, runs=runs,
                seed=seed, executor=scheduler, workers=workers, chunk=chunk, resume=resume)
    with _finishing(folder, "summary.csv and the figures"):
        table = summarise(data).to_dataframe()
        typer.echo(_summary_text(data, table))
        written = _write_table(table, folder / "summary.csv")
        if plots:
            written += _sweep_figures(data, folder)
    typer.echo(f"\nwrote sweep.nc, {', '.join(p.name for p in written)} to {folder}/")


def sensitivity_command(
    file: Annotated[Path, typer.Argument(help=SCENARIO_HELP)],
    param: Params,
    output: Annotated[str, typer.Option(
        "--output", help="The per-run output whose rate or mean is analysed, e.g. "
        "agreement, crisis, mean_tension, utility.russia.")] = "agreement",
    n: Annotated[int, typer.Option(
        "--n", min=2, help="Saltelli's base sample size, a power of 2: n * (params + 2) "
        "points.")] = 256,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Runs per point.")] = 200,
    seed: Annotated[Optional[int], typer.Option(
        "--seed", min=0, help="Seed (default: the scenario's).")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Folder for sobol_<output>.csv and .png and the sweep's chunks "
        "(default: out/<scenario>_sensitivity).")] = None,
    workers: Workers = None, scheduler: Scheduler = None, resume: Resume = False,
    set_: SetOption = None, chunk: Chunk = None, quiet: Quiet = False,
) -> None:
    """Sobol' indices (first order and total, 95% intervals) of one output, with SALib."""
    path, scenario, factors = _prepare("armsim sensitivity", ("SALib",), file, set_, param,
                                       scheduler)
    from armsim.experiments.sensitivity import sensitivity
    from armsim.plot.style import save_png

    folder = out or Path("out") / f"{path.stem}_sensitivity"
    result = _run(sensitivity, scenario, factors, folder / "sweep", quiet, output=output,
                  n=n, runs=runs, seed=seed, executor=scheduler, workers=workers,
                  chunk=chunk, resume=resume)
    typer.echo(str(result))
    name = f"sobol_{output}"
    with _finishing(folder / "sweep", f"{name}.csv and {name}.png"):
        written = _write_table(result.to_dataframe(), folder / f"{name}.csv")
        written.append(save_png(result.plot(), folder / f"{name}.png"))
    typer.echo(f"\nwrote {', '.join(p.name for p in written)} to {folder}/ "
               "(the sweep behind them in sweep/)")


def _prepare(what: str, needs: tuple[str, ...], file: Path, set_: list[str] | None,
             param: list[str], scheduler: str | None) -> tuple[Path, Any, dict[str, Any]]:
    """(the scenario's file, the scenario, the factors), once the extras that ``what``
    needs are known to be installed; exit 2 on any fault."""
    require(("xarray", "netCDF4", *needs), "sweep", what)
    if scheduler:
        require(("distributed",), "distributed", "--scheduler")
    path = scenario_file(file)
    return path, load_or_exit(path, set_), _factors(param)


def _factors(texts: list[str]) -> dict[str, Any]:
    from armsim.experiments.factors import FactorError, parse_param

    factors: dict[str, Any] = {}
    try:
        for text in texts:
            f = parse_param(text)
            if f.path in factors:
                raise FactorError(f.path, "given twice")
            factors[f.path] = f
    except FactorError as exc:
        fail(str(exc))
    return factors


def _interrupted(folder: Path) -> str:
    """What a Ctrl-C left in ``folder``, and the command that goes on from there."""
    from armsim.experiments import StoreError
    from armsim.experiments.store import SweepStore

    store = SweepStore(folder)
    try:
        stored = store.manifest() is not None
    except StoreError:
        stored = False
    if not stored:
        return (f"interrupted before any chunk was finished: nothing was stored in {folder}/; "
                "run the same command again to start over")
    done = len(store.done())
    chunks = "1 chunk of the sweep is" if done == 1 else f"{done} chunks of the sweep are"
    return (f"interrupted: {chunks} stored in {folder}/; run the same command with --resume "
            "to finish it")


@contextmanager
def _finishing(folder: Path, what: str) -> Iterator[None]:
    """A Ctrl-C once the sweep is complete and stored, while ``what`` is written."""
    try:
        yield
    except KeyboardInterrupt:
        typer.echo(f"interrupted while writing {what}: the sweep itself is complete in "
                   f"{folder}/; run the same command with --resume to write them (nothing is "
                   "run again)", err=True)
        raise typer.Exit(130) from None


def _run(function: Any, scenario: Any, factors: dict[str, Any], folder: Path, quiet: bool,
         **options: Any) -> Any:
    """Call ``sweep`` or ``sensitivity`` with a progress bar; errors become messages."""
    from armsim.experiments import DesignError, FactorError, StoreError, SweepError
    from armsim.experiments.store import reporting
    from armsim.experiments.summary import OutputError

    bar = _Bar(quiet)
    try:
        with reporting(lambda line: typer.echo(line, err=True)):
            return function(scenario, factors, out=folder, progress=bar, **options)
    except (DesignError, FactorError, StoreError, SweepError, OutputError,
            ConnectionError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        bar.close()
        typer.echo(_interrupted(folder), err=True)
        raise typer.Exit(130) from None
    finally:
        bar.close()


class _Bar:
    """A tqdm bar on a terminal; ``sweep`` sets ``total`` before the first update."""

    def __init__(self, quiet: bool):
        self.quiet, self.bar, self.total = quiet or not sys.stderr.isatty(), None, None

    def __call__(self, rows: int) -> None:
        if self.quiet:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="run", unit_scale=True, file=sys.stderr)
        self.bar.update(rows)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _summary_text(data: Any, table: Any, limit: int = 20) -> str:
    attrs = data.attrs
    head = (f"{attrs['scenario']}: {attrs['design']} design, {data.sizes['point']} points x "
            f"{data.sizes['run']} runs, seed {attrs['seed']}")
    factors = [k for k, v in data.coords.items() if v.dims == ("point",) and k != "point"]
    columns = factors + [c for c in ("agreement", "collapsed", "crisis", "mean_tension")
                         if c in table]
    shown = table[columns].head(limit).to_string(float_format=lambda v: f"{v:.3f}")
    more = f"\n... {len(table) - limit} more points in summary.csv" if len(table) > limit else ""
    return f"{head}\n\n{shown}{more}"


def _write_table(table: Any, path: Path) -> list[Path]:
    from armsim.results import atomic_write

    atomic_write(path, table.to_csv())
    return [path]


def _sweep_figures(data: Any, folder: Path) -> list[Path]:
    from armsim.plot.style import save_png
    from armsim.plot.sweeps import heatmap, line

    factors = [k for k, v in data.coords.items() if v.dims == ("point",) and k != "point"]
    if not factors or data.attrs.get("design") != "grid":
        return []
    written = []
    for output in ("agreement", "crisis"):
        if len(factors) >= 2:
            fig = heatmap(data, factors[1], factors[0], output)
        else:
            fig = line(data, factors[0], output)
        written.append(save_png(fig, folder / f"{output}.png"))
    return written

