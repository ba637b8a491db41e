"""``armsim run``: a batch of one scenario, its summary, runs.csv and the figures."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from armsim.cli.common import (EXIT_INVALID, load_or_exit, require, reseed_or_exit,
                               scenario_file)



class TableFormat(str, Enum):
    """The runs table's file: runs.csv (text) or runs.parquet (binary, for large batches)."""

    csv = "csv"
    parquet = "parquet"


class Engine(str, Enum):
    """Which engine ``armsim run`` uses: both give the same numbers."""

    numpy = "numpy"
    mesa = "mesa"


def run(
    file: Annotated[Optional[Path], typer.Argument(
        help="Scenario file (YAML) or a bundled scenario's name; default: the bundled "
        "Geneva 2022 scenario, geneva_2022.")] = None,
    runs: Annotated[Optional[int], typer.Option("--runs", "-n", min=1,
                                                help="Number of runs.")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Seed.")] = None,
    set_: Annotated[Optional[list[str]], typer.Option(
        "--set", help="Override a value: PATH=VALUE, e.g. environment.verification=0.9.")] = None,
    out: Annotated[Optional[str], typer.Option(
        "--out", "-o", help="Folder for summary.json, runs.csv and figures.")] = None,
    trajectories: Annotated[bool, typer.Option(
        "--trajectories", help="Also record every round (trajectories.nc, netCDF).")] = False,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", min=1, help="Processes (default: all cores for large batches).")] = None,
    plots: Annotated[bool, typer.Option("--plots/--no-plots", help="Write PNG figures.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    engine: Annotated[Engine, typer.Option(
        "--engine", help="numpy: the vectorised batch engine (fast); mesa: the Mesa agent "
        "model, one run after another (slower, the same numbers).")] = Engine.numpy,
    format_: Annotated[TableFormat, typer.Option(
        "--format", help="The runs table: csv (runs.csv) or parquet (runs.parquet: the "
        "same columns and types, smaller and faster to write and read for large "
        "batches; needs pyarrow).")] = TableFormat.csv,
) -> None:
    """Run a batch of a scenario; print a summary and write results to --out."""
    if engine is Engine.mesa and workers is not None and workers > 1:
        typer.echo("--workers applies to --engine numpy; the Mesa engine runs in one "
                   "process", err=True)
        raise typer.Exit(EXIT_INVALID)
    if trajectories:
        require(("xarray",), "sweep", "--trajectories")
    if format_ is TableFormat.parquet:
        require(("pyarrow",), "parquet", "--format parquet")
    # the figures' painter imports matplotlib while the scenario loads and the runs are
    # computed (for batches small enough that it matters)
    from armsim.painter import EARLY_RUNS, Painter, take_early

    painter = take_early()              # started with the process (armsim.cli), if it was
    if not plots or (runs or 0) > EARLY_RUNS:
        if painter is not None:
            painter.close()
        painter = None
    elif painter is None:
        painter = Painter(2)
    try:
        path = scenario_file(file)
        scenario = reseed_or_exit(load_or_exit(path, set_), seed)
        folder = Path("out") / path.stem if out is None else Path(out)
        total = runs or scenario.runs
        _check_folder(out, folder, scenario, total, trajectories)  # before the runs
        from armsim.api import run as run_scenario
        from armsim.batch import release_out_folder
        from armsim.report import text
        from armsim.richardson import explain
        from armsim.runs_file import RunsWriter

        bar = _progress(total, quiet, 200 if engine is Engine.mesa else 20_000)
        table = RunsWriter(folder, format_.value)   # runs.csv written as the chunks finish
        try:
            results = run_scenario(scenario, runs=total, trajectories=trajectories,
                                   workers=None if engine is Engine.mesa else workers,
                                   progress=bar.update if bar else None, engine=engine.value,
                                   on_part=table.write, part_text=format_ is TableFormat.csv)
        except KeyboardInterrupt:  # before any run finished (else results say interrupted)
            table.abort()
            release_out_folder()
            typer.echo("interrupted before any run finished: nothing was written", err=True)
            raise typer.Exit(130) from None
        except BaseException:
            table.abort()
            raise
        finally:
            if bar:
                bar.close()
        typer.echo(text(results))
        story = explain(scenario)
        if story:
            typer.echo("\n" + story)
        written: list[Path] = []
        try:
            def write_results() -> None:
                written.extend(results.write_each(folder, format_.value, written=table))

            if plots:  # a forked process draws half of the figures while the results are written
                from armsim.plot import write_figures

                written += write_figures(results, folder, scenario=scenario, workers=2,
                                         alongside=write_results, painter=painter)
            else:
                write_results()
        except KeyboardInterrupt:
            table.abort()
            done = (f"only {', '.join(p.name for p in written)} written" if written
                    else "nothing written")
            typer.echo(f"interrupted while writing to {folder}/: {done} (no file there is "
                       "half-written; summary.json comes last, so a folder without it holds "
                       "incomplete results)", err=True)
            raise typer.Exit(130) from None
        except OSError as exc:  # the disk filled up, the folder was removed meanwhile...
            table.abort()
            typer.echo(f"cannot write the results to {folder}/: {exc.strerror or exc}", err=True)
            raise typer.Exit(1) from None
        finally:
            release_out_folder()
        typer.echo(f"\nwrote {', '.join(p.name for p in written)} to {folder}/")
        if results.meta.get("interrupted"):
            typer.echo("interrupted: the runs finished so far were written", err=True)
            raise typer.Exit(130)
    finally:
        if painter is not None:
            painter.close()


def _check_folder(text: str | None, folder: Path, scenario, runs: int,
                  trajectories: bool) -> None:
    """Exit 2 unless the batch fits and ``folder`` can take its results; lock it."""
    from armsim.batch import claim_out_folder

    try:
        notes = claim_out_folder(text, folder, scenario, runs, trajectories)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    for note in notes:
        typer.echo(f"warning: {note}", err=True)


def _progress(total: int, quiet: bool, at_least: int = 20_000):
    if quiet or not sys.stderr.isatty() or total < at_least:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="run", unit_scale=True, file=sys.stderr)

