"""The classroom page inside Jupyter: ``armsim.app.notebook.page(FILE)``.

A solara component is also a Jupyter widget, so the page ``armsim app`` serves can
be the output of a notebook cell, with no server to start. The page needs solara's
``AppLayout`` around it (its sidebar holds the scenario card, Step / Play / Reset
and the sliders); errors while building it are raised, not only printed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from armsim.app.serve import SCENARIO_ENV, offline_environment


def page(scenario: str | os.PathLike[str] | None = None) -> Any:
    """The classroom page as a widget (the last expression of a cell shows it).

    ``scenario`` is the file the page opens first (default: the bundled article
    scenario); solara's offline settings are set before solara is imported.
    """
    offline_environment(Path(scenario) if scenario is not None else None)
    if scenario is None:
        os.environ.pop(SCENARIO_ENV, None)
    import solara

    from armsim.app.page import Page

    widget, _context = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    return widget
