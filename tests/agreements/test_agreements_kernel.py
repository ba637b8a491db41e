"""The compiled kernel and issue 13: it plays who-plays-whom (Spec.counterparts) bit for bit
as the NumPy phases do; a scenario with a construct it does not know yet runs in NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import scenario
from test_counterparts import FREEZE

from armsim.compile import build_spec, draw_params
from armsim.core.run import Run

pytest.importorskip("numba")

RUNS = np.arange(40)
# noisy, so that slips happen and Seoul's answer to them shows
NOISY = FREEZE.replace("verification: 1", "verification: 0.8\n  compliance_noise: 0.2")


def outputs(text: str, compiled: bool) -> tuple[dict, object]:
    loaded = scenario(text)
    spec = build_spec(loaded)
    run = Run(spec, draw_params(loaded, spec, RUNS), RUNS, compiled=compiled,
              trajectories=True)
    run.run_to_end()
    return {**run.outputs(), **{f"trace.{k}": v for k, v in run.trajectories().items()}}, \
        run.compiled


@pytest.mark.parametrize("rule", ["across_blocs", "all", "rivals", "[[us, rok]]"])
def test_the_kernel_plays_who_plays_whom_as_numpy_does(rule):
    text = NOISY.replace("verification: 0.8", f"verification: 0.8\n  counterparts: {rule}")
    numpy_out, _ = outputs(text, False)
    kernel_out, used = outputs(text, True)
    assert used is not None
    assert [k for k in numpy_out if numpy_out[k].tobytes() != kernel_out[k].tobytes()] == []


@pytest.mark.parametrize("key", [
    "issues:\n  freeze: {range: [0, 1], enters_into_force: 1}",
    "issues:\n  freeze: {range: [0, 1], duration: 3}",
    "issues:\n  freeze: {range: [0, 1], verification: 0.5}",
])
def test_a_construct_the_kernel_does_not_know_runs_in_numpy(key):
    text = NOISY.replace("issues:\n  freeze: {range: [0, 1]}", key)
    numpy_out, _ = outputs(text, False)
    kernel_out, used = outputs(text, True)
    assert used is None
    assert [k for k in numpy_out if numpy_out[k].tobytes() != kernel_out[k].tobytes()] == []
