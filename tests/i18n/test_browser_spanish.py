"""The Spanish pages in Chromium: plotly.js draws with its Spanish locale (month
names on the axes, our number separators), and the switch keeps the filters."""

from __future__ import annotations

import re

import pytest

from tests.browser_support import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SPANISH_MONTHS = re.compile(
    r"\b(ene|feb|mar|abr|may|jun|jul|ago|sept?|oct|nov|dic)\b", re.I
)
ENGLISH_ONLY_MONTHS = re.compile(r"\b(Jan|Apr|Aug|Dec)\b")


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def _ticks(page, selector: str) -> list[str]:
    page.wait_for_selector(f"{selector} .xtick text")
    return page.eval_on_selector_all(
        f"{selector} .xtick text", "nodes => nodes.map(n => n.textContent)"
    )


def test_the_timeline_axis_is_in_spanish(browser, live_server, dataset):
    visit = Visit(browser, live_server)
    visit.open("/es/timeline/?years=all&year_min=2025&year_max=2026")
    ticks = _ticks(visit.page, ".chart-events")
    assert any(SPANISH_MONTHS.search(t) for t in ticks), ticks
    assert not any(ENGLISH_ONLY_MONTHS.search(t) for t in ticks), ticks
    assert (
        visit.page.evaluate("document.querySelector('.chart-events')._context.locale")
        == "es"
    )
    visit.shot("timeline-es-axis")
    visit.assert_clean()


def test_the_english_timeline_keeps_english_months(browser, live_server, dataset):
    visit = Visit(browser, live_server)
    visit.open("/timeline/?years=all&year_min=2025&year_max=2026")
    ticks = _ticks(visit.page, ".chart-events")
    assert (
        visit.page.evaluate("document.querySelector('.chart-events')._context.locale")
        == "en-US"
    )
    assert not any(re.search(r"\b(ene|abr|ago|dic)\b", t) for t in ticks), ticks
    visit.assert_clean()


def test_the_country_chart_uses_spanish_separators(browser, live_server, dataset):
    visit = Visit(browser, live_server)
    visit.open("/es/countries/GTM/")
    visit.page.wait_for_selector(".chart-staffing .scatterlayer .point")
    separators = visit.page.evaluate(
        "document.querySelector('.chart-staffing')._fullLayout.separators"
    )
    assert separators == ",\u00a0"
    visit.assert_clean()


def test_the_switch_keeps_the_view_and_its_filters(browser, live_server, dataset):
    visit = Visit(browser, live_server)
    visit.open("/missions/?region=africa&sort=-size")
    visit.page.click(".language-switch a[hreflang=es]")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.url.endswith("/es/missions/?region=africa&sort=-size")
    assert visit.page.locator("html").get_attribute("lang") == "es"
    visit.page.click(".language-switch a[hreflang=en]")
    visit.page.wait_for_load_state("networkidle")
    assert visit.page.url.endswith("/missions/?region=africa&sort=-size")
    assert "/es/" not in visit.page.url
    visit.assert_clean()
