"""``armsim validate`` and ``armsim show``: scenario files, checked and described."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from armsim.cli.common import (EXIT_INVALID, SCENARIO_HELP, echo_problems, load_or_exit, locate,
                               scenario_file)


def validate(
    files: Annotated[list[Path], typer.Argument(
        help="Scenario files (YAML), or bundled scenarios' names.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    set_: Annotated[Optional[list[str]], typer.Option(
        "--set", help="Check with an override applied: PATH=VALUE (repeatable).")] = None,
) -> None:
    """Check scenario files; print every problem with FILE:LINE:COL. Exit 2 if any is invalid."""
    from armsim.scenario import validate_file

    failed = 0
    for argument in files:
        path = locate(argument)
        if isinstance(path, str):  # an unknown name
            typer.echo(path, err=True)
            failed += 1
            continue
        scenario, problems = validate_file(path, set_)
        shown = [p for p in problems if not quiet or p.severity == "error"]
        echo_problems(shown)
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


def show(
    file: Annotated[Path, typer.Argument(help=SCENARIO_HELP)],
    set_: Annotated[Optional[list[str]], typer.Option(
        "--set", help="Override a value: PATH=VALUE, e.g. environment.verification=0.9.")] = None,
    notes: Annotated[bool, typer.Option(
        "--notes", help="Also print every source: and assumption: note.")] = False,
) -> None:
    """Describe a scenario: actors, forces, issues, red lines and zones of agreement."""
    from armsim.scenario.describe import describe, describe_notes

    scenario = load_or_exit(scenario_file(file), set_)
    typer.echo(describe(scenario))
    if notes:
        typer.echo("\n" + describe_notes(scenario))

