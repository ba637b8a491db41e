"""Ctrl-C during ``armsim run``: exit 130 with a line that says what was written, never a
traceback, never a half-written file, never a summary that disagrees with runs.csv."""

from __future__ import annotations

import json
import sys

import pytest

import armsim.api
import armsim.cli
import armsim.results


def run_cli(monkeypatch, capsys, *args) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["armsim", "run", *map(str, args)])
    with pytest.raises(SystemExit) as info:
        armsim.cli.main()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return info.value.code, err


def test_ctrl_c_before_any_run_finished_says_nothing_was_written(base_file, tmp_path,
                                                                monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
        yield  # a generator, as the engines' batches are

    monkeypatch.setattr(armsim.api, "_engine_batches", interrupted)
    out = tmp_path / "out"
    code, err = run_cli(monkeypatch, capsys, base_file, "--out", out, "--quiet")
    assert code == 130
    assert err == "interrupted before any run finished: nothing was written\n"
    assert not out.exists()


def test_ctrl_c_while_writing_leaves_no_summary_of_other_runs(base_file, tmp_path,
                                                             monkeypatch, capsys):
    out = tmp_path / "out"
    # an earlier batch of 10 runs in the same folder
    code, _ = run_cli(monkeypatch, capsys, base_file, "--out", out, "--runs", 10,
                      "--no-plots", "--quiet")
    assert code is None or code == 0
    assert json.loads((out / "summary.json").read_text())["runs"] == 10

    real = armsim.results.atomic_write

    def stop_at_summary(path, data):
        if path.name == "summary.json":
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(armsim.results, "atomic_write", stop_at_summary)
    code, err = run_cli(monkeypatch, capsys, base_file, "--out", out, "--runs", 4,
                        "--no-plots", "--quiet")
    assert code == 130
    assert err.startswith(f"interrupted while writing to {out}/: only runs.csv written (")
    # runs.csv is the new batch's, whole; the old summary, which described 10 runs, is gone
    assert len((out / "runs.csv").read_text().splitlines()) == 1 + 4
    assert not (out / "summary.json").exists()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_write_yields_each_file_once_complete_summary_last(base_file, tmp_path):
    results = armsim.api.run(base_file, runs=3, trajectories=True)
    names = []
    for path in results.write_each(tmp_path):
        assert path.is_file()
        names.append(path.name)
    assert names == ["runs.csv", "trajectories.nc", "summary.json"]
    assert [p.name for p in results.write(tmp_path / "again")] == names


@pytest.mark.parametrize("command", ["validate", "show", "run"])
def test_ctrl_c_anywhere_else_in_a_command_says_interrupted(base_file, monkeypatch, capsys,
                                                            command):
    import armsim.scenario

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(armsim.scenario, "validate_file", interrupted)
    monkeypatch.setattr(sys, "argv", ["armsim", command, str(base_file)])
    with pytest.raises(SystemExit) as info:
        armsim.cli.main()
    assert info.value.code == 130
    assert capsys.readouterr().err == "interrupted\n"
