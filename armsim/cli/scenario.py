"""``armsim validate``, ``show``, ``scenarios`` and ``init``: scenario files, checked,
described, listed and started."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Annotated, Optional

import typer

from armsim.cli.common import (EXIT_INVALID, SCENARIO_HELP, echo_problems, fail, load_or_exit,
                               locate, scenario_file)
from armsim.data import STARTER, SUFFIXES, bundled_scenarios


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


def scenarios() -> None:
    """List the bundled scenarios: the name that runs each (armsim run NAME) and its title."""
    from armsim.scenario import load_scenario

    bundled = bundled_scenarios()
    width = max(map(len, bundled))
    for name, path in bundled.items():
        scenario = load_scenario(path)
        title = scenario.name or scenario.description.strip().split("\n", 1)[0]
        typer.echo(f"{name:<{width}}  {title}")


def init(
    name: Annotated[Path, typer.Argument(
        help="The new scenario: NAME writes NAME.yaml; a path ending in .yaml is used as is.")],
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite the file if it exists.")] = False,
) -> None:
    """Write a commented starter scenario (two actors, one force, one issue, one session)."""
    if not name.name:
        fail(f"init: {str(name)!r} names no file; give the new scenario a name, e.g. "
             "armsim init my_talks")
    path = name if name.suffix in SUFFIXES else name.with_name(name.name + ".yaml")
    title = path.stem.replace("_", " ").replace("-", " ").strip() or "Starter scenario"
    text = STARTER.read_text(encoding="utf-8").replace(
        "\nname: Starter scenario ", f"\nname: {json.dumps(title)} ", 1)
    try:
        with path.open("w" if force else "x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        fail(f"{path}: the file exists; choose another name, or add --force to overwrite it")
    except OSError as exc:  # no such folder, a folder of that name, not writable...
        fail(f"{path}: cannot write the starter scenario there ({exc.strerror or exc}); "
             "choose another path")
    shown = shlex.quote(str(path))
    typer.echo(f"wrote {path}, a starter scenario to edit; check it with 'armsim validate "
               f"{shown}', then 'armsim run {shown}'")
