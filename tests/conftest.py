"""Fixtures every folder of tests may use. Shared helper functions live in
tests/helpers.py (bundled scenarios, inline scenarios, armsim as a command) and
tests/generators.py (random scenarios for Hypothesis); pyproject.toml puts this folder
on pytest's path, so a test imports them by name (``from helpers import scenario``)."""

from __future__ import annotations

import pytest
from helpers import BUNDLED


@pytest.fixture(params=BUNDLED, ids=lambda p: p.relative_to(p.parents[1]).as_posix()
                if p.parent.name in ("classics", "history") else p.name)
def bundled_file(request):
    """Each bundled scenario file in turn."""
    return request.param
