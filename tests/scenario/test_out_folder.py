"""``armsim run --out`` where results cannot go, and ``armsim explain --run`` beyond any
run index: a one-line message and exit 2 before anything is simulated, never a bug report."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import armsim_cli

from armsim.explain import story

LAST_RUN = int(np.iinfo(np.int64).max)  # run indices are 64-bit signed integers


@pytest.mark.parametrize("below", ["", "sub/folder"])
def test_out_naming_a_file_exits_2_before_running(base_file, below):
    out = base_file / below if below else base_file
    done = armsim_cli("run", base_file, "--out", out, "--runs", 2, "--no-plots")
    assert done.returncode == 2
    assert done.stderr == (f"--out {out}: cannot write the results there ({base_file} is a "
                           "file, not a folder); choose another folder\n")
    assert done.stdout == ""  # nothing was run


def test_out_in_a_folder_that_may_not_be_written_exits_2(base_file, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        import os
        if os.access(locked, os.W_OK):
            pytest.skip("this user may write anywhere (root)")
        done = armsim_cli("run", base_file, "--out", locked / "out", "--runs", 2)
        assert done.returncode == 2 and f"{locked} is not writable" in done.stderr
    finally:
        locked.chmod(0o700)


def test_out_creates_missing_folders(base_file, tmp_path):
    out = tmp_path / "a" / "b"
    done = armsim_cli("run", base_file, "--out", out, "--runs", 2, "--no-plots")
    assert done.returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["runs.csv", "summary.json"]


def test_explain_refuses_a_run_index_beyond_64_bits(base_file):
    done = armsim_cli("explain", base_file, "--run", LAST_RUN + 1)
    assert done.returncode == 2
    assert f"less than or equal to {LAST_RUN}" in done.stderr
    with pytest.raises(ValueError, match=f"from 0 to {LAST_RUN}"):
        story(base_file, run=LAST_RUN + 1)


def test_explain_tells_the_last_run_index(base_file):
    assert story(base_file, run=LAST_RUN).outputs["agreement"] in (True, False)
