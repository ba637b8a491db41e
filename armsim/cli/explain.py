"""``armsim explain``: the story of one run, round by round."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from armsim.cli.common import SCENARIO_HELP, load_or_exit, reseed_or_exit, scenario_file


def explain_run(
    file: Annotated[Path, typer.Argument(help=SCENARIO_HELP)],
    seed: Annotated[Optional[int], typer.Option(
        "--seed", min=0, help="Seed (default: the scenario's).")] = None,
    run_index: Annotated[int, typer.Option(
        "--run", "-r", min=0, max=2**63 - 1,
        help="Which run to tell, numbered from 0 as in runs.csv.")] = 0,
    set_: Annotated[Optional[list[str]], typer.Option(
        "--set", help="Override a value: PATH=VALUE, e.g. environment.verification=0.9.")] = None,
) -> None:
    """Tell the story of one run in plain language, round by round (for a classroom)."""
    scenario = reseed_or_exit(load_or_exit(scenario_file(file), set_), seed)
    from armsim.explain import story

    typer.echo(story(scenario, run=run_index).text())
