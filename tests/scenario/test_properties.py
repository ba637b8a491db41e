"""Property tests: whatever is thrown at the reader, it answers with located problems.

Never an exception: a scenario (valid, errors-free) or None with at least one error;
every error has a line in the file, or names the override (``--set ...``) it came from.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_helpers import BASE

from armsim.scenario import Problem, Scenario, validate_file, validate_text
from armsim.scenario.loader import _all_fields

FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
BASE_DATA = yaml.safe_load(BASE)
NAMES = sorted(_all_fields() | {"usa", "russia", "nato", "missiles", "troops", "deployments",
                                "expansion", "dist", "uniform", "normal", "beta", "triangular",
                                "rubinstein", "NO", "yes", "off"})


def assert_answered(result: Any, text: str | None = None) -> None:
    """The contract of validate_text/validate_file, checked on one result."""
    scenario, problems = result
    assert isinstance(problems, list)
    assert all(isinstance(p, Problem) for p in problems)
    errors = [p for p in problems if p.severity == "error"]
    for p in problems:
        assert p.message and isinstance(str(p), str)
        assert p.severity in ("error", "warning")
    for p in errors:
        assert p.line is not None or p.file.startswith("--set"), str(p)
        if p.line is not None:
            assert p.line >= 1 and p.column >= 1, str(p)
            if text is not None:
                # a position inside the text, or just past its end (an unfinished construct);
                # YAML also breaks lines at \r, \x85, \u2028 and \u2029, as splitlines does
                assert p.line <= len(text.splitlines()) + 1, str(p)
    if scenario is None:
        assert errors, problems
    else:
        assert isinstance(scenario, Scenario)
        assert not errors


# --- random text -----------------------------------------------------------------------

YAMLISH = st.text(alphabet=list(":-[]{},&*!|>'\"#%@`? \n\t.~0123456789abcxyzNOyes"),
                  max_size=200)


@FAST
@given(st.text(max_size=300) | YAMLISH)
def test_random_text(text):
    assert_answered(validate_text(text, "r.yaml"), text)


@FAST
@given(st.text(alphabet=list(":-[]{},&*!|>'\"#%@`? \n\t.~0123456789abcxyzNOyes"), max_size=120))
def test_random_text_after_a_valid_start(tail):
    text = "armsim: 1\nname: t\nactors:\n  a: {}\n" + tail
    assert_answered(validate_text(text, "r.yaml"), text)


# --- random structures dumped to YAML -------------------------------------------------

SCALARS = (st.none() | st.booleans() | st.integers(-10**6, 10**6)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
           | st.sampled_from(NAMES)
           # beyond the bound on every number (1e15), up to hundreds of digits; and dates
           | st.integers(-10**400, 10**400) | st.dates()
           | st.sampled_from(["2022-13-45", "2022-01-10", "1e308", "-1e308"]))
KEYS = st.sampled_from(NAMES) | st.text(max_size=8) | st.integers(-3, 3)


def trees(leaves: st.SearchStrategy[Any] = SCALARS, size: int = 20) -> st.SearchStrategy[Any]:
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(KEYS, inner, max_size=4), max_leaves=size)


@FAST
@given(trees())
def test_random_structures(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    assert_answered(validate_text(text, "r.yaml"), text)


@FAST
@given(st.dictionaries(st.sampled_from(sorted(BASE_DATA)) | KEYS, trees(size=6), max_size=6))
def test_random_structures_under_scenario_keys(data):
    data = {"armsim": 1, "name": "t", **data}
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert_answered(validate_text(text, "r.yaml"), text)


# --- random mutations of a valid scenario ---------------------------------------------

def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into ``node`` (the root included)."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += paths(value, prefix + (i,))
    return found


def at(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(BASE_DATA)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths(data)))
        kind = draw(st.sampled_from(["drop", "retype", "rename", "insert"]))
        parent = at(data, path[:-1]) if path else None
        if kind == "drop" and path:
            del parent[path[-1]]
        elif kind == "retype":
            value = draw(trees(size=8))
            if path:
                parent[path[-1]] = value
            else:
                data = value
        elif kind == "rename" and path and isinstance(parent, dict):
            new = draw(KEYS)
            parent[new] = parent.pop(path[-1])
        elif kind == "insert":
            node = at(data, path)
            if isinstance(node, dict):
                node[draw(KEYS)] = draw(trees(size=8))
            elif isinstance(node, list):
                node.insert(draw(st.integers(0, len(node))), draw(trees(size=8)))
        if not isinstance(data, (dict, list)):
            break
    return data


@FAST
@given(mutated())
def test_random_mutations_of_a_valid_scenario(data):
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    assert_answered(validate_text(text, "m.yaml"), text)


# --- random overrides -----------------------------------------------------------------

DOTTED = st.sampled_from([".".join(map(str, p)) for p in paths(BASE_DATA) if p]) | st.text(
    alphabet=list("abcdeiorstuvy._0123-"), min_size=1, max_size=25)
VALUE_TEXT = st.text(alphabet=list("abcxyz0123456789.-:[]{}, !'\"NOyes~&*"), max_size=30)


@FAST
@given(st.lists(st.tuples(DOTTED, trees(size=6)), max_size=3))
def test_random_overrides_from_python(pairs):
    result = validate_text(BASE, "b.yaml", overrides=dict(pairs))
    assert_answered(result, BASE)


@FAST
@given(st.lists(st.tuples(DOTTED, VALUE_TEXT), max_size=3))
def test_random_overrides_as_text(pairs):
    result = validate_text(BASE, "b.yaml", overrides=[f"{p}={v}" for p, v in pairs])
    assert_answered(result, BASE)


# --- random bytes in a file -----------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200), st.booleans())
def test_random_bytes_in_a_file(tmp_path_factory, raw, after_base):
    path = tmp_path_factory.mktemp("bytes") / "b.yaml"
    data = (BASE.encode() + raw) if after_base else raw
    path.write_bytes(data)
    scenario, problems = validate_file(path)
    assert_answered((scenario, problems))
    assert all(p.file == str(path) for p in problems)
