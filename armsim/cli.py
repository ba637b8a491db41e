"""The ``armsim`` command: parse, call the library, print, exit with a code.

Exit codes: 0 success, 1 an unexpected failure, 2 invalid input (a scenario or an
option), 130 interrupted. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    name="armsim",
    help="Simulate arms-control negotiations: talks, compliance, escalation and crisis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_INVALID = 2
DEFAULT_SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "geneva_2022.yaml"


class Engine(str, Enum):
    """Which engine ``armsim run`` uses: both give the same numbers."""

    numpy = "numpy"
    mesa = "mesa"


def _echo_problems(problems: list, *, file: object = None) -> None:
    for problem in problems:
        typer.echo(str(problem), err=True)


def _load(path: Path, overrides: list[str] | None = None):
    """A validated scenario, or print every problem and exit 2."""
    from armsim.scenario import validate_file

    scenario, problems = validate_file(path, overrides)
    _echo_problems(problems)
    if scenario is None:
        errors = sum(p.severity == "error" for p in problems)
        typer.echo(f"{path}: {errors} error{'s' if errors != 1 else ''}; "
                   "nothing was run", err=True)
        raise typer.Exit(EXIT_INVALID)
    return scenario


def _reseed(scenario, seed: int | None):
    """The scenario with ``--seed`` (if given), or say what a seed may be and exit 2."""
    try:
        return scenario.with_seed(seed)
    except ValueError as exc:
        typer.echo(f"--seed: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    set_: Annotated[Optional[list[str]], typer.Option(
        "--set", help="Check with an override applied: PATH=VALUE (repeatable).")] = None,
) -> None:
    """Check scenario files; print every problem with FILE:LINE:COL. Exit 2 if any is invalid."""
    from armsim.scenario import validate_file

    failed = 0
    for path in files:
        scenario, problems = validate_file(path, set_)
        shown = [p for p in problems if not quiet or p.severity == "error"]
        _echo_problems(shown)
        if scenario is None:
            failed += 1
        elif not quiet:
            warnings = len(problems)
            note = f" ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else ""
            typer.echo(f"{path}: valid{note}")
    if failed:
        typer.echo(f"{failed} of {len(files)} file{'s' if len(files) != 1 else ''} invalid",
                   err=True)
        raise typer.Exit(EXIT_INVALID)


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML).")],
    set_: Annotated[Optional[list[str]], typer.Option(
        "--set", help="Override a value: PATH=VALUE, e.g. environment.verification=0.9.")] = None,
    notes: Annotated[bool, typer.Option(
        "--notes", help="Also print every source: and assumption: note.")] = False,
) -> None:
    """Describe a scenario: actors, forces, issues, red lines and zones of agreement."""
    from armsim.scenario.describe import describe, describe_notes

    scenario = _load(file, set_)
    typer.echo(describe(scenario))
    if notes:
        typer.echo("\n" + describe_notes(scenario))


@app.command()
def run(
    file: Annotated[Optional[Path], typer.Argument(
        help="Scenario file (YAML); default: the bundled Geneva 2022 scenario.")] = None,
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
) -> None:
    """Run a batch of a scenario; print a summary and write results to --out."""
    path = file or DEFAULT_SCENARIO
    if engine is Engine.mesa and workers is not None and workers > 1:
        typer.echo("--workers applies to --engine numpy; the Mesa engine runs in one "
                   "process", err=True)
        raise typer.Exit(EXIT_INVALID)
    scenario = _reseed(_load(path, set_), seed)
    folder = Path("out") / path.stem if out is None else Path(out)
    total = runs or scenario.runs
    _check_folder(out, folder, scenario, total, trajectories)  # before the runs
    from armsim.api import run as run_scenario
    from armsim.batch import release_out_folder
    from armsim.report import text
    from armsim.richardson import explain

    bar = _progress(total, quiet, 200 if engine is Engine.mesa else 20_000)
    try:
        results = run_scenario(scenario, runs=total, trajectories=trajectories,
                               workers=None if engine is Engine.mesa else workers,
                               progress=bar.update if bar else None, engine=engine.value)
    except KeyboardInterrupt:  # before any run finished (else results say interrupted)
        release_out_folder()
        typer.echo("interrupted before any run finished: nothing was written", err=True)
        raise typer.Exit(130) from None
    finally:
        if bar:
            bar.close()
    typer.echo(text(results))
    story = explain(scenario)
    if story:
        typer.echo("\n" + story)
    written: list[Path] = []
    try:
        written.extend(results.write_each(folder))
        if plots:
            from armsim.plot import write_figures

            written += write_figures(results, folder, scenario=scenario)
    except KeyboardInterrupt:
        done = (f"only {', '.join(p.name for p in written)} written" if written
                else "nothing written")
        typer.echo(f"interrupted while writing to {folder}/: {done} (no file there is "
                   "half-written; summary.json comes last, so a folder without it holds "
                   "incomplete results)", err=True)
        raise typer.Exit(130) from None
    except OSError as exc:  # the disk filled up, the folder was removed meanwhile...
        typer.echo(f"cannot write the results to {folder}/: {exc.strerror or exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        release_out_folder()
    typer.echo(f"\nwrote {', '.join(p.name for p in written)} to {folder}/")
    if results.meta.get("interrupted"):
        typer.echo("interrupted: the runs finished so far were written", err=True)
        raise typer.Exit(130)


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


@app.command("explain")
def explain_run(
    file: Annotated[Path, typer.Argument(help="Scenario file (YAML).")],
    seed: Annotated[Optional[int], typer.Option(
        "--seed", min=0, help="Seed (default: the scenario's).")] = None,
    run_index: Annotated[int, typer.Option(
        "--run", "-r", min=0, max=2**63 - 1,
        help="Which run to tell, numbered from 0 as in runs.csv.")] = 0,
    set_: Annotated[Optional[list[str]], typer.Option(
        "--set", help="Override a value: PATH=VALUE, e.g. environment.verification=0.9.")] = None,
) -> None:
    """Tell the story of one run in plain language, round by round (for a classroom)."""
    scenario = _reseed(_load(file, set_), seed)
    from armsim.explain import story

    typer.echo(story(scenario, run=run_index).text())


@app.command("app")
def classroom_app(
    file: Annotated[Optional[Path], typer.Argument(
        help="Scenario to open first (YAML); default: the bundled Geneva 2022 scenario.")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535,
                                      help="Port (0: any free port).")] = 8765,
) -> None:
    """Serve the classroom page (offline): step through a run, move sliders, play a state."""
    path = file or DEFAULT_SCENARIO
    _load(path)
    from armsim.app.serve import missing_requirements, serve

    why = missing_requirements()
    if why:
        typer.echo(why, err=True)
        raise typer.Exit(EXIT_INVALID)
    where = f"http://{host}:{port}/" if port else f"a free port of {host} (see below)"
    typer.echo(f"armsim app: {path} at {where} (Ctrl-C stops)", err=True)
    serve(path, host, port)


def _progress(total: int, quiet: bool, at_least: int = 20_000):
    if quiet or not sys.stderr.isatty() or total < at_least:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="run", unit_scale=True, file=sys.stderr)


# the experiments' commands (sweep, sensitivity) register themselves on ``app``
from armsim import cli_experiments  # noqa: E402,F401


def main() -> None:
    """Console entry point: never a traceback for a person, 130 on Ctrl-C."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except SystemExit as exc:
        # typer turns a Ctrl-C inside a command into a silent exit 130 (raised from the
        # KeyboardInterrupt); commands that said what they stopped raise theirs from None
        if exc.code == 130 and isinstance(getattr(exc.__context__, "__cause__", None),
                                          KeyboardInterrupt):
            typer.echo("interrupted", err=True)
        raise
    except Exception as exc:  # a bug in armsim: say so in one line, exit 1
        typer.echo(f"armsim: unexpected error ({type(exc).__name__}: {exc}); this is a bug "
                   "in armsim, please report it with the command you ran", err=True)
        sys.exit(1)


if __name__ == "__main__":
    # ``python -m armsim.cli``: this module is __main__, and the experiments' commands
    # registered themselves on the app of the module imported as armsim.cli; run that one
    from armsim.cli import main as _main

    _main()
