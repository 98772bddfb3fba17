"""End-to-end: the public pages in headless Chromium against the live test server.

Loads the real dataset, so the numbers are the ones a visitor sees. Screenshots of
each page go to tests/artifacts/ (ignored by git) for a reviewer to look at. Each
test runs once per language: English at the old URLs, Spanish under /es/.
"""

from __future__ import annotations

import pytest

from tests.browser_support import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PREFIX = {"en": "", "es": "/es"}
# What the pages say, per language, where a test reads the interface's words.
SAYS = {
    "en": {
        "headcount": "At least 412 Cuban health workers (all staff)",
        "event": "10 Feb 2026: Guatemala announces phase-out of Cuban medical brigade",
    },
    "es": {
        "headcount": "Al menos 412 trabajadores cubanos de la salud (todo el personal)",
        "event": "10 feb 2026: Guatemala announces phase-out of Cuban medical brigade",
    },
}
by_language = pytest.mark.parametrize("lang", ["en", "es"])


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def _map_counts(page) -> tuple[int, int]:
    page.wait_for_selector(".chart-map .choroplethlocation")
    shapes = page.locator(".chart-map .choroplethlocation").count()
    markers = page.locator(".chart-map .scattergeo .point").count()
    return shapes, markers


@by_language
def test_dashboard_map_draws_the_hosts_offline(browser, live_server, dataset, lang):
    visit = Visit(browser, live_server)
    visit.open(PREFIX[lang] + "/")
    shapes, markers = _map_counts(visit.page)
    # 63 host countries: a shape for each one the 110m map has, a marker for each
    # with a map point (all but Martinique), plus a ring for each dated one.
    assert shapes >= 40
    assert markers >= 62
    visit.shot(f"dashboard-{lang}")
    visit.assert_clean()


@by_language
def test_choosing_a_region_changes_the_map_and_the_table(
    browser, live_server, dataset, lang
):
    visit = Visit(browser, live_server)
    visit.open(PREFIX[lang] + "/")
    _, markers_before = _map_counts(visit.page)
    rows_before = visit.page.locator("#map-table tbody tr").count()
    visit.page.select_option("#id_region", "africa")
    visit.page.click(".form-actions button[type=submit]")
    visit.page.wait_for_load_state("networkidle")
    assert "region=africa" in visit.page.url
    _, markers_after = _map_counts(visit.page)
    rows_after = visit.page.locator("#map-table tbody tr").count()
    assert 0 < rows_after < rows_before
    assert markers_after < markers_before
    assert "Angola" in visit.page.inner_text("#map-table")
    assert "Guatemala" not in visit.page.inner_text("#map-table")
    visit.shot(f"dashboard-africa-{lang}")
    visit.assert_clean()


@by_language
def test_guatemala_shows_its_figures_and_a_working_source_link(
    browser, live_server, dataset, lang
):
    visit = Visit(browser, live_server)
    visit.open(PREFIX[lang] + "/countries/GTM/")
    headcount = visit.page.inner_text("#country-headcount")
    assert headcount.startswith(SAYS[lang]["headcount"])
    link = visit.page.locator("#country-source")
    href = link.get_attribute("href")
    assert href.startswith("https://") and "prensalibre.com" in href
    visit.page.wait_for_selector(".chart-staffing .scatterlayer .point")
    visit.shot(f"country-gtm-{lang}")
    visit.assert_clean()  # the source is not fetched: we only check the link


@by_language
def test_timeline_shows_the_february_2026_guatemala_announcement(
    browser, live_server, dataset, lang
):
    visit = Visit(browser, live_server)
    visit.open(PREFIX[lang] + "/timeline/")
    text = visit.page.inner_text("main")
    assert SAYS[lang]["event"] in text
    visit.page.wait_for_selector(".chart-events .scatterlayer .point")
    visit.shot(f"timeline-{lang}")
    visit.assert_clean()


PHONE_PAGES = ["/", "/missions/", "/countries/GTM/", "/timeline/", "/about/"]


@by_language
def test_pages_fit_a_375px_phone(browser, live_server, dataset, lang):
    visit = Visit(browser, live_server, width=375)
    for path in PHONE_PAGES:
        visit.open(PREFIX[lang] + path)
        overflow = visit.page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        visit.shot(f"phone-375-{lang}{path.replace('/', '-')}")
    visit.assert_clean()
