"""What the pages show of a room, computed once per change and shared (no solara).

- :func:`story_html`: the story or the public record as one block of HTML, newest
  round first (one widget instead of one per line: thirty pages redraw it cheaply);
- :func:`private_view`: a seat's own brief (what it wants, its red lines, the least it
  accepts, how its strategy bargains, whom it trusts, what it has detected);
- :func:`debrief_rows`: the decision log, each seat's decision beside its strategy's;
- :func:`story_text`, :func:`decisions_csv`: the downloads.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

import numpy as np

from armsim.app.classroom import ClassroomModel
from armsim.app.record import Entry
from armsim.explain import BLOCKS, INDENT, Event, summarise_quiet
from armsim.narrative import number

STRONG = {"title", "session", "round", "phase", "ending", "crisis", "agreement", "collapse"}
DEEP = {"issue", "refusal", "item"}


def story_html(events: list[Event], latest: int) -> str:
    """The events as HTML blocks, one per round, newest first (the page stacks them
    bottom-up so the newest stay in view); the latest round is marked."""
    parts = []
    blocks = [(r, list(group)) for r, group in groupby(events, key=lambda e: e.round)]
    for r, group in reversed(blocks):
        mark = " armsim-latest" if r == latest and latest >= 0 else ""
        lines = []
        for e in group:
            indent = "armsim-deep" if e.kind in DEEP else "armsim-in" if e.kind not in (
                "title", "intro", "session", "round", "phase", "ending", "quiet") else ""
            strong = " armsim-strong" if e.kind in STRONG else ""
            lines.append(f'<div class="armsim-line armsim-{e.kind} {indent}{strong}">'
                         f"{html.escape(e.text)}</div>")
        parts.append(f'<div class="armsim-round-block{mark}" data-round="{r}">'
                     + "".join(lines) + "</div>")
    return '<div class="armsim-story-scroll">' + "".join(parts) + "</div>"


def story_text(events: list[Event], model: ClassroomModel, public: bool = False) -> str:
    """The story (or the public record) as plain text, as ``armsim explain`` prints one."""
    if not public:
        events = summarise_quiet(events, model.narrator.words)
    out: list[str] = []
    for e in events:
        if e.kind in BLOCKS and out:
            out.append("")
        out.append(" " * INDENT.get(e.kind, 2) + e.text)
    return "\n".join(out) + "\n"


def private_view(model: ClassroomModel, seat: str) -> dict[str, Any]:
    """A seat's brief: ``wants`` (per issue: its ideal, weight share and red line),
    ``reservation``, ``patience``, ``insists``, ``strategy`` and ``compliance`` (in words),
    ``trust`` and ``detected`` (per counterpart)."""
    spec, w = model.spec, model.narrator.words
    a = spec.actors.index(seat)
    weight = model.params.weight[0, a]
    total = float(weight.sum()) or 1.0
    wants = []
    for i, issue in enumerate(spec.issues):
        if not spec.agenda[:, i].any():
            continue
        wants.append({"issue": issue, "title": w.title(i),
                      "ideal": w.level(i, spec.ideal[a, i], False),
                      "weight": float(weight[i]) / total,
                      "red_line": w.red_line(a, i, stated=False) or "none"})
    others = [b for b in range(len(spec.actors)) if b != a]
    insists = np.flatnonzero(spec.insists[a])
    return {"wants": wants, "reservation": float(model.params.reservation[0, a]),
            "patience": float(model.params.patience[0, a]),
            "insists": [w.title(i) for i in insists],
            "strategy": spec.negotiators[a].words, "compliance": spec.compliers[a].words,
            "trust": {w.labels[b]: float(model.state.trust[0, a, b]) for b in others},
            "detected": {w.labels[b]: int(model.seen[a, b]) for b in others
                         if model.seen[a, b]}}


def _decision(model: ClassroomModel, entry: Entry, values: dict[str, Any]) -> str:
    """A decision in words: levels offered, or what was accepted and refused."""
    if entry.kind == "propose":              # levels without units: the brief has them
        return ", ".join(f"{title(model, k)} {number(v)}" for k, v in values.items())
    yes = [title(model, k) for k, v in values.items() if v]
    no = [title(model, k) for k, v in values.items() if not v]
    return "; ".join(part for part in (("accept " + ", ".join(yes)) if yes else "",
                                       ("refuse " + ", ".join(no)) if no else "") if part)


def debrief_rows(model: ClassroomModel, people_only: bool = True) -> list[dict[str, Any]]:
    """The decision log as rows: round, venue, seat, what was decided and by whom, what
    its strategy would have done and why, what it did. ``people_only``: the seats people
    held, their decisions and the agent's once they had left (the turns nobody needed
    to decide are counted, not listed: see :func:`skipped`)."""
    rows = []
    held = {e.actor for e in model.log if e.people}
    for e in model.log:
        if people_only and (e.actor not in held or e.by.startswith("nobody")):
            continue
        same = e.chosen == e.strategy
        rows.append({"round": e.round, "venue": e.venue.split(" (")[0],
                     "seat": label(model, e.actor), "actor": e.actor,
                     "kind": "offer" if e.kind == "propose" else "answer",
                     "by": e.by, "people": e.people,
                     "decided": _decision(model, e, e.chosen),
                     "strategy": "the same" if same else _decision(model, e, e.strategy),
                     "same": same, "why": e.why, "notes": " ".join(e.notes),
                     "result": " ".join(e.result), "outcome": e.outcome})
    return rows


def skipped(model: ClassroomModel) -> dict[str, int]:
    """Per seat people held, the turns in which nothing its players could decide would
    have changed anything (its strategy decided them)."""
    held = {e.actor for e in model.log if e.people}
    out: dict[str, int] = {}
    for e in model.log:
        if e.actor in held and e.by.startswith("nobody"):
            out[label(model, e.actor)] = out.get(label(model, e.actor), 0) + 1
    return out


def decisions_csv(model: ClassroomModel) -> str:
    """Every seat's decisions (the agents' too), one row each, as CSV."""
    rows = debrief_rows(model, people_only=False)
    out = io.StringIO()
    fields = ["round", "venue", "seat", "kind", "by", "people", "decided", "strategy", "same",
              "why", "notes", "outcome"]
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def level(model: ClassroomModel, issue: str, x: float) -> str:
    """A level with its unit ("20 launchers")."""
    i = model.spec.issues.index(issue)
    return model.narrator.words.level(i, x, False)


def title(model: ClassroomModel, issue: str) -> str:
    """An issue's name for a panel: its label, or, if that is long, its id in words
    ("Missile deployments" for a label of seventy characters)."""
    full = model.narrator.words.title(model.spec.issues.index(issue))
    if len(full) <= 40:
        return full
    text = short_name(issue, full)
    return text[:1].upper() + text[1:]


def short_name(name: str, label: str) -> str:
    """An id in words, cased as its label writes them: ('us_force_posture', 'Ceiling on
    US troops ...') -> 'US force posture', ('exercise_limits', ...) -> 'exercise limits'."""
    cased = {w.strip(".,;:()'").lower(): w.strip(".,;:()'") for w in label.split()}
    return " ".join(cased.get(w.lower(), w) for w in name.split("_") if w)


def label(model: ClassroomModel, actor: str) -> str:
    return model.narrator.words.labels[model.spec.actors.index(actor)]


__all__ = ["story_html", "story_text", "private_view", "debrief_rows", "decisions_csv",
           "number"]


# --- a room at one moment ---------------------------------------------------------------

@dataclass(frozen=True)
class Seat:
    """A seat as the pages list it: the actor, its label, who holds it (names; empty: the
    agent plays it) and whether each holder's browser is here."""

    actor: str
    label: str
    names: str
    away: bool


@dataclass(frozen=True)
class Snapshot:
    """What every page of a room shows at one version of it (copied under its lock). Two
    snapshots of the same content are equal whatever their versions: a page whose content
    did not change is not drawn again."""

    version: int = field(compare=False)
    code: str
    shared: bool
    started: bool
    playing: bool
    pace: float
    timer: float
    revealed: bool
    news: tuple[str, ...]
    settings: Any
    title: str
    run: int
    seed: int
    round: int
    rounds: int
    talk_rounds: int
    venue: str | None
    tension: float
    in_force: tuple[str, ...]
    finished: bool
    crisis_round: int
    turns: dict[str, Any]
    seats: tuple[Seat, ...]
    full_html: str
    public_html: str
    outputs: dict[str, Any] | None
    last: dict[str, list[str]]
    latest: list[str] = field(default_factory=list)
    #: the ensemble box's state: how many ensembles finished, and one running (its words)
    ensemble: tuple[int, str | None] = (0, None)


def _holders(room: Any, seat: str) -> str:
    """The students at a seat, each marked if their browser has gone."""
    from armsim.narrative import listing

    return listing([h.name + (" (connection lost)" if h.away_since is not None else "")
                    for h in room.team(seat)])


def snapshot(room: Any) -> Snapshot:
    """The room now (call under its lock, or through ``room.cached``)."""
    with room.lock:
        model = room.model
        s = model.summary()
        latest = model.round - 1
        words = model.narrator.words
        full = summarise_quiet(model.events, words)
        seats = tuple(Seat(a, label(model, a), _holders(room, a), a in model.away)
                      for a in model.seats)
        outputs = ({k: v.item() for k, v in model.outputs().items()} if model.finished
                   else None)
        recent = [e.text for e in model.public if e.round == latest and e.kind not in
                  ("tension",)][-6:]
        return Snapshot(
            room.version, room.code, room.shared, room.started, room.playing, room.pace,
            room.timer, room.revealed, tuple(room.news), room.settings,
            model.armsim_scenario.name, model.run_index, int(model.armsim_scenario.seed),
            s["round"], s["rounds"], s["talk_rounds"], s["venue"], s["tension"],
            tuple(i.replace("_", " ") for i in s["in_force"]), s["finished"],
            s["crisis_round"],
            dict(model.turns), seats, story_html(full, latest),
            story_html(model.public, latest), outputs,
            {k: list(v) for k, v in model.last.items()}, recent,
            (room.ensembles_run, room.ensemble_busy))


def figure_stamp(snap: Snapshot) -> tuple:
    """What the figures depend on: the run (its settings, number) and the rounds played."""
    return (snap.settings, snap.run, snap.round, snap.revealed)


@dataclass(frozen=True)
class SeatView:
    """What a seat's panel shows (compared between versions: an unchanged panel is not
    drawn again)."""

    seat: str
    turn: Any
    last: tuple[str, ...]
    open: bool          # turns are open to the players (the teacher has started)
    finished: bool
    brief: dict[str, Any] = field(default_factory=dict)


def seat_view(room: Any, snap: Snapshot, seat: str) -> SeatView:
    brief = room.cached(("brief", seat), lambda: private_view(room.model, seat))
    return SeatView(seat, snap.turns.get(seat), tuple(snap.last.get(seat, ())),
                    snap.started or not snap.shared, snap.finished, brief)
