"""End-to-end: the public pages in headless Chromium against the live test server.

Loads the real dataset, so the numbers are the ones a visitor sees. Screenshots of
each page go to tests/artifacts/ (ignored by git) for a reviewer to look at.
"""

from __future__ import annotations

import pytest

from tests.browser_support import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def _map_counts(page) -> tuple[int, int]:
    page.wait_for_selector(".chart-map .choroplethlocation")
    shapes = page.locator(".chart-map .choroplethlocation").count()
    markers = page.locator(".chart-map .scattergeo .point").count()
    return shapes, markers


def test_dashboard_map_draws_the_hosts_offline(browser, live_server, dataset):
    visit = Visit(browser, live_server)
    visit.open("/")
    shapes, markers = _map_counts(visit.page)
    # 63 host countries: a shape for each one the 110m map has, a marker for each
    # with a map point (all but Martinique), plus a ring for each dated one.
    assert shapes >= 40
    assert markers >= 62
    visit.shot("dashboard")
    visit.assert_clean()


def test_choosing_a_region_changes_the_map_and_the_table(browser, live_server, dataset):
    visit = Visit(browser, live_server)
    visit.open("/")
    _, markers_before = _map_counts(visit.page)
    rows_before = visit.page.locator("#map-table tbody tr").count()
    visit.page.select_option("#id_region", "africa")
    visit.page.click("text=Apply filters")
    visit.page.wait_for_load_state("networkidle")
    assert "region=africa" in visit.page.url
    _, markers_after = _map_counts(visit.page)
    rows_after = visit.page.locator("#map-table tbody tr").count()
    assert 0 < rows_after < rows_before
    assert markers_after < markers_before
    assert "Angola" in visit.page.inner_text("#map-table")
    assert "Guatemala" not in visit.page.inner_text("#map-table")
    visit.shot("dashboard-africa")
    visit.assert_clean()


def test_guatemala_shows_its_figures_and_a_working_source_link(
    browser, live_server, dataset
):
    visit = Visit(browser, live_server)
    visit.open("/countries/GTM/")
    headcount = visit.page.inner_text("#country-headcount")
    assert headcount.startswith("At least 412 Cuban health workers (all staff)")
    link = visit.page.locator("#country-source")
    href = link.get_attribute("href")
    assert href.startswith("https://") and "prensalibre.com" in href
    visit.page.wait_for_selector(".chart-staffing .scatterlayer .point")
    visit.shot("country-gtm")
    visit.assert_clean()  # the source is not fetched: we only check the link


def test_timeline_shows_the_february_2026_guatemala_announcement(
    browser, live_server, dataset
):
    visit = Visit(browser, live_server)
    visit.open("/timeline/")
    text = visit.page.inner_text("main")
    assert "10 Feb 2026: Guatemala announces phase-out of Cuban medical brigade" in text
    visit.page.wait_for_selector(".chart-events .scatterlayer .point")
    visit.shot("timeline")
    visit.assert_clean()


PHONE_PAGES = ["/", "/missions/", "/countries/GTM/", "/timeline/", "/about/"]


def test_pages_fit_a_375px_phone(browser, live_server, dataset):
    visit = Visit(browser, live_server, width=375)
    for path in PHONE_PAGES:
        visit.open(path)
        overflow = visit.page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
        visit.shot(f"phone-375{path.replace('/', '-')}")
    visit.assert_clean()
