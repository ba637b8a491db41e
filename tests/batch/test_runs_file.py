"""runs.csv written part by part is the text pandas wrote all at once, byte for byte;
runs.parquet holds the same values; the writer holds one part at a time."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import armsim
from armsim.runs_file import FORMATS, RunsWriter, csv_text, read_runs, slices, write_runs

SCENARIOS = ["scenarios/geneva_2022.yaml", "scenarios/geneva_2022_no_linkage.yaml",
             "scenarios/inf_1987.yaml"]


def pandas_csv(columns) -> str:
    """The old path: the whole table through pandas at ``%.17g``."""
    return pd.DataFrame(columns).to_csv(index=False, float_format="%.17g")


@pytest.fixture(scope="module", params=SCENARIOS)
def table(request):
    results = armsim.run(request.param, runs=300, seed=7)
    return {"run": results.runs, **results.outputs}


def test_the_table_holds_nan_and_every_column_type(table):
    kinds = {v.dtype.kind for v in table.values()}
    assert kinds == {"b", "i", "f"}


@pytest.mark.parametrize("rows", [1, 7, 128, 300, 10_000])
def test_streamed_csv_is_the_old_text_byte_for_byte(table, tmp_path, rows):
    path = write_runs(tmp_path, slices(table, rows))
    assert path.read_bytes() == pandas_csv(table).encode()


def test_awkward_floats_are_written_as_pandas_writes_them():
    values = np.array([0.1, -0.0, 0.0, math.nan, -math.nan, math.inf, -math.inf, 1e-300,
                       5e-324, 1.7976931348623157e308, 123456789012345678.0, 1 / 3])
    columns = {"run": np.arange(values.size), "x": values, "nan_first": values[::-1],
               "ok": values > 0, "round": np.arange(values.size) - 1}
    assert csv_text(columns) == pandas_csv(columns)
    back = pd.read_csv(pd.io.common.StringIO(csv_text(columns)))
    np.testing.assert_array_equal(back["x"].to_numpy(), values)  # NaN in place, exact


def test_parquet_holds_the_csvs_values_and_types(table, tmp_path):
    csv = read_runs(write_runs(tmp_path, slices(table, 128)))
    parquet = read_runs(write_runs(tmp_path, slices(table, 128), "parquet"))
    assert list(parquet.columns) == list(table)
    assert [parquet[c].dtype for c in parquet] == [table[c].dtype for c in table]
    # (read_csv makes a float column of whole numbers int64: the CSV has no types)
    pd.testing.assert_frame_equal(parquet, csv, check_exact=True, check_dtype=False)


def test_parquet_keeps_nan_and_the_awkward_floats(tmp_path):
    values = np.array([0.1, -0.0, math.nan, math.inf, -math.inf, 5e-324, 1 / 3])
    columns = {"run": np.arange(values.size), "x": values, "ok": values > 0}
    back = read_runs(write_runs(tmp_path, slices(columns, 3), "parquet"))
    np.testing.assert_array_equal(back["x"].to_numpy(), values)
    assert np.signbit(back["x"].to_numpy()[1])
    csv = read_runs(write_runs(tmp_path, slices(columns, 3)))
    pd.testing.assert_frame_equal(back, csv, check_exact=True)


def test_a_folder_reads_back_in_either_format(tmp_path):
    results = armsim.run("scenarios/geneva_2022.yaml", runs=50)
    written = [p.name for p in results.write_each(tmp_path, "parquet")]
    assert written == ["runs.parquet", "summary.json"]
    frame = armsim.Results.read_runs(tmp_path)
    np.testing.assert_array_equal(frame["final_tension"], results.outputs["final_tension"])
    results.write(tmp_path)              # csv again: the parquet of before goes
    assert not (tmp_path / "runs.parquet").exists()
    pd.testing.assert_frame_equal(armsim.read_runs(tmp_path), results.to_dataframe())


class CountingParts:
    """Parts made on demand, recording how many were made before each was written."""

    def __init__(self, table, rows):
        self.table, self.rows, self.made = table, rows, 0

    def __iter__(self):
        for part in slices(self.table, self.rows):
            self.made += 1
            yield part


def test_the_writer_holds_one_part_at_a_time(table, tmp_path, monkeypatch):
    """Each part is formatted and written before the next is asked for, and the writer
    keeps no reference to any part's arrays or text."""
    parts = CountingParts(table, 64)
    written = []
    original = RunsWriter.write

    def write(self, part):
        written.append(parts.made)
        original(self, part)
        held = [k for k, v in vars(self).items() if isinstance(v, (np.ndarray, dict))
                or isinstance(v, str) and v not in FORMATS]
        assert not held

    monkeypatch.setattr(RunsWriter, "write", write)
    write_runs(tmp_path, parts)
    assert written == list(range(1, parts.made + 1))


def test_an_interrupted_writer_leaves_nothing(table, tmp_path):
    def parts():
        yield from slices(table, 100)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_runs(tmp_path, parts())
    assert list(tmp_path.iterdir()) == []


def run_cli(monkeypatch, capsys, *args):
    import sys

    import armsim.cli

    monkeypatch.setattr(sys, "argv", ["armsim", "run", *map(str, args)])
    with pytest.raises(SystemExit) as info:
        armsim.cli.main()
    return info.value.code, capsys.readouterr()


def test_armsim_run_format_parquet_writes_runs_parquet(tmp_path, monkeypatch, capsys):
    code, said = run_cli(monkeypatch, capsys, "scenarios/geneva_2022.yaml", "--runs", 40,
                         "--no-plots", "--quiet", "--format", "parquet", "--out", tmp_path)
    assert code in (0, None)
    assert "wrote runs.parquet, summary.json" in said.out
    assert len(pd.read_parquet(tmp_path / "runs.parquet")) == 40
    assert not (tmp_path / "runs.csv").exists()


def test_format_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else real(name, *a))
    code, said = run_cli(monkeypatch, capsys, "scenarios/geneva_2022.yaml", "--runs", 40,
                         "--format", "parquet", "--out", tmp_path / "out")
    assert code == 2
    assert said.err == ("--format parquet needs pyarrow (not installed); install the extra "
                        "that has it: pip install 'armsim[parquet]'\n")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("chunk", [64, 1000])
def test_armsim_run_streams_the_bytes_of_writing_all_at_once(tmp_path, monkeypatch, capsys,
                                                           chunk):
    import armsim.api

    real = armsim.api.run
    monkeypatch.setattr(armsim.api, "run", lambda *a, **k: real(*a, chunk=chunk, **k))
    path = "scenarios/geneva_2022_uncertain_red_lines.yaml"
    code, _ = run_cli(monkeypatch, capsys, path, "--runs", 1500, "--seed", 3, "--no-plots",
                      "--quiet", "--out", tmp_path / "cli")
    assert code in (0, None)
    old = pandas_csv({"run": np.arange(1500),
                      **armsim.run(path, runs=1500, seed=3, workers=1).outputs})
    assert (tmp_path / "cli" / "runs.csv").read_bytes() == old.encode()


def test_ctrl_c_mid_batch_keeps_the_runs_finished_in_runs_csv(tmp_path, monkeypatch, capsys):
    """Two chunks finish (the 200 runs the figures trace, then 50), then Ctrl-C: runs.csv
    holds exactly those runs, and the summary says interrupted."""
    import json

    import armsim.api

    real = armsim.api._engine_batches

    def two_then_ctrl_c(*args, **kwargs):
        batches = real(*args, **{**kwargs, "chunk": 50, "workers": 1})
        yield next(batches)
        yield next(batches)
        raise KeyboardInterrupt

    monkeypatch.setattr(armsim.api, "_engine_batches", two_then_ctrl_c)
    code, said = run_cli(monkeypatch, capsys, "scenarios/geneva_2022.yaml", "--runs", 500,
                         "--no-plots", "--quiet", "--out", tmp_path)
    assert code == 130
    assert "interrupted: the runs finished so far were written" in said.err
    table = pd.read_csv(tmp_path / "runs.csv")
    np.testing.assert_array_equal(table["run"], np.arange(250))
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["interrupted"] is True and summary["runs"] == 250
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_chunks_formatted_where_they_ran_write_the_same_bytes(tmp_path):
    """armsim run has each chunk's rows formatted as CSV text in the process that ran it
    (part_text): the file is byte for byte the one formatted in the main process, over
    several processes and chunks, the traced first chunk among them."""
    import armsim
    from armsim.runs_file import RunsWriter

    scenario = Path(__file__).resolve().parents[2] / "scenarios" / "geneva_2022_no_linkage.yaml"
    files = []
    for text in (True, False):
        writer = RunsWriter(tmp_path / str(text))
        armsim.run(scenario, runs=5000, seed=3, workers=2, chunk=1200, on_part=writer.write,
                   part_text=text)
        files.append(writer.close().read_bytes())
    assert files[0] == files[1] and files[0].count(b"\n") == 5001
