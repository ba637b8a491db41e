"""Commands that draw nothing and simulate nothing import nothing heavy: ``armsim --help``,
``--version`` and ``validate`` answer without matplotlib, pandas, Mesa or xarray."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCENARIO = Path(__file__).resolve().parent.parent / "scenarios" / "geneva_2022.yaml"
HEAVY = ("matplotlib", "pandas", "mesa", "xarray", "dask", "scipy", "numba")

# runs the command in this interpreter, then prints the heavy modules it imported
PROBE = """\
import sys
sys.argv = ["armsim", *sys.argv[1:]]
from armsim.cli import app
try:
    app()
except SystemExit:
    pass
print("imported:", *sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["run", "--help"],
                                  ["validate", str(SCENARIO)]],
                         ids=["help", "version", "run-help", "validate"])
def test_light_commands_import_no_heavy_module(args):
    out = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *args],
                         capture_output=True, text=True, check=True)
    assert out.stderr.strip().splitlines()[-1] == "imported:"


# imports armsim.cli as the armsim command (argv[0]) or as a library, then says what NumPy's
# OpenBLAS was told and how many threads this process has once NumPy is imported
BLAS_PROBE = """\
import os, sys
sys.argv = [sys.argv[1], "--version"]
import armsim.cli
import numpy
print(os.environ.get("OPENBLAS_NUM_THREADS"), len(os.listdir("/proc/self/task")))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize(("argv0", "given", "told"), [
    ("armsim", None, "1"), ("-m", None, "1"), ("armsim", "3", "3"), ("pytest", None, None)])
def test_the_command_keeps_blas_to_one_thread_and_a_library_user_to_theirs(argv0, given,
                                                                            told):
    """As the armsim command (its script, or ``python -m armsim.cli``), NumPy's OpenBLAS
    starts no thread of its own (armsim's arrays never meet BLAS); a setting given is
    kept, and a program that imports armsim as a library is left alone."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run([sys.executable, "-c", BLAS_PROBE, argv0], capture_output=True,
                         text=True, check=True, env=env).stdout.split()
    assert out[0] == str(told)
    if told == "1":
        assert out[1] == "1"                 # the main thread alone
