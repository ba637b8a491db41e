"""The classroom page: ``armsim app`` serves :func:`Page` (``solara run armsim.app.page``).

Every page shows a :class:`~armsim.app.room.Room`; its address says which and how:

- ``/`` (with settings, ``?scenario=...&verification=0.9``): a run of one's own: a
  private room is opened with those settings, and the address becomes its console's;
- ``/?room=CODE&teacher=KEY``: the teacher's console (the settings follow in the
  address, so a reload keeps them, and reopens the run if the server was restarted);
- ``/?room=CODE``: a student's page (join a seat, then play it);
- ``/?room=CODE&view=projector``: the projector's.

There are no developer controls: the page has its own Play, Pause, one round and Reset.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import solara

from armsim.app import controls
from armsim.app.components import CSS, page_token, push, use_room
from armsim.app.console import Console
from armsim.app.room import Room
from armsim.app.rooms import ROOMS
from armsim.app.serve import SCENARIO_ENV
from armsim.app.settings import Settings
from armsim.app.student import Projector, StudentView


def first_file() -> Path:
    """The scenario to open: ``armsim app FILE``'s, else the article scenario."""
    given = os.environ.get(SCENARIO_ENV)
    return Path(given) if given else controls.DEFAULT_FILE


@solara.component
def Page():
    solara.Style(CSS)
    router = solara.use_router()
    query = {k: v[-1] for k, v in parse_qs(router.search or "").items()}
    code = query.get("room")
    room = ROOMS.get(code)
    if room is None and (not code or query.get("teacher")):
        Opening(query, router)
    elif room is None:
        NoRoom(code, router)
    elif query.get("teacher") == room.teacher_key:
        RoomPage(room, "teacher")
    elif query.get("view") == "projector":
        RoomPage(room, "projector")
    else:
        RoomPage(room, "student")


@solara.component
def RoomPage(room: Room, role: str, token: str | None = None):
    """A room's page for ``role`` (teacher, student, projector); ``token`` is the
    browser's (default: solara's session cookie)."""
    own = page_token()
    token = token or own
    snap = use_room(room, token, {"teacher": 0, "projector": 1}.get(role, 2))
    solara.Title(f"armsim: {snap.title}")
    with solara.AppBarTitle():
        solara.Text("armsim classroom" + (f": room {snap.code}" if snap.shared else ""))
    if role == "teacher":
        Console(room, snap, token)
    elif role == "projector":
        Projector(room, snap)
    else:
        StudentView(room, snap, token)


@solara.component
def Opening(query: dict[str, str], router):
    """A run of one's own, with the settings of the address."""
    search = urlencode({k: v for k, v in query.items() if k not in ("room", "teacher")})
    settings, problems = Settings.from_query(search, first_file())

    def open_room():
        room = ROOMS.open(settings, shared=False)
        for problem in problems:
            room.news.append(f"The link's settings: {problem}.")
        push(router, f"room={room.code}&teacher={room.teacher_key}&{settings.query()}")

    solara.use_effect(open_room, [])
    solara.ProgressLinear(True)
    solara.Text("Opening a run...")


@solara.component
def NoRoom(code: str, router):
    entered, set_entered = solara.use_state("")
    with solara.Column(style="padding: 20px; gap: 12px; max-width: 640px",
                       classes=["armsim-no-room"]):
        solara.Error(f"There is no room {code.upper()} on this server. Check the code with "
                     "your teacher (rooms end when the server stops).")
        solara.InputText("Room code", value=entered, on_value=set_entered)
        solara.Button("Join", color="primary",
                      on_click=lambda: push(router, f"room={entered.strip().upper()}"))
        solara.Button("Open a run of my own", text=True, on_click=lambda: push(router, ""))
