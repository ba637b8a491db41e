"""The scenarios that ship inside armsim, by name: ``armsim run NAME``, ``armsim scenarios``,
``armsim init`` and ``armsim --version``.

Expected values come from the files on disk (the folder armsim/data/scenarios, each file's
``name:``, pyproject.toml, armsim/__init__.py), not from the program.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from armsim import cli
from armsim.app import serve

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "armsim" / "data" / "scenarios"
NAMES = sorted(p.relative_to(BUNDLED).with_suffix("").as_posix() for p in BUNDLED.rglob("*.yaml"))


def armsim(*args: object) -> tuple[int, str, str]:
    done = CliRunner().invoke(cli.app, [str(a) for a in args])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.exception
    return done.exit_code, done.stdout, done.stderr


def title(path: Path) -> str:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["name"]


def test_the_bundled_folder_holds_the_scenarios_of_the_repository():
    # the top-level scenarios/ of the README is a link to the package's folder
    assert (ROOT / "scenarios").resolve() == BUNDLED.resolve()
    assert "geneva_2022" in NAMES and "classics/richardson" in NAMES


@pytest.mark.parametrize("name, file", [
    ("geneva_2022", "geneva_2022.yaml"),
    ("geneva_2022.yaml", "geneva_2022.yaml"),
    ("classics/richardson", "classics/richardson.yaml"),
    ("richardson", "classics/richardson.yaml"),     # the last part alone, when unique
])
def test_a_bundled_scenario_is_found_by_name(name, file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = armsim("validate", "--quiet", name)
    assert code == 0
    code, out, _ = armsim("show", name)
    assert code == 0
    assert out.splitlines()[0] == title(BUNDLED / file)


def test_run_without_a_file_runs_the_article_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = armsim("run", "--runs", 3, "--no-plots", "--quiet")
    assert code == 0
    assert out.startswith(f"{title(BUNDLED / 'geneva_2022.yaml')}: 3 runs")
    assert len((tmp_path / "out" / "geneva_2022" / "runs.csv").read_text().splitlines()) == 4


def test_app_opens_a_bundled_scenario_by_name(monkeypatch):
    served = []
    monkeypatch.setattr(serve, "serve", lambda *args, **kw: served.append(args))
    code, _, _ = armsim("app", "inf_1987", "--port", 0)
    assert code == 0
    assert served[0][0].resolve() == (BUNDLED / "inf_1987.yaml").resolve()


@pytest.mark.parametrize("command", [["run"], ["show"], ["explain"], ["validate"],
                                     ["sweep", "--param", "environment.verification=0.5,1"]])
def test_an_unknown_name_is_one_line_with_the_nearest_name(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = armsim(command[0], "genva_2022", *command[1:])
    assert code == 2 and out == ""
    assert err.splitlines()[0] == (
        "genva_2022: no such file, and no bundled scenario of that name; did you mean "
        "geneva_2022? 'armsim scenarios' lists the bundled ones")


def test_a_missing_yaml_path_keeps_the_loaders_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = armsim("run", "missing.yaml")
    assert code == 2
    assert err.splitlines()[0] == "missing.yaml: no such file; check the path"


def test_a_real_file_wins_over_a_bundled_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    richardson = (BUNDLED / "classics" / "richardson.yaml").read_text(encoding="utf-8")
    Path("geneva_2022").write_text(richardson, encoding="utf-8")     # a file, no suffix
    Path("inf_1987.yaml").write_text(richardson, encoding="utf-8")   # NAME.yaml, as init writes
    Path("rubinstein").mkdir()                                       # a folder is no scenario
    assert armsim("validate", "geneva_2022", "inf_1987") == (
        0, "geneva_2022: valid\ninf_1987.yaml: valid\n", "")
    assert armsim("show", "inf_1987")[1].splitlines()[0] == title(
        BUNDLED / "classics" / "richardson.yaml")
    assert armsim("show", "rubinstein")[1].splitlines()[0] == title(
        BUNDLED / "classics" / "rubinstein.yaml")


def test_scenarios_lists_every_bundled_file_with_its_title():
    code, out, _ = armsim("scenarios")
    assert code == 0
    lines = out.splitlines()
    assert sorted(line.split()[0] for line in lines) == NAMES
    assert lines[0].split()[0] == "geneva_2022"      # the default first
    for line in lines:
        name, shown = line.split(maxsplit=1)
        assert shown == title(BUNDLED / f"{name}.yaml")


def test_init_writes_a_starter_that_validates_and_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = armsim("init", "my_talks")
    assert code == 0 and "my_talks.yaml" in out
    text = Path("my_talks.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["name"] == "my talks"
    assert (len(data["actors"]), len(data["forces"]), len(data["issues"]),
            len(data["sessions"])) == (2, 1, 1, 1)
    assert next(iter(data["issues"].values()))["binds"] == "all"   # reciprocal
    assert "source:" in text and "assumption:" in text
    assert sum(line.lstrip().startswith("#") or " # " in line
               for line in text.splitlines()) >= 30                  # commented
    assert armsim("validate", "my_talks.yaml") == (0, "my_talks.yaml: valid\n", "")
    code, out, _ = armsim("run", "my_talks", "--runs", 5, "--no-plots", "--quiet")
    assert code == 0 and out.startswith("my talks: 5 runs")


def test_init_refuses_to_overwrite_unless_forced(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("mine.yaml").write_text("# my own work\n", encoding="utf-8")
    code, out, err = armsim("init", "mine")
    assert code == 2 and out == ""
    assert err == ("mine.yaml: the file exists; choose another name, or add --force to "
                   "overwrite it\n")
    assert Path("mine.yaml").read_text(encoding="utf-8") == "# my own work\n"
    assert armsim("init", "mine", "--force")[0] == 0
    assert "armsim: 1" in Path("mine.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("where, why", [
    ("no_such_folder/mine", "No such file or directory"),
    ("a_folder.yaml", "Is a directory"),
])
def test_init_into_a_place_it_cannot_write_is_one_line(where, why, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a_folder.yaml").mkdir()
    code, _, err = armsim("init", where, "--force")
    assert code == 2
    assert len(err.splitlines()) == 1 and why in err and "choose another path" in err


def test_init_names_the_scenario_after_any_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    weird = 'x: "quoted" # not a comment'
    assert armsim("init", weird)[0] == 0
    assert yaml.safe_load(Path(weird + ".yaml").read_text(encoding="utf-8"))["name"] == weird
    assert armsim("validate", weird + ".yaml")[0] == 0


def test_version_is_written_once_and_printed():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "armsim.__version__"}
    source = (ROOT / "armsim" / "__init__.py").read_text(encoding="utf-8")
    (written,) = re.findall(r'^__version__ = "([^"]+)"$', source, flags=re.M)
    assert armsim("--version") == (0, f"armsim {written}\n", "")


@pytest.mark.parametrize("command, needs", [
    (["run", "--trajectories"], "--trajectories needs xarray"),
    (["sweep", "geneva_2022", "-p", "seed=1,2", "--design", "sobol"],
     "armsim sweep needs xarray and netCDF4 and SALib"),
    (["sensitivity", "geneva_2022", "-p", "seed=1..2"], "armsim sensitivity needs SALib"),
    (["sweep", "geneva_2022", "-p", "seed=1,2", "--scheduler", "local"],
     "--scheduler needs distributed"),
])
def test_a_missing_extra_is_named_before_anything_runs(command, needs, tmp_path, monkeypatch):
    import importlib.util

    absent = {"xarray", "netCDF4", "SALib"} if "xarray" in needs else {needs.split()[-1]}
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name in absent else find_spec(name, *args))
    monkeypatch.chdir(tmp_path)
    code, out, err = armsim(*command)
    assert (code, out) == (2, "")
    extra = "distributed" if "scheduler" in needs else "sweep"
    assert err == (f"{needs} (not installed); install the extra that has it: "
                   f"pip install 'armsim[{extra}]'\n")
    assert list(tmp_path.iterdir()) == []


def test_help_lists_the_new_commands():
    code, out, _ = armsim("--help")
    assert code == 0
    for command in ("scenarios", "init", "--version"):
        assert command in out
