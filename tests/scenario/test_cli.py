"""``armsim validate`` and ``armsim show``, run as a person runs them: a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import armsim_cli as armsim
from scenario_helpers import write

BAD = """
    armsim: 1
    name: t
    actors:
      a: {patience: 1.5, rivals: [b]}
    """

NO_ZONE = """
    armsim: 1
    name: No deal
    issues:
      d: {label: Deal, range: [0, 10]}
    actors:
      a: {preferences: {d: {ideal: 2, red_line: {max: 4}}}}
      b: {preferences: {d: {ideal: 8, red_line: {min: 6}}}}
    sessions:
      - {venue: G, participants: [a, b], agenda: [d], rounds: 3}
    """


def test_validate_a_valid_file_exits_0(base_file):
    done = armsim("validate", base_file)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{base_file}: valid\n", "")


def test_validate_an_invalid_file_exits_2_with_every_error_located(tmp_path):
    path = write(tmp_path, BAD)
    done = armsim("validate", path)
    assert done.returncode == 2
    assert done.stdout == ""
    # `  a: {patience: ` is 16 characters, `1.5, rivals: [` 14 more
    assert done.stderr.splitlines() == [
        f"{path}:4:17: actors.a.patience: 1.5 is outside (0, 1]",
        f"{path}:4:31: actors.a.rivals[0]: unknown actor 'b'",
        "1 of 1 file invalid",
    ]


def test_validate_several_files(base_file, tmp_path):
    bad = write(tmp_path, BAD, "bad.yaml")
    missing = tmp_path / "missing.yaml"
    done = armsim("validate", base_file, bad, missing)
    assert done.returncode == 2
    assert done.stdout == f"{base_file}: valid\n"
    assert done.stderr.splitlines()[-2:] == [f"{missing}: no such file; check the path",
                                             "2 of 3 files invalid"]


def test_validate_reports_warnings_and_still_exits_0(tmp_path):
    path = write(tmp_path, NO_ZONE)
    done = armsim("validate", path)
    assert done.returncode == 0
    assert done.stdout == f"{path}: valid (1 warning)\n"
    # line 9 `  - {venue: G, participants: [a, b], agenda: [` is 46 characters
    assert done.stderr == (f"{path}:9:47: warning: sessions[0].agenda[0]: the participants' "
                           "red lines leave no common level on 'd': it cannot be agreed here\n")
    quiet = armsim("validate", "--quiet", path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


BAD_FILES = [
    (b"", "the file is empty"),
    (b"\x00\x01\x02", "this is a binary file"),
    (b"caf\xe9: 1\n", "the file is not UTF-8 text (byte 3)"),
    (b"armsim: 1\nname: [\n", "invalid YAML"),
    (b"- 1\n- 2\n", "a scenario is a mapping of keys"),
    (b"armsim: 1\nname: !!python/object/apply:os.system [true]\nactors: {a: {}}\n",
     "the tag '!!python/object/apply:os.system' is not allowed"),
]


def test_validate_bad_files_exit_2_without_a_traceback(tmp_path):
    paths = [write(tmp_path, content, f"bad{i}.yaml") for i, (content, _) in enumerate(BAD_FILES)]
    done = armsim("validate", *paths)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    for path, (_, message) in zip(paths, BAD_FILES):
        assert any(line.startswith(f"{path}:") and message in line for line in lines), message
    assert lines[-1] == f"{len(BAD_FILES)} of {len(BAD_FILES)} files invalid"


def test_validate_an_enormous_file_exits_2(tmp_path):
    path = write(tmp_path, b"#" * (2 * 2**20 + 1))
    done = armsim("validate", path)
    assert done.returncode == 2
    assert f"{path}:1:1: the file is 2.0 MiB" in done.stderr


def test_show_prints_actors_issues_and_zones(base_file):
    done = armsim("show", base_file)
    assert done.returncode == 0 and done.stderr == ""
    lines = [line.strip() for line in done.stdout.splitlines()]
    assert lines[0] == "Test talks"
    assert "usa (United States, bloc nato, rivals: russia)" in lines
    assert ("strategy tit_for_tat, compliance tit_for_tat, patience 0.98, reservation 0.3"
            in lines)
    # russia's strategy `linear` is shorthand; its compliance is the default tit_for_tat
    assert ("strategy linear, compliance tit_for_tat, patience 0.95, reservation 0.2"
            in lines)
    assert "deployments: Missile limits [0, 400 launchers], binds all (reciprocal), caps " \
           "missiles" in lines
    # usa accepts [0, 300], russia has no red line: the zone is [0, 300]
    assert "usa                      ideal 0        weight 0.5    red line: accepts [0, 300]" \
        in lines
    zones = [line for line in lines if line.startswith("zone of possible agreement")]
    # expansion: usa's red line {min: 1} on the range [0, 1] leaves only 1
    assert zones == ["zone of possible agreement: [0, 300]", "zone of possible agreement: [1, 1]"]
    assert "- deployments: zone of agreement [0, 300]" in lines
    # 6 rounds of talks and aftermath 3
    assert "seed 7, 10 runs by default, 9 rounds (6 of talks, 3 after), dt 1" in lines


def test_show_says_none_where_red_lines_leave_no_zone(tmp_path):
    done = armsim("show", write(tmp_path, NO_ZONE))
    assert done.returncode == 0
    lines = [line.strip() for line in done.stdout.splitlines()]
    assert "zone of possible agreement: none" in lines
    assert "- d: zone of agreement none" in lines
    assert "a                        ideal 2        weight 1      red line: accepts [0, 4]" \
        in lines
    assert "warning" not in done.stdout  # warnings go to stderr
    assert "red lines leave no common level on 'd'" in done.stderr


def test_show_with_overrides(base_file):
    done = armsim("show", base_file, "--set", "actors.usa.patience=0.5",
                  "--set", "environment.verification=0.9")
    assert done.returncode == 0
    assert "patience 0.5, reservation 0.3" in done.stdout
    assert "Environment: verification 0.9, tolerance none, crisis hazard 0" in done.stdout


def test_show_with_a_bad_override_exits_2_naming_the_path(base_file):
    done = armsim("show", base_file, "--set", "actors.rusia.patience=0.5")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "--set actors.rusia.patience: unknown key 'rusia'; did you mean 'russia'?",
        f"{base_file}: 1 error; nothing was run",
    ]


def test_show_with_a_badly_typed_override_exits_2(base_file):
    done = armsim("show", base_file, "--set", "sessions.0.rounds=ten")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "--set sessions.0.rounds: expected a whole number, got 'ten'")


def test_show_an_invalid_file_exits_2(tmp_path):
    done = armsim("show", write(tmp_path, BAD))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines()[-1].endswith("2 errors; nothing was run")


def test_show_a_scenario_without_preferences_or_units(tmp_path):
    path = write(tmp_path, """
        armsim: 1
        name: t
        issues:
          d: {label: D, range: [0, 1]}
        actors:
          a: {}
        """)
    done = armsim("show", path)
    assert done.returncode == 0
    # nobody has a red line: the whole range is open
    assert "zone of possible agreement: [0, 1]" in done.stdout
    assert "d: D [0, 1], binds all (reciprocal)" in done.stdout


def test_no_arguments_prints_usage(tmp_path):
    done = armsim()
    assert done.returncode in (0, 2)
    assert "validate" in done.stdout + done.stderr and "show" in done.stdout + done.stderr


def test_console_script_matches_module(base_file):
    exe = Path(sys.executable).with_name("armsim")
    if not exe.exists():
        pytest.skip("armsim console script not installed next to this interpreter")
    done = subprocess.run([exe, "validate", base_file], capture_output=True, text=True,
                          timeout=120, check=False)
    assert (done.returncode, done.stdout) == (0, f"{base_file}: valid\n")


def test_an_unexpected_failure_is_one_line_and_exit_1(base_file, monkeypatch, capsys):
    """A bug inside armsim must still not show a person a traceback (cli.main's contract)."""
    import armsim.cli
    import armsim.scenario

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(armsim.scenario, "validate_file", broken)
    monkeypatch.setattr(sys, "argv", ["armsim", "validate", str(base_file)])
    with pytest.raises(SystemExit) as info:
        armsim.cli.main()
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert err == ("armsim: unexpected error (RuntimeError: boom); this is a bug in armsim, "
                   "please report it with the command you ran\n")


def test_validate_checks_with_overrides(base_file):
    done = armsim("validate", base_file, "--set", "environment.verification=1.5")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == "--set environment.verification: 1.5 is outside [0, 1]"


def test_show_notes_lists_each_note_with_its_path(tmp_path):
    path = tmp_path / "noted.yaml"
    path.write_text("armsim: 1\nname: n\nassumption: whole file\nactors:\n"
                    "  a: {source: said so}\n  b: {}\n")
    done = armsim("show", path, "--notes")
    assert done.returncode == 0
    assert "(scenario) [assumption]: whole file" in done.stdout
    assert "actors.a [source]: said so" in done.stdout
