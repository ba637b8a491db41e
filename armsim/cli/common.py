"""What every command shares: the exit code of bad input, finding and loading a scenario."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer

from armsim.data import DEFAULT_SCENARIO, SUFFIXES, closest_names, find_bundled

EXIT_INVALID = 2
SCENARIO_HELP = "Scenario file (YAML), or a bundled scenario's name (armsim scenarios lists them)."


def echo_problems(problems: list) -> None:
    for problem in problems:
        typer.echo(str(problem), err=True)


def fail(message: str) -> NoReturn:
    """Print ``message`` (what is wrong, where, what to do) and exit 2."""
    typer.echo(message, err=True)
    raise typer.Exit(EXIT_INVALID)


def require(modules: tuple[str, ...], extra: str, what: str) -> None:
    """Exit 2, naming the extra to install, when a module that ``what`` needs is missing
    (``make run`` and a plain ``pip install armsim`` install no extra)."""
    import importlib.util

    missing = [name for name in modules if importlib.util.find_spec(name) is None]
    if missing:
        fail(f"{what} needs {' and '.join(missing)} (not installed); install the extra that "
             f"has it: pip install 'armsim[{extra}]'")


def locate(argument: Path) -> Path | str:
    """The file a scenario argument means, or why there is none (one line).

    A file that exists is itself, whatever its name, and ``NAME`` is ``NAME.yaml`` when that
    file exists (as ``armsim init NAME`` writes it); otherwise a bundled scenario's name
    (``geneva_2022``, ``classics/richardson``, ``richardson``) is that scenario; a missing
    ``.yaml`` path is left to the loader, which says so; any other text is an unknown name.
    """
    candidates = [argument]
    if argument.name and argument.suffix not in SUFFIXES:
        candidates.append(argument.with_name(argument.name + ".yaml"))
    try:
        for candidate in candidates:
            if candidate.exists() and not candidate.is_dir():
                return candidate
    except (OSError, ValueError):  # a name too long, a folder that may not be read...
        return argument
    bundled = find_bundled(argument.as_posix())
    if bundled is not None:
        return bundled
    if argument.suffix in SUFFIXES or argument.exists():
        return argument
    near = closest_names(argument.as_posix())
    hint = f"did you mean {near[0]}? " if near else ""
    return (f"{argument}: no such file, and no bundled scenario of that name; {hint}"
            "'armsim scenarios' lists the bundled ones")


def scenario_file(argument: Path | None) -> Path:
    """The file to open for a scenario argument (none: the bundled default), or exit 2."""
    found = DEFAULT_SCENARIO if argument is None else locate(argument)
    if isinstance(found, str):
        fail(found)
    return found


def load_or_exit(path: Path, overrides: list[str] | None = None):
    """A validated scenario, or print every problem and exit 2."""
    from armsim.scenario import validate_file

    scenario, problems = validate_file(path, overrides)
    echo_problems(problems)
    if scenario is None:
        errors = sum(p.severity == "error" for p in problems)
        typer.echo(f"{path}: {errors} error{'s' if errors != 1 else ''}; "
                   "nothing was run", err=True)
        raise typer.Exit(EXIT_INVALID)
    return scenario


def reseed_or_exit(scenario, seed: int | None):
    """The scenario with ``--seed`` (if given), or say what a seed may be and exit 2."""
    try:
        return scenario.with_seed(seed)
    except ValueError as exc:
        fail(f"--seed: {exc}")
