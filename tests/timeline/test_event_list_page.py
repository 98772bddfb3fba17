"""The timeline `/timeline/`: chart by kind, events newest first, filters, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from html import unescape

import pytest
from django.utils.html import strip_tags

from countries.models import Country
from tests.factories import make_country, make_event
from tests.pages_data import make_host, queries_at_two_sizes

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(db):
    gtm = make_host("GTM", "Guatemala", area=0, event=False)
    ago = make_host("AGO", "Angola", area=2, event=False)
    make_event(
        countries=[gtm], title="Guatemala ends brigade", date=dt.date(2026, 2, 10)
    )
    make_event(
        countries=[ago],
        title="Angola signs agreement",
        kind="agreement",
        date=dt.date(2019, 5, 1),
    )
    make_event(
        countries=[gtm, ago],
        title="Joint statement",
        kind="statement",
        date=dt.date(2022, 1, 1),
    )
    make_event(countries=[gtm], title="Unpublished draft", is_published=False)


def _titles(response) -> list[str]:
    return [event.title for event in response.context["page"]]


def test_lists_published_events_newest_first(client, events):
    response = client.get("/timeline/")
    assert response.status_code == 200
    assert _titles(response) == [
        "Guatemala ends brigade",
        "Joint statement",
        "Angola signs agreement",
    ]
    html = response.content.decode()
    assert 'id="fig-events" type="application/json"' in html
    assert "Unpublished draft" not in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=agreement", ["Angola signs agreement"]),
        ("country=GTM", ["Guatemala ends brigade", "Joint statement"]),
        ("region=africa", ["Joint statement", "Angola signs agreement"]),
        ("subregion=central-america", ["Guatemala ends brigade", "Joint statement"]),
        ("year_min=2020&year_max=2023", ["Joint statement"]),
        ("q=brigade", ["Guatemala ends brigade"]),
    ],
)
def test_filters(client, events, query, expected):
    assert _titles(client.get(f"/timeline/?{query}")) == expected


def test_facets_count_each_event_once_per_option(client, events):
    html = client.get("/timeline/").content.decode()
    # The joint statement affects two countries but is one event in the Americas.
    assert "Americas (2)</option>" in html
    assert "Africa (2)</option>" in html


@pytest.mark.parametrize(
    "query", ["kind=bogus", "year_max=abc", "region=%3Cscript%3E", "country=ZZZ"]
)
def test_bad_values_are_a_400(client, events, query):
    response = client.get(f"/timeline/?{query}")
    assert response.status_code == 400
    assert "<script>" not in response.content.decode().split("<main")[1]


@pytest.mark.parametrize("page", ["999999", "-1", "abc"])
def test_bad_pages_are_not_errors(client, events, page):
    assert client.get(f"/timeline/?page={page}").status_code == 200


def test_csv_has_the_filtered_events_with_sources(client, events):
    response = client.get("/timeline/?country=GTM&format=csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [r["title"] for r in rows] == ["Guatemala ends brigade", "Joint statement"]
    assert rows[0]["date"] == "2026-02-10"
    assert rows[0]["source_urls"].startswith("https://")


def test_chart_hover_text_is_escaped(client):
    make_event(title="<img src=x onerror=alert(1)>")
    html = client.get("/timeline/").content.decode()
    chart = html.split('id="fig-events"')[1].split("</script>")[0]
    assert "<img" not in chart
    assert "&amp;lt;img" in chart or "\\u0026lt;img" in chart


def test_query_count_does_not_grow_with_data(client):
    few, many = queries_at_two_sizes(client, "/timeline/?region=americas")
    assert few == many


def test_an_event_names_who_acted(client, events):
    cuba = make_country(iso3="CUB", name="Cuba")
    event = make_event(
        countries=[Country.objects.get(iso3="GTM")],
        title="Cuba recalls its brigade",
        kind="statement",
        actors=[cuba],
        actor_organisation="PAHO",
    )
    html = client.get("/timeline/").content.decode()
    entry = html.split(f'id="event-{event.pk}"', 1)[1].split("</article>", 1)[0]
    assert "Statement by Cuba, PAHO · Affects" in " ".join(
        unescape(strip_tags(entry)).split()
    )


def test_every_chart_marker_opens_a_page_that_exists(client):
    """The list below the chart is paged: a marker must not point at an anchor
    that is on another page, but at the event's own page."""
    for day in range(1, 61):
        make_event(title=f"Event {day}", date=dt.date(2020, 1, 1) + dt.timedelta(day))
    html = client.get("/timeline/").content.decode()
    block = html.split('id="fig-events"')[1].split(">", 1)[1]
    chart = json.loads(block.split("</script>")[0])
    links = [
        link["href"]
        for trace in chart["data"]
        for custom in trace["customdata"]
        for link in custom["links"]
    ]
    assert len(links) == 60
    for url in links[:3] + links[-3:]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.context["event"].get_absolute_url() == url
