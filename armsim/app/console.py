"""The teacher's console (also the page of one person working alone).

The sidebar sets the run (scenario, sliders, linkage, run number: applied at once while
nothing has been played, else after "Restart with these settings", with the change
shown until then) and, for a class, shows the room's code and links, who holds which
seat, the turn timer, the pace of Play and the reveal switch. The main area has the
controls (Start, Play, Pause, one round, Reset), where the run stands, the teacher's
own seat if they take one, the whole story, the figures, the ensemble, the debrief
and the downloads.
"""

from __future__ import annotations

from dataclasses import replace

import solara

from armsim.app import controls, views
from armsim.app.boxes import Debrief, Downloads, EnsembleBox
from armsim.app.components import Figures, News, StatusBar, StoryBox, push, seat_names
from armsim.app.room import PACES, Room
from armsim.app.panel import SeatPanel
from armsim.app.settings import Settings

TIMERS = {"no timer": 0, "30 s": 30, "1 min": 60, "2 min": 120, "5 min": 300}


def host() -> str:
    """The address the browser used to reach this server ("127.0.0.1:8765")."""
    try:
        return (solara.lab.headers.value or {}).get("host", ["127.0.0.1:8765"])[0]
    except Exception:
        return "127.0.0.1:8765"


@solara.component
def Console(room: Room, snap: views.Snapshot, token: str):
    router = solara.use_router()
    mine = room.holder(token)
    with solara.Sidebar():
        if snap.shared:                     # a class: its code and seats come first
            ClassCard(room, snap, token)
        else:                               # a student who opened the bare address
            JoinByCode(router)
        SettingsCard(room, snap, router).key(repr(snap.settings))
        if not snap.shared:
            ClassCard(room, snap, token)
    with solara.Column(style="padding: 10px; gap: 10px", classes=["armsim-main"]):
        Controls(room, snap)
        StatusBar(room, snap, mine.seat if mine else None)
        with solara.Div(classes=["armsim-wrap"]):
            with solara.Div(classes=["armsim-left"]):
                if mine is not None:
                    SeatPanel(room, views.seat_view(room, snap, mine.seat), token)
                StoryBox(snap.full_html, "The story, newest round first")
            with solara.Div(classes=["armsim-right"]):
                Figures(room, views.figure_stamp(snap))
        EnsembleBox(room, snap)
        Debrief(room, snap, everyone=True)
        with solara.Card("Downloads", style="padding: 6px 12px"):
            Downloads(room, snap, everything=True)


@solara.component
def Controls(room: Room, snap: views.Snapshot):
    with solara.Row(style="flex-wrap: wrap; gap: 8px; align-items: center",
                    classes=["armsim-controls"]):
        if snap.shared and not snap.started:
            solara.Button("Start the class's run", color="primary", on_click=room.start)
        elif snap.playing:
            solara.Button("Pause", icon_name="mdi-pause", color="warning", on_click=room.pause)
        else:
            solara.Button("Play", icon_name="mdi-play", color="primary", on_click=room.play,
                          disabled=snap.finished)
        solara.Button("One round", icon_name="mdi-step-forward", on_click=room.advance,
                      disabled=snap.finished or bool(snap.turns), outlined=True)
        solara.Button("Reset", icon_name="mdi-restart", on_click=lambda: room.reset(),
                      outlined=True)
        solara.Select("Pace of Play", value=_pace_name(snap.pace), values=list(PACES),
                      on_value=room.set_pace, style="max-width: 150px")
        News(snap.news[-1] if snap.news else "")


def _pace_name(pace: float) -> str:
    return next((k for k, v in PACES.items() if v == pace), "steady")


@solara.component
def SettingsCard(room: Room, snap: views.Snapshot, router):
    applied: Settings = snap.settings
    draft, set_draft = solara.use_state(applied)
    choices = controls.scenario_choices(None if applied.scenario in _bundled() else
                                        applied.path)
    scenario = draft.loaded
    actor = draft.focus
    labels = {controls.actor_label(scenario, a): a for a in scenario.actors}
    def apply(new: Settings) -> None:
        """A change starts the run afresh at once if nothing has happened in it yet (asked
        of the room now: another thread may have played a round since this was drawn)."""
        set_draft(new)
        with room.lock:
            fresh = (room.model.round == 0 and not room.playing
                     and not any(e.people for e in room.model.log))
        if fresh:
            _restart(room, new, router)

    with solara.Card("The run's settings", classes=["armsim-settings-card"],
                     style="padding: 6px 10px"):
        solara.Select("Scenario", value=draft.scenario if draft.scenario in choices else
                      controls.choice_name(draft.path), values=list(choices),
                      on_value=lambda name: apply(draft.with_file(name)))
        solara.Select("Sliders set patience and reservation of",
                      value=controls.actor_label(scenario, actor), values=list(labels),
                      on_value=lambda lab: apply(replace(draft, actor=labels[lab],
                                                         patience=None, reservation=None)))
        for slider in controls.SLIDERS:
            value = draft.slider(slider.name)
            name = slider.label.format(label=controls.actor_label(scenario, actor))
            solara.SliderFloat(f"{name} {value:.3g}", value=value, min=min(slider.low, value),
                               max=max(slider.high, value), step=slider.step, thumb_label=True,
                               on_value=lambda v, n=slider.name: apply(_moved(draft, n, v)))
        solara.Checkbox(label="Linkage (actors insist on linked issues)"
                        if controls.has_linkage(scenario) else "Linkage (none in this scenario)",
                        value=draft.linkage,
                        on_value=lambda v: apply(replace(draft, linkage=v)))
        solara.SliderInt(f"Run {draft.run}", value=draft.run, min=0, max=99,
                         on_value=lambda v: apply(replace(draft, run=int(v))))
        changes = draft.changed(applied)
        if changes:
            solara.Warning("Not applied yet: " + "; ".join(changes) + ".",
                           classes=["armsim-pending"])
            solara.Button("Restart the run with these settings", color="primary",
                          on_click=lambda: _restart(room, draft, router))
        changed = "; ".join(f"{k} = {v}" for k, v in applied.overrides().items())
        solara.Text(f"{snap.title}, run {snap.run}, seed {snap.seed}. Changed from the file: "
                    f"{changed or 'nothing'}.", classes=["armsim-settings"],
                    style="display: block; color: #555; font-size: 0.9em")
        solara.InputText("Link to these settings (copy it to share)",
                         value=f"http://{host()}/?{applied.query()}", disabled=False)


def _bundled() -> set[str]:
    return {controls.choice_name(f) for f in controls.bundled_scenarios()}


def _moved(draft: Settings, name: str, value: float) -> Settings:
    """A slider moved: None (the file's value) if it is back at the file's value."""
    base = controls.scenario_values(draft.loaded, draft.focus)[name]
    return replace(draft, **{name: None if abs(value - base) <= 1e-9 else float(value)})


def _restart(room: Room, settings: Settings, router) -> None:
    room.reset(settings)
    push(router, f"room={room.code}&teacher={room.teacher_key}&{settings.query()}")


@solara.component
def ClassCard(room: Room, snap: views.Snapshot, token: str):
    with solara.Card("The class", classes=["armsim-class-card"], style="padding: 6px 10px"):
        if not snap.shared:
            solara.Text("Only you see this run. Open it to a class: students join from their "
                        "own browsers with a short code, each at a state's seat.",
                        style="display: block")
            solara.Button("Open this run to a class", color="primary",
                          on_click=room.open_to_class)
            OwnSeat(room, snap, token)
            return
        solara.Text("Room code", style="display: block")
        solara.Text(snap.code, classes=["armsim-code"], style="display: block")
        address = host()
        solara.Text(f"Students open http://{address}/?room={snap.code}",
                    classes=["armsim-student-link"], style="display: block")
        if address.split(":")[0] in ("127.0.0.1", "localhost"):
            solara.Text("That address works on this computer only: for students' laptops, "
                        "start armsim app with --host 0.0.0.0 and give them this computer's "
                        "address on the classroom network.", classes=["armsim-quiet-note"])
        solara.Text(f"Projector: http://{address}/?room={snap.code}&view=projector",
                    style="display: block; font-size: 0.9em")
        for seat in snap.seats:
            held = seat.names or "the agent (free seat)"
            solara.Text(f"{seat.label}: {held}", classes=["armsim-seat-holder"],
                        style="display: block")
        solara.Select("Turn timer", value=_timer_name(snap.timer), values=list(TIMERS),
                      on_value=lambda v: room.set_timer(TIMERS[v]))
        solara.Switch(label="Reveal every seat's private information", value=snap.revealed,
                      on_value=room.reveal)
        OwnSeat(room, snap, token)


def _timer_name(seconds: float) -> str:
    return next((k for k, v in TIMERS.items() if v == seconds), "no timer")


@solara.component
def OwnSeat(room: Room, snap: views.Snapshot, token: str):
    """The teacher (or a student working alone) may take a seat too."""
    nobody = controls.NOBODY
    mine = room.holder(token)
    labels = {s.label: s.actor for s in snap.seats}

    def choose(label: str) -> None:
        if label == nobody:
            room.leave(token, "left the seat")
        else:
            room.join(token, "you" if not snap.shared else "the teacher", labels[label])

    solara.Select("Play a state yourself", value=views.label(room.model, mine.seat)
                  if mine else nobody, values=[nobody] + list(labels), on_value=choose)
    if mine is not None:
        solara.Text(f"You play {seat_names(snap, mine.seat)}.", style="display: block")


@solara.component
def JoinByCode(router):
    """A student who opened the server's bare address finds the class's room here."""
    code, set_code = solara.use_state("")
    with solara.Card("Joining a class?", classes=["armsim-join-code"],
                     style="padding: 6px 10px"):
        with solara.Row(style="align-items: center; gap: 8px"):
            solara.InputText("Room code", value=code, on_value=set_code,
                             continuous_update=True)
            solara.Button("Join", color="primary", disabled=not code.strip(),
                          on_click=lambda: push(router, f"room={code.strip().upper()}"))
