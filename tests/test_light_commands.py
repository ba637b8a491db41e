"""Commands that draw nothing and simulate nothing import nothing heavy: ``armsim --help``,
``--version`` and ``validate`` answer without matplotlib, pandas, Mesa or xarray."""

from __future__ import annotations

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
