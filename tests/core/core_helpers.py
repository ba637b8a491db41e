"""Helpers for the engine's property and determinism tests."""

from __future__ import annotations

import textwrap

import numpy as np

from armsim.scenario import Scenario, validate_text


def scenario(text: str) -> Scenario:
    """A valid scenario from inline YAML; fails the test, listing problems, if invalid."""
    loaded, problems = validate_text(textwrap.dedent(text))
    errors = [p for p in problems if p.severity == "error"]
    assert loaded is not None and not errors, "\n".join(str(p) for p in problems)
    return loaded


def assert_identical(left: dict[str, np.ndarray], right: dict[str, np.ndarray],
                     rows: np.ndarray | slice = slice(None)) -> None:
    """Every output of ``right`` equals ``left[key][rows]`` bit for bit (NaNs included)."""
    assert set(left) == set(right)
    for key in left:
        a, b = np.asarray(left[key])[rows], np.asarray(right[key])
        assert a.dtype == b.dtype and a.shape == b.shape, key
        assert a.tobytes() == b.tobytes(), f"{key} differs"
