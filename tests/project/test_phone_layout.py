"""Phones, the filter form and print, in headless Chromium on the real dataset.

At 390x844 and 320x800 no page scrolls sideways and every missions row shows its
status, count, date and source on screen; the filter form folds behind "Filters
(n active)" and submits only the filters chosen; a printed country page keeps its
sources and drops the navigation.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qsl, urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = {"390": (390, 844), "320": (320, 800)}
PAGES = ["/", "/missions/", "/countries/GTM/", "/timeline/", "/about/", "/data/"]
# The cells a reader needs in each row: status, count, date and source (a row with
# no figure merges date and source into one "As of, source" cell).
FIGURE_CELLS = ("Status", "Best-known headcount", "As of", "Source", "As of, source")


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh
    from dashboard.services.data_package import data_package_build

    statistics_refresh()
    data_package_build()


def _page(browser, live_server, path: str, size: tuple[int, int] = (1280, 900)):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(live_server.url + path)
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize(
    "path, filters",
    [
        ("/", {"region": "africa", "status": "active"}),
        ("/missions/", {"region": "americas", "kind": "emergency"}),
        ("/timeline/", {"region": "americas", "kind": "termination"}),
    ],
)
def test_the_form_submits_exactly_the_filters_chosen(
    browser, live_server, dataset, path, filters
):
    page = _page(browser, live_server, path)
    for name, value in filters.items():
        page.select_option(f"#id_{name}", value)
    with page.expect_navigation():
        page.click("text=Apply filters")
    assert dict(parse_qsl(urlparse(page.url).query)) == filters
    assert urlparse(page.url).query.count("=") == 2
    page.close()


@pytest.mark.parametrize("path", ["/", "/missions/", "/timeline/"])
def test_no_select_repeats_an_option(browser, live_server, dataset, path):
    page = _page(browser, live_server, path)
    selects = page.eval_on_selector_all(
        "form.filters select",
        """els => els.map(s => [s.name,
              [...s.options].map(o => o.value),
              [...s.options].map(o => o.text.replace(/ \\(\\d+\\)$/, ''))])""",
    )
    assert len(selects) >= 4
    for name, values, texts in selects:
        assert [v for v, n in Counter(values).items() if n > 1] == [], name
        assert [t for t, n in Counter(texts).items() if n > 1] == [], name
        assert values.count("") <= 1, name
    page.close()


@pytest.mark.parametrize("phone", PHONES)
def test_no_page_scrolls_sideways_on_a_phone(browser, live_server, dataset, phone):
    wide = {}
    for path in PAGES:
        page = _page(browser, live_server, path, PHONES[phone])
        scroll, inner = page.evaluate(
            "() => [document.scrollingElement.scrollWidth, innerWidth]"
        )
        if scroll > inner:
            wide[path] = scroll
        page.close()
    assert wide == {}


@pytest.mark.parametrize("phone", PHONES)
def test_every_missions_row_shows_its_figures_on_a_phone(
    browser, live_server, dataset, phone
):
    page = _page(browser, live_server, "/missions/", PHONES[phone])
    rows = page.eval_on_selector_all(
        "table.cards tbody tr",
        """(rows, labels) => rows.map(tr => [...tr.children].map(cell => {
              const box = cell.getBoundingClientRect();
              return [cell.dataset.label || cell.tagName, box.left, box.right,
                      box.width, getComputedStyle(cell).visibility];
          }))""",
        list(FIGURE_CELLS),
    )
    width = PHONES[phone][0]
    assert len(rows) == 50
    for cells in rows:
        labels = {cell[0] for cell in cells}
        assert {"Status", "Best-known headcount"} <= labels
        assert {"As of", "Source"} <= labels or "As of, source" in labels
        for label, left, right, box_width, visibility in cells:
            assert 0 <= left and right <= width and box_width > 0, (label, left, right)
            assert visibility == "visible"
    page.close()


def test_filters_fold_on_a_phone_behind_their_count(browser, live_server, dataset):
    page = _page(
        browser, live_server, "/missions/?region=africa&status=active", PHONES["390"]
    )
    summary = page.locator("details.filter-panel > summary")
    assert summary.inner_text() == "Filters (2 active)"
    assert not page.locator("form.filters").is_visible()
    # The chips and the count come before the results, above the fold.
    for selector in (".chips", "#table-heading"):
        box = page.locator(selector).bounding_box()
        assert box and box["y"] + box["height"] < PHONES["390"][1], selector
    summary.click()
    assert page.locator("#id_region").is_visible()
    page.close()
    # On a laptop the form is open and its summary hidden.
    page = _page(browser, live_server, "/missions/?region=africa")
    assert page.locator("#id_region").is_visible()
    assert not page.locator("details.filter-panel > summary").is_visible()
    page.close()


def test_a_printed_country_page_keeps_its_sources_without_navigation(
    browser, live_server, dataset
):
    page = _page(browser, live_server, "/countries/GTM/")
    assert page.locator("nav[aria-label=Main]").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav[aria-label=Main]").is_visible()
    assert page.locator("#country-headcount").is_visible()
    sources = page.locator(".sources li a")
    assert sources.count() > 0 and sources.first.is_visible()
    after = sources.first.evaluate("a => getComputedStyle(a, '::after').content")
    assert sources.first.get_attribute("href") in after
    page.close()
