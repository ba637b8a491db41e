"""The ``armsim`` command: parse, call the library, print, exit with a code.

Exit codes: 0 success, 1 an unexpected failure, 2 invalid input (a scenario or an
option), 130 interrupted. Heavy imports happen inside the commands.

Each command is a plain function in its own module (``run``, ``scenario``, ``explain``,
``classroom``, ``experiments``); this module makes the ``typer`` app and registers them,
so no command module imports this one.
"""

from __future__ import annotations

import os
import sys

from armsim import painter as _painter

# Run as the armsim command (its script, or ``python -m armsim.cli``, whose argv[0] is "-m"
# while this package is imported):
# - NumPy's OpenBLAS keeps to this thread: armsim's arrays never meet BLAS, but each process
#   that imports NumPy (this one, the painter, the workers) otherwise starts a BLAS thread
#   that spins for a tenth of a second of CPU, on a machine whose cores the command uses;
# - ``armsim run`` forks its figures' painter before anything else is imported:
#   matplotlib's import, in the painter, then starts a tenth of a second sooner (typer's
#   and the commands' imports) and hides behind the runs.
if sys.argv and (sys.argv[0] == "-m" or os.path.basename(sys.argv[0]) == "armsim"):
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _painter.start_early(sys.argv)

from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from armsim import __version__  # noqa: E402
from armsim.cli import classroom, experiments, explain, run, scenario  # noqa: E402
from armsim.cli.common import EXIT_INVALID  # noqa: E402
from armsim.data import DEFAULT_SCENARIO  # noqa: E402

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
