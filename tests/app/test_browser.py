"""The classroom page in a real browser: Debian's chromium, driven by Playwright.

A real ``armsim app`` server runs on a free loopback port for the module; each test
opens the page in a fresh browser context (a fresh solara session, so a fresh run).
No browser is downloaded: Playwright launches ``/usr/bin/chromium`` (``apt-get install
chromium``; ``.ci/run`` installs it). Without it, or without the ``playwright``
package, the module is skipped with the reason.

The tests take the screenshots of docs/classroom.md. They write them to a temporary
folder, or, to refresh the guide's pictures, to the folder named by ``ARMSIM_SHOTS``::

    ARMSIM_SHOTS=docs/img .venv/bin/python -m pytest -m browser tests/app
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at "
                       "/usr/bin/chromium (apt-get install chromium; .ci/run installs it)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package "
                               "(pip install -e '.[test]')")

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 1000}
WAIT_MS = 30_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``armsim app`` on a free loopback port; stopped after the module."""
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "armsim.cli", "app", "--port", str(port)],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"armsim app did not start:\n{log.read_text()}")
            time.sleep(0.5)
        yield {"url": url, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """Where screenshots go: ``$ARMSIM_SHOTS`` (relative to the repository), else a
    temporary folder."""
    given = os.environ.get("ARMSIM_SHOTS")
    folder = ROOT / given if given else tmp_path_factory.mktemp("shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server, shots):
    """The page, loaded; ``page.seen`` lists every URL it requested."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1.5)
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    tab.seen, tab.failed, tab.shots = [], [], shots
    tab.on("request", lambda r: tab.seen.append(r.url))
    tab.on("websocket", lambda ws: tab.seen.append(ws.url))
    tab.on("response", lambda r: r.status >= 400 and tab.failed.append((r.status, r.url)))
    tab.goto(server["url"])
    tab.locator(".armsim-round-counter").wait_for()
    yield tab
    context.close()


def rounds_played(page, n: int) -> None:
    page.get_by_text(f"Rounds played: {n} of", exact=False).wait_for()


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Vuetify select labelled ``label``."""
    page.locator(".v-select", has=page.locator("label", has_text=label)).click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()


def figure(page, name: str, n: int) -> None:
    """Wait until the figure ``name`` shows the run after ``n`` rounds."""
    page.locator(f".armsim-figure-{name}.armsim-figure-round-{n}").wait_for()


def shoot(page, name: str, part: str | None = None) -> None:
    """A screenshot for docs/classroom.md: the window, or the element ``part``."""
    (page.locator(part) if part else page).screenshot(path=str(page.shots / name))


def test_the_page_loads_everything_from_the_local_server(page, server):
    page.locator(".armsim-figure-tension").wait_for()
    # blob: URLs (pictures the page made itself) name the origin that made them
    hosts = {urlsplit(url.removeprefix("blob:")).netloc for url in page.seen
             if not url.startswith("data:")}
    assert hosts == {urlsplit(server["url"]).netloc}, page.seen
    assert page.failed == []                  # every asset came from the bundle
    assert "Could not load URL" not in server["log"].read_text()
    page.get_by_text("the story of run 0 (seed 2022)").wait_for()


def _no_network_namespace() -> str | None:
    """Why a network namespace cannot be made here (None if it can)."""
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return "needs unshare and ip (util-linux, iproute2)"
    done = subprocess.run(["unshare", "--net", "true"], capture_output=True, check=False)
    return None if done.returncode == 0 else "cannot make a network namespace (needs root)"


def test_the_page_works_on_a_machine_without_any_network():
    """Server and browser in a network namespace with only the loopback interface."""
    why = _no_network_namespace()
    if why:
        pytest.skip(why)
    script = f"ip link set lo up && exec {sys.executable} tests/app/offline_check.py {free_port()}"
    done = subprocess.run(["unshare", "--net", "sh", "-c", script], cwd=ROOT, text=True,
                          capture_output=True, timeout=170, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_step_advances_the_round_and_the_story(page):
    lines = page.locator(".armsim-line")
    before = lines.count()
    page.get_by_role("button", name="Step").click()
    rounds_played(page, 1)
    page.get_by_text("Round 0: Geneva, meeting 1 of 6").wait_for()
    # the story box is re-rendered newest block first: wait out the render, then compare
    deadline = time.monotonic() + 15
    while lines.count() <= before and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert lines.count() > before
    for n in range(2, 15):                                      # to the end of the talks
        page.get_by_role("button", name="Step").click()
        rounds_played(page, n)
    figure(page, "tension", 14)
    shoot(page, "classroom-overview.png")


def test_a_slider_change_takes_effect_after_reset(page):
    settings = page.locator(".armsim-settings")
    slider = page.locator(".v-input__slider", has=page.locator("label", has_text="Verification"))
    slider.locator("[role=slider]").focus()
    page.keyboard.press("End")                                  # the slider's maximum, 1
    time.sleep(0.5)
    assert "Changed from the file: nothing" in settings.inner_text()
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("environment.verification = 1.0").wait_for()
    page.get_by_text("a defection is detected with probability 1.00").wait_for()


def test_a_student_plays_russia_to_an_outcome(page):
    choose(page, "Scenario file", "geneva_2022_no_linkage")
    page.get_by_text("without Russia's linkage (run 0").wait_for()
    choose(page, "Play a state", "Russia")
    page.get_by_role("button", name="Reset").click()
    answered = proposed = 0
    status = page.locator(".armsim-status")
    for n in range(30):
        rounds_played(page, n)
        if "talks over" in status.inner_text():
            break
        page.locator(f".armsim-seat-round-{n}").wait_for()     # the seat's panel of round n
        if page.get_by_role("button", name="Accept all").is_visible():
            if answered == 0:                 # first as Russia's strategy would answer
                figure(page, "tension", n)
                shoot(page, "classroom-respond.png")
                page.get_by_role("button", name="Send ticked answers").click()
            else:
                page.get_by_role("button", name="Accept all").click()
            answered += 1
        elif page.get_by_role("button", name="Submit offer").is_visible():
            if proposed == 0:
                figure(page, "tension", n)
                shoot(page, "classroom-propose.png")
            page.get_by_role("button", name="Submit offer").click()
            proposed += 1
        else:
            page.get_by_role("button", name="Step").click()
    assert answered and proposed
    page.locator(".armsim-agreement").first.wait_for()        # the story tells an agreement
    played = n
    page.get_by_role("tab", name="Negotiation dance").click()
    figure(page, "dance", played)
    shoot(page, "classroom-dance.png", ".armsim-figures")
    page.get_by_role("tab", name="Forces").click()
    figure(page, "forces", played)
    shoot(page, "classroom-forces.png", ".armsim-figures")
    page.get_by_role("tab", name="Tension").click()
    interval = page.locator(".v-input__slider",
                            has=page.locator("label", has_text="Play Interval"))
    interval.locator("[role=slider]").focus()
    page.keyboard.press("Home")                                 # as fast as it goes
    page.get_by_role("button", name="▶").click()              # Play to the end
    page.get_by_text("How it ended, after round 65").wait_for(timeout=120_000)
    page.get_by_text("The run is over", exact=True).wait_for()
