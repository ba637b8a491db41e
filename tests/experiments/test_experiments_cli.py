"""``armsim sweep`` and ``armsim sensitivity`` as a person runs them: real processes.

A mistake exits 2 with one message that names what is wrong (never a traceback)
and computes nothing; a sweep writes its dataset, a summary row per point and,
for a grid, the figures.
"""

from __future__ import annotations

import pandas as pd
import pytest
import xarray as xr
from experiments_helpers import SCENARIO
from helpers import armsim_cli

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("command, expected", [
    (["sweep", "--param", "actors.russsia.patience=0.5,0.9"],
     ["actors.russsia.patience", "did you mean 'russia'?"]),
    (["sweep", "--param", "actors.russia.patience=1.5,0.9"],
     ["--param actors.russia.patience=1.5 is not a valid scenario",
      "actors.russia.patience: 1.5 is outside (0, 1]"]),
    (["sweep", "--param", "actors.russia.strategy.type=boulware,bulldozer"],
     ["--param actors.russia.strategy.type=bulldozer is not a valid scenario",
      "unknown strategy 'bulldozer'"]),
    (["sweep", "--param", "actors.russia.patience=0.5..0.9", "--design", "sobol", "--n", "100"],
     ["a Sobol' design needs n a power of 2 (e.g. 256), got 100"]),
    (["sweep", "--param", "actors.russia.patience=0.9..0.5"],
     ["--param actors.russia.patience: a range low..high needs low < high, got 0.9..0.5"]),
    (["sweep", "--param", "environment.noise=0,1", "--param", "environment.noise=2"],
     ["--param environment.noise: given twice"]),
    (["sweep", "--param", "seed=1,2"], ["--param seed: the seed is the sweep's own", "--seed"]),
    (["sensitivity", "--param", "actors.russia.patience=0.5..0.9", "--n", "100"],
     ["a Sobol' design needs n a power of 2 (e.g. 256), got 100"]),
])
def test_mistakes_exit_2_with_a_message_and_compute_nothing(tmp_path, command, expected):
    out = tmp_path / "out"
    done = armsim_cli(command[0], SCENARIO, *command[1:], "--runs", 4, "--workers", 1,
                      "--out", out, "--quiet")
    assert done.returncode == 2
    assert done.stdout == ""
    for text in expected:
        assert text in done.stderr
    assert not out.exists()


def test_an_unknown_output_for_sensitivity_suggests_the_right_one(tmp_path):
    done = armsim_cli("sensitivity", SCENARIO, "--param", "environment.crisis.hazard=0..0.05",
                      "--output", "crisiss", "--n", 2, "--runs", 2, "--workers", 1,
                      "--out", tmp_path / "out", "--quiet")
    assert done.returncode == 2
    assert "no output named 'crisiss'; did you mean 'crisis'?" in done.stderr


def test_a_grid_sweep_writes_dataset_summary_and_figures(tmp_path):
    out = tmp_path / "grid"
    done = armsim_cli("sweep", SCENARIO, "--param", "actors.russia.reservation=0.3,0.6",
                      "--param", "environment.crisis.hazard=0.01..0.05:3", "--runs", 12,
                      "--seed", 1, "--workers", 1, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == (f"wrote sweep.nc, summary.csv, agreement.png, "
                                            f"crisis.png to {out}/")
    assert "grid design, 6 points x 12 runs, seed 1" in done.stdout
    for name in ("agreement.png", "crisis.png"):
        assert (out / name).read_bytes()[:8] == PNG
    table = pd.read_csv(out / "summary.csv")
    assert len(table) == 6
    assert table["actors.russia.reservation"].tolist() == [0.3, 0.3, 0.3, 0.6, 0.6, 0.6]
    assert table["environment.crisis.hazard"].tolist() == pytest.approx([0.01, 0.03, 0.05] * 2)
    with xr.open_dataset(out / "sweep.nc") as data:
        crises = data["crisis"].values.sum(axis=1)
        tension = data["mean_tension"].values
    assert table["crisis"].tolist() == pytest.approx((crises / 12).tolist(), rel=1e-12)
    assert table["crisis_n"].tolist() == [12] * 6
    assert table["mean_tension"].tolist() == pytest.approx(tension.mean(axis=1).tolist(),
                                                           rel=1e-12)
    # a higher hazard cannot lower the crisis count at the same runs' random numbers
    assert (crises.reshape(2, 3)[:, 1:] >= crises.reshape(2, 3)[:, :-1]).all()


def test_a_one_factor_grid_of_strategies_draws_lines(tmp_path):
    out = tmp_path / "line"
    done = armsim_cli("sweep", SCENARIO, "--param",
                      "actors.russia.strategy.type=boulware,tit_for_tat", "--runs", 3,
                      "--workers", 1, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    for name in ("agreement.png", "crisis.png"):
        assert (out / name).read_bytes()[:8] == PNG
    table = pd.read_csv(out / "summary.csv")
    assert table["actors.russia.strategy.type"].tolist() == ["boulware", "tit_for_tat"]


def test_sensitivity_writes_indices_figure_and_its_sweep(tmp_path):
    out = tmp_path / "sobol"
    done = armsim_cli("sensitivity", SCENARIO, "--param", "environment.crisis.hazard=0..0.2",
                      "--output", "crisis", "--n", 4, "--runs", 10, "--seed", 1,
                      "--workers", 1, "--out", out, "--quiet")
    assert done.returncode == 0, done.stderr
    assert "Sobol' indices of crisis (12 points" in done.stdout
    table = pd.read_csv(out / "sobol_crisis.csv", index_col="parameter")
    assert list(table.index) == ["environment.crisis.hazard"]
    for name in ("S1", "ST"):
        assert table[f"{name}_low"].iloc[0] == pytest.approx(
            table[name].iloc[0] - table[f"{name}_conf"].iloc[0], rel=1e-12)
    assert (out / "sobol_crisis.png").read_bytes()[:8] == PNG
    with xr.open_dataset(out / "sweep" / "sweep.nc") as data:
        assert data.sizes["point"] == 4 * (1 + 2) and data.attrs["design"] == "sobol"


@pytest.mark.parametrize("command, slow_step", [
    (["sweep"], "_sweep_figures"),
    (["sensitivity", "--output", "mean_tension", "--n", 2], "_write_table"),
])
def test_ctrl_c_while_the_results_are_written_says_the_sweep_is_complete(
        tmp_path, monkeypatch, command, slow_step):
    """A Ctrl-C after the last chunk, while the summary or the figures are written: the
    stored sweep is whole, and --resume writes what is missing without new runs."""
    from typer.testing import CliRunner

    import armsim.cli.experiments as cli
    from armsim.cli import app

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, slow_step, interrupted)
    out = tmp_path / "out"
    args = [command[0], str(SCENARIO), *map(str, command[1:]), "--param",
            "environment.verification=0.3..0.9:2", "--runs", "3", "--workers", "1",
            "--out", str(out), "--quiet"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 130, done.output
    assert "interrupted while writing" in done.output and "--resume" in done.output
    store = out if command[0] == "sweep" else out / "sweep"
    assert (store / "sweep.nc").exists()
