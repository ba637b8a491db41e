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

    missing = [name for name in ("solara", "solara_assets", "altair", "mesa")
               if importlib.util.find_spec(name) is None]
    if missing:
        return (f"armsim app needs {', '.join(missing)}; install the page's extras with "
                "pip install 'armsim[viz]'")
    return None


def serve(scenario: Path | None, host: str = "127.0.0.1", port: int = 8765) -> None:
    """Serve the page until interrupted (blocks). ``port`` 0 picks a free port."""
    offline_environment(scenario)
    import warnings

    # solara warns, per page load, that a plain-http loopback server sets its session
    # cookie with samesite=lax: that is what a local classroom server wants
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    from solara.__main__ import run

    run.main(args=[PAGE_MODULE, "--host", host, "--port", str(port), "--production",
                   "--no-open", "--no-check-version", "--theme-variant", "light",
                   "--log-level", "warning"],
             prog_name="armsim app", standalone_mode=False)
