"""The classroom in real browsers: Debian's chromium, driven by Playwright.

A real ``armsim app --room`` server runs on a free loopback port for the module (a
student away for 6 s leaves: ``ARMSIM_APP_GRACE``); each browser is a fresh context (its
own cookies: a browser of its own). No browser is downloaded: Playwright launches
``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run`` installs it). Without it,
or without the ``playwright`` package, the module is skipped with the reason.

The tests take the screenshots of docs/classroom.md. They write them to a temporary
folder, or, to refresh the guide's pictures, to the folder named by ``ARMSIM_SHOTS``::

    ARMSIM_SHOTS=docs/img .venv/bin/python -m pytest -m browser tests/app
"""

from __future__ import annotations

import os
import re
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
LAPTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
WAIT_MS = 60_000
GRACE = 6


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``armsim app --room`` on a free loopback port; stopped after the module."""
    port = free_port()
    log = tmp_path_factory.mktemp("app") / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "armsim.cli", "app", "--room", "--port", str(port)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "ARMSIM_APP_GRACE": str(GRACE)})
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
        text = log.read_text()
        teacher = re.search(r"teacher's console \(keep it to yourself\): (\S+)", text).group(1)
        student = re.search(r"students: (\S+)", text).group(1)
        yield {"url": url, "log": log, "teacher": teacher, "student": student}
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


def open_page(browser, url: str, viewport=LAPTOP):
    """A page in a browser context of its own; ``page.seen`` lists every URL it asked."""
    context = browser.new_context(viewport=viewport, device_scale_factor=1)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.seen, page.failed = [], []
    page.on("request", lambda r: page.seen.append(r.url))
    page.on("websocket", lambda ws: page.seen.append(ws.url))
    page.on("response", lambda r: r.status >= 400 and page.failed.append((r.status, r.url)))
    page.goto(url)
    return page


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the Vuetify select labelled ``label``."""
    page.locator(".v-select", has=page.locator("label", has_text=label)).click()
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()


def in_view(page, locator) -> bool:
    """The element lies wholly inside the window, without scrolling."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (box is not None and box["x"] >= 0 and box["y"] >= 0
            and box["x"] + box["width"] <= size["width"]
            and box["y"] + box["height"] <= size["height"])


def round_at_least(page, n: int) -> None:
    """Wait until the page shows round ``n`` or later (a page that is busy drawing shows
    the latest round, and may skip some)."""
    page.wait_for_function(
        "n => { const c = document.querySelector('.armsim-round-counter');"
        " return c && parseInt(c.textContent.split(' ')[1]) >= n; }", arg=n)


def shoot(page, shots: Path, name: str, part: str | None = None) -> None:
    """The window, or the element ``part`` scrolled to the top of the window (its part
    that fits in it: the page scrolls inside solara's content pane, not the window)."""
    if part is None:
        page.screenshot(path=str(shots / name))
        return
    element = page.locator(part).first
    element.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)                      # the charts redraw once in view
    box = element.bounding_box()
    top = max(box["y"], 64)                           # below the app bar
    bottom = min(box["y"] + box["height"], page.viewport_size["height"])
    page.screenshot(path=str(shots / name), clip={"x": box["x"], "y": top,
                                                  "width": box["width"], "height": bottom - top})


def test_the_page_loads_everything_from_the_local_server(browser, server):
    page = open_page(browser, server["url"])
    page.locator(".armsim-figure-tension canvas").wait_for()      # drawn by ECharts, here
    # blob: URLs (pictures the page made itself) name the origin that made them
    hosts = {urlsplit(url.removeprefix("blob:")).netloc for url in page.seen
             if not url.startswith("data:")}
    assert hosts == {urlsplit(server["url"]).netloc}, page.seen
    assert page.failed == []                  # every asset came from the bundle
    assert any(url.endswith("echarts@5.4.0/dist/echarts.min.js") for url in page.seen)
    assert "Could not load URL" not in server["log"].read_text()
    page.get_by_text("the story of run 0 (seed 2022)").wait_for()
    page.context.close()


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


# The article scenario with linkage: Russia's answers never count (it insists on NATO
# enlargement, which no US, allied or Ukrainian offer leaves closed), nor do the others'
# to Russia's offers (a closed door crosses their red lines), so every answer turn is
# empty and skipped; what the students decide is their offers. Proposers rotate in each
# session's listed order: Geneva (rounds 0-5) US, Russia; Brussels (6-9) US, allies,
# Russia; Vienna (10-13) allies, US, Russia, Ukraine. Cleo (the allies) leaves after her
# offer of round 7: the agent makes the allies' offer of round 10.
EXPECTED_TURNS = [("Ana", 0), ("Boris", 1), ("Ana", 2), ("Boris", 3), ("Ana", 4),
                  ("Boris", 5), ("Ana", 6), ("Cleo", 7), ("Boris", 8), ("Ana", 9),
                  ("Ana", 11), ("Boris", 12), ("Dan", 13)]
STUDENTS = (("Ana", "United States", 0.35), ("Boris", "Russia", 0.50),
            ("Cleo", "European NATO allies", 0.30), ("Dan", "Ukraine", 0.30))


def test_a_teacher_and_four_students_play_the_article_scenario(browser, server, shots):
    teacher = open_page(browser, server["teacher"])
    pages = {}
    for name, state, _ in STUDENTS:
        pages[name] = page = open_page(browser, server["student"])
        page.get_by_label("Your name (as the class knows you)").fill(name)
        if name == "Ana":
            page.locator(".armsim-join").hover()
            page.wait_for_timeout(800)                   # the page has faded in
            shoot(page, shots, "classroom-join.png")
        page.get_by_role("button", name=f"Play {state}").click()
        page.locator(".armsim-seat-idle").first.wait_for()
    teacher.get_by_text("Ukraine: Dan").wait_for()

    # each student sees its own brief and nobody else's
    for name, state, reservation in STUDENTS:
        page = pages[name]
        page.get_by_text("Your brief (private: only your seat sees it)").click()
        page.get_by_text(f"The least you accept (reservation): {reservation:.2f}").wait_for()
        assert page.locator(".armsim-brief").count() == 1
        assert "accepts no deal worth less than" not in page.content()
    teacher.get_by_text("accepts no deal worth less than 0.50").first.wait_for()

    choose(teacher, "Pace of Play", "fastest")
    teacher.get_by_role("button", name="Start the class's run").click()
    turns, reloaded = [], False
    deadline = time.monotonic() + 180
    while not teacher.get_by_text("The run is over").count():
        assert time.monotonic() < deadline, turns
        for name, page in list(pages.items()):
            if not page.locator(".armsim-turn").count():
                continue
            title = page.locator(".armsim-turn .v-card__title").inner_text()
            rnd = int(re.search(r"round (\d+)", title).group(1))
            if (name, rnd) == ("Ana", 0):
                shoot(page, shots, "classroom-propose.png")
            if (name, rnd) == ("Ana", 9):
                teacher.locator(".armsim-figure-round-9").wait_for()
                shoot(teacher, shots, "classroom-console.png")
            page.get_by_role("button", name="Submit offer").click()
            page.locator(f".armsim-seat-round-{rnd}").wait_for(state="detached")
            turns.append((name, rnd))
            if name == "Boris" and rnd == 5:            # a reload keeps the seat
                page.reload()
                page.locator(".armsim-seat-idle, .armsim-turn").first.wait_for()
                assert page.get_by_role("button", name="Play Russia").count() == 0
                reloaded = True
            if name == "Cleo":                           # Cleo closes her laptop
                page.context.close()
                del pages["Cleo"]
                teacher.get_by_text("European NATO allies: the agent (free seat)").wait_for()
        time.sleep(0.05)
    assert turns == EXPECTED_TURNS and reloaded
    # every student submitted the offer the panel suggests (the strategy's, untouched) and
    # the agent played the rest: the class played run 0 as the batch engine plays it
    import armsim

    plain = armsim.run(ROOT / "scenarios" / "geneva_2022.yaml", runs=1).outputs
    teacher.get_by_text(f"Final tension {plain['final_tension'][0]:.2f} (mean over the run "
                        f"{plain['mean_tension'][0]:.2f}).").first.wait_for()

    # the debrief: every seat's decisions beside its strategy's, for the class to see
    teacher.get_by_text("Reveal every seat's private information").click()
    ana = pages["Ana"]
    ana.locator(".armsim-debrief").wait_for()
    seats = ana.locator(".armsim-debrief-seat").all_inner_texts()
    assert seats == ["United States", "Russia", "European NATO allies", "Ukraine"]
    assert ana.get_by_text("the agent (Cleo lost the connection)").count() >= 1
    assert ana.locator(".armsim-debrief .armsim-differs").count() == 0   # as suggested
    ana.get_by_text("The whole story (revealed)").wait_for()
    shoot(ana, shots, "classroom-debrief.png", ".armsim-debrief")
    projector = open_page(browser, server["student"] + "&view=projector")
    projector.locator(".armsim-figure-tension canvas").wait_for()
    shoot(projector, shots, "classroom-projector.png")
    for page in (teacher, projector, *pages.values()):
        page.context.close()


def _solo(browser, server, search: str, viewport=LAPTOP):
    page = open_page(browser, server["url"] + search, viewport)
    page.locator(".armsim-figure-tension canvas").wait_for()
    page.wait_for_function("location.search.includes('teacher=')")
    return page


@pytest.mark.parametrize("viewport, name", [(LAPTOP, "laptop"), (TABLET, "tablet")])
def test_an_answer_in_view_and_what_it_did(browser, server, shots, viewport, name):
    page = _solo(browser, server, "?scenario=geneva_2022_no_linkage", viewport)
    choose(page, "Play a state yourself", "Russia")   # on a tablet, in a drawer open at first
    if viewport == TABLET:
        page.mouse.click(700, 500)                     # beside the drawer: it closes
        page.locator(".v-navigation-drawer--close").wait_for(state="attached")
    page.get_by_role("button", name="One round").click()   # the United States' agent offers
    page.locator(".armsim-respond").wait_for()
    for button in ("Accept all", "Reject all", "Send ticked answers"):
        assert in_view(page, page.get_by_role("button", name=button)), (name, button)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if viewport == LAPTOP:
        assert page.locator(".armsim-figures").bounding_box()["y"] < viewport["height"]
        shoot(page, shots, "classroom-respond.png")
    page.get_by_role("button", name="Send ticked answers").click()   # the strategy's ticks
    last = page.locator(".armsim-last")
    last.get_by_text("What your last decision did (round 0, decided by you):").wait_for()
    last.get_by_text("Agreed: Exercise limits.").wait_for()
    page.context.close()


def test_settings_survive_a_reload_and_travel_in_a_link(browser, server):
    page = _solo(browser, server, "?scenario=geneva_2022_no_linkage&run=3")
    slider = page.get_by_role("slider", name=re.compile("^Verification"))
    slider.focus()
    page.keyboard.press("End")                       # the slider's maximum, 1: applied at once
    page.get_by_text("environment.verification = 1.0").wait_for()
    page.wait_for_function("location.search.includes('verification=1')")
    page.reload()
    page.get_by_text("environment.verification = 1.0").wait_for()
    page.get_by_text("without Russia's linkage, run 3,", exact=False).wait_for()
    link = page.get_by_label("Link to these settings (copy it to share)").input_value()
    assert "scenario=geneva_2022_no_linkage" in link and "run=3" in link
    other = _solo(browser, server, "?" + link.split("?", 1)[1])
    other.get_by_text("environment.verification = 1.0").wait_for()
    other.get_by_text("a defection is detected with probability 1.00").first.wait_for()
    page.get_by_role("button", name="One round").click()      # now the run has begun:
    page.get_by_text("Round 1 of 66").wait_for()
    slider.focus()
    page.keyboard.press("Home")                                # a change waits, and says so
    page.locator(".armsim-pending").wait_for()
    assert page.get_by_text("Round 1 of 66").count() == 1
    for p in (page, other):
        p.context.close()


def test_play_pause_and_reset_play_no_round_more(browser, server, shots):
    page = _solo(browser, server, "?scenario=geneva_2022")
    choose(page, "Pace of Play", "fast")
    page.get_by_role("button", name="Play", exact=True).click()
    round_at_least(page, 4)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play", exact=True).wait_for()
    stopped = page.locator(".armsim-round-counter").inner_text()
    time.sleep(1.0)                                  # 4 rounds' time at this pace
    assert page.locator(".armsim-round-counter").inner_text() == stopped
    page.get_by_role("button", name="Play", exact=True).click()
    round_at_least(page, 8)
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Round 0 of 66").wait_for()
    time.sleep(1.0)
    assert page.locator(".armsim-round-counter").inner_text() == "Round 0 of 66"
    page.context.close()


def test_the_ensemble_box_and_the_class_run_among_it(browser, server, shots):
    page = _solo(browser, server, "?scenario=geneva_2022_no_linkage")
    choose(page, "Pace of Play", "fastest")
    page.get_by_role("button", name="Play", exact=True).click()
    page.get_by_text("The run is over").wait_for()
    page.get_by_role("button", name="Run this setting 1,000 times").click()
    page.locator(".armsim-rates").wait_for()
    page.locator(".armsim-placed").wait_for()
    page.get_by_text("Your class reached an agreement: the same happened in 100% of the "
                     "1,000 simulated runs.").wait_for()
    assert "crisis" in page.locator(".armsim-rates").inner_text()
    page.get_by_text("B: geneva_2022_no_linkage (environment.verification = 0.95)",
                     exact=False).wait_for()
    page.locator(".armsim-figure-rates canvas").wait_for()
    shoot(page, shots, "classroom-ensemble.png", ".armsim-ensemble")
    page.get_by_role("tab", name="Negotiation dance").click()
    page.locator(".armsim-figure-dance canvas").wait_for()
    choose(page, "Session", "Geneva")                 # the latest session is shown first
    page.wait_for_function("document.querySelector('.armsim-figure-dance').dataset"
                           ".drawnTitle.includes('Geneva')")
    shoot(page, shots, "classroom-dance.png", ".armsim-figures")
    page.context.close()
