"""``armsim app``: its options, its checks before serving, and solara's offline settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from app_helpers import INF
from armsim import cli
from armsim.app import serve


def test_app_is_a_command_with_host_and_port():
    done = subprocess.run([sys.executable, "-m", "armsim.cli", "app", "--help"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0
    for option in ("--host", "--port", "[file]"):
        assert option in done.stdout.lower()


def test_an_invalid_scenario_is_refused_before_anything_is_served(tmp_path, monkeypatch):
    served = []
    monkeypatch.setattr(serve, "serve", lambda *args, **kw: served.append(args))
    bad = tmp_path / "bad.yaml"
    bad.write_text("armsim: 1\nname: t\nactors:\n  a: {patience: 1.5}\n")
    result = CliRunner().invoke(cli.app, ["app", str(bad)])
    assert result.exit_code == 2 and not served


def test_defaults_serve_the_article_scenario_on_the_loopback(monkeypatch):
    served = []
    monkeypatch.setattr(serve, "serve", lambda *args, **kw: served.append((*args, kw)))
    result = CliRunner().invoke(cli.app, ["app"])
    assert result.exit_code == 0, result.output
    assert served == [(cli.DEFAULT_SCENARIO, "127.0.0.1", 8765, {"room": False})]
    result = CliRunner().invoke(cli.app, ["app", str(INF), "--host", "0.0.0.0", "--port", "0",
                                          "--room"])
    assert served[-1] == (INF, "0.0.0.0", 0, {"room": True})


def test_a_room_opened_from_the_command_line_prints_its_links():
    from armsim.app.rooms import ROOMS

    lines = serve.open_room(INF, "127.0.0.1", 8800)
    code = lines[0].split()[1]
    room = ROOMS.get(code)
    assert room is not None and room.shared and room.model.armsim_scenario.name.startswith(
        "INF treaty")
    assert lines[1].endswith(f"http://127.0.0.1:8800/?room={code}&teacher={room.teacher_key}")
    assert lines[2].endswith(f"http://127.0.0.1:8800/?room={code}&view=projector")
    assert lines[3] == f"  students: http://127.0.0.1:8800/?room={code}"
    ROOMS.close(code)


def test_a_missing_extra_is_named(monkeypatch):
    monkeypatch.setattr(serve, "missing_requirements", lambda: "armsim app needs solara")
    monkeypatch.setattr(serve, "serve", lambda *args, **kw: pytest.fail("served"))
    result = CliRunner().invoke(cli.app, ["app"])
    assert result.exit_code == 2 and "needs solara" in result.output


def test_the_server_is_set_up_offline(monkeypatch, tmp_path):
    monkeypatch.setattr(os, "environ", dict(os.environ))   # undone after the test
    serve.offline_environment(INF)
    # solara's asset proxy on (assets from the solara-assets bundle), its CDN a closed
    # loopback port, no telemetry
    assert os.environ["SOLARA_ASSETS_PROXY"] == "true"
    assert os.environ["SOLARA_ASSETS_CDN"].startswith("http://127.0.0.1:")
    assert os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert os.environ[serve.SCENARIO_ENV] == str(INF.resolve())
    assert serve.missing_requirements() is None


def test_the_offline_assets_are_installed():
    # solara-assets puts solara's JavaScript and CSS under <prefix>/share/solara/cdn, where
    # solara's proxy serves them from
    import solara.server.settings as settings

    bundle = settings.assets.proxy_cache_dir
    assert (bundle / "@widgetti").is_dir(), bundle
    assert any((bundle / "@widgetti").glob("solara-vuetify-app@*"))
