"""Reading files: what is refused before YAML is parsed, forbidden tags, all errors at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_helpers import BASE, dedent, write
from helpers import armsim_cli

from armsim.scenario import Scenario, ScenarioError, load_scenario, validate_file, validate_text
from armsim.scenario.yamlsource import MAX_BYTES

EMPTY = ("the file is empty: a scenario needs at least 'armsim: 1', 'name' and 'actors' (and, "
         "to negotiate, 'issues' and 'sessions')")


def only(path: Path) -> tuple[int | None, int | None, str]:
    scenario, problems = validate_file(path)
    assert scenario is None
    assert len(problems) == 1, problems
    assert problems[0].file == str(path)
    return problems[0].line, problems[0].column, problems[0].message


def test_the_base_scenario_is_valid(base_file):
    scenario, problems = validate_file(base_file)
    assert isinstance(scenario, Scenario) and problems == []
    assert scenario.path == str(base_file)
    # 6 rounds of talks, then aftermath 3
    assert scenario.rounds == 9


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"# only a comment\n\n   # another\n"],
                         ids=["empty", "blank", "comments"])
def test_an_empty_file_is_refused(tmp_path, content):
    assert only(write(tmp_path, content)) == (1, 1, EMPTY)


def test_a_binary_file_is_refused(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert only(write(tmp_path, png)) == (1, 1, "this is a binary file, not a YAML scenario")


def test_a_file_that_is_not_utf8_is_refused_at_the_bad_byte(tmp_path):
    # 'armsim: 1\n' is 10 bytes and 'name: caf' 9 more: the Latin-1 e-acute is byte 19
    latin1 = "armsim: 1\nname: café\nactors: {a: {}}\n".encode("latin-1")
    assert latin1[19:20] == b"\xe9"
    assert only(write(tmp_path, latin1)) == (
        1, 1, "the file is not UTF-8 text (byte 19): save it as UTF-8")


def test_an_enormous_file_is_refused_before_it_is_parsed(tmp_path):
    big = b"# padding\n" * (3 * 2**20 // 10)  # 3 MiB, within 10 bytes
    assert len(big) / 2**20 == pytest.approx(3.0, abs=1e-4)
    assert only(write(tmp_path, big)) == (
        1, 1, "the file is 3.0 MiB; a scenario is at most 2 MiB of YAML: is this the right "
              "file?")


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    text = BASE.encode()
    padding = MAX_BYTES - len(text)
    assert MAX_BYTES == 2 * 2**20
    data = text + b"#" * (padding - 1) + b"\n"
    assert len(data) == MAX_BYTES
    scenario, problems = validate_file(write(tmp_path, data))
    assert isinstance(scenario, Scenario) and problems == []
    scenario, problems = validate_file(write(tmp_path, data + b"\n"))
    assert scenario is None and problems[0].message.startswith("the file is 2.0 MiB")


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    scenario, problems = validate_file(write(tmp_path, b"\xef\xbb\xbf" + BASE.encode()))
    assert problems == [] and scenario.name == "Test talks"


def test_a_missing_file_and_a_folder(tmp_path):
    scenario, problems = validate_file(tmp_path / "nope.yaml")
    assert scenario is None
    assert [(p.file, p.line, p.message) for p in problems] == [
        (str(tmp_path / "nope.yaml"), None, "no such file; check the path")]
    scenario, problems = validate_file(tmp_path)
    assert [p.message for p in problems] == ["this is a folder, not a scenario file"]


def test_load_scenario_raises_with_every_error(tmp_path):
    path = write(tmp_path, """
        armsim: 1
        name: t
        actors:
          a: {patience: 2, reservation: 1}
        """)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    # `  a: {patience: ` is 16 characters; `2, reservation: ` 16 more
    assert [(p.line, p.column) for p in info.value.errors] == [(4, 17), (4, 33)]
    assert str(info.value) == (
        "2 errors in scenario:\n"
        f"{path}:4:17: actors.a.patience: 2 is outside (0, 1]\n"
        f"{path}:4:33: actors.a.reservation: 1 is outside [0, 1)")


FIFO = ("this is a named pipe (FIFO), not a scenario file: armsim reads a scenario from a "
        "regular file, whole, so save it to one first")
DEVICE = ("this is a character device (such as /dev/zero or a terminal), not a scenario file: "
          "give the path of a YAML file")


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it to read would block until something writes to it
    done = armsim_cli("validate", fifo, timeout=30)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [f"{fifo}: {FIFO}", "1 of 1 file invalid"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_before_it_is_read(device):
    # /dev/zero and /dev/urandom never end: reading them whole exhausts memory
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    done = armsim_cli("validate", device, timeout=30)
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == f"{device}: {DEVICE}"


def test_a_huge_sparse_file_is_refused_from_its_size_without_reading_it(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as handle:
        handle.truncate(64 * 2**30)  # 64 GiB of zeros that take no room on disk
    assert only(path) == (1, 1, "the file is 65536.0 MiB; a scenario is at most 2 MiB of "
                                "YAML: is this the right file?")


def test_a_path_through_a_file_is_no_such_file(base_file):
    assert only(base_file / "inside.yaml") == (None, None, "no such file; check the path")


def test_a_path_with_a_nul_character_is_refused_not_raised(tmp_path):
    assert only(f"{tmp_path}/a\0b.yaml") == (
        None, None, "this path cannot name a file: it holds a NUL character")


# --- tags: refused, and provably never executed ---------------------------------------

def payloads(marker: Path) -> dict[str, str]:
    """YAML that, read by an unsafe loader, would create ``marker``."""
    return {
        "os.system": f'!!python/object/apply:os.system ["touch {marker}"]',
        "exec": f'!!python/object/apply:builtins.exec ["open(r\'{marker}\', \'w\').close()"]',
        "subprocess": (f'!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]'),
        "eval": (f'!!python/object/apply:builtins.eval '
                 f'["__import__(\'os\').system(\'touch {marker}\')"]'),
    }


@pytest.mark.parametrize("kind", ["os.system", "exec", "subprocess", "eval"])
def test_the_payloads_are_real(tmp_path, kind):
    """Control: PyYAML's unsafe loader does run each payload (in a child process)."""
    marker = tmp_path / "ran"
    text = "name: " + payloads(marker)[kind] + "\n"
    code = "import sys, yaml; yaml.unsafe_load(sys.stdin.read())"
    subprocess.run([sys.executable, "-c", code], input=text, text=True, check=False,
                   capture_output=True, timeout=60)
    assert marker.exists()


@pytest.mark.parametrize("kind", ["os.system", "exec", "subprocess", "eval"])
def test_python_tags_are_refused_and_not_executed(tmp_path, kind):
    marker = tmp_path / "ran"
    tag = payloads(marker)[kind].split(" ")[0]
    path = tmp_path / "evil.yaml"
    path.write_text(f"armsim: 1\nname: {payloads(marker)[kind]}\nactors: {{a: {{}}}}\n")
    scenario, problems = validate_file(path)
    assert scenario is None
    # one problem, at the tag: line 2, after `name: ` (6 characters)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, 7, f"the tag '{tag}' is not allowed: scenario files hold plain data only (names, "
               "numbers, lists, mappings); remove the tag")]
    assert not marker.exists()


def test_tags_anywhere_are_refused_and_all_reported(tmp_path):
    marker = tmp_path / "ran"
    scenario, problems = validate_text(dedent(f"""
        armsim: 1
        name: t
        actors:
          a: !!python/object/apply:os.system ["touch {marker}"]
          b:
            rivals: [!!python/name:os.system ]
          c: {{label: !!binary aGVsbG8=}}
          d: !custom x
        """))
    assert scenario is None
    # `  a: ` 5; `    rivals: [` 13; `  c: {label: ` 13; `  d: ` 5
    assert [(p.line, p.column, p.message.split(" is not")[0]) for p in problems] == [
        (4, 6, "the tag '!!python/object/apply:os.system'"),
        (6, 14, "the tag '!!python/name:os.system'"),
        (7, 14, "the tag '!!binary'"),
        (8, 6, "the tag '!custom'"),
    ]
    assert not marker.exists()


def test_a_python_tag_in_an_override_is_not_executed(base_file, tmp_path):
    marker = tmp_path / "ran"
    scenario, problems = validate_file(
        base_file, [f'name=!!python/object/apply:os.system ["touch {marker}"]'])
    assert scenario is None
    assert len(problems) == 1 and problems[0].message.startswith("the value of 'name', ")
    assert "the tag '!!python/object/apply:os.system' is not allowed" in problems[0].message
    assert not marker.exists()


# --- all errors at once ----------------------------------------------------------------

def test_every_error_of_a_file_is_reported_at_once():
    text = dedent("""
        armsim: 1
        name: t
        runs: many
        issues:
          d: {label: D, range: [0, 10]}
        actors:
          usa: {patiense: 0.9, reservation: 1}
          russia:
            preferences:
              d: {ideal: 11}
          usa: {}
        sessions:
          - {venue: G, participants: [usa, rusia], agenda: [d], rounds: 2}
        """)
    scenario, problems = validate_text(text, "s.yaml")
    assert scenario is None
    # line 7 `  usa: {` 8, `patiense: 0.9, reservation: ` + 28; line 10 `      d: {ideal: `
    # 17; line 13 `  - {venue: G, participants: [usa, ` 35
    assert [(p.line, p.column, p.message) for p in problems] == [
        (3, 7, "expected a whole number, got 'many'"),
        (7, 9, "unknown key 'patiense'; did you mean 'patience'?"),
        (7, 37, "1 is outside [0, 1)"),
        (10, 18, "ideal 11 is outside the issue's range [0, 10]"),
        (11, 3, "duplicate key 'usa' (first at line 7); YAML would silently keep only the last "
                "one: remove one of them"),
        (13, 36, "unknown actor 'rusia'; did you mean 'russia'?"),
    ]
    assert all(p.severity == "error" for p in problems)
