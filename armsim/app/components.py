"""The parts every page of a room shares, as solara components.

- :func:`use_room`: a page listens to its room and redraws when it changes (the room's
  notifier thread tells it, in the page's own kernel context);
- :func:`StatusBar`: round, venue, tension, agreements, whose turn it is;
- :func:`StoryBox`: the story or the public record, newest round on top;
- :func:`Figures`: tension, forces and the dance, drawn in the browser (ECharts, from
  :mod:`armsim.app.charts`), one tab at a time;
- :func:`News`: what just happened in the room (who joined, left, timed out).

Elements the browser tests look for carry ``armsim-*`` classes.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

import solara
from solara.components.echarts import EchartsWidget

from armsim.app import figures, views
from armsim.app.room import Room
from armsim.plot.data import short_venue

CSS = """
.armsim-story-box { max-height: 520px; overflow-y: auto; }
.armsim-story-scroll { display: flex; flex-direction: column; }
.armsim-round-block { padding: 4px 8px; margin: 2px 0; border-radius: 4px; }
.armsim-latest { background: #fff8e1; }
.armsim-line { line-height: 1.45; }
.armsim-in { padding-left: 1.1em; }
.armsim-deep { padding-left: 2.2em; }
.armsim-strong { font-weight: 600; }
.armsim-status { font-size: 1.05rem; }
.armsim-status .armsim-big { font-size: 1.3rem; font-weight: 600; }
.armsim-note { color: #b00020; font-size: 0.92rem; }
.armsim-quiet-note { color: #555; font-size: 0.92rem; }
.v-card__title { word-break: normal !important; }
.armsim-turn .v-input__slider { margin-top: -4px; }
.armsim-turn .v-input--checkbox { margin-top: 2px; padding-top: 0; }
.armsim-turn .v-input--checkbox .v-messages { display: none; }
.armsim-turn label { color: #222 !important; font-size: 0.95rem; line-height: 1.35; }
.armsim-wrap { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.armsim-wrap > .armsim-left { flex: 1 1 360px; min-width: 300px; max-width: 100%; }
.armsim-wrap > .armsim-right { flex: 1.25 1 430px; min-width: 300px; max-width: 100%; }
.v-navigation-drawer.solara-content-main { min-width: 290px !important;
                                           max-width: 320px !important; }
.v-navigation-drawer .v-slider { margin-left: 4px; }
.armsim-settings-card .v-input__slot label, .armsim-settings-card .v-label { font-size: 0.95rem; }
.armsim-projector, .armsim-projector .v-card__text, .armsim-projector span,
.armsim-projector .armsim-line { font-size: 1.4rem !important; line-height: 1.4; }
.armsim-projector .armsim-story-box { max-height: 62vh; }
.armsim-projector .armsim-status .armsim-big { font-size: 2.2rem !important; }
.armsim-projector .v-tab { font-size: 1.1rem !important; }
.armsim-code { font-size: 2.2rem; font-weight: 700; letter-spacing: 0.2em; }
.armsim-table td, .armsim-table th { padding: 2px 8px; vertical-align: top; text-align: left; }
.armsim-table { border-collapse: collapse; font-size: 0.92rem; }
.armsim-table tr:nth-child(even) { background: #f6f6f6; }
.armsim-differs { background: #fff3cd !important; }
"""


class EChart(EchartsWidget):
    """solara's ECharts widget with armsim's template (echarts.vue: the minified library,
    and the time each figure is drawn)."""

    template_file = (__file__, "echarts.vue")


def Echart(option: dict, attributes: dict) -> Any:
    """An ECharts figure that follows its container's size."""
    return EChart.element(option=option, attributes=attributes, responsive=True)


def push(router, search: str) -> None:
    """Show ``search`` in the address bar (nothing outside a server)."""
    if getattr(router, "set_path", None) is not None:
        router.push(f"/?{search}")


def page_token() -> str:
    """This browser's token: solara's session cookie (the same across reloads and tabs),
    or, outside a server, one per page."""
    try:
        return solara.get_session_id()
    except Exception:           # rendered outside a solara server (tests, a notebook)
        return solara.use_memo(lambda: f"page-{uuid.uuid4().hex[:8]}", [])


def _context() -> Any:
    try:
        import solara.server.kernel_context as kc

        return kc.get_current_context() if kc.has_current_context() else None
    except Exception:
        return None


def _connected(context: Any) -> bool:
    from solara.server.kernel_context import PageStatus

    if context.closed_event.is_set():
        return False
    return PageStatus.CONNECTED in context.page_status.values()


def use_room(room: Room, token: str, rank: int = 2) -> views.Snapshot:
    """The room as this page shows it; the page redraws whenever the room changes (told
    in order of ``rank``: the teacher's page first)."""
    version, set_version = solara.use_state(room.version)

    def listen():
        context = _context()

        def notify(v: int) -> None:
            if context is None:
                set_version(v)
                return
            if context.closed_event.is_set():
                return
            with context:
                set_version(v)

        probe = (lambda: _connected(context)) if context is not None else (lambda: True)
        return room.attach(token, notify, probe, rank)

    solara.use_effect(listen, [room.code, token])
    # the state above redraws the page on a change; what it shows is the room's snapshot
    return room.cached("snapshot", lambda: views.snapshot(room))


def seat_names(snap: views.Snapshot, seat: str) -> str:
    found = next((s for s in snap.seats if s.actor == seat), None)
    if found is None:
        return seat
    return f"{found.label} ({found.names})" if found.names else found.label


@solara.component
def StatusBar(room: Room, snap: views.Snapshot, seat: str | None = None):
    """Where the run stands and whose turn it is."""
    where = short_venue(snap.venue) if snap.venue else (
        "talks over" if snap.talk_rounds else "no talks in this scenario")
    if snap.crisis_round >= 0:
        where = f"crisis in round {snap.crisis_round}: talks stopped, agreements lapsed"
    if snap.finished:
        where = "the run is over"
    agreed = ", ".join(snap.in_force) or "none"
    with solara.Card(classes=["armsim-status"], style="padding: 8px 14px"):
        with solara.Row(style="flex-wrap: wrap; gap: 6px 22px; align-items: baseline"):
            solara.Text(f"Round {snap.round} of {snap.rounds}",
                        classes=["armsim-big", "armsim-round-counter"])
            solara.Text(f"Next: {where}" if not snap.finished else "The run is over",
                        classes=["armsim-where"])
            solara.Text(f"Tension {snap.tension:.2f}", classes=["armsim-tension"])
            solara.Text(f"Agreements in force: {agreed}")
        Waiting(room, snap, seat)


@solara.component
def Waiting(room: Room, snap: views.Snapshot, seat: str | None = None):
    """Whose decision the run waits for, with the turn timer's countdown."""
    left, set_left = solara.use_state(None)

    def tick():
        if not snap.turns or not snap.timer:
            return None
        stop = threading.Event()
        context = _context()

        def run():
            while not stop.wait(1.0):
                value = min((room.time_left(a) or 0.0 for a in snap.turns), default=None)
                if context is None:
                    set_left(value)
                    continue
                if context.closed_event.is_set():
                    return
                with context:
                    set_left(value)

        threading.Thread(target=run, daemon=True).start()
        return stop.set

    solara.use_effect(tick, [tuple(snap.turns), snap.timer, snap.playing])
    if not snap.turns:
        text = ("Waiting for the teacher to start." if snap.shared and not snap.started
                else "Playing..." if snap.playing else "")
        if text:
            solara.Text(text, classes=["armsim-quiet-note"])
        return
    names = ", ".join(seat_names(snap, a) for a in snap.turns)
    timer = ""
    if snap.timer and snap.playing:
        left = left if left is not None else min(room.time_left(a) or 0.0 for a in snap.turns)
        timer = f" (the agent decides in {int(left)} s)"
    mine = seat in snap.turns
    text = (f"Your turn! Also waiting for: {names}" if mine and len(snap.turns) > 1
            else "Your turn!" if mine else f"Waiting for: {names}") + timer
    solara.Text(text, classes=["armsim-waiting"],
                style="font-weight: 600; color: %s" % ("#1565c0" if mine else "#6d4c41"))


@solara.component
def StoryBox(html: str, title: str, kind: str = "story"):
    with solara.Card(title, classes=[f"armsim-{kind}"], style="padding: 6px 10px"):
        solara.HTML(tag="div", unsafe_innerHTML=html, classes=["armsim-story-box"])


@solara.component
def News(text: str):
    if text:
        solara.Text(text, classes=["armsim-news"], style="color: #555; display: block")


FIGURE_NAMES = {"tension": "Tension", "forces": "Forces", "dance": "Negotiation dance"}


@solara.component
def Figures(room: Room, stamp: tuple, kinds: tuple[str, ...] = figures.KINDS,
            scale: float = 1.0, height: int = 400, note: str = ""):
    """The figures, one tab at a time, drawn in the browser; ``stamp`` is what they
    depend on (:func:`armsim.app.views.figure_stamp`): unchanged, they are not redrawn."""
    tab, set_tab = solara.use_state(0)
    tab = min(tab, len(kinds) - 1)
    with solara.Card(classes=["armsim-figures"], style="padding: 4px 8px"):
        with solara.lab.Tabs(value=tab, on_value=set_tab, lazy=True):
            for kind in kinds:
                with solara.lab.Tab(FIGURE_NAMES[kind]):
                    Chart(room, stamp, kind, scale, height)
        if note:
            solara.Text(note, classes=["armsim-quiet-note"])


@solara.component
def Chart(room: Room, stamp: tuple, kind: str, scale: float, height: int):
    """One figure; the forces and the dance show one panel at a time (a force, a
    session: the latest session by default), chosen above it."""
    names = room.memo(("panels", kind), stamp, lambda: figures.panels(room.model, kind))
    chosen, set_chosen = solara.use_state(None)
    panel = -1 if kind == "dance" else 0
    if chosen in names:
        panel = names.index(chosen)
    option = room.memo(("chart", kind, scale, panel), stamp,
                       lambda: figures.chart(room.model, kind, scale, panel))
    if len(names) > 1:
        what = "Force" if kind == "forces" else "Session"
        solara.Select(what, value=names[panel], values=names, on_value=set_chosen,
                      style="max-width: 420px")
    played = stamp[2]
    Echart(option, {
        "class": f"armsim-chart armsim-figure-{kind} armsim-figure-round-{played}",
        "style": f"height: {height + (90 if kind == 'dance' else 0)}px; width: 100%"})
