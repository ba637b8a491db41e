"""The ``armsim`` command: parse, call the library, print, exit with a code.

Exit codes: 0 success, 1 an unexpected failure, 2 invalid input (a scenario or an
option), 130 interrupted. Heavy imports happen inside the commands.

Each command is a plain function in its own module (``run``, ``scenario``, ``explain``,
``classroom``, ``experiments``); this module makes the ``typer`` app and registers them,
so no command module imports this one.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from armsim import __version__
from armsim.cli import classroom, experiments, explain, run, scenario
from armsim.cli.common import EXIT_INVALID
from armsim.data import DEFAULT_SCENARIO

app = typer.Typer(
    name="armsim",
    help="Simulate arms-control negotiations: talks, compliance, escalation and crisis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

app.command()(scenario.validate)
app.command()(scenario.show)
app.command()(run.run)
app.command("explain")(explain.explain_run)
app.command("app")(classroom.classroom_app)
app.command("sweep")(experiments.sweep_command)
app.command("sensitivity")(experiments.sensitivity_command)
app.command()(scenario.scenarios)
app.command()(scenario.init)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"armsim {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print armsim's version and exit.")] = False,
) -> None:
    """Simulate arms-control negotiations: talks, compliance, escalation and crisis."""


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


__all__ = ["DEFAULT_SCENARIO", "EXIT_INVALID", "app", "main"]
