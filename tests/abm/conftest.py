"""The Mesa engine's tests reuse the engine's random-scenario generator (tests/core)."""

from __future__ import annotations

import sys
from pathlib import Path

CORE_TESTS = str(Path(__file__).resolve().parent.parent / "core")
if CORE_TESTS not in sys.path:
    sys.path.insert(0, CORE_TESTS)
