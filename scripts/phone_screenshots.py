"""Full-page screenshots of the public pages at a phone's width, for a reviewer.

Not part of the suite: run it by hand against a running site with the dataset
loaded (`make run`, or runserver --noreload), e.g.

    .venv/bin/python scripts/phone_screenshots.py http://127.0.0.1:8000

It writes tests/artifacts/phone-<page>-<width>.png (ignored by git) and prints each
page's height and whether it scrolls sideways.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARTIFACTS = Path(__file__).resolve().parent.parent / "tests" / "artifacts"
PAGES = {"home": "/", "missions": "/missions/", "country-gtm": "/countries/GTM/"}
WIDTHS = (390,)


def main(base: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 844})
            for name, path in PAGES.items():
                page.goto(base.rstrip("/") + path)
                page.wait_for_load_state("networkidle")
                out = ARTIFACTS / f"phone-{name}-{width}.png"
                # The first three screens: what a reader sees before deciding.
                clip = {"x": 0, "y": 0, "width": width, "height": 3 * 844}
                page.screenshot(path=str(out), full_page=True, clip=clip)
                height, sideways = page.evaluate(
                    "() => [document.scrollingElement.scrollHeight,"
                    " document.scrollingElement.scrollWidth > innerWidth]"
                )
                print(f"{out.name}: {height} px high, scrolls sideways: {sideways}")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
