"""axe-core on every public page, at a phone's and a laptop's size: 0 violations.

axe is injected by axe-playwright-python, which evaluates axe-core in the page. The
site's CSP forbids inline script, so this test's browser context bypasses CSP; no
other test relaxes it. Colours inside the SVG charts are outside axe's reach; their
contrast is checked from the chart constants in tests/dashboard/.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": (390, 844), "laptop": (1366, 900)}
PAGES = [
    "/",
    "/?year=2013",
    "/?year=abc",  # the 400 page a bad filter gives
    "/missions/",
    "/countries/GTM/",
    "/countries/BRA/",
    "/timeline/",
    "/about/",
    "/changes/",
    "/data/",
    "/no-such-page/",
]

# Every chart on the page has its SVG (axe then checks the charts' markup too).
DRAWN = """() => [...document.querySelectorAll('[data-figure]')]
    .every(n => n.querySelector('.main-svg') || n.classList.contains('chart-failed'))"""


@pytest.fixture
def pages(real_data) -> list[str]:
    from dashboard.services import statistics_refresh
    from dashboard.services.data_package import data_package_build
    from timeline.models import PolicyEvent

    statistics_refresh()
    data_package_build()
    event = PolicyEvent.objects.published().newest_first().first()
    return [*PAGES, event.get_absolute_url()]


def _describe(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in violations
    ]


@pytest.mark.parametrize("size", SIZES)
def test_every_public_page_has_no_axe_violation(browser, live_server, pages, size):
    from axe_playwright_python.sync_playwright import Axe

    width, height = SIZES[size]
    context = browser.new_context(
        viewport={"width": width, "height": height}, bypass_csp=True
    )
    page = context.new_page()
    axe = Axe()
    found: dict[str, list[str]] = {}
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_function(DRAWN)
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = _describe(violations)
    context.close()
    assert found == {}
