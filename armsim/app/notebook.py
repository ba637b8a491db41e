"""The classroom page inside Jupyter: ``armsim.app.notebook.page(FILE)``.

A solara component is also a Jupyter widget, so the console ``armsim app`` serves can
be the output of a notebook cell, with no server to start: a run of one's own (a
private :class:`~armsim.app.room.Room`) of the scenario, inside solara's ``AppLayout``
(its sidebar holds the settings). Errors while building it are raised, not only
printed. Rooms for a class need the server (``armsim app``): students' browsers join it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from armsim.app.serve import offline_environment


def page(scenario: str | os.PathLike[str] | None = None) -> Any:
    """The console of a run of ``scenario`` (default: the bundled article scenario) as a
    widget (the last expression of a cell shows it); ``page.room`` is its room."""
    offline_environment(Path(scenario) if scenario is not None else None)
    import solara

    from armsim.app import controls
    from armsim.app.page import RoomPage
    from armsim.app.rooms import ROOMS
    from armsim.app.settings import Settings

    room = ROOMS.open(Settings.of_file(scenario or controls.DEFAULT_FILE), shared=False)
    widget, _context = solara.render(solara.AppLayout(children=[RoomPage(room, "teacher")]),
                                     handle_error=False)
    widget.room = room
    return widget
