"""Draws the share-preview images (1200x630 PNG) in static/img/, one per page kind.

Run by hand when the wording changes:
    .venv/bin/python scripts/preview_images.py [/usr/bin/chromium]
They are our own text on a plain card (no chart, so no figure in them can go stale).
"""

from __future__ import annotations

import html
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "static" / "img"
KINDS = {
    "map": (
        "Where Cuba's medical missions are",
        "A world map of host countries, by status, with a source for every figure",
    ),
    "country": (
        "One country's Cuban medical missions",
        "Staffing figures over time and the policy events that changed them",
    ),
    "timeline": (
        "Policy events on Cuban medical missions",
        "Announcements, sanctions, withdrawals and agreements, each with its source",
    ),
    "list": (
        "Every Cuban medical mission we track",
        "Status, size, dates and sources, filterable and downloadable",
    ),
}
PAGE = """<!doctype html><html><head><style>
body {{ margin: 0; width: 1200px; height: 630px; font-family: system-ui, sans-serif;
  background: #ffffff; color: #1b1f24; display: flex; flex-direction: column;
  justify-content: center; padding: 0 80px; box-sizing: border-box;
  border-top: 24px solid #0072b2; }}
.site {{ font-size: 34px; color: #0b5cad; font-weight: 700; margin: 0 0 36px; }}
h1 {{ font-size: 68px; line-height: 1.1; margin: 0 0 28px; }}
p {{ font-size: 34px; color: #57606a; margin: 0; line-height: 1.3; }}
</style></head><body><div class="site">Cuban Medical Missions Tracker</div>
<h1>{title}</h1><p>{subtitle}</p></body></html>"""


def main(chromium: str) -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        page = browser.new_page(viewport={"width": 1200, "height": 630})
        for kind, (title, subtitle) in KINDS.items():
            page.set_content(
                PAGE.format(title=html.escape(title), subtitle=html.escape(subtitle))
            )
            page.screenshot(path=str(OUT / f"preview-{kind}.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/bin/chromium")
