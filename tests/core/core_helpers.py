"""Helpers for the engine's property and determinism tests."""

from __future__ import annotations

import numpy as np


def assert_identical(left: dict[str, np.ndarray], right: dict[str, np.ndarray],
                     rows: np.ndarray | slice = slice(None)) -> None:
    """Every output of ``right`` equals ``left[key][rows]`` bit for bit (NaNs included)."""
    assert set(left) == set(right)
    for key in left:
        a, b = np.asarray(left[key])[rows], np.asarray(right[key])
        assert a.dtype == b.dtype and a.shape == b.shape, key
        assert a.tobytes() == b.tobytes(), f"{key} differs"
