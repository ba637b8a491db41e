"""The classroom page: ``armsim app`` serves :func:`Page` (``solara run armsim.app.page``).

Mesa's :class:`~mesa.visualization.SolaraViz` makes the frame: the app bar, and in the
sidebar Step / Play / Reset and the model's parameters (the seat, the sliders, linkage,
the run number), which take effect on Reset. Above them the page adds the scenario
and the actor whose patience and reservation the sliders set; changing either starts
a fresh run at once, with the sliders at that scenario's values. The main area shows
where the run stands, the student's turn when a state is played, the growing story,
and the figures (:mod:`armsim.app.components`).
"""

from __future__ import annotations

import os
from pathlib import Path

import solara
from mesa.visualization import SolaraViz

from armsim.app import controls
from armsim.app.classroom import ClassroomModel
from armsim.app.components import CSS, Figures, Seat, Status, Story
from armsim.app.serve import SCENARIO_ENV

PLAY_INTERVAL_MS = 300


def first_file() -> Path:
    """The scenario to open: ``armsim app FILE``'s, else the article scenario."""
    given = os.environ.get(SCENARIO_ENV)
    return Path(given) if given else controls.DEFAULT_FILE


@solara.component
def Page():
    choices = solara.use_memo(lambda: controls.scenario_choices(first_file()), [])
    names = list(choices)
    choice, set_choice = solara.use_state(controls.choice_name(first_file()))
    path = choices.get(choice, first_file())
    scenario = controls.load(path)
    actor, set_actor = solara.use_state(controls.default_actor(scenario))
    if actor not in scenario.actors:            # the scenario changed under it
        actor = controls.default_actor(scenario)
    labels = {controls.actor_label(scenario, a): a for a in scenario.actors}

    def choose_scenario(name: str) -> None:
        set_choice(name)
        set_actor(controls.default_actor(controls.load(choices[name])))

    # one reactive model for the page's life: Mesa's controls read it at each Step, Play
    # and Reset; a new file or actor puts a fresh model in it
    first = solara.use_memo(lambda: ClassroomModel.choosing(path, actor)(), [])
    model = solara.use_reactive(first)

    def fresh_model() -> None:
        current = model.peek()
        if (current.file, current.focus) != (Path(path), actor):
            model.set(ClassroomModel.choosing(path, actor)())

    solara.use_effect(fresh_model, [str(path), actor])
    solara.Style(CSS)
    values = controls.scenario_values(scenario, actor)
    with solara.Sidebar():
        with solara.Card("Scenario", classes=["armsim-scenario-card"]):
            solara.Select("Scenario file", value=choice, values=names, on_value=choose_scenario)
            solara.Select("Sliders set patience and reservation of",
                          value=controls.actor_label(scenario, actor), values=list(labels),
                          on_value=lambda label: set_actor(labels[label]))
            solara.Text(f"In the file: verification {values['verification']:.2f}, crisis "
                        f"hazard {values['hazard']:.3g}; {controls.actor_label(scenario, actor)}"
                        f": patience {values['patience']:.2f}, reservation "
                        f"{values['reservation']:.2f}.", classes=["armsim-file-values"],
                        style="display: block; font-size: 0.9em")
            solara.Text("Changing the file or the actor starts a fresh run. The seat, "
                        "sliders, linkage and run number below take effect on Reset.",
                        style="display: block; color: #666; font-size: 0.9em")
    SolaraViz(model, components=[], model_params=controls.model_params(path, actor),
              name=f"armsim classroom: {scenario.name}",
              play_interval=PLAY_INTERVAL_MS).key(f"viz-{path}-{actor}")
    Main(model.value)


@solara.component
def Main(model: ClassroomModel):
    with solara.Column(style="padding: 12px; gap: 12px", classes=["armsim-main"]):
        Status(model)
        Seat(model)
        with solara.Columns([4, 7]):
            Story(model)
            Figures(model)
