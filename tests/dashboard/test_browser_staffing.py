"""The staffing chart as drawn in Chromium on /countries/GTM/, with the real dataset:
no line across a gap of two years or more, a label and a tooltip of its own for
every event marker, every figure reachable by hovering a marker, and a Chart |
Table switch that works from the keyboard."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser_support import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART = ".chart-staffing"
# The drawn traces, as plotly.js holds them after drawing.
DRAWN = f"""() => document.querySelector('{CHART}')._fullData.map(t => ({{
    mode: t.mode, x: t.x, yaxis: t.yaxis, name: t.name, visible: t.visible}}))"""


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def _open(browser, live_server, width: int = 1366) -> Visit:
    visit = Visit(browser, live_server, width=width)
    visit.open("/countries/GTM/")
    visit.page.wait_for_selector(f"{CHART} .scatterlayer .point")
    return visit


def _tooltip_at(page, point) -> str:
    """The hover label shown with the mouse on the centre of a marker."""
    page.locator(CHART).scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(1, 1)
    page.wait_for_selector(f"{CHART} .hoverlayer .hovertext", state="detached")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = page.wait_for_selector(f"{CHART} .hoverlayer .hovertext")
    return label.text_content()


def _traces(page) -> list:
    return page.locator(f"{CHART} .scatterlayer .trace").all()


def test_no_line_spans_two_years_or_more(browser, live_server, dataset):
    visit = _open(browser, live_server)
    lines = [t for t in visit.page.evaluate(DRAWN) if "lines" in t["mode"]]
    assert lines, "figures less than two years apart are joined"
    for trace in lines:
        dates = [dt.date.fromisoformat(x[:10]) if x else None for x in trace["x"]]
        for a, b in zip(dates, dates[1:], strict=False):
            if a and b:
                assert (b - a).days < 730, (trace["name"], a, b)
    visit.assert_clean()


def test_every_event_marker_has_a_label_and_its_own_tooltip(
    browser, live_server, dataset
):
    visit = _open(browser, live_server)
    events = _traces(visit.page)[-1]
    points = events.locator(".point").all()
    labels = events.locator(".textpoint").all_text_contents()
    assert len(points) == 6 and labels == ["1", "2", "3", "4", "5", "6"]
    tips = [_tooltip_at(visit.page, p) for p in points]
    assert len(set(tips)) == 6
    assert "Guatemala announces phase-out" in tips[4]
    assert "replacement plan" in tips[5] and "phase-out of" not in tips[5]
    visit.assert_clean()


@pytest.mark.parametrize("width", [1366, 390])
def test_every_figure_in_the_table_is_in_a_marker_tooltip(
    browser, live_server, dataset, width
):
    visit = _open(browser, live_server, width)
    page = visit.page
    seen = ""
    for trace in _traces(page)[:-1]:
        for point in trace.locator(".point").all():
            seen += _tooltip_at(page, point) + "\n"
    rows = page.locator("#staffing-table tbody tr").all()
    assert len(rows) == 11
    for row in rows:
        date, _, workers, doctors, _ = row.locator("td").all_text_contents()
        if workers != "unknown":
            assert f"{workers} all staff, {date}" in seen
        if doctors != "unknown":
            assert f"{doctors} doctors only, {date}" in seen
    visit.assert_clean()


def test_chart_or_table_is_one_button_away(browser, live_server, dataset):
    visit = _open(browser, live_server)
    page = visit.page
    chart, table = page.locator("#staffing-chart"), page.locator("#staffing-table")
    assert chart.is_visible() and table.is_hidden()
    page.focus("[data-view-toggle] [data-view=chart]")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert table.is_visible() and chart.is_hidden()
    pressed = page.locator("[data-view-toggle] [aria-pressed=true]")
    assert pressed.text_content() == "Table"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    assert chart.is_visible() and table.is_hidden()
    visit.assert_clean()


def test_without_javascript_the_chart_and_table_both_show(
    browser, live_server, dataset
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/countries/GTM/")
    assert page.locator("#staffing-table table").is_visible()
    assert page.locator("[data-view-toggle]").is_hidden()
    assert page.locator(".chart-events-key li").count() == 6
    context.close()
