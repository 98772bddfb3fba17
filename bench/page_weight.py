"""Bytes a first visit transfers and the time until the map is drawn, in Chromium.

    .venv/bin/python bench/page_weight.py [--runs 5] [--shots]

Serves the site as production does (DEBUG off, static files collected with
WhiteNoise's hashed and compressed storage, gunicorn) from a scratch SQLite
database holding the real dataset (fixtures/), then opens `/` and
`/countries/GTM/` in a fresh Chromium context each run (an empty cache) and
reports the median of the runs: bytes transferred (compressed sizes as sent, with
headers) and, on `/`, the milliseconds from navigation start to the first country
shape of the map in the DOM. --shots saves the map (world at 1366 px, Caribbean
preset at 390 px) under tests/artifacts/.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv/bin/python"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAGES = ["/", "/countries/GTM/"]
# Set before any page script runs: the time the first map shape reaches the DOM.
WATCH_MAP = """
new MutationObserver((_, observer) => {
  if (document.querySelector('.chart-map .choroplethlocation')) {
    window.__mapDrawn = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def production_site() -> Iterator[str]:
    """The site served by gunicorn in production mode; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="page-weight-") as scratch:
        env = os.environ | {
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3",
            "DJANGO_SETTINGS_MODULE": "page_weight_settings",
            "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
            "BENCH_STATIC_ROOT": f"{scratch}/static",
            "WHITENOISE_USE_FINDERS": "false",
        }
        manage = [str(PYTHON), "manage.py"]
        for command in (
            ["migrate", "-v0"],
            ["import_dataset", "fixtures/"],
            ["refresh_statistics"],
            ["collectstatic", "--noinput", "-v0"],
        ):
            subprocess.run(
                manage + command,
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        port = _free_port()
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_for(base + "/healthz")
            yield base
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_for(url: str) -> None:
    for _ in range(100):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=1)
            return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer at {url}")


def visit(browser, url: str) -> tuple[int, float | None, list[str]]:
    """One cold visit: bytes transferred, ms to the map drawn, the URLs fetched."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.add_init_script(WATCH_MAP)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, float] = {}
    urls: list[str] = []
    cdp.on("Network.requestWillBeSent", lambda e: urls.append(e["request"]["url"]))
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(url, wait_until="networkidle")
    drawn = None
    if page.locator(".chart-map").count():
        page.wait_for_function("window.__mapDrawn !== undefined")
        drawn = page.evaluate("window.__mapDrawn")
    context.close()
    return int(sum(sizes.values())), drawn, urls


def screenshots(browser, base: str) -> None:
    """The map at 1366 px (world, today and in 2013) and at 390 px (Caribbean
    preset)."""
    out = ROOT / "tests/artifacts"
    out.mkdir(parents=True, exist_ok=True)
    views = [
        (1366, 900, "world", ""),
        (1366, 900, "world", "2013"),
        (390, 844, "caribbean", ""),
    ]
    for width, height, preset, year in views:
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(base + (f"/?year={year}" if year else "/"), wait_until="networkidle")
        page.wait_for_selector(".chart-map .scattergeo .point")
        if preset != "world":
            page.click(f'[data-preset="{preset}"]')
            page.wait_for_timeout(500)
        top = page.locator("#map-title").bounding_box()
        legend = page.locator("#map-legend").bounding_box()
        scroll = page.evaluate("window.scrollY")
        clip = {
            "x": 0,
            "y": top["y"] + scroll - 8,
            "width": width,
            "height": legend["y"] + legend["height"] - top["y"] + 16,
        }
        path = out / f"map-{preset}-{year or 'today'}-{width}.png"
        page.screenshot(path=str(path), full_page=True, clip=clip)
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shots", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with production_site() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        for path in PAGES:
            runs = [visit(browser, base + path) for _ in range(args.runs)]
            weight = statistics.median(r[0] for r in runs)
            line = f"{path}: {weight / 1000:.0f} KB transferred"
            times = [r[1] for r in runs if r[1] is not None]
            if times:
                line += f", map drawn {statistics.median(times):.0f} ms"
                line += f" (runs: {', '.join(f'{t:.0f}' for t in times)})"
            outline = [u for u in runs[0][2] if "world_110m" in u]
            if outline:
                names = ", ".join(u.rsplit("/", 1)[1] for u in outline)
                line += f"; outline fetched from {names}"
            print(line + f" [median of {args.runs}]")
        if args.shots:
            screenshots(browser, base)
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
