"""``armsim app``: the classroom page, served offline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from armsim.cli.common import EXIT_INVALID, load_or_exit, scenario_file


def classroom_app(
    file: Annotated[Optional[Path], typer.Argument(
        help="Scenario to open first: a file (YAML) or a bundled scenario's name; "
        "default: the bundled Geneva 2022 scenario, geneva_2022.")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535,
                                      help="Port (0: any free port).")] = 8765,
    room: Annotated[bool, typer.Option(
        "--room", help="Open a room for a class at once and print its links (the teacher's "
        "console, the students' link, the projector's).")] = False,
) -> None:
    """Serve the classroom page (offline): a run of one's own, or a room where every
    student plays a state from their own browser."""
    path = scenario_file(file)
    load_or_exit(path)
    from armsim.app.serve import missing_requirements, serve

    why = missing_requirements()
    if why:
        typer.echo(why, err=True)
        raise typer.Exit(EXIT_INVALID)
    where = f"http://{host}:{port}/" if port else f"a free port of {host} (see below)"
    typer.echo(f"armsim app: {path} at {where} (Ctrl-C stops)", err=True)
    serve(path, host, port, room=room)
