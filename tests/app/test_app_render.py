"""The page rendered to a widget tree, without a browser (solara's renderer).

Each test renders the whole page (Mesa's SolaraViz frame and armsim's parts inside
solara's AppLayout, as the server does) and drives it through its widgets.
"""

from __future__ import annotations

import time

import ipyvuetify as v
import ipywidgets
import pytest
import solara

from armsim.app import components
from armsim.app.classroom import ClassroomModel
from armsim.app.page import Page

TIMEOUT = 20


@pytest.fixture
def page():
    box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    yield rc
    rc.close()


def spans(rc, cls: str) -> list:
    """The text elements (solara.Text) that carry the CSS class ``cls``."""
    return [w for w in rc.find(v.Html, tag="span").widgets if cls in (w.class_ or "").split()]


def texts(rc, cls: str) -> list[str]:
    return [w.children[0] for w in spans(rc, cls)]


def lines(rc) -> int:
    return len(spans(rc, "armsim-line"))


def eventually(check, timeout: float = TIMEOUT) -> None:
    """Wait until ``check()`` is true (the page may update from a thread)."""
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.1)


def click(rc, label: str) -> None:
    eventually(lambda: rc.find(v.Btn, children=[label]).widgets)
    rc.find(v.Btn, children=[label]).widget.click()


def wait_text(rc, text: str) -> None:
    eventually(lambda: rc.find(v.Html, children=[text]).widgets)


def test_the_page_opens_on_the_article_scenario(page):
    assert texts(page, "armsim-round-counter") == ["Rounds played: 0 of 66"]
    assert lines(page) > 10                            # the story's opening
    for label in ("Step", "Reset"):
        page.find(v.Btn, children=[label]).assert_single()


def test_step_advances_a_round_and_the_story(page):
    before = lines(page)
    click(page, "Step")
    wait_text(page, "Rounds played: 1 of 66")
    assert lines(page) > before


def test_a_slider_takes_effect_on_reset(page):
    page.find(v.Slider, label="Verification").widget.v_model = 0.9
    assert "nothing" in texts(page, "armsim-settings")[0]      # not before Reset
    click(page, "Reset")
    eventually(lambda: "environment.verification = 0.9" in texts(page, "armsim-settings")[0])


def test_a_student_answers_and_proposes_for_russia(page):
    page.find(v.Select, label="Play a state (the student's seat)").widget.v_model = "Russia"
    click(page, "Reset")
    click(page, "Accept all")                                  # round 0: the US proposes
    wait_text(page, "Rounds played: 1 of 66")
    click(page, "Submit offer")                                # round 1: Russia proposes
    wait_text(page, "Rounds played: 2 of 66")


def test_choosing_a_scenario_starts_its_run(page):
    page.find(v.Select, label="Scenario file").widget.v_model = "inf_1987"
    eventually(lambda: texts(page, "armsim-settings")[0].startswith("INF treaty, 1987"))
    assert page.find(v.Slider, label="Verification").widget.v_model == pytest.approx(0.95)
    # Reset keeps the chosen file, with the slider moved since
    page.find(v.Slider, label="Verification").widget.v_model = 0.5
    click(page, "Reset")
    eventually(lambda: texts(page, "armsim-settings")[0].endswith(
        "Changed from the file: environment.verification = 0.5."))
    assert texts(page, "armsim-settings")[0].startswith("INF treaty, 1987")


def test_the_panels_of_a_waiting_turn():
    model = ClassroomModel(seat="Russia")
    box, rc = solara.render(components.Seat(model), handle_error=False)
    card = rc.find(v.CardTitle).widget.children[0]
    assert card.startswith("Your turn: Russia answers the United States' offer (round 0")
    # issue by issue: a tick per issue, preset to what Russia's strategy answers; the US
    # offers an open door (1), across Russia's red line (at most 0): not ticked, and flagged
    ticks = {w.label.split(":")[0]: w for w in rc.find(v.Checkbox).widgets}
    assert len(ticks) == 5
    nato = ticks["NATO enlargement and security guarantees (0 closed door, 1 open door)"]
    assert not nato.v_model and "it crosses your red line" in nato.label
    click(rc, "Reject all")
    assert model.round == 1 and model.turn.kind == "propose"
    rc.close()


def test_the_tension_figure_is_drawn():
    model = ClassroomModel()
    model.step()
    box, rc = solara.render(components.Picture(model, components.figures.tension_png,
                                               "tension"), handle_error=False)
    eventually(lambda: rc.find(ipywidgets.Image).widgets)
    assert bytes(rc.find(ipywidgets.Image).widget.value).startswith(b"\x89PNG")
    rc.close()
