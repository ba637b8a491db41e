"""``armsim run`` under faults: absurd run counts, heavy trajectories, two writers into
one folder, an empty or unwritable ``--out``, a disk without room. Each is refused
before any run, with exit 2 and a message that says the bound or the estimate."""

from __future__ import annotations

import fcntl
from pathlib import Path

import numpy as np
import pytest
import yaml
from helpers import ROOT, SCENARIOS, armsim_cli, tmpfs

import armsim
from armsim.batch import BatchTooLarge, check_size, claim_out_folder, release_out_folder
from armsim.files import FolderError

SCENARIO = SCENARIOS / "geneva_2022.yaml"
README = (ROOT / "README.md").read_text()


def shape() -> dict[str, int]:
    """Rounds, actors, forces and issues of the article scenario, read from its YAML."""
    data = yaml.safe_load(SCENARIO.read_text())
    rounds = sum(s["rounds"] for s in data["sessions"]) + data["aftermath"]
    return {"T": rounds, "A": len(data["actors"]), "K": len(data["forces"]),
            "I": len(data["issues"])}


def test_a_billion_runs_is_refused_with_the_documented_bound(tmp_path):
    out = tmp_path / "huge"
    done = armsim_cli("run", SCENARIO, "--runs", 1_000_000_000, "--out", out)
    assert done.returncode == 2
    assert "at most 100,000,000 runs in one batch" in done.stderr
    assert "more than 100,000,000 runs in one batch" in README   # the bound it states
    assert "armsim sweep" in done.stderr and done.stdout == ""
    assert not out.exists()


def test_runs_whose_outputs_exceed_the_memory_are_refused(tmp_path):
    # 8 bytes per output and run, twice over: with 1 MB available, 2,000 runs of the
    # article scenario's outputs (the columns of runs.csv but `run`) do not fit
    outputs = len(armsim.run(SCENARIO, runs=2).to_dataframe().columns) - 1
    scenario = armsim.load_scenario(SCENARIO)
    need = 2 * 8 * outputs * 2000
    assert need > 10**6
    with pytest.raises(BatchTooLarge, match=f"about {need / 1e6:.3g} MB of memory"):
        check_size(scenario, 2000, memory=10**6)
    assert check_size(scenario, 2000, memory=2 * need) == []


def trajectory_mb(runs: int) -> float:
    """rounds x runs x values per round x 8 bytes (as the README says): per round,
    tension, the proposer, forces A x K, trust A x A, offers and agreements I each,
    actions A."""
    s = shape()
    per_round = 2 + s["A"] * s["K"] + s["A"] ** 2 + 2 * s["I"] + s["A"]
    return 8 * s["T"] * per_round * runs / 1e6


def test_trajectories_beyond_the_bound_are_refused_with_the_estimate(tmp_path):
    done = armsim_cli("run", SCENARIO, "--runs", 200_000, "--trajectories",
                      "--out", tmp_path / "traj")
    assert done.returncode == 2
    estimate = trajectory_mb(200_000) / 1000                 # 5.49 GB
    assert f"needs about {estimate:.3g} GB" in done.stderr, done.stderr
    assert "more than the 4 GB armsim allows" in done.stderr or "allows here" in done.stderr
    assert done.stdout == ""


def test_heavy_trajectories_are_warned_about():
    notes = check_size(armsim.load_scenario(SCENARIO), 20_000, trajectories=True)
    assert len(notes) == 1 and f"needs about {trajectory_mb(20_000):.3g} MB" in notes[0]
    assert check_size(armsim.load_scenario(SCENARIO), 2_000, trajectories=True) == []


def test_a_second_writer_into_one_folder_is_refused(tmp_path):
    out = tmp_path / "busy"
    out.mkdir()
    with open(out / ".lock", "a+") as lock:                  # another writer holds it
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        done = armsim_cli("run", SCENARIO, "--runs", 5, "--out", out, "--no-plots")
    assert done.returncode == 2
    assert f"another armsim command is writing to {out} right now" in done.stderr
    assert done.stdout == "" and not (out / "runs.csv").exists()


def test_a_run_leaves_no_lock_behind_and_a_sweep_is_refused_meanwhile(tmp_path):
    """The lock is the sweep store's: a sweep into a folder a run holds is refused."""
    scenario = armsim.load_scenario(SCENARIO)
    out = tmp_path / "shared"
    claim_out_folder(str(out), out, scenario, 5)
    try:
        from armsim.experiments import StoreError, sweep

        with pytest.raises(StoreError, match="another armsim command is writing"):
            sweep(SCENARIO, {"environment.verification": [0.5]}, runs=2, out=out)
    finally:
        release_out_folder()
    assert not out.exists()       # its lock file went, and so did the folder it had made


def test_an_empty_out_is_refused(tmp_path):
    done = armsim_cli("run", SCENARIO, "--runs", 5, "-o", "", cwd=tmp_path)
    assert done.returncode == 2
    assert "--out is empty" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="no /proc here")
def test_out_in_proc_is_refused_before_the_batch():
    done = armsim_cli("run", SCENARIO, "--runs", 5, "--out", "/proc")
    assert done.returncode == 2
    assert "--out /proc: cannot write the results there (/proc is not writable" in done.stderr
    assert done.stdout == ""                                 # nothing was run


def test_a_disk_without_room_is_refused_before_the_batch(tmp_path, monkeypatch):
    import armsim.files

    monkeypatch.setattr(armsim.files, "free_bytes", lambda folder: 1000)
    out = tmp_path / "small"
    with pytest.raises(FolderError, match="only 1 kB is free there: free some space"):
        claim_out_folder(None, out, armsim.load_scenario(SCENARIO), 5)
    assert not out.exists()                  # the folder it made for the test is gone


def test_out_on_a_read_only_mount_is_refused_before_the_batch(tmp_path):
    """os.access says a read-only mount is writable for root: armsim tries a file."""
    with tmpfs(tmp_path / "ro", "size=1M,ro") as disk:
        done = armsim_cli("run", SCENARIO, "--runs", 5, "--out", disk)
    assert done.returncode == 2 and done.stdout == ""
    assert f"{disk} is not writable: making a file there fails with Read-only" in done.stderr


def test_the_size_estimates_count_what_a_run_records(bundled_file):
    path = bundled_file
    """The bounds above rest on these counts: every output of a run, and every number
    of its trajectories, of every bundled scenario."""
    from armsim.batch import outputs_per_run, run_chunk, values_per_round
    from armsim.compile import build_spec

    scenario = armsim.load_scenario(path)
    spec = build_spec(scenario)
    out = run_chunk(scenario, np.arange(1), trajectories=True)
    traces = {k: v for k, v in out.items() if k.startswith("trace.")}
    assert outputs_per_run(spec) == len(out) - len(traces)
    assert values_per_round(spec) * spec.rounds == sum(v.size for v in traces.values())


def test_the_size_estimates_count_a_treatys_term_and_its_phased_ceilings():
    """A term adds the output ``expired``; a phased reduction adds the trajectory
    ``ceiling`` (issues x actors a round). Two actors, one force, one issue: outputs
    9 + expired + agreed + 3 x 2 per actor + 2 final forces = 19; per round tension,
    proposer, 2 forces, 4 trusts, offer, in force, 2 actions and 2 ceilings = 14."""
    from armsim.batch import outputs_per_run, run_chunk, values_per_round
    from armsim.compile import build_spec
    from helpers import scenario

    treaty = scenario("""
        armsim: 1
        name: a term and a phase
        aftermath: 5
        forces: {arms: {max: 100}}
        issues: {cap: {range: [0, 100], caps: arms, duration: 3, phases: [{after: 1, share: 1}]}}
        actors:
          a: {forces: {arms: {initial: 50}}, preferences: {cap: {ideal: 10}}}
          b: {forces: {arms: {initial: 50}}, preferences: {cap: {ideal: 10}}}
        sessions: [{venue: V, participants: [a, b], agenda: [cap], rounds: 1}]
        """)
    spec = build_spec(treaty)
    out = run_chunk(treaty, np.arange(1), trajectories=True)
    traces = {k: v for k, v in out.items() if k.startswith("trace.")}
    assert outputs_per_run(spec) == len(out) - len(traces) == 19
    assert values_per_round(spec) == 14
    assert sum(v.size for v in traces.values()) == 14 * 6
