"""The ``armsim`` command: parse, call the library, print, exit with a code.

Exit codes: 0 success, 1 an unexpected failure, 2 invalid input (a scenario or an
option), 130 interrupted. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import sys
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


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML).")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Check scenario files; print every problem with FILE:LINE:COL. Exit 2 if any is invalid."""
    from armsim.scenario import validate_file

    failed = 0
    for path in files:
        scenario, problems = validate_file(path)
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
) -> None:
    """Describe a scenario: actors, forces, issues, red lines and zones of agreement."""
    from armsim.scenario.describe import describe

    typer.echo(describe(_load(file, set_)))


def main() -> None:
    """Console entry point: never a traceback for a person, 130 on Ctrl-C."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
