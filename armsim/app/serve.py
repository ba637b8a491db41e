"""Serve the classroom page with solara's server, offline.

Everything the browser loads comes from this server: solara's JavaScript and CSS
from the ``solara-assets`` package (installed under ``<prefix>/share/solara/cdn``),
served through solara's asset proxy. The settings below close every door solara
would otherwise open to the Internet:

- ``SOLARA_ASSETS_CDN`` points the proxy at a closed port on the loopback address,
  so an asset missing from the bundle is a local 404, never a download;
- ``SOLARA_TELEMETRY_MIXPANEL_ENABLE=false``: no usage statistics are sent;
- production mode: no "check" iframe from solara.dev in the page;
- ``--no-check-version``: no look-up of the latest solara on PyPI.

They are set in the environment before solara is imported (its settings are read
at import) and are inherited by anything the server starts. Two more give the page
its own title and drop solara's "runs on Solara" banner, which covered the figures.
"""

from __future__ import annotations

import os
from pathlib import Path

#: solara's settings for an offline server (see the module docstring)
OFFLINE_ENV = {
    "SOLARA_ASSETS_PROXY": "true",
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    "SOLARA_THEME_VARIANT": "light",
    "SOLARA_THEME_SHOW_BANNER": "false",
    "SOLARA_THEME_TITLE": "armsim classroom",
}
#: the environment variable that tells the page which scenario to open first
SCENARIO_ENV = "ARMSIM_APP_SCENARIO"
PAGE_MODULE = "armsim.app.page"


def offline_environment(scenario: Path | None = None) -> None:
    """Set solara's offline settings (and the scenario to open) in ``os.environ``."""
    os.environ.update(OFFLINE_ENV)
    if scenario is not None:
        os.environ[SCENARIO_ENV] = str(Path(scenario).resolve())


def missing_requirements() -> str | None:
    """Why the page cannot be served here (a sentence for people), or None."""
    import importlib.util

    missing = [name for name in ("solara", "solara_assets", "mesa")
               if importlib.util.find_spec(name) is None]
    if missing:
        return (f"armsim app needs {', '.join(missing)}; install the page's extras with "
                "pip install 'armsim[viz]'")
    return None


def addresses(host: str) -> list[str]:
    """Where students can reach a server listening on ``host``: the host itself, or for
    0.0.0.0 this machine's own addresses (read locally: nothing is sent)."""
    import socket

    if host not in ("0.0.0.0", "::", ""):
        return [host]
    found = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(info[4][0])
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127.")) or ["127.0.0.1"]


def open_room(scenario: Path | None, host: str, port: int) -> list[str]:
    """Open a room for a class before serving; the lines that tell the teacher where."""
    from armsim.app import controls
    from armsim.app.rooms import ROOMS
    from armsim.app.settings import Settings

    room = ROOMS.open(Settings.of_file(scenario or controls.DEFAULT_FILE))
    where = f"{port}" if port else "PORT (the port shown below)"
    local = f"http://127.0.0.1:{where}"
    lines = [f"Room {room.code} is open.",
             f"  teacher's console (keep it to yourself): {local}/?room={room.code}"
             f"&teacher={room.teacher_key}",
             f"  projector: {local}/?room={room.code}&view=projector"]
    for address in addresses(host):
        lines.append(f"  students: http://{address}:{where}/?room={room.code}")
    if host in ("127.0.0.1", "localhost"):
        lines.append("  (students on other computers need --host 0.0.0.0, and this computer's "
                     "address on the classroom network)")
    return lines


def serve(scenario: Path | None, host: str = "127.0.0.1", port: int = 8765,
          room: bool = False) -> None:
    """Serve the page until interrupted (blocks). ``port`` 0 picks a free port; ``room``
    opens a room for a class first and prints its links."""
    offline_environment(scenario)
    import sys
    import warnings

    # solara warns, per page load, that a plain-http loopback server sets its session
    # cookie with samesite=lax: that is what a local classroom server wants
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    if room:
        print("\n".join(open_room(scenario, host, port)), file=sys.stderr, flush=True)
    from solara.__main__ import run

    run.main(args=[PAGE_MODULE, "--host", host, "--port", str(port), "--production",
                   "--no-open", "--no-check-version", "--theme-variant", "light",
                   "--log-level", "warning"],
             prog_name="armsim app", standalone_mode=False)
