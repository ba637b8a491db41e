"""The page's controls: scenario choice, slider values and the overrides they make."""

from __future__ import annotations

import pytest

from app_helpers import GENEVA, INF, NO_LINKAGE, SCENARIOS
from armsim.app import controls
from armsim.app.classroom import ClassroomModel


def test_the_article_scenario_comes_first_and_every_variant_is_offered():
    files = controls.bundled_scenarios()
    assert files[0].name == "geneva_2022.yaml"
    names = {f.name for f in files}
    for name in ("geneva_2022_no_linkage.yaml", "geneva_2022_package.yaml",
                 "geneva_2022_strong_verification.yaml", "geneva_2022_no_exercise_limits.yaml",
                 "inf_1987.yaml", "rubinstein.yaml"):
        assert name in names
    assert controls.choice_name(SCENARIOS / "classics" / "rubinstein.yaml") == "classics/rubinstein"
    # every file under the bundled folder, the sub-folders' by their relative names
    assert {controls.choice_name(f) for f in files} == {
        p.relative_to(SCENARIOS).with_suffix("").as_posix() for p in SCENARIOS.rglob("*.yaml")}
    assert "history/jcpoa_2015" in controls.scenario_choices()


def test_a_file_from_elsewhere_leads_the_choices(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text(GENEVA.read_text())
    assert next(iter(controls.scenario_choices(mine).values())) == mine
    assert next(iter(controls.scenario_choices(GENEVA).values())).name == "geneva_2022.yaml"


def test_sliders_start_at_the_files_values():
    # geneva_2022.yaml: verification 0.7, hazard 0.02; Russia patience 0.95, reservation 0.5
    geneva = controls.load(GENEVA)
    assert controls.default_actor(geneva) == "russia"
    assert controls.scenario_values(geneva, "russia") == pytest.approx(
        {"verification": 0.7, "hazard": 0.02, "patience": 0.95, "reservation": 0.5})
    # inf_1987.yaml: verification 0.95, hazard 0.01; the Soviet Union answers first
    inf = controls.load(INF)
    assert controls.default_actor(inf) == "soviet_union"
    assert controls.scenario_values(inf, "soviet_union")["verification"] == pytest.approx(0.95)


def test_only_a_moved_slider_overrides_the_file():
    geneva = controls.load(GENEVA)
    same = {"verification": 0.7, "hazard": 0.02, "patience": 0.95, "reservation": 0.5}
    assert controls.overrides(geneva, "russia", same) == {}
    assert controls.overrides(geneva, "russia", dict.fromkeys(same)) == {}
    moved = dict(same, verification=0.95, reservation=0.3)
    assert controls.overrides(geneva, "russia", moved) == {
        "environment.verification": 0.95, "actors.russia.reservation": 0.3}
    assert controls.overrides(geneva, "united_states", {"patience": 0.9}) == {
        "actors.united_states.patience": 0.9}


def test_linkage_off_empties_every_insists():
    geneva = controls.load(GENEVA)
    assert controls.has_linkage(geneva)
    assert controls.overrides(geneva, "russia", {}, linkage=False) == {
        "actors.russia.insists": []}
    assert not controls.has_linkage(controls.load(NO_LINKAGE))
    # linkage off on the article scenario gives the no-linkage variant's run
    off = ClassroomModel(file=str(GENEVA), linkage=False)
    variant = ClassroomModel(file=str(NO_LINKAGE))
    for model in (off, variant):
        model.run_model()
    assert off.outputs()["agreement"] == variant.outputs()["agreement"] == True  # noqa: E712
    assert off.outputs()["final_tension"] == variant.outputs()["final_tension"]


def test_seats_are_the_actors_at_a_table():
    geneva = controls.load(GENEVA)
    assert controls.seats(geneva) == [controls.NOBODY, "United States", "Russia",
                                      "European NATO allies", "Ukraine"]
    assert controls.seat_actor(geneva, "Russia") == "russia"
    assert controls.seat_actor(geneva, "russia") == "russia"
    assert controls.seat_actor(geneva, controls.NOBODY) is None
    with pytest.raises(ValueError, match="no actor 'Atlantis'"):
        controls.seat_actor(geneva, "Atlantis")


def test_a_slider_value_reaches_the_run():
    model = ClassroomModel(file=str(GENEVA), verification=0.95, hazard=0.1)
    assert model.settings == {"environment.verification": 0.95,
                              "environment.crisis.hazard": 0.1}
    assert model.params.verification[0] == 0.95 and model.params.hazard[0] == 0.1
    assert "detected with probability 0.95" in " ".join(t for _, t in model.lines())


def test_linkage_off_empties_a_sessions_own_linkage_too(tmp_path):
    # Hanoi's linkage held by the session, not the actor: the switch clears it as well
    text = (GENEVA.read_text().replace("    insists: [nato_expansion]\n", "")
            .replace("    date: 2022-01-10\n",
                     "    date: 2022-01-10\n    insists: {russia: [nato_expansion]}\n", 1))
    path = tmp_path / "session_linkage.yaml"
    path.write_text(text)
    loaded = controls.load(path)
    assert not any(a.insists for a in loaded.actors.values()) and loaded.sessions[0].insists
    assert controls.has_linkage(loaded)
    assert controls.overrides(loaded, "russia", {}, linkage=False) == {"sessions.0.insists": {}}


# --- the settings in the page's address ------------------------------------------------

def test_settings_travel_in_the_address_and_come_back_the_same():
    from armsim.app.settings import Settings

    settings = Settings(scenario="geneva_2022_no_linkage", actor="united_states",
                        verification=0.9, patience=0.8, linkage=False, run=3)
    assert settings.query() == ("scenario=geneva_2022_no_linkage&actor=united_states&"
                                "verification=0.9&patience=0.8&linkage=off&run=3")
    back, problems = Settings.from_query(settings.query())
    assert back == settings and problems == []
    assert back.overrides() == {"environment.verification": 0.9,
                                "actors.united_states.patience": 0.8}


def test_a_bad_address_opens_what_it_can_and_says_what_it_could_not():
    from armsim.app.settings import Settings

    settings, problems = Settings.from_query(
        "scenario=atlantis&verification=2&hazard=abc&run=-1&linkage=maybe&actor=nobody")
    assert settings == Settings()          # the article scenario, as in the file
    assert problems == [
        "no scenario 'atlantis' here; opened geneva_2022 instead",
        "no actor 'nobody' in Geneva talks, January 2022",
        "verification must be a number from 0 to 1; got '2'",
        "hazard must be a number from 0 to 0.2; got 'abc'",
        "linkage is on or off; got 'maybe'",
        "run is a whole number from 0 to 99999; got '-1'"]


def test_a_file_of_ones_own_is_opened_by_its_path(tmp_path):
    from armsim.app.settings import Settings

    mine = tmp_path / "mine.yaml"
    mine.write_text(GENEVA.read_text())
    settings, problems = Settings.from_query("", mine)
    assert settings.path == mine.resolve() and problems == []
    assert Settings.from_query(settings.query(), mine)[0] == settings
