from __future__ import annotations

from pathlib import Path

import pytest
from scenario_helpers import BASE, write


@pytest.fixture
def base_file(tmp_path: Path) -> Path:
    """The small valid scenario of :data:`scenario_helpers.BASE`, as a file."""
    return write(tmp_path, BASE, "base.yaml")
