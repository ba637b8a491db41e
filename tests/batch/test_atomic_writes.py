"""Every file armsim writes is whole or absent, and has mode 0644 (owner reads and
writes, everyone reads), whatever the umask or the library that wrote it."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from armsim.files import atomic_write, atomic_write_with

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "geneva_2022_no_linkage.yaml"
MODE = 0o644                                   # rw-r--r--


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def armsim_cli_umask(*args: object) -> subprocess.CompletedProcess[str]:
    """``armsim ARGS`` under umask 077 (files would be owner-only by default)."""
    done = subprocess.run([sys.executable, "-m", "armsim.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)},
                          preexec_fn=lambda: os.umask(0o077))
    assert "Traceback" not in done.stderr, done.stderr
    return done


def files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_atomic_write_gives_0644_and_the_content(tmp_path):
    old = os.umask(0o077)
    try:
        text = atomic_write(tmp_path / "a.txt", "é\n")
        raw = atomic_write(tmp_path / "b.bin", b"\x00\x01")
    finally:
        os.umask(old)
    assert text.read_bytes() == "é\n".encode() and raw.read_bytes() == b"\x00\x01"
    assert mode(text) == mode(raw) == MODE


def test_a_failing_writer_leaves_the_old_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "data.nc"
    target.write_text("old")

    def half_then_full(tmp: Path) -> None:
        tmp.write_text("half of it")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        atomic_write_with(target, half_then_full)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["data.nc"]


def test_every_file_of_a_run_with_trajectories_is_0644(tmp_path):
    out = tmp_path / "run"
    done = armsim_cli_umask("run", SCENARIO, "--runs", 20, "--trajectories", "--out", out)
    assert done.returncode == 0, done.stderr
    written = files(out)
    assert {p.name for p in written} == {"runs.csv", "trajectories.nc", "summary.json",
                                         "outcomes.png", "tension.png", "forces.png",
                                         "dance.png"}          # and no lock file left
    assert {p.name: mode(p) for p in written} == {p.name: MODE for p in written}


def test_every_file_of_a_sweep_is_0644(tmp_path):
    out = tmp_path / "sweep"
    done = armsim_cli_umask("sweep", SCENARIO, "-p", "environment.verification=0.3,0.9",
                            "--runs", 10, "--chunk", 8, "--workers", 1, "--out", out)
    assert done.returncode == 0, done.stderr
    written = [p for p in files(out) if p.name != ".lock"]   # the lock is not a result
    names = {p.relative_to(out).as_posix() for p in written}
    assert {"sweep.json", "sweep.nc", "summary.csv", "agreement.png", "crisis.png",
            "chunks/000000.nc", "chunks/000001.nc", "chunks/000002.nc"} == names
    assert {p.name: mode(p) for p in written} == {p.name: MODE for p in written}
