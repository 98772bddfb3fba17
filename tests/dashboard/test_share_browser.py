"""In Chromium: each chart downloads as a captioned PNG and SVG, the embeds render
inside a page from another origin, and ordinary pages refuse to be framed."""

from __future__ import annotations

import struct
import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest

from tests.browser_support import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = [
    ("/", "fig-map"),
    ("/countries/GTM/", "fig-staffing"),
    ("/timeline/", "fig-events"),
    ("/about/", "fig-totals"),
]


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def _download(visit: Visit, figure: str, kind: str) -> Path:
    strip = visit.page.locator(f'.chart-strip[data-strip-for="{figure}"]')
    with visit.page.expect_download() as info:
        strip.locator(f'button[data-download="{kind}"]').click()
    return Path(info.value.path())


@pytest.mark.parametrize("path, figure", CHARTS)
def test_png_and_svg_downloads_carry_title_and_source(
    browser, live_server, dataset, path, figure
):
    visit = Visit(browser, live_server)
    visit.open(path)
    visit.page.wait_for_selector(f'[data-figure="{figure}"] .main-svg')
    strip = visit.page.locator(f'.chart-strip[data-strip-for="{figure}"]')
    title = strip.get_attribute("data-title")
    source = strip.get_attribute("data-source")
    svg = _download(visit, figure, "svg").read_text()
    assert svg.startswith("<svg")
    # plotly writes text through its HTML subset: compare without entities.
    text = svg.replace("&amp;", "&").replace("&#39;", "'").replace("&#34;", '"')
    assert title in text
    assert source[:60] in text
    assert "Cuban Medical Missions Tracker" in text
    png = _download(visit, figure, "png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1200, 720)
    visit.assert_clean()


@pytest.fixture
def news_site():
    """Another origin: a second local server whose page frames the URL in `?src=`."""

    class NewsPage(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            src = parse_qs(urlparse(self.path).query)["src"][0]
            body = f'<!doctype html><title>News</title><iframe src="{escape(src)}"'
            body += ' width="900" height="700"></iframe>'
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NewsPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/article"
    server.shutdown()


def _news_page(browser, news_site: str, src: str):
    page = browser.new_page()
    page.goto(f"{news_site}?{urlencode({'src': src})}")
    return page


@pytest.mark.parametrize(
    "embed, drawn",
    [
        ("/embed/map/?region=americas", ".chart-map .choroplethlocation"),
        ("/embed/countries/GTM/staffing/", ".chart-staffing .scatterlayer .point"),
        ("/embed/timeline/", ".chart-events .scatterlayer .point"),
    ],
)
def test_embeds_render_inside_a_page_from_another_origin(
    browser, live_server, dataset, news_site, embed, drawn
):
    page = _news_page(browser, news_site, live_server.url + embed)
    frame = page.frame_locator("iframe")
    frame.locator(drawn).first.wait_for()
    assert frame.locator(".embed-back a").get_attribute("target") == "_blank"
    page.close()


def test_an_ordinary_page_refuses_to_be_framed(
    browser, live_server, dataset, news_site
):
    page = _news_page(browser, news_site, live_server.url + "/countries/GTM/")
    page.wait_for_timeout(1000)
    frame = page.frames[1]
    assert frame.url.startswith("chrome-error://")
    page.close()


def test_copy_link_gives_the_view_with_its_filters_and_year(
    browser, live_server, dataset
):
    visit = Visit(browser, live_server)
    visit.open("/?region=americas&year=2013")
    strip = visit.page.locator('.chart-strip[data-strip-for="fig-map"]')
    strip.locator(".share-link summary").click()
    value = strip.locator(".share-link .share-url").input_value()
    assert value == live_server.url + "/?region=americas&year=2013"
    strip.locator(".share-embed summary").click()
    snippet = strip.locator(".share-embed .share-url").input_value()
    assert f'src="{live_server.url}/embed/map/?region=americas&year=2013"' in snippet
    visit.assert_clean()
