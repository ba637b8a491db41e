"""Fingerprints of every bundled scenario's results, to prove a refactoring keeps them.

``python tests/golden/golden.py --write`` records, from the code checked out, the
SHA-256 of ``runs.csv`` (as ``armsim run`` writes it) for every bundled scenario, both
engines and three seeds, and of ``armsim explain``'s story of runs 0 and 1;
``tests/test_golden.py`` recomputes them and compares. A change meant to alter results
regenerates this file in the same commit and says so, with the numbers before and after.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORD = Path(__file__).with_name("fingerprints.json")
SEEDS = (0, 7, 2022)
RUNS = {"numpy": 300, "mesa": 12}
STORIES = (0, 1)


def scenario_files() -> list[Path]:
    """Every bundled scenario, as paths relative to the repository."""
    return sorted(p.relative_to(ROOT) for p in (ROOT / "scenarios").rglob("*.yaml"))


def runs_csv_hash(path: Path, engine: str, seed: int) -> str:
    import armsim

    results = armsim.run(ROOT / path, runs=RUNS[engine], seed=seed, engine=engine,
                         workers=1)
    with tempfile.TemporaryDirectory() as folder:
        written = {p.name: p for p in results.write_each(folder)}
        return hashlib.sha256(written["runs.csv"].read_bytes()).hexdigest()


def story_hash(path: Path, run: int) -> str:
    from armsim.explain import story

    return hashlib.sha256(story(ROOT / path, run=run).text().encode()).hexdigest()


def compute(files: list[Path] | None = None) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for path in files or scenario_files():
        entry = {f"{engine}/seed={seed}": runs_csv_hash(path, engine, seed)
                 for engine in RUNS for seed in SEEDS}
        entry.update({f"story/run={run}": story_hash(path, run) for run in STORIES})
        out[path.as_posix()] = entry
    return out


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/golden/golden.py --write")
    RECORD.write_text(json.dumps(compute(), indent=1, sort_keys=True) + "\n")
    print(f"wrote {RECORD}")
