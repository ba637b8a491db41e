"""Results do not move by accident: every bundled scenario, both engines, three seeds.

The fingerprints in ``tests/golden/fingerprints.json`` were recorded from main before
the redesign of issue 10 (``python tests/golden/golden.py --write``); a change meant to
alter results records them anew in the same commit and says so, with the numbers.
"""

import importlib.util
import json
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "golden", Path(__file__).with_name("golden") / "golden.py")
golden = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(golden)
RECORDED = json.loads(golden.RECORD.read_text())


def test_every_bundled_scenario_is_recorded():
    assert sorted(RECORDED) == [p.as_posix() for p in golden.scenario_files()]


@pytest.mark.parametrize("path", sorted(RECORDED))
def test_runs_and_stories_are_unchanged(path):
    assert golden.compute([Path(path)]) == {path: RECORDED[path]}
