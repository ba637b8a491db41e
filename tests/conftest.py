"""Fixtures every folder of tests may use. Shared helper functions live in
tests/helpers.py (bundled scenarios, inline scenarios, armsim as a command) and
tests/generators.py (random scenarios for Hypothesis); pyproject.toml puts this folder
on pytest's path, so a test imports them by name (``from helpers import scenario``)."""

from __future__ import annotations

import signal

import pytest
from helpers import BUNDLED

# The Ctrl-C tests send SIGINT to armsim commands they start, as a terminal does to its
# foreground job. A suite started in the background of a non-interactive shell (`make
# test &` in a script) inherits SIGINT ignored, and so would those commands: Python
# installs its KeyboardInterrupt handler only where SIGINT is not ignored, and they ran
# to the end. With a handler here, exec gives every command SIGINT's default again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(params=BUNDLED, ids=lambda p: p.relative_to(p.parents[1]).as_posix()
                if p.parent.name in ("classics", "history") else p.name)
def bundled_file(request):
    """Each bundled scenario file in turn."""
    return request.param
