"""The pages rendered to widget trees, without a browser (solara's renderer).

Each test renders a page of a room (the teacher's console, a student's page) inside
solara's AppLayout, as the server does, and drives it through its widgets.
"""

from __future__ import annotations

import time

import ipyvuetify as v
import pytest
import solara

from app_helpers import GENEVA, NO_LINKAGE
from armsim.app.page import RoomPage
from armsim.app.rooms import Rooms
from armsim.app.settings import Settings

TIMEOUT = 20


@pytest.fixture
def rooms():
    made = Rooms()
    yield made
    made.close_all()


def render(room, role, token=None):
    box, rc = solara.render(solara.AppLayout(children=[RoomPage(room, role, token)]),
                            handle_error=False)
    return rc


def texts(rc, cls: str | None = None) -> list[str]:
    """The texts of solara.Text elements (with the CSS class ``cls``, if given)."""
    return [w.children[0] for w in rc.find(v.Html, tag="span").widgets
            if w.children and isinstance(w.children[0], str)
            and (cls is None or cls in (w.class_ or "").split())]


def html(rc) -> str:
    return " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)


def eventually(check, timeout: float = TIMEOUT) -> None:
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def button(rc, label: str):
    found = [w for w in rc.find(v.Btn).widgets if label in [c for c in w.children
                                                            if isinstance(c, str)]]
    assert len(found) == 1, (label, [w.children for w in rc.find(v.Btn).widgets])
    return found[0]


def click(rc, label: str) -> None:
    eventually(lambda: any(label in w.children for w in rc.find(v.Btn).widgets))
    button(rc, label).click()


def test_the_console_opens_on_the_article_scenario_without_developer_controls(rooms):
    room = rooms.open(Settings(), shared=False)
    rc = render(room, "teacher")
    assert texts(rc, "armsim-round-counter") == ["Round 0 of 66"]
    assert html(rc).count('class="armsim-line') > 10              # the story's opening
    labels = {w.label for w in rc.find(v.Slider).widgets} | {
        w.label for w in rc.find(v.Select).widgets}
    for mesa in ("Render Interval (steps)", "Use Threads", "Play Interval (ms)"):
        assert not any(mesa in (label or "") for label in labels)
    assert not any("Time:" in t for t in texts(rc))
    for label in ("Play", "One round", "Reset"):
        button(rc, label)
    rc.close()


def test_one_round_advances_the_round_the_story_and_the_figure(rooms):
    room = rooms.open(Settings(), shared=False)
    rc = render(room, "teacher")
    lines = html(rc).count('class="armsim-line')
    click(rc, "One round")
    eventually(lambda: texts(rc, "armsim-round-counter") == ["Round 1 of 66"])
    assert html(rc).count('class="armsim-line') > lines
    charts = [w for w in rc.find(solara.components.echarts.EchartsWidget).widgets]
    assert any("armsim-figure-round-1" in w.attributes["class"] for w in charts)
    assert charts[0].option["title"]["text"] == "Tension 0.71 after 1 round"
    rc.close()


def test_a_setting_applies_at_once_before_anything_happened_and_waits_after(rooms):
    room = rooms.open(Settings(), shared=False)
    rc = render(room, "teacher")
    slider = next(w for w in rc.find(v.Slider).widgets if w.label.startswith("Verification"))
    slider.v_model = 0.9
    eventually(lambda: "environment.verification = 0.9" in texts(rc, "armsim-settings")[0])
    click(rc, "One round")
    eventually(lambda: texts(rc, "armsim-round-counter") == ["Round 1 of 66"])
    slider = next(w for w in rc.find(v.Slider).widgets if w.label.startswith("Verification"))
    slider.v_model = 0.5
    eventually(lambda: rc.find(v.Alert).widgets)         # the change is shown, not applied
    assert room.settings.verification == 0.9 and room.model.round == 1
    click(rc, "Restart the run with these settings")
    eventually(lambda: room.settings.verification == 0.5 and room.model.round == 0)
    rc.close()


def test_a_student_joins_and_answers_and_the_teacher_sees_it(rooms):
    room = rooms.open(Settings.of_file(NO_LINKAGE))
    teacher = render(room, "teacher")
    student = render(room, "student")
    name = student.find(v.TextField).widget
    name.v_model = "Ana"
    click(student, "Play Russia")
    eventually(lambda: any("Russia: Ana" in t for t in texts(teacher, "armsim-seat-holder")))
    click(teacher, "Start the class's run")
    click(teacher, "Pause")                          # the teacher plays round by round
    click(teacher, "One round")                      # the United States' agent offers
    click(student, "Accept all")
    eventually(lambda: room.model.round == 1)
    entry = next(e for e in room.model.log if e.actor == "russia")
    assert entry.by == "Ana" and entry.people
    eventually(lambda: "Round 1 of 66" in texts(teacher, "armsim-round-counter"))
    student.close()
    teacher.close()


def test_the_turn_names_linkage_as_a_reason_nothing_will_count(rooms):
    room = rooms.open(Settings.of_file(GENEVA), shared=False)
    room.join("t", "you", "united_states")
    rc = render(room, "student", "t")
    assert room.model.turn.kind == "propose"
    eventually(lambda: any("Russia insists on NATO enlargement" in t
                           for t in texts(rc, "armsim-note")))
    rc.close()


def test_the_ensemble_box_shows_the_ensemble_once_it_has_run(rooms):
    room = rooms.open(Settings.of_file(NO_LINKAGE), shared=False)
    rc = render(room, "teacher")
    box = next(w for w in rc.find(v.Checkbox).widgets if w.label == "beside a second setting")
    box.v_model = False
    click(rc, "Run this setting 1,000 times")
    eventually(lambda: "agreement (on anything)" in html(rc))
    assert "<th>A</th>" in html(rc) and "<th>B</th>" not in html(rc)
    rc.close()
