"""End-to-end: the map through time (the year slider) in headless Chromium, on the
real dataset."""

from __future__ import annotations

import json

import pytest

from dashboard.charts import STATUS_COLOURS
from missions.models import Mission
from tests.browser_support import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def _colour(figure: dict, iso3: str) -> str | None:
    for trace in figure["data"]:
        if trace["type"] == "choropleth" and iso3 in trace["locations"]:
            return trace["colorscale"][0][1]
    return None


def _wait_for_year(page, year: int) -> None:
    page.wait_for_function(
        "y => new URLSearchParams(location.search).get('year') === y", arg=str(year)
    )
    page.wait_for_function(
        "y => document.getElementById('year-live').textContent === 'Showing ' + y",
        arg=str(year),
    )


def test_slider_moves_by_keyboard_and_the_map_follows(browser, live_server, dataset):
    visit = Visit(browser, live_server)
    visit.open("/?region=americas&year=2013")
    visit.page.wait_for_selector(".chart-map .choroplethlocation", state="attached")
    visit.page.focus("#year-input")
    visit.page.keyboard.press("ArrowLeft")
    _wait_for_year(visit.page, 2012)
    assert "region=americas" in visit.page.url
    assert visit.page.inner_text("#year-output") == "2012"
    assert visit.page.inner_text("#map-summary").startswith("In 2012: The map shows")
    assert visit.page.inner_text("#map-heading") == "Map of host countries in 2012"
    # The map was redrawn from 2012's figure: Brazil's programme had not begun.
    figure = json.loads(visit.page.inner_text("#fig-map"))
    assert _colour(figure, "BRA") is None
    assert visit.page.evaluate("document.activeElement.id") == "year-input"
    visit.page.keyboard.press("ArrowRight")
    _wait_for_year(visit.page, 2013)
    figure = json.loads(visit.page.inner_text("#fig-map"))
    assert _colour(figure, "BRA") == STATUS_COLOURS[Mission.Status.ACTIVE]
    visit.page.wait_for_selector(".chart-map .choroplethlocation", state="attached")
    visit.shot("map-2013")
    visit.assert_clean()


def test_play_advances_the_year_and_pause_stops_it(browser, live_server, dataset):
    visit = Visit(browser, live_server)
    visit.open("/?year=2010")
    play = visit.page.locator("#year-play")
    assert play.is_visible() and play.get_attribute("aria-pressed") == "false"
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    assert play.inner_text() == "Pause"
    _wait_for_year(visit.page, 2011)
    play.click()
    assert play.get_attribute("aria-pressed") == "false"
    assert play.inner_text() == "Play"
    visit.assert_clean()


def test_without_javascript_the_url_and_show_button_give_the_year(
    browser, live_server, dataset
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/?region=americas&year=2013")
    figure = json.loads(page.inner_text("#fig-map"))
    assert _colour(figure, "BRA") == STATUS_COLOURS[Mission.Status.ACTIVE]
    assert not page.locator("#year-play").is_visible()
    page.fill("#year-input", "2000")
    page.click("#year-show")
    page.wait_for_load_state()
    assert page.url == live_server.url + "/?region=americas&year=2000"
    assert "Map of host countries in 2000" in page.inner_text("#map-heading")
    figure = json.loads(page.inner_text("#fig-map"))
    assert _colour(figure, "BRA") is None
    context.close()
