"""armsim as a user installs it: the wheel, in a fresh virtual environment, outside the repo.

The wheel is built from a copy of the package (``pip wheel --no-deps``), installed with its
runtime dependencies only (from the package index, through pip's cache) into a new venv, and
the ``armsim`` command of that venv is run from an empty folder, with no PYTHONPATH: the
bundled scenarios must come from the installed package. About a minute.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "armsim" / "data" / "scenarios"

pytestmark = pytest.mark.slow


def call(*args: object, cwd: Path, env: dict[str, str], timeout: float = 900,
         ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)
    assert "Traceback" not in done.stdout + done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """(the wheel, the venv's bin folder, an environment without PYTHONPATH)."""
    top = tmp_path_factory.mktemp("wheel")
    source = top / "source"   # a copy, so that the build leaves nothing in the repo
    shutil.copytree(ROOT / "armsim", source / "armsim",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    built = call(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "-w", top / "dist",
                 "--quiet", cwd=top, env=env)
    assert built.returncode == 0, built.stderr
    (wheel,) = (top / "dist").glob("armsim-*.whl")
    venv.create(top / "venv", with_pip=True)
    bin_ = top / "venv" / "bin"
    done = call(bin_ / "python", "-m", "pip", "install", "--quiet", wheel, cwd=top, env=env)
    assert done.returncode == 0, done.stderr
    return wheel, bin_, env | {"PATH": f"{bin_}{os.pathsep}{env.get('PATH', '')}"}


@pytest.fixture
def armsim(installed, tmp_path):
    """Run the installed ``armsim`` from an empty folder outside the repository."""
    _, bin_, env = installed

    def run(*args: object, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return call(bin_ / "armsim", *args, cwd=tmp_path, env=env, timeout=timeout)

    return run


def title(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["name"]


def test_the_wheel_holds_every_scenario_as_a_file(installed):
    wheel, _, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        shipped = {i.filename: i for i in archive.infolist()}
    for path in BUNDLED.rglob("*.yaml"):
        entry = shipped[f"armsim/data/{path.relative_to(BUNDLED.parent).as_posix()}"]
        assert entry.file_size == path.stat().st_size       # the file, not a link to it
    assert "armsim/data/starter.yaml" in shipped


def test_the_command_runs_the_installed_package(installed, tmp_path):
    _, bin_, env = installed
    done = call(bin_ / "python", "-c", "import armsim; print(armsim.__file__)", cwd=tmp_path,
                env=env)
    assert Path(done.stdout.strip()).is_relative_to(bin_.parent)


def test_version(installed, armsim):
    wheel, _, _ = installed
    source = (ROOT / "armsim" / "__init__.py").read_text(encoding="utf-8")
    (written,) = re.findall(r'^__version__ = "([^"]+)"$', source, flags=re.M)
    assert wheel.name.startswith(f"armsim-{written}-")     # what pyproject gave setuptools
    done = armsim("--version")
    assert (done.returncode, done.stdout) == (0, f"armsim {written}\n")


def test_run_opens_the_bundled_default(armsim, tmp_path):
    done = armsim("run", "--runs", 20, "--no-plots")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{title(BUNDLED / 'geneva_2022.yaml')}: 20 runs")
    runs = (tmp_path / "out" / "geneva_2022" / "runs.csv").read_text().splitlines()
    assert len(runs) == 1 + 20


def test_run_a_bundled_scenario_by_name_with_its_figures(armsim, tmp_path):
    done = armsim("run", "geneva_2022", "--runs", 10, "--out", "by_name")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{title(BUNDLED / 'geneva_2022.yaml')}: 10 runs")
    written = {p.name for p in (tmp_path / "by_name").iterdir()}
    assert {"runs.csv", "summary.json", "outcomes.png", "tension.png"} <= written
    for png in (tmp_path / "by_name").glob("*.png"):
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_scenarios_lists_every_bundled_file(armsim):
    done = armsim("scenarios")
    assert done.returncode == 0, done.stderr
    listed = dict(line.split(maxsplit=1) for line in done.stdout.splitlines())
    on_disk = {p.relative_to(BUNDLED).with_suffix("").as_posix(): title(p)
               for p in BUNDLED.rglob("*.yaml")}
    assert listed == on_disk


def test_init_then_validate_then_run(armsim, tmp_path):
    assert armsim("init", "mine").returncode == 0
    done = armsim("validate", "mine.yaml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "mine.yaml: valid\n", "")
    done = armsim("run", "mine.yaml", "--runs", 5, "--no-plots")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("mine: 5 runs")
    assert armsim("init", "mine").returncode == 2            # never overwritten


def test_app_finds_its_default_and_names_the_missing_extra(armsim, installed, tmp_path):
    # the runtime install has no page extras: the bundled default loads, then the command
    # says what to install (exit 2) instead of serving
    done = armsim("app")
    assert done.returncode == 2
    assert "pip install 'armsim[viz]'" in done.stderr
    _, bin_, env = installed
    picker = call(bin_ / "python", "-c", "from armsim.app.controls import bundled_scenarios; "
                  "print(len(bundled_scenarios()))", cwd=tmp_path, env=env)
    assert picker.stdout.strip() == str(len(list(BUNDLED.rglob("*.yaml"))))


@pytest.mark.parametrize("command, needs", [
    (["run", "--trajectories", "--runs", 2], "--trajectories needs xarray (not installed)"),
    (["sweep", "geneva_2022", "-p", "environment.verification=0.5,1", "--runs", 2],
     "armsim sweep needs xarray and netCDF4 (not installed)"),
])
def test_an_option_that_needs_an_extra_names_it_before_running(armsim, tmp_path, command,
                                                               needs):
    # the runtime install has none of the sweep extra: said first, nothing run or written
    done = armsim(*command)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"{needs}; install the extra that has it: pip install 'armsim[sweep]'\n"
    assert not (tmp_path / "out").exists()
