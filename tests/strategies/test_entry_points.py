"""A strategy added by an installed package: examples/strategy_package is installed into a
folder of its own, and a scenario file that names its two strategies validates and runs
in a fresh interpreter that sees the package (the YAML imports nothing itself).

The behaviour tables are worked out by hand:

- ``fixed_concession`` (give 0.3) against a hardliner on an issue of range [0, 100]: it
  asks 1 - 0.3 of its utility, so it offers 30 each time it proposes; neither moves, so
  after the first rotation (rounds 0-1) and ``deadlock_rounds`` (2, the participants)
  more rounds the deadlock is declared in round 3 and, as neither strategy has a rule to
  break it, the session ends: no offer in round 4 (docs/model.md 7.19).
- ``verify_then_trust`` (threshold 0.3) with trust 0.2 in a partner that always complies,
  trust gaining 0.1 of the way to 1 on each observed compliance: it defects while trust
  is below 0.3 (0.2, then 0.2 + 0.1 * 0.8 = 0.28), then complies (0.352, ...): DDCCCC.
"""

import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "examples" / "strategy_package"

SCENARIO = """
armsim: 1
name: installed strategies
aftermath: 6
issues:
  cap: {label: Cap, range: [0, 100]}
  moratorium: {label: Moratorium, range: [0, 1]}
actors:
  tested:
    preferences: {cap: {ideal: 0}, moratorium: {ideal: 0}}
    strategy: {type: fixed_concession, give: 0.3}
    compliance: {type: verify_then_trust, threshold: 0.3}
    trust: 0.2
  opponent:
    preferences: {cap: {ideal: 100}, moratorium: {ideal: 0}}
    strategy: hardliner
    compliance: always_comply
sessions:
  - {venue: Talks, participants: [tested, opponent], agenda: [cap], rounds: 5}
  - {venue: Signing, participants: [opponent, tested], agenda: [moratorium], rounds: 1}
environment: {verification: 1, trust: {gain: 0.1, loss: 0.3}}
"""

PROBE = """
import json, sys
import numpy as np
import armsim
from armsim.batch import run_chunk
scenario = armsim.load_scenario(sys.argv[1])
out = run_chunk(scenario, np.arange(1), trajectories=True)
print(json.dumps({"offers": [float(x) for x in out["trace.offer"][0, :5, 0]],
                  "actions": [int(a) for a in out["trace.action"][0, 6:, 0]]}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--no-build-isolation", "--target", str(target), str(PACKAGE)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return target


def run_python(installed, *args, cwd):
    env = {"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          env=env, cwd=cwd)


def test_a_scenario_names_installed_strategies(installed, tmp_path):
    path = tmp_path / "installed.yaml"
    path.write_text(textwrap.dedent(SCENARIO))
    done = run_python(installed, "-c", PROBE, str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["offers"][:4] == pytest.approx([30, 100, 30, 100])
    assert math.isnan(got["offers"][4])
    assert "".join("D" if a else "C" for a in got["actions"]) == "DDCCCC"


def test_validate_knows_them_and_without_the_package_they_are_unknown(installed, tmp_path):
    path = tmp_path / "installed.yaml"
    path.write_text(textwrap.dedent(SCENARIO))
    check = ("import sys; from armsim.scenario import validate_file; "
             "s, p = validate_file(sys.argv[1]); print('\\n'.join(map(str, p))); "
             "sys.exit(s is None)")
    done = run_python(installed, "-c", check, str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    bare = subprocess.run([sys.executable, "-c", check, str(path)], capture_output=True,
                          text=True, cwd=tmp_path)
    assert bare.returncode == 1
    assert "unknown strategy 'fixed_concession'" in bare.stdout
    assert "unknown compliance strategy 'verify_then_trust'" in bare.stdout
