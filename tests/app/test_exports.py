"""What the class downloads: the story, the decision log, the figures (PNG)."""

from __future__ import annotations

import csv
import io

from app_helpers import GENEVA, NO_LINKAGE, follow_advice
from armsim.app import figures, views
from armsim.app.classroom import ClassroomModel
from armsim.app.play import Decision
from armsim.explain import story

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_downloaded_story_is_armsim_explains_for_the_same_run():
    model = ClassroomModel(file=str(NO_LINKAGE), run=4)
    model.run_model()
    assert views.story_text(model.events, model) == story(NO_LINKAGE, run=4).text() + "\n"


def test_the_decision_log_lists_every_seats_decisions_with_the_strategys():
    model = ClassroomModel(file=str(NO_LINKAGE), seats=["united_states", "russia"],
                           players={"united_states": "Ana", "russia": "Boris"})
    follow_advice(model)                               # Ana: the US strategy's offer
    model.submit(Decision.respond(False, model.turn.offer), "russia")   # Boris: no to all
    model.run_model()
    rows = list(csv.DictReader(io.StringIO(views.decisions_csv(model))))
    assert len(rows) == len(model.log)
    first, second = rows[0], rows[1]
    assert (first["round"], first["seat"], first["kind"], first["by"]) == (
        "0", "United States", "offer", "Ana")
    assert first["same"] == "True" and first["strategy"] == "the same"
    assert (second["seat"], second["kind"], second["by"], second["same"]) == (
        "Russia", "answer", "Boris", "False")
    # Russia's strategy accepts the exercise limits at its ideal (worth 1.00)
    assert second["decided"].startswith("refuse ") and "accept Exercise limits" in \
        second["strategy"]
    assert "Exercise limits: accept (1.00 >= 1.00)" in second["why"]
    assert "Exercise limits" in second["outcome"] and "you said no" in second["outcome"]


def test_the_figures_download_as_pngs_mid_run():
    model = ClassroomModel(file=str(GENEVA))
    for _ in range(9):
        model.step()
    for draw in (figures.tension_png, figures.forces_png, figures.dance_png):
        assert draw(model).startswith(PNG)
