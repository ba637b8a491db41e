"""Serve the page and drive it in chromium, for a machine (namespace) with no network.

Run by tests/app/test_browser.py inside a network namespace that has only the loopback
interface (``unshare --net``): if ``armsim app`` or the page needed anything from outside,
it would fail here. Prints one line and exits 0 on success.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main(port: int) -> int:
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "armsim.cli", "app", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    print("armsim app did not start without a network")
                    return 1
                time.sleep(0.5)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(url)
            page.locator(".armsim-figure-tension canvas").wait_for()   # ECharts, drawn here
            page.get_by_role("button", name="One round").click()
            page.get_by_text("Round 1 of 66").wait_for()
            browser.close()
        print("the page loaded and stepped without a network")
        return 0
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
