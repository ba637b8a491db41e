"""Rows per second of the runs table's write path (runs.csv, runs.parquet) on the runs
of the no-linkage variant, where every run agrees (so few fields are empty), against
the old path (the whole table through pandas' ``to_csv(float_format="%.17g")``).

Each benchmark records rows per second in ``extra_info``. The outputs are simulated once
per session (200,000 runs, tiled to 10^6 rows for the 10^6 case: the formatter's cost
depends on the values' digits, not on which run they came from).

Measured 2026-12-03 on the 2-core machine (loaded by another session): 200,000 rows in
3.1 s as runs.csv (64,000 rows/s), 6.6 s through pandas (30,000 rows/s), 0.18 s as
runs.parquet (1.1 million rows/s).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from armsim.batch import run_batch
from armsim.runs_file import slices, write_runs
from conftest import SCENARIOS


@pytest.fixture(scope="session")
def table():
    from armsim.scenario import load_scenario

    scenario = load_scenario(SCENARIOS / "geneva_2022_no_linkage.yaml")
    outputs = run_batch(scenario, 200_000, workers=2)
    return {"run": np.arange(200_000), **outputs}


def _million(table):
    return {k: np.tile(v, 5) for k, v in table.items()}


def _rows_per_second(benchmark, rows: int) -> None:
    benchmark.extra_info["rows_per_second"] = round(rows / benchmark.stats.stats.mean)


@pytest.mark.parametrize("format", ["csv", "parquet"])
def test_write_200k_rows(benchmark, table, tmp_path, format):
    benchmark.pedantic(write_runs, args=(tmp_path, slices(table), format), rounds=1,
                       iterations=1)
    _rows_per_second(benchmark, 200_000)


def test_write_200k_rows_pandas_all_at_once(benchmark, table, tmp_path):
    """The path of before: the DataFrame and its whole text in memory."""
    frame = pd.DataFrame(table)
    benchmark.pedantic(frame.to_csv, args=(tmp_path / "runs.csv",),
                       kwargs={"index": False, "float_format": "%.17g"}, rounds=1,
                       iterations=1)
    _rows_per_second(benchmark, 200_000)


@pytest.mark.parametrize("format", ["csv", "parquet"])
def test_write_a_million_rows(benchmark, table, tmp_path, format):
    big = _million(table)
    benchmark.pedantic(lambda: write_runs(tmp_path, slices(big), format), rounds=1,
                       iterations=1)
    _rows_per_second(benchmark, 1_000_000)
