"""Linkage for one session only (``sessions[s].insists``): the United States at Hanoi.

At Hanoi (27-28 February 2019) the United States would agree nothing short of
denuclearisation; North Korea's red line leaves no common level on it (it accepts only
the status quo, no limit), so by MODEL.md's linkage rule nothing can be agreed there.
Both sides want the freeze (ideal 0), which either accepts the moment it is offered. So,
worked by hand, with two rounds per session:

- the linkage written at Hanoi only: nothing in Hanoi (rounds 0-1), the freeze agreed
  at the first round of the next session, round 2;
- the same linkage written on the actor (every session): never agreed;
- no linkage: the freeze agreed at round 0, the United States' first offer.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import scenario
from reference_helpers import run

from armsim.explain import story
from armsim.scenario import validate_text

HANOI = """\
armsim: 1
name: Hanoi, then the DMZ
issues:
  freeze: {{label: Freeze of tests and exercises, range: [0, 1]}}
  denuclearisation: {{label: Denuclearisation, range: [0, 1]}}
actors:
  united_states:
    label: United States
    preferences:
      freeze: {{ideal: 0}}
      denuclearisation: {{ideal: 0, red_line: {{max: 0}}}}
{actor_insists}
  north_korea:
    label: North Korea
    preferences:
      freeze: {{ideal: 0}}
      denuclearisation: {{non_negotiable: true}}
sessions:
  - venue: Hanoi
    participants: [united_states, north_korea]
    agenda: [freeze, denuclearisation]
    rounds: 2
{session_insists}
  - venue: Panmunjom
    participants: [united_states, north_korea]
    agenda: [freeze, denuclearisation]
    rounds: 2
"""


def hanoi(where: str) -> str:
    return HANOI.format(
        actor_insists="    insists: [denuclearisation]" if where == "actor" else "",
        session_insists=("    insists: {united_states: [denuclearisation]}"
                         if where == "session" else ""))


@pytest.mark.parametrize("where, round_", [("session", 2), ("actor", -1), ("none", 0)])
def test_session_linkage_blocks_that_session_and_not_the_next(where, round_):
    out = run(hanoi(where))
    assert out["agreement_round"][0] == round_
    assert (out["agreed.freeze"][0] == 0) if round_ >= 0 else math.isnan(out["agreed.freeze"][0])
    assert math.isnan(out["agreed.denuclearisation"][0])


def test_the_story_names_the_linkage_of_one_session():
    text = story(scenario(hanoi("session"))).text()
    assert ("The United States insists on Denuclearisation (at this session only): without "
            "it, it accepts nothing.") in text
    assert "The United States refused: linkage, it insists on Denuclearisation first" in text
    # at Panmunjom it no longer insists, and the freeze is agreed at once
    panmunjom = text[text.index("Panmunjom: "):]
    assert "insists" not in panmunjom
    assert "AGREED: Freeze of tests and exercises at 0, binding the United States and North " \
           "Korea from round 3." in panmunjom


def test_session_linkage_by_a_dotted_override():
    loaded = scenario(hanoi("none"))
    from armsim.scenario import load_scenario

    linked = load_scenario(loaded, {"sessions.0.insists": {"united_states": ["denuclearisation"]}})
    assert run(linked)["agreement_round"][0] == 2


def problems_of(text: str) -> list:
    loaded, problems = validate_text(text, "hanoi.yaml")
    return problems


@pytest.mark.parametrize("line, message, severity, place", [
    # line 23 is the inserted one: `    insists: {` is 14 characters, `... united_states: [` 30
    ("    insists: {south_korea: [freeze]}", "unknown actor 'south_korea'", "error", (23, 15)),
    ("    insists: {united_state: [freeze]}",
     "unknown actor 'united_state'; did you mean 'united_states'?", "error", (23, 15)),
    ("    insists: {united_states: [denuclearization]}",
     "unknown issue 'denuclearization'; did you mean 'denuclearisation'?", "error", (23, 31)),
])
def test_bad_session_linkage_is_located(line, message, severity, place):
    text = hanoi("none").replace("    rounds: 2\n\n", f"    rounds: 2\n{line}\n", 1)
    found = [p for p in problems_of(text) if p.severity == severity]
    assert any(message in p.message and (p.line, p.column) == place for p in found), \
        "\n".join(map(str, found))


def test_linkage_by_an_actor_not_at_the_table_is_an_error():
    text = hanoi("none").replace("  north_korea:\n", "  south_korea: {}\n  north_korea:\n")
    text = text.replace("    rounds: 2\n\n", "    rounds: 2\n    insists: {south_korea: [freeze]}\n",
                        1)
    (error,) = [p for p in problems_of(text) if p.severity == "error"]
    assert error.path == ("sessions", 0, "insists", "south_korea")
    assert "'south_korea' is not a participant of this session" in error.message


def test_insisting_on_an_issue_not_yet_on_any_agenda_warns():
    text = hanoi("session").replace("    agenda: [freeze, denuclearisation]\n    rounds: 2\n"
                                    "    insists", "    agenda: [freeze]\n    rounds: 2\n"
                                    "    insists", 1)
    warnings = [p for p in problems_of(text) if p.severity == "warning"]
    assert any("'denuclearisation' is on the agenda neither of this session nor of one "
               "before it" in p.message and p.path == ("sessions", 0, "insists",
                                                      "united_states", 0) for p in warnings)
