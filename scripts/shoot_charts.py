"""Screenshots of charts for a reviewer, saved under tests/artifacts/ (not a test).

Run against a server that has the real dataset loaded:
    .venv/bin/python scripts/shoot_charts.py http://127.0.0.1:8000
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARTIFACTS = Path(__file__).resolve().parent.parent / "tests" / "artifacts"
SHOTS = [
    # (name, path, selector of the element to capture, viewport width)
    ("country-gtm-chart-1366", "/countries/GTM/", "#chart-heading", 1366),
    ("country-ven-chart-1366", "/countries/VEN/", "#chart-heading", 1366),
    ("country-bra-chart-1366", "/countries/BRA/", "#chart-heading", 1366),
    ("timeline-chart-1366", "/timeline/", "#chart-heading", 1366),
    ("country-gtm-chart-390", "/countries/GTM/", "#chart-heading", 390),
]


def main(base: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for name, path, selector, width in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            page.wait_for_selector(".chart-drawn .scatterlayer .point")
            # The whole chart section: heading, summary, chart, key.
            section = page.locator(selector).locator("xpath=..")
            section.screenshot(path=str(ARTIFACTS / f"{name}.png"))
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
