"""The parts of the classroom page, as solara components of a :class:`ClassroomModel`.

- :func:`Status`: round, venue, tension, agreements, and what the controls changed;
- :func:`Seat`: play a state: the student's offer (sliders per open issue, Submit) or
  answer (the offer on the table, Accept / Reject);
- :func:`Story`: ``armsim explain`` growing round by round;
- :func:`Figures`: tension, forces and the negotiation dance, drawn in a thread so
  that the page stays responsive while a figure is made.

Each reads ``update_counter`` (Mesa's SolaraViz counter, bumped by Step, Play and
Reset) so it redraws when the model moves. Elements the browser tests look for
carry ``armsim-*`` classes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from itertools import groupby

import solara
from mesa.visualization.utils import force_update, update_counter

from armsim.app import figures
from armsim.app.classroom import ClassroomModel
from armsim.app.play import PROPOSE, Decision, Turn
from armsim.narrative import number
from armsim.plot.data import short_venue

INDENT = {"issue": 2.2, "refusal": 2.2, "item": 2.2, "note": 1.1, "proposal": 1.1,
          "agreement": 1.1, "compliance": 1.1, "detection": 1.1, "collapse": 1.1,
          "crisis": 1.1, "tension": 1.1, "outcome": 1.1}
STRONG = {"title", "session", "round", "phase", "ending", "crisis", "agreement"}
CSS = """
.v-slider__thumb-label-container { display: block !important; }
.v-input__slider { padding-top: 24px; }
.armsim-story-scroll { display: flex; flex-direction: column-reverse; max-height: 640px;
                       overflow-y: auto; }
.armsim-round-block { padding: 4px 8px; margin: 2px 0; border-radius: 4px; }
.armsim-latest { background: #fff8e1; }
"""


def _label(model: ClassroomModel, kind: str, name: str) -> str:
    item = getattr(model.armsim_scenario, kind)[name]
    return item.label or name.replace("_", " ")


def _unit(model: ClassroomModel, issue: str) -> str:
    return model.armsim_scenario.issues[issue].unit or ""


def _level(model: ClassroomModel, issue: str, level: float) -> str:
    unit = _unit(model, issue)
    return f"{number(level)} {unit}".strip()


# --- where the run stands ------------------------------------------------------------

@solara.component
def Status(model: ClassroomModel):
    update_counter.get()
    s = model.summary()
    where = "Next: " + (s["venue"] or ("talks over" if s["talk_rounds"] else
                                       "no talks in this scenario"))
    if s["crisis_round"] >= 0:
        where = f"Crisis in round {s['crisis_round']}: talks stopped, agreements lapsed"
    if s["finished"]:
        where = "The run is over"
    played = f"Rounds played: {s['round']} of {s['rounds']}"
    with solara.Card(classes=["armsim-status"]):
        with solara.Row(style="flex-wrap: wrap; gap: 24px; align-items: baseline"):
            solara.Text(played, classes=["armsim-round-counter"],
                        style="font-size: 1.25em; font-weight: 600")
            solara.Text(where, style="font-size: 1.1em")
            solara.Text(f"Tension {s['tension']:.2f}", classes=["armsim-tension"],
                        style="font-size: 1.1em")
            agreed = ", ".join(_label(model, "issues", i) for i in s["in_force"]) or "none"
            solara.Text(f"Agreements in force: {agreed}", style="font-size: 1.1em")
        changed = "; ".join(f"{k} = {v}" for k, v in model.settings.items())
        solara.Text(f"{model.armsim_scenario.name} (run {model.run_index}, seed "
                    f"{model.armsim_scenario.seed}). Changed from the file: "
                    f"{changed or 'nothing'}.", classes=["armsim-settings"],
                    style="color: #555")


# --- play a state ----------------------------------------------------------------------

@solara.component
def Seat(model: ClassroomModel):
    update_counter.get()
    if not model.seat:
        return
    who = _label(model, "actors", model.seat)
    turn = model.turn
    if turn is None:
        note = (f"You play {who}. The page asks you whenever {who} must propose or answer "
                "an offer; the other states follow their strategies. Press Step or Play.")
        if model.finished:
            note = f"You played {who}. The run is over: read how it ended in the story."
        solara.Info(note, classes=["armsim-seat-idle", f"armsim-seat-round-{model.round}"])
        return
    key = f"{id(model)}-{turn.round}-{turn.kind}"
    if turn.kind == PROPOSE:
        Propose(model, turn).key(key)
    else:
        Respond(model, turn).key(key)


def _window(model: ClassroomModel, turn: Turn, issue: str) -> tuple[float, float]:
    """Levels the seat may offer on ``issue``: its range within the seat's red line."""
    lo, hi = model.issue_range(issue)
    red_lo, red_hi = model.red_line(turn.actor, issue)
    return max(lo, red_lo), min(hi, red_hi)


def _whole(model: ClassroomModel, issue: str) -> bool:
    """The issue takes whole levels only (its slider moves by 1)."""
    return bool(model.armsim_scenario.issues[issue].whole)


def _step_for(span: float) -> float:
    return 1.0 if span >= 100 else 0.5 if span >= 20 else 0.1 if span >= 2 else 0.01


@solara.component
def Propose(model: ClassroomModel, turn: Turn):
    who = _label(model, "actors", turn.actor)
    start = {i: min(max(x, _window(model, turn, i)[0]), _window(model, turn, i)[1])
             for i, x in turn.offer.items()}
    levels, set_levels = solara.use_state(start)
    error, set_error = solara.use_state("")
    _, whole = model.utility(turn.actor, levels)

    def submit():
        try:
            model.submit(Decision.propose(levels))
        except ValueError as exc:
            set_error(str(exc))
            return
        force_update()

    with solara.Card(f"Your turn: {who} proposes (round {turn.round}, "
                     f"{short_venue(model.venue or '')})",
                     classes=["armsim-turn", "armsim-propose",
                              f"armsim-seat-round-{turn.round}"],
                     style="border-left: 6px solid #1976d2"):
        solara.Text("Set a level for each open issue. Lower is a tighter limit; the top "
                    "of each range is the status quo (no limit). Your red lines bound the "
                    "sliders. Your strategy's own offer is set to start with.")
        for issue, level in levels.items():
            lo, hi = _window(model, turn, issue)
            title = _label(model, "issues", issue)
            ideal = _level(model, issue, model.ideal(turn.actor, issue))
            with solara.Column(style="margin-top: 10px"):
                solara.Text(f"{title}: {_level(model, issue, level)} (your ideal: {ideal})",
                            style="font-weight: 600")
                o_lo, o_hi = model.others_window(turn.actor, issue)
                span = model.issue_range(issue)
                if o_lo > o_hi:
                    solara.Text("the others' red lines leave no level they all accept",
                                style="color: #b00020")
                elif (o_lo, o_hi) != span:
                    solara.Text(f"the others accept only {_level(model, issue, o_lo)}"
                                + (f" to {_level(model, issue, o_hi)}" if o_hi > o_lo else "")
                                + " (their red lines)", style="color: #b00020")
                if hi - lo <= 1e-12:
                    solara.Text("fixed by your red line", style="color: #777")
                else:
                    solara.SliderFloat(
                        "", value=level, min=lo, max=hi,
                        step=1.0 if _whole(model, issue) else _step_for(hi - lo),
                        on_value=lambda v, i=issue: set_levels(lambda old: {**old, i: v}),
                        thumb_label=True)
        solara.Text(f"This offer is worth {whole:.2f} to you (0 worst, 1 your ideal); "
                    f"your reservation is {model.reservation(turn.actor):.2f}.",
                    style="margin-top: 8px; display: block")
        with solara.Row():
            solara.Button("Submit offer", color="primary", on_click=submit)
            solara.Button("Reset to my strategy's offer", text=True,
                          on_click=lambda: set_levels(start))
        if error:
            solara.Error(error)


@solara.component
def Respond(model: ClassroomModel, turn: Turn):
    who = _label(model, "actors", turn.actor)
    words = model.narrator.words
    by = ("the mediator's" if turn.proposer in (None, "mediator")
          else words.possessive(model.spec.actors.index(turn.proposer)))
    s, _ = model.spec.schedule(turn.round)
    package = bool(model.spec.package[s]) if s >= 0 else False
    answers, set_answers = solara.use_state({i: bool(turn.advice.get(i, False))
                                             for i in turn.offer})
    per_issue, whole = model.utility(turn.actor, turn.offer)
    error, set_error = solara.use_state("")

    def send(choice: dict[str, bool]):
        try:
            model.submit(Decision.respond(choice))
        except ValueError as exc:        # e.g. a second click after the round was played
            set_error(str(exc))
            return
        force_update()

    with solara.Card(f"Your turn: {who} answers {by} offer (round {turn.round}, "
                     f"{short_venue(model.venue or '')})", classes=["armsim-turn", "armsim-respond",
                                                  f"armsim-seat-round-{turn.round}"],
                     style="border-left: 6px solid #f57c00"):
        solara.Text("A package: the offer stands or falls whole." if package else
                    "Issue by issue: each issue is agreed if every participant accepts it.")
        for issue, level in turn.offer.items():
            lo, hi = model.red_line(turn.actor, issue)
            crosses = level < lo - 1e-9 or level > hi + 1e-9
            advice = "accept" if turn.advice.get(issue) else "reject"
            text = (f"{_label(model, 'issues', issue)}: {_level(model, issue, level)} "
                    f"(your ideal {_level(model, issue, model.ideal(turn.actor, issue))}; "
                    f"worth {per_issue[issue]:.2f} to you; your strategy would {advice})")
            if crosses:
                text += ": it crosses your red line, so it is refused whatever you answer"
            if package:
                solara.Text("• " + text, style="display: block; margin: 4px 0")
            else:
                solara.Checkbox(label=text, value=answers[issue],
                                on_value=lambda v, i=issue: set_answers(lambda o: {**o, i: v}))
        solara.Text(f"Over all the open issues it is worth {whole:.2f} to you; your "
                    f"reservation is {model.reservation(turn.actor):.2f}.",
                    style="display: block; margin-top: 6px")
        with solara.Row():
            solara.Button("Accept all", color="success",
                          on_click=lambda: send(dict.fromkeys(turn.offer, True)))
            solara.Button("Reject all", color="error",
                          on_click=lambda: send(dict.fromkeys(turn.offer, False)))
            if not package:
                solara.Button("Send ticked answers", outlined=True,
                              on_click=lambda: send(answers))
        if error:
            solara.Error(error)


# --- the story ------------------------------------------------------------------------

@solara.component
def Story(model: ClassroomModel):
    """The story in a box that keeps its newest lines in view: the box stacks its
    children bottom-up (CSS column-reverse), so they are given newest first."""
    update_counter.get()
    events = list(model.events)
    latest = model.round - 1
    blocks = [(r, list(group)) for r, group in groupby(events, key=lambda e: e.round)]
    with solara.Card("The story (armsim explain)", classes=["armsim-story"]):
        with solara.Div(classes=["armsim-story-scroll"]):
            for r, group in reversed(blocks):
                highlight = r == latest and latest >= 0
                classes = ["armsim-round-block"] + (["armsim-latest"] if highlight else [])
                with solara.Div(classes=classes):
                    for e in group:
                        weight = "600" if e.kind in STRONG else "400"
                        solara.Text(e.text, classes=["armsim-line", f"armsim-{e.kind}"],
                                    style=f"display: block; padding-left: "
                                          f"{INDENT.get(e.kind, 0)}em; font-weight: {weight}")


# --- figures --------------------------------------------------------------------------

@solara.component
def Figures(model: ClassroomModel):
    tab, set_tab = solara.use_state(0)
    with solara.Card(classes=["armsim-figures"]):
        with solara.lab.Tabs(value=tab, on_value=set_tab, lazy=True):
            with solara.lab.Tab("Tension"):
                Picture(model, figures.tension_png, "tension")
            with solara.lab.Tab("Forces"):
                Picture(model, figures.forces_png, "forces")
            with solara.lab.Tab("Negotiation dance"):
                Picture(model, figures.dance_png, "dance")


@solara.component
def Picture(model: ClassroomModel, draw: Callable[[ClassroomModel], bytes], name: str):
    """A figure of the model, redrawn in a thread after each round (the last one stays
    up meanwhile); a round that has moved on by the time a draw starts is skipped. The
    picture carries the round it shows (class ``armsim-figure-round-N``)."""
    update_counter.get()
    wanted = (id(model), model.round)
    last = solara.use_ref(None)

    def make() -> tuple[int, bytes] | None:
        time.sleep(0.05)                       # let a burst of steps settle
        with model.drawing:
            if (id(model), model.round) != wanted:
                return None
            return wanted[1], draw(model)

    task = solara.lab.use_task(make, dependencies=list(wanted), raise_error=False)
    if task.finished and task.value is not None:
        last.current = task.value
    if task.error:
        solara.Error(f"could not draw the {name} figure: {task.exception}")
    if last.current is None:
        solara.ProgressLinear(True)
        return
    shown, picture = last.current
    solara.Image(picture, width="100%",
                 classes=[f"armsim-figure-{name}", f"armsim-figure-round-{shown}"])
