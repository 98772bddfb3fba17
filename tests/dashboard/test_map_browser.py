"""The map in Chromium on the real dataset: every host marker can be reached by
mouse at 1366x900 and by finger at 390x844, clicks pin a tooltip before they
navigate, the region presets work from the keyboard, and the outline is fetched
once, from the hashed and compressed static file."""

from __future__ import annotations

import re

import pytest

from dashboard.charts import MAP_PRESETS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# Where the world view is too crowded (the Lesser Antilles are a few pixels
# apart), each country is checked in the smallest preset whose box holds it:
# Caribbean, then Americas, Africa (with southern Europe and the Gulf), Asia and
# Oceania, and the world view for the rest.
PRESET_ORDER = ["caribbean", "americas", "africa", "asia", "world"]
BOXES = {key: (lon, lat) for key, _, lon, lat in MAP_PRESETS}

MARKERS_JS = """() => {
  const gd = document.querySelector('.chart-map');
  const trace = gd.data.find(t => t.type === 'scattergeo');
  return Array.from(gd.querySelectorAll('.scattergeo .point')).map(el => {
    const r = el.getBoundingClientRect();
    const i = el.__data__.i;
    return {x: r.x + r.width / 2, y: r.y + r.height / 2,
            lon: trace.lon[i], lat: trace.lat[i],
            href: trace.customdata[i].links[0].href,
            name: new DOMParser().parseFromString(
              trace.customdata[i].links[0].text, 'text/html'
            ).body.textContent.replace(/^Open | →$/g, '')};
  });
}"""


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def preset_for(lon: float, lat: float) -> str:
    """The smallest region preset whose box holds this point."""
    for key in PRESET_ORDER:
        (lon0, lon1), (lat0, lat1) = BOXES[key]
        inside_lon = lon0 <= lon <= lon1 or lon0 <= lon + 360 <= lon1
        if inside_lon and lat0 <= lat <= lat1:
            return key
    return "world"


def _open_map(browser, live_server, viewport: dict, touch: bool = False):
    context = browser.new_context(viewport=viewport, has_touch=touch)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/")
    page.wait_for_selector(".chart-map .scattergeo .point")
    page.locator(".chart-map").scroll_into_view_if_needed()
    return page, errors


def _choose(page, preset: str) -> None:
    page.click(f'[data-preset="{preset}"]')
    page.wait_for_function(
        "p => document.querySelector('.chart-map')._fullLayout.geo.lonaxis.range[0]"
        " === p",
        arg=BOXES[preset][0][0],
    )
    page.locator(".chart-map").scroll_into_view_if_needed()


def _by_preset(page) -> dict[str, list[str]]:
    first = page.evaluate(MARKERS_JS)
    groups: dict[str, list[str]] = {key: [] for key in PRESET_ORDER}
    for marker in first:
        groups[preset_for(marker["lon"], marker["lat"])].append(marker["href"])
    return groups


def _reach_every_marker(page, action) -> tuple[int, list[tuple[str, str]]]:
    """Apply `action` at the centre of every marker, in its preset; return the
    number checked and the (expected, shown) pairs that were wrong."""
    checked, wrong = 0, []
    for preset, hrefs in _by_preset(page).items():
        if not hrefs:
            continue
        _choose(page, preset)
        for marker in page.evaluate(MARKERS_JS):
            if marker["href"] not in hrefs:
                continue
            shown = action(page, marker)
            checked += 1
            if shown != marker["name"]:
                wrong.append((f"{marker['name']} ({preset})", shown))
    return checked, wrong


def _hover(page, marker) -> str:
    page.mouse.move(1, 1)  # off the map: the previous tooltip goes
    label = page.locator(".chart-map .hoverlayer .hovertext")
    label.first.wait_for(state="detached")
    page.mouse.move(marker["x"], marker["y"])
    label.first.wait_for()
    return label.first.evaluate("e => e.querySelector('tspan.line').textContent")


def _tap(page, marker) -> str:
    page.keyboard.press("Escape")
    page.touchscreen.tap(marker["x"], marker["y"])
    pin = page.locator(".chart-map .chart-pin")
    pin.wait_for()
    return pin.locator("p").first.inner_text()


def test_hovering_the_centre_of_every_marker_names_its_country_on_a_desktop(
    browser, live_server, dataset
):
    page, errors = _open_map(browser, live_server, DESKTOP)
    checked, wrong = _reach_every_marker(page, _hover)
    assert checked >= 62
    assert wrong == []
    assert errors == []


def test_tapping_the_centre_of_every_marker_pins_its_country_on_a_phone(
    browser, live_server, dataset
):
    page, errors = _open_map(browser, live_server, PHONE, touch=True)
    checked, wrong = _reach_every_marker(page, _tap)
    assert checked >= 62
    assert wrong == []
    assert errors == []


def _marker(page, iso3: str) -> dict:
    markers = page.evaluate(MARKERS_JS)
    return next(m for m in markers if m["href"] == f"/countries/{iso3}/")


def test_a_first_tap_pins_the_tooltip_and_a_second_opens_the_country(
    browser, live_server, dataset
):
    page, errors = _open_map(browser, live_server, PHONE, touch=True)
    _choose(page, "caribbean")
    for iso3, name in [("LCA", "Saint Lucia"), ("GTM", "Guatemala")]:
        if iso3 == "GTM":
            page.goto(live_server.url + "/")
            page.wait_for_selector(".chart-map .scattergeo .point")
            _choose(page, "caribbean")
        marker = _marker(page, iso3)
        page.touchscreen.tap(marker["x"], marker["y"])
        pin = page.locator(".chart-map .chart-pin")
        assert pin.locator("a").first.inner_text() == f"Open {name} →"
        assert page.url == live_server.url + "/"  # the first tap did not navigate
        with page.expect_navigation():
            page.touchscreen.tap(marker["x"], marker["y"])
        assert page.url == f"{live_server.url}/countries/{iso3}/"
    assert errors == []


def test_a_click_pins_links_that_keep_sources_in_a_new_tab_and_escape_closes(
    browser, live_server, dataset
):
    page, errors = _open_map(browser, live_server, DESKTOP)
    _choose(page, "caribbean")
    marker = _marker(page, "GTM")
    page.mouse.click(marker["x"], marker["y"])
    pin = page.locator(".chart-map .chart-pin")
    assert pin.evaluate("e => e === document.activeElement")
    source = pin.get_by_role("link", name="Open source ↗")
    assert source.get_attribute("target") == "_blank"
    assert source.get_attribute("rel") == "noopener"
    assert "Guatemala" in pin.inner_text() and "Phasing out" in pin.inner_text()
    page.keyboard.press("Escape")
    pin.wait_for(state="detached")
    page.mouse.click(marker["x"], marker["y"])
    page.get_by_role("button", name="Close").click()
    pin.wait_for(state="detached")
    assert page.url == live_server.url + "/"
    assert errors == []


def test_region_presets_are_buttons_that_work_from_the_keyboard(
    browser, live_server, dataset
):
    page, errors = _open_map(browser, live_server, DESKTOP)
    world = page.get_by_role("button", name="World")
    assert world.get_attribute("aria-pressed") == "true"
    world.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Caribbean"
    page.keyboard.press("Enter")
    caribbean = page.get_by_role("button", name="Caribbean")
    assert caribbean.get_attribute("aria-pressed") == "true"
    assert world.get_attribute("aria-pressed") == "false"
    lon_range = page.evaluate(
        "document.querySelector('.chart-map')._fullLayout.geo.lonaxis.range"
    )
    assert lon_range == list(BOXES["caribbean"][0])
    title = page.inner_text("#map-title")
    assert title == "Status of Cuban medical missions, latest information"
    legend = page.inner_text("#map-legend")
    assert re.search(r"Active\s+\(\d+\)", legend) and "No mission recorded" in legend
    assert errors == []


def test_redraw_follows_a_swapped_figure_and_keeps_the_preset(
    browser, live_server, dataset
):
    page, errors = _open_map(browser, live_server, DESKTOP)
    _choose(page, "caribbean")
    page.evaluate(
        """async () => {
          const holder = document.getElementById('fig-map');
          const figure = JSON.parse(holder.textContent);
          figure.layout.meta.title = 'Status of Cuban medical missions, 2013';
          figure.layout.meta.legend[0].count = 99;
          holder.textContent = JSON.stringify(figure);
          await window.TrackerCharts.redraw(document.querySelector('.chart-map'));
        }"""
    )
    assert page.inner_text("#map-title").endswith(", 2013")
    assert re.search(r"Active\s+\(99\)", page.inner_text("#map-legend"))
    lon_range = page.evaluate(
        "document.querySelector('.chart-map')._fullLayout.geo.lonaxis.range"
    )
    assert lon_range == list(BOXES["caribbean"][0])
    assert errors == []


SHAPES_JS = """() => {
  const gd = document.querySelector('.chart-map');
  const markers = gd.data.find(t => t.type === 'scattergeo');
  const byId = Object.fromEntries(markers.ids.map((id, i) => [id, i]));
  return gd.data.filter(t => t.type === 'choropleth').flatMap(t =>
    t.locations.map((iso3, i) => ({
      iso3, text: t.hovertext[i],
      link: t.customdata[i] && t.customdata[i].links[0].href,
      same: iso3 in byId ? markers.hovertext[byId[iso3]] === t.hovertext[i] : true,
    })));
}"""


def test_every_country_shape_gets_the_tooltip_its_marker_carries(
    browser, live_server, dataset
):
    """The page sends a country's tooltip and links once, on its marker; the
    script copies them to the shape, so hovering the shape says the same."""
    page, errors = _open_map(browser, live_server, DESKTOP)
    shapes = page.evaluate(SHAPES_JS)
    assert len(shapes) >= 62
    assert all(s["text"] and s["same"] for s in shapes), shapes
    assert all(s["link"] == f"/countries/{s['iso3']}/" for s in shapes)
    assert errors == []
