"""Files a fault trial found accepted although they make no sense, and messages it found
unclear: each is now an error at its place (or a warning, where the file is legal but
pointless), and the command line exits 2 on the errors.

Positions are counted by hand, as in test_checks.py: the comment by each case gives the
text before the offending token and its length.
"""

from __future__ import annotations

import datetime

import pytest
from scenario_helpers import check, the_error, the_warning, where, write
from helpers import armsim_cli

from armsim.scenario import Scenario, load_scenario

TWO = """
    armsim: 1
    name: t
    issues:
      d: {label: D, range: [0, 10]}
      e: {label: E, range: [0, 1]}
    actors:
      a: {preferences: {d: {ideal: 2}, e: {ideal: 0}}}
      b: {preferences: {d: {ideal: 8}, e: {ideal: 1}}}
    sessions:
      - {venue: G, participants: [a, b], agenda: [d, e], rounds: 2}
    """


def test_the_fixture_is_valid():
    scenario, problems = check(TWO)
    assert isinstance(scenario, Scenario) and problems == []


# --- an ideal has no default ------------------------------------------------------------

def no_ideal(what: str, issue: str) -> str:
    return (f"{what}: the level the actor wants on '{issue}' has no default; give one inside "
            "the issue's range, or write non_negotiable: true if the actor accepts no limit "
            "at all (its ideal is then the status quo)")


@pytest.mark.parametrize(("old", "new", "column", "what"), [
    # line 7 `  a: {preferences: {d: ` is 5 + 14 + 4 = 23 characters: the mapping that lacks it
    ("d: {ideal: 2}", "d: {weight: 2}", 24, "missing 'ideal'"),
    # `  a: {preferences: {d: {ideal:` is 23 + 7 = 30 characters: YAML places an empty
    # value right after its colon
    ("d: {ideal: 2}", "d: {ideal: }", 31, "'ideal' is empty"),
    # `  a: {preferences: {d: {ideal: ` is 23 + 8 = 31 characters: the null itself
    ("d: {ideal: 2}", "d: {ideal: null}", 32, "'ideal' is empty"),
    # a red line alone is no ideal either
    ("d: {ideal: 2}", "d: {red_line: {max: 5}}", 24, "missing 'ideal'"),
])
def test_a_preference_without_an_ideal_is_an_error(old, new, column, what):
    assert where(the_error(TWO.replace(old, new))) == (7, column, no_ideal(what, "d"))


def test_a_non_negotiable_issue_needs_no_ideal_its_ideal_is_the_status_quo():
    scenario, problems = check(TWO.replace("e: {ideal: 0}", "e: {non_negotiable: true}"))
    assert problems == []
    assert scenario.actors["a"].preferences["e"].ideal is None  # compiled as hi, the status quo


def test_an_actor_without_preferences_needs_no_ideal():
    scenario, problems = check(TWO.replace("a: {preferences: {d: {ideal: 2}, e: {ideal: 0}}}",
                                           "a: {}"))
    assert isinstance(scenario, Scenario) and problems == []


# --- all weights 0: legal, but the utility is undefined ---------------------------------

def test_an_actor_whose_weights_are_all_0_is_warned_about():
    text = TWO.replace("d: {ideal: 8}, e: {ideal: 1}", "d: {ideal: 8, weight: 0}, "
                       "e: {ideal: 1, weight: 0.0}")
    # line 8 `  b: {preferences: ` is 5 + 14 = 19 characters
    assert where(the_warning(text)) == (
        8, 20, "every weight is 0: the actor is indifferent to every issue, so it accepts any "
        "level its red lines allow, and its utility in the results (utility.b, a mean weighted "
        "by nothing) is NaN; give the issues it cares about a weight above 0")


def test_one_weight_above_0_is_enough():
    scenario, problems = check(TWO.replace("d: {ideal: 8}", "d: {ideal: 8, weight: 0}"))
    assert isinstance(scenario, Scenario) and problems == []


# --- insisting on an issue no session discusses -----------------------------------------

def test_insisting_on_an_issue_on_no_agenda_is_warned_about():
    text = TWO.replace("agenda: [d, e]", "agenda: [d]").replace(
        "b: {preferences", "b: {insists: [d, e], preferences")
    # line 8 `  b: {insists: [d, ` is 5 + 10 + 4 = 19 characters; d is on the agenda, e is not
    assert where(the_warning(text)) == (
        8, 20, "'e' is on no session's agenda, so it is never agreed, and b agrees to nothing "
        "without it: it will accept no offer in any session; put the issue on an agenda or "
        "take it out of insists")


# --- a scenario with nobody in it -------------------------------------------------------

def test_a_scenario_without_actors_is_an_error(tmp_path):
    path = write(tmp_path, """
        armsim: 1
        name: t
        actors: {}
        """)
    done = armsim_cli("validate", path)
    assert done.returncode == 2
    # line 3 `actors: ` is 8 characters
    assert done.stderr.splitlines()[0] == (
        f"{path}:3:9: actors: a scenario needs at least one actor (a state or a bloc), e.g. "
        "actors: {north: {}}; here there is none")


# --- dates ------------------------------------------------------------------------------

DATED = TWO.replace("- {venue: G, ", "- {venue: G, date: 2022-01-10, ")


@pytest.mark.parametrize(("date", "message"), [
    ("2022-13-45", "2022-13-45 is not a date (month must be in 1..12); dates are written "
                   "YYYY-MM-DD, e.g. 2022-01-10"),
    ("2022-02-30", "2022-02-30 is not a date (day is out of range for month); dates are "
                   "written YYYY-MM-DD, e.g. 2022-01-10"),
    ("2022-1-5", "expected a date, written YYYY-MM-DD (e.g. 2022-01-10), got '2022-1-5'"),
    ("next week", "expected a date, written YYYY-MM-DD (e.g. 2022-01-10), got 'next week'"),
    ("2022", "expected a date, written YYYY-MM-DD (e.g. 2022-01-10), got 2022"),
])
def test_a_session_date_must_be_a_calendar_date(date, message):
    # line 10 `  - {venue: G, date: ` is 4 + 11 + 6 = 21 characters
    assert where(the_error(DATED.replace("2022-01-10", date))) == (10, 22, message)


def test_a_source_date_is_checked_too():
    text = TWO.replace("name: t\n", "name: t\n    sources:\n      - {id: s, title: S, "
                       "date: 2022-13-45}\n")
    # line 4 `  - {id: s, title: S, date: ` is 4 + 8 + 10 + 6 = 28 characters
    assert where(the_error(text))[:2] == (4, 29)


def test_a_date_may_be_quoted_or_given_as_a_python_date(tmp_path):
    assert check(DATED)[0].sessions[0].date == "2022-01-10"
    assert check(DATED.replace("2022-01-10", "'2022-01-10'"))[0].sessions[0].date == "2022-01-10"
    path = write(tmp_path, DATED)
    moved = load_scenario(path, {"sessions.0.date": datetime.date(2022, 3, 4)})
    assert moved.sessions[0].date == "2022-03-04"


# --- a bloc named like an actor -----------------------------------------------------------

def test_a_bloc_with_the_name_of_an_actor_is_an_error():
    text = TWO.replace("a: {preferences", "a: {bloc: b, preferences")
    # line 7 `  a: {bloc: ` is 5 + 7 = 12 characters
    assert where(the_error(text)) == (7, 13, "the bloc 'b' has the name of an actor: in an "
                                             "issue's binds that name would mean both the actor "
                                             "and the bloc's members; give the bloc a name of "
                                             "its own")


# --- messages -----------------------------------------------------------------------------

@pytest.mark.parametrize(("given", "shown"), [
    ("5", "int 5"), ("[linear]", "a list"), ("true", "the boolean true"),
    ("", "nothing (null)")])
@pytest.mark.parametrize(("key", "what", "example"), [
    ("strategy", "strategy", "linear"), ("compliance", "compliance strategy", "tit_for_tat")])
def test_a_strategy_that_is_neither_a_name_nor_a_mapping_says_what_it_should_be(
        key, what, example, given, shown):
    text = TWO.replace("a: {preferences", f"a: {{{key}: {given}, preferences")
    problem = the_error(text)
    # line 7 `  a: {strategy: ` is 5 + 11 = 16 characters, `  a: {compliance: ` 18; YAML
    # places an empty value right after the colon, one column earlier
    assert problem.line == 7 and problem.column == 6 + len(key) + (3 if given else 2)
    assert problem.message == (f"expected a {what} name (e.g. {example}) or a mapping with "
                               f"type:, got {shown}")
    assert "Input should" not in problem.message  # never pydantic's own words


def test_an_override_that_invents_a_top_level_key_is_blamed_on_the_override(tmp_path):
    path = write(tmp_path, TWO)
    done = armsim_cli("validate", path, "--set", "foo.bar=1")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["--set foo.bar: unknown key 'foo'", "1 of 1 file invalid"]
    # and one that invents a key deeper down is blamed on itself, not on the file's line
    scenario, problems = check(TWO, overrides=["environment.payoffs.X=2"])
    assert [(p.file, p.line, p.message) for p in problems] == [
        ("--set environment.payoffs.X", None, "unknown key 'X'")]
