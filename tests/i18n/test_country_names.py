"""Country names in the page's language: the Spanish name (`Country.name_es`, from
i18n-iso-countries) on Spanish pages wherever a country is named, the English name
on English pages, and the English name, unmarked, where a country has no Spanish
name. The same queries in both languages."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countries.models import Country
from dashboard.services import statistics_refresh
from tests.factories import make_event
from tests.language_support import get_in
from tests.pages_data import make_host

pytestmark = pytest.mark.django_db

NAMES = {
    "DOM": ("Dominican Republic", "República Dominicana"),
    "DEU": ("Germany", "Alemania"),
    "XNA": ("Nameland", ""),  # no Spanish name: every page shows the English
}
PAGES = [
    "/",
    "/?country=DOM",
    "/?format=csv",
    "/?year=2025",
    "/countries/DOM/",
    "/embed/countries/DOM/staffing/",
    "/embed/map/",
    "/missions/",
    "/missions/?country=DOM",
    "/timeline/",
    "/timeline/feed/",
    "/changes/",
]

# Pages that list every host; a country's own page names that country only.
LISTS = ("/", "/?format=csv", "/?year=2025", "/embed/map/", "/missions/", "/timeline/")
_ESCAPED = re.compile(r"\\u([0-9a-f]{4})")


@pytest.fixture
def hosts():
    countries = {}
    for iso3, (name, name_es) in NAMES.items():
        make_host(iso3, name, status="ended" if iso3 == "DEU" else "active")
        Country.objects.filter(iso3=iso3).update(name_es=name_es)
        countries[iso3] = Country.objects.get(iso3=iso3)
    # A status change since 2025 for the home page's "what changed", with its cause.
    countries["DOM"].missions.update(status="ended", end=dt.date(2026, 1, 15))
    make_event(
        countries=[countries["DOM"]],
        actors=[countries["DOM"]],
        title="The Dominican Republic ends the agreement",
        date=dt.date(2026, 1, 10),
        kind="termination",
    )
    statistics_refresh()
    return countries


def _text(client, path: str, language: str) -> str:
    response = get_in(client, path, language)
    assert response.status_code == 200, (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else None
    # JSON blocks (json_script) write "República" as "Rep\\u00fablica".
    return _ESCAPED.sub(
        lambda m: chr(int(m[1], 16)), (body or response.content).decode()
    )


@pytest.mark.parametrize("path", PAGES)
def test_spanish_pages_name_countries_in_spanish(client, hosts, path):
    html = _text(client, path, "es")
    assert "República Dominicana" in html
    # The event's own title is data in English, and says so (lang="en").
    english = html.replace("The Dominican Republic ends the agreement", "")
    assert "Dominican Republic" not in english, path
    if path in LISTS:
        assert "Nameland" in html
    assert '<span lang="en">Nameland' not in html  # a name is not English text


@pytest.mark.parametrize("path", PAGES)
def test_english_pages_keep_the_english_names(client, hosts, path):
    html = _text(client, path, "en")
    assert "Dominican Republic" in html
    assert "República Dominicana" not in html and "Alemania" not in html


def test_country_page_heading_title_chart_and_citation(client, hosts):
    response = get_in(client, "/countries/DOM/")
    html = response.content.decode()
    assert "<h1>República Dominicana</h1>" in html
    assert "<title>República Dominicana – " in html
    assert response.context["chart_title"].startswith(
        "Personal médico cubano en República Dominicana"
    )
    assert "en República Dominicana" in html.split('id="cite-this"', 1)[-1]
    # The BibTeX note's word too (it sat in an f-string makemessages cannot read).
    assert f"; consultado el {dt.date.today().isoformat()}}}" in html


def test_home_filter_options_chips_and_table_in_spanish(client, hosts):
    response = get_in(client, "/?country=DOM")
    html = response.content.decode()
    assert '<option value="DOM" selected>República Dominicana (1)</option>' in html
    assert "País: República Dominicana" in html  # the chip
    rows = get_in(client, "/").context["rows"]
    # Sorted by the name the reader sees: Alemania before Nameland and República.
    assert [r["name"] for r in rows] == ["Alemania", "Nameland", "República Dominicana"]
    english = get_in(client, "/", "en").context["rows"]
    assert [r["name"] for r in english] == ["Dominican Republic", "Germany", "Nameland"]


def test_map_hovers_and_links_in_spanish(client, hosts):
    figure = json.loads(get_in(client, "/").context["map_json"].split(">", 1)[1][:-9])
    hovers = [h for trace in figure["data"] for h in trace.get("hovertext") or [] if h]
    assert any(h.startswith("República Dominicana<br>") for h in hovers)
    links = json.dumps(figure, ensure_ascii=False)
    assert "Abrir República Dominicana →" in links and "Dominican Republic" not in links


def _queries(client, path: str, language: str) -> int:
    get_in(client, path, language)  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        get_in(client, path, language)
    assert ctx.captured_queries
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path", ["/", "/?country=DOM", "/countries/DOM/", "/missions/", "/timeline/"]
)
def test_spanish_names_cost_no_query(client, hosts, path):
    assert _queries(client, path, "es") == _queries(client, path, "en")


def test_the_api_gives_both_names(client, hosts):
    response = client.get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200, response.status_code
    rows = response.json()
    dom = next(r for r in rows["results"] if r["iso3"] == "DOM")
    assert (dom["name"], dom["name_es"]) == NAMES["DOM"]
    history = client.get("/api/v1/countries/DOM/").json()
    assert history["country"]["name_es"] == "República Dominicana"
