"""The students' pages and the projector's.

- :func:`Join`: a name and a seat (a state: alone, or with the team already at it);
- :func:`StudentView`: the seat's panel (its turn, what its last decision did, its
  private brief) beside the public record and the figures everyone sees; the dance and
  the whole story once the teacher reveals them; the ensemble, the debrief and the
  downloads once the run is over;
- :func:`Projector`: large type, one figure at a time, what just happened.
"""

from __future__ import annotations

import solara

from armsim.app import views
from armsim.app.boxes import Debrief, Downloads, EnsembleBox
from armsim.app.components import Figures, News, StatusBar, StoryBox
from armsim.app.room import Room
from armsim.app.panel import SeatPanel


@solara.component
def Join(room: Room, snap: views.Snapshot, token: str):
    name, set_name = solara.use_state("")
    error, set_error = solara.use_state("")

    def join(seat: str) -> None:
        try:
            room.join(token, name, seat)
        except ValueError as exc:
            set_error(str(exc))

    with solara.Column(style="padding: 16px; gap: 12px; max-width: 760px",
                       classes=["armsim-join"]):
        solara.Markdown(f"## {snap.title}\n\nRoom **{snap.code}**. Write your name, then take "
                        "a state's seat. A team shares one seat: any of you may decide for it. "
                        "The other states are played by their strategies.")
        solara.InputText("Your name (as the class knows you)", value=name, on_value=set_name,
                         continuous_update=True)
        for seat in snap.seats:
            with solara.Row(style="align-items: center; gap: 12px"):
                solara.Button(f"Play {seat.label}", color="primary", outlined=bool(seat.names),
                              on_click=lambda s=seat.actor: join(s),
                              classes=[f"armsim-join-{seat.actor}"])
                solara.Text(f"with {seat.names}" if seat.names else "free (the agent plays it)",
                            style="color: #555")
        if error:
            solara.Error(error)
        solara.Text("Your seat is kept if you reload the page or come back with this link; "
                    "if you close it for good, the agent takes over your state.",
                    classes=["armsim-quiet-note"])


@solara.component
def StudentView(room: Room, snap: views.Snapshot, token: str):
    mine = room.holder(token)
    if mine is None:
        Join(room, snap, token)
        return
    seat = mine.seat
    with solara.AppBar():
        solara.Text(f"Room {snap.code}: you play {views.label(room.model, seat)} ({mine.name})",
                    classes=["armsim-you"])
        solara.Button("Leave the seat", text=True, on_click=lambda: room.leave(token),
                      style="color: white")
    with solara.Column(style="padding: 10px; gap: 10px", classes=["armsim-main"]):
        StatusBar(room, snap, seat)
        News(snap.news[-1] if snap.news else "")
        with solara.Div(classes=["armsim-wrap"]):
            with solara.Div(classes=["armsim-left"]):
                SeatPanel(room, views.seat_view(room, snap, seat), token)
            with solara.Div(classes=["armsim-right"]):
                kinds = ("tension", "forces", "dance") if snap.revealed else ("tension",
                                                                               "forces")
                Figures(room, views.figure_stamp(snap), kinds, note="" if snap.revealed else
                        "The negotiation dance shows every seat's utilities: it appears "
                        "when the teacher reveals them.")
                if snap.revealed:
                    StoryBox(snap.full_html, "The whole story (revealed)")
                else:
                    StoryBox(snap.public_html, "The public record (what every seat sees)",
                             kind="public")
        if room.ensemble is not None or snap.finished:
            EnsembleBox(room, snap, can_run=False)
        if snap.finished or snap.revealed:
            Debrief(room, snap)
            with solara.Card("Downloads", style="padding: 6px 12px"):
                Downloads(room, snap, everything=False)


@solara.component
def Projector(room: Room, snap: views.Snapshot):
    """For the wall: large type, one figure at a time, the latest public events."""
    with solara.Column(style="padding: 12px; gap: 12px", classes=["armsim-projector"]):
        solara.Text(f"{snap.title}: room {snap.code}", style="font-weight: 600")
        StatusBar(room, snap)
        News(snap.news[-1] if snap.news else "")
        with solara.Div(classes=["armsim-wrap"]):
            with solara.Div(classes=["armsim-right"]):
                kinds = ("tension", "forces", "dance") if snap.revealed else ("tension",
                                                                               "forces")
                Figures(room, views.figure_stamp(snap), kinds, scale=1.5, height=520)
            with solara.Div(classes=["armsim-left"]):
                StoryBox(snap.full_html if snap.revealed else snap.public_html,
                         "What happened", kind="public")
        if room.ensemble is not None:
            EnsembleBox(room, snap, can_run=False)
