"""A seat's panel: the turn to decide, what the last decision did, and the seat's brief.

- :func:`SeatPanel`: the seat's turn, if it has one (:func:`Propose` or
  :func:`Respond`, their buttons first, so that they are in view on a laptop), else
  what the run waits for; above it, what the seat's latest decision did; below, its
  private brief;
- every reason an answer or a level will not count as given is on the panel: a red
  line (the seat's own or another's), linkage (anyone's), a package.

Decisions go to the room (:meth:`armsim.app.room.Room.submit`), which tells every page.
"""

from __future__ import annotations

import solara

from armsim.app import views
from armsim.app.play import PROPOSE, Decision, Turn
from armsim.app.room import Room
from armsim.plot.data import short_venue


def _step_for(span: float) -> float:
    return 1.0 if span >= 100 else 0.5 if span >= 20 else 0.1 if span >= 2 else 0.01


def _snap(value: float, strategy: float, step: float) -> float:
    """A slider's value, or the strategy's own level where the slider only rounded it to
    its step (a slider left alone gives the strategy's offer exactly)."""
    return strategy if abs(value - strategy) <= step / 2 + 1e-9 else float(value)


@solara.component
def SeatPanel(room: Room, view: views.SeatView, token: str):
    """``view`` (:func:`armsim.app.views.seat_view`) is all the panel shows of the room: an
    unchanged view is not drawn again."""
    seat, turn, last = view.seat, view.turn, view.last
    who = views.label(room.model, seat)
    if last:
        with solara.Card(classes=["armsim-last"], style="padding: 6px 12px; background: #f1f8e9"):
            solara.Text(f"What your last decision did ({last[0]}):",
                        style="font-weight: 600; display: block")
            for line in last[1:]:
                solara.Text(line, style="display: block; font-size: 0.92rem")
    if turn is not None and view.open:
        key = f"{room.code}-{turn.round}-{turn.kind}-{seat}"
        if turn.kind == PROPOSE:
            Propose(room, turn, token).key(key)
        else:
            Respond(room, turn, token).key(key)
    elif turn is not None:
        solara.Info(f"{who} will decide first in round {turn.round}: the teacher has not "
                    "started yet. Read your brief below.", classes=["armsim-seat-idle"])
    elif not view.finished:
        solara.Info(f"You play {who}. The page asks you whenever {who} must propose or answer "
                    "an offer in which your decision can change something; meanwhile the "
                    "other states decide and the story grows.", classes=["armsim-seat-idle"])
    Brief(view.brief)


def _where(room: Room, turn: Turn) -> str:
    venue = short_venue(room.model.venue or "")
    return f"round {turn.round}, {venue}" if venue else f"round {turn.round}"


def _notes(lines: list[str]) -> None:
    for line in lines:
        solara.Text(line, classes=["armsim-note"], style="display: block")


@solara.component
def Propose(room: Room, turn: Turn, token: str):
    model = room.model
    who = views.label(model, turn.actor)
    window = {i: model.offer_window(turn.actor, i) for i in turn.offer}
    start = {i: min(max(x, window[i][0]), window[i][1]) for i, x in turn.offer.items()}
    levels, set_levels = solara.use_state(start)
    error, set_error = solara.use_state("")
    _, whole = model.utility(turn.actor, levels)

    def submit():
        try:
            room.submit(token, Decision.propose(levels))
        except ValueError as exc:
            set_error(str(exc))

    with solara.Card(f"Your turn: {who} proposes ({_where(room, turn)})",
                     classes=["armsim-turn", "armsim-propose", f"armsim-seat-round-{turn.round}"],
                     style="border-left: 6px solid #1976d2; padding: 6px 14px"):
        with solara.Row(style="align-items: center; flex-wrap: wrap; gap: 8px"):
            solara.Button("Submit offer", color="primary", on_click=submit)
            solara.Button("Back to my strategy's offer", text=True,
                          on_click=lambda: set_levels(start))
            solara.Text(f"Worth {whole:.2f} to {who} (1: all it wants); its reservation "
                        f"{model.reservation(turn.actor):.2f}.", classes=["armsim-worth"])
        if error:
            solara.Error(error)
        _notes(turn.general)
        for issue, level in levels.items():
            lo, hi = window[issue]
            with solara.Column(style="margin-top: 4px; gap: 0"):
                ideal = views.level(model, issue, model.ideal(turn.actor, issue))
                solara.Text(f"{views.title(model, issue)}: {views.level(model, issue, level)} "
                            f"(your ideal {ideal})", style="font-weight: 600")
                _notes(turn.notes.get(issue, []))
                if hi - lo > 1e-12:
                    step = 1.0 if model.whole(issue) else _step_for(hi - lo)
                    solara.SliderFloat("", value=level, min=lo, max=hi, step=step,
                                       on_value=lambda v, i=issue, step=step: set_levels(
                                           lambda old: {**old, i: _snap(v, start[i], step)}),
                                       thumb_label=True)
        solara.Text("Lower is a tighter limit; the top of each range is the status quo (no "
                    "limit). Your red lines bound the sliders; they start at your strategy's "
                    "own offer.", classes=["armsim-quiet-note"])


@solara.component
def Respond(room: Room, turn: Turn, token: str):
    model = room.model
    who = views.label(model, turn.actor)
    by = ("the mediator's" if turn.proposer in (None, "mediator")
          else model.narrator.words.possessive(model.spec.actors.index(turn.proposer)))
    s, _ = model.spec.schedule(turn.round)
    package = bool(model.spec.package[s]) if s >= 0 else False
    answers, set_answers = solara.use_state({i: bool(turn.advice.get(i, False))
                                             for i in turn.offer})
    per_issue, whole = model.utility(turn.actor, turn.offer)
    error, set_error = solara.use_state("")

    def send(choice: dict[str, bool]):
        try:
            room.submit(token, Decision.respond(choice))
        except ValueError as exc:       # e.g. a teammate answered a moment before
            set_error(str(exc))

    with solara.Card(f"Your turn: {who} answers {by} offer ({_where(room, turn)})",
                     classes=["armsim-turn", "armsim-respond", f"armsim-seat-round-{turn.round}"],
                     style="border-left: 6px solid #f57c00; padding: 6px 14px"):
        with solara.Row(style="align-items: center; flex-wrap: wrap; gap: 8px"):
            solara.Button("Accept all", color="success",
                          on_click=lambda: send(dict.fromkeys(turn.offer, True)))
            solara.Button("Reject all", color="error",
                          on_click=lambda: send(dict.fromkeys(turn.offer, False)))
            if not package:
                solara.Button("Send ticked answers", outlined=True,
                              on_click=lambda: send(answers))
            solara.Text(f"As a whole worth {whole:.2f} to {who}; its reservation "
                        f"{model.reservation(turn.actor):.2f}.", classes=["armsim-worth"])
        if error:
            solara.Error(error)
        _notes(turn.general)
        for issue, level in turn.offer.items():
            advice = "accept" if turn.advice.get(issue) else "refuse"
            text = (f"{views.title(model, issue)}: {views.level(model, issue, level)}; worth "
                    f"{per_issue[issue]:.2f} to you (ideal "
                    f"{views.level(model, issue, model.ideal(turn.actor, issue))}); your "
                    f"strategy would {advice}")
            if package:
                solara.Text("• " + text, style="display: block; margin: 3px 0")
            else:
                solara.Checkbox(label=text, value=answers[issue],
                                on_value=lambda v, i=issue: set_answers(lambda o: {**o, i: v}))
            _notes(turn.notes.get(issue, []))


@solara.component
def Brief(brief: dict, title: str = "Your brief (private: only your seat sees it)"):
    """What the seat wants and how it bargains: its own numbers
    (:func:`armsim.app.views.private_view`)."""
    with solara.Details(title, expand=False):
        rows = "".join(f"<tr><td>{w['title']}</td><td>{w['ideal']}</td>"
                       f"<td>{100 * w['weight']:.0f}%</td><td>{w['red_line']}</td></tr>"
                       for w in brief["wants"])
        solara.HTML(tag="table", classes=["armsim-table", "armsim-brief"], unsafe_innerHTML=(
            "<tr><th>issue</th><th>you want</th><th>weight</th><th>red line</th></tr>" + rows))
        trust = ", ".join(f"{k} {v:.2f}" for k, v in brief["trust"].items())
        seen = ", ".join(f"{k} {n}" for k, n in brief["detected"].items()) or "none yet"
        insists = (f"You insist on {', '.join(brief['insists'])} before anything else. "
                   if brief["insists"] else "")
        for line in (f"The least you accept (reservation): {brief['reservation']:.2f} (0 to 1); "
                     f"patience {brief['patience']:.2f}. {insists}",
                     f"Your strategy in talks: {brief['strategy']}. Once bound by an "
                     f"agreement: {brief['compliance']}.",
                     f"Your trust: {trust}. Defections you have detected: {seen}."):
            solara.Text(line, classes=["armsim-brief-line"],
                        style="display: block; margin-top: 4px")
