"""The ensemble box, the debrief and the downloads.

- :func:`EnsembleBox`: "run this setting N times" (the library's runs, the rates and
  95% intervals ``armsim run`` prints), a second setting beside it, and the class's own
  run placed among the simulated ones;
- :func:`Debrief`: each seat's decisions beside what its strategy would have done and
  why, and, once the teacher reveals them, every seat's brief;
- :func:`Downloads`: the story, the figures (PNG), the runs (CSV), the decision log.
"""

from __future__ import annotations

from dataclasses import replace

import solara

from armsim.app import controls, ensemble as ens, figures, views
from armsim.app.charts import rates
from armsim.app.components import Echart
from armsim.app.room import Room
from armsim.app.panel import Brief


def default_other(settings) -> dict:
    """The second setting to start from: verification the other side of 0.8."""
    return {"verification": 0.5 if settings.slider("verification") >= 0.8 else 0.95,
            "linkage": settings.linkage}


@solara.component
def EnsembleBox(room: Room, snap: views.Snapshot, can_run: bool = True):
    settings = snap.settings
    runs, set_runs = solara.use_state(1000)
    compare, set_compare = solara.use_state(True)
    other, set_other = solara.use_state(default_other(settings))
    b_settings = replace(settings, verification=other["verification"], linkage=other["linkage"])
    with solara.Card("The ensemble: this setting run many times", classes=["armsim-ensemble"],
                     style="padding: 6px 12px"):
        if can_run:
            with solara.Row(style="flex-wrap: wrap; gap: 10px; align-items: center"):
                solara.Button(f"Run this setting {runs:,} times", color="primary",
                              disabled=bool(room.ensemble_busy),
                              on_click=lambda: room.run_ensemble(
                                  settings, b_settings if compare else None, runs))
                solara.Select("runs", value=str(runs),
                              values=[str(n) for n in ens.RUN_CHOICES],
                              on_value=lambda v: set_runs(int(v)), style="max-width: 110px")
                solara.Checkbox(label="beside a second setting", value=compare,
                                on_value=set_compare)
            if compare:
                with solara.Row(style="flex-wrap: wrap; gap: 16px; align-items: center"):
                    with solara.Div(style="min-width: 280px"):
                        solara.SliderFloat("B: verification", value=other["verification"],
                                           min=0.0, max=1.0, step=0.05, thumb_label=True,
                                           on_value=lambda v: set_other(
                                               dict(other, verification=v)))
                    if controls.has_linkage(settings.loaded):
                        solara.Checkbox(label="B: linkage",
                                        value=other["linkage"],
                                        on_value=lambda v: set_other(dict(other, linkage=v)))
        # a mark of how many ensembles have finished, for the benchmarks
        solara.Text("", classes=[f"armsim-ensembles-{room.ensembles_run}"],
                    style="display: none")
        if room.ensemble_busy:
            solara.ProgressLinear(True)
            solara.Text(room.ensemble_busy)
        made = room.ensemble
        if made is None:
            solara.Text("Not run yet: one run shows what can happen, many show how often. "
                        "(Results are those of armsim run for the same setting and seed.)",
                        classes=["armsim-quiet-note"])
            return
        Rates(made, snap)


def _describe(made: ens.Ensemble) -> str:
    changed = made.settings.overrides()
    what = "; ".join(f"{k} = {v}" for k, v in changed.items()) or "as in the file"
    return f"{made.settings.scenario} ({what})"


@solara.component
def Rates(made: tuple, snap: views.Snapshot):
    a, b = made
    rows_a, rows_b = ens.rows(a), ens.rows(b) if b is not None else None
    head = ("<tr><th>outcome</th><th>A</th>" + ("<th>B</th>" if b is not None else "")
            + "</tr>")
    body = ""
    for j, row in enumerate(rows_a):
        cells = f"<td>{row['label']}</td><td>{ens.interval(row)}</td>"
        if rows_b is not None:
            cells += f"<td>{ens.interval(rows_b[j])}</td>"
        body += f"<tr>{cells}</tr>"
    if snap.outputs is not None and a.settings == snap.settings:
        with solara.Column(classes=["armsim-placed"], style="gap: 2px; margin-bottom: 8px"):
            solara.Text("Your class's run among them (setting A):", style="font-weight: 600")
            for line in ens.place(snap.outputs, a):
                solara.Text(line, style="display: block")
    solara.Text(f"A: {_describe(a)}" + (f". B: {_describe(b)}" if b is not None else "")
                + f". {a.runs:,} runs each, seed {a.seed}; rates with 95% intervals (Wilson), "
                "as armsim run prints them for the same setting.", classes=["armsim-quiet-note"],
                style="display: block")
    with solara.Div(classes=["armsim-wrap"]):
        with solara.Div(classes=["armsim-left"]):
            solara.HTML(tag="table", classes=["armsim-table", "armsim-rates"],
                        unsafe_innerHTML=head + body)
        with solara.Div(classes=["armsim-right"]):
            Echart(rates(rows_a, rows_b, ("A", "B")), {
                "class": "armsim-chart armsim-figure-rates",
                "style": f"height: {80 + 26 * len(rows_a) * (2 if b is not None else 1)}px"})


@solara.component
def Debrief(room: Room, snap: views.Snapshot, everyone: bool = False):
    """Each seat's decisions beside its strategy's; every brief once revealed."""
    agents, set_agents = solara.use_state(False)
    rows = room.cached(("debrief", agents), lambda: views.debrief_rows(room.model, not agents))
    with solara.Card("Debrief: each seat's decisions beside what its strategy would have done",
                     classes=["armsim-debrief"], style="padding: 6px 12px"):
        solara.Checkbox(label="show the seats the agents played too", value=agents,
                        on_value=set_agents)
        if not rows:
            solara.Text("No seat has decided anything yet.", classes=["armsim-quiet-note"])
        skipped = room.cached("skipped", lambda: views.skipped(room.model))
        for seat in dict.fromkeys([r["seat"] for r in rows] + list(skipped)):
            mine = [r for r in rows if r["seat"] == seat]
            body = "".join(
                f"<tr class=\"{'' if r['same'] else 'armsim-differs'}\"><td>{r['round']}</td>"
                f"<td>{r['venue']}</td><td>{_esc(r['by'])}</td><td>{r['kind']}: "
                f"{_esc(r['decided'])}</td><td>{_esc(r['strategy'])}<br><small>"
                f"{_esc(r['why'])}</small></td><td>{_esc(r['outcome'])}</td></tr>"
                for r in mine)
            solara.Text(seat, style="font-weight: 600; display: block; margin-top: 8px",
                        classes=["armsim-debrief-seat"])
            if mine:
                solara.HTML(tag="table", classes=["armsim-table"], unsafe_innerHTML=(
                    "<tr><th>round</th><th>where</th><th>decided by</th><th>decision</th>"
                    "<th>its strategy would have</th><th>what came of it</th></tr>" + body))
            if skipped.get(seat):
                solara.Text(f"{skipped[seat]} more turns needed no decision: nothing its "
                            "players could decide would have changed anything (its strategy "
                            "decided them; the reasons are in the decision log).",
                            classes=["armsim-quiet-note"], style="display: block")
        if snap.revealed or everyone:
            Briefs(room, snap)


@solara.component
def Briefs(room: Room, snap: views.Snapshot):
    """Every seat's brief, shown on request (the teacher's, and everyone's once revealed)."""
    shown, set_shown = solara.use_state(False)
    if not shown:
        solara.Button("Show every seat's brief", text=True, on_click=lambda: set_shown(True))
        return
    for s in snap.seats:
        Brief(room.cached(("brief", s.actor), lambda a=s.actor: views.private_view(room.model, a)),
              title=f"{s.label}'s brief")


def _esc(text: str) -> str:
    import html

    return html.escape(str(text))


@solara.component
def Downloads(room: Room, snap: views.Snapshot, everything: bool):
    """The story (the public record until revealed), the figures, the runs, the log."""
    model = room.model
    full = everything or snap.revealed
    with solara.Row(style="flex-wrap: wrap; gap: 6px", classes=["armsim-downloads"]):
        if full:
            solara.FileDownload(lambda: views.story_text(model.events, model),
                                "story.txt", label="the story")
        solara.FileDownload(lambda: views.story_text(model.public, model, public=True),
                            "public_record.txt", label="the public record")
        for kind in ("tension", "forces") + (("dance",) if full else ()):
            draw = getattr(figures, f"{kind}_png")
            solara.FileDownload(lambda draw=draw: _locked(room, draw), f"{kind}.png",
                                label=f"{kind}.png", mime_type="image/png")
        made = room.ensemble
        if made is not None:
            solara.FileDownload(lambda: made[0].csv(), "runs.csv", label="runs.csv (A)")
            if made[1] is not None:
                solara.FileDownload(lambda: made[1].csv(), "runs_b.csv", label="runs.csv (B)")
        solara.FileDownload(lambda: _locked(room, views.decisions_csv), "decisions.csv",
                            label="the decision log")


def _locked(room: Room, make):
    with room.lock:
        return make(room.model)
