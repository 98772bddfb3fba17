"""The map outline in production: preloaded once from the hashed, compressed file
(WhiteNoise's manifest), never from the unhashed /static/geo/world_110m.json that
plotly.js would fetch itself. Served by bench/page_weight.py's production site
(gunicorn, DEBUG off, collectstatic into a scratch folder, the real dataset),
because the live test server serves static files from the finders, unhashed."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM_ARGS

pytestmark = pytest.mark.browser
BENCH = Path(__file__).resolve().parents[2] / "bench" / "page_weight.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_page_weight", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_outline_is_fetched_once_from_the_hashed_compressed_file(chromium_path):
    from playwright.sync_api import sync_playwright

    bench = _bench()
    with bench.production_site() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS
        )
        page = browser.new_page()
        outline = []
        page.on(
            "response",
            lambda r: outline.append(r) if "world_110m" in r.url else None,
        )
        page.goto(base + "/", wait_until="networkidle")
        page.wait_for_selector(".chart-map .choroplethlocation")
        assert len(outline) == 1
        (response,) = outline
        assert re.search(r"/static/geo/world_110m\.[0-9a-f]{12}\.json$", response.url)
        assert response.headers.get("content-encoding") in ("gzip", "br")
        assert "immutable" in response.headers["cache-control"]
        browser.close()
