"""The timeline chart on /timeline/ with the real dataset: it opens on 2015 to
today with an "All years" link, its markers open the events' own pages, its
summary says what it shows, its kinds' colours keep 3:1 against white, and its
table counts events by year."""

from __future__ import annotations

import json

import pytest

from tests.colour_support import contrast
from timeline.charts import KIND_STYLES

pytestmark = pytest.mark.django_db


def chart_of(html: str) -> dict:
    block = html.split('id="fig-events"')[1].split(">", 1)[1]
    return json.loads(block.split("</script>")[0])


def test_chart_opens_on_2015_to_today_with_an_all_years_link(client, real_data):
    html = client.get("/timeline/").content.decode()
    start = chart_of(html)["layout"]["xaxis"]["range"][0]
    assert "2014-11" <= start < "2015-01-02"
    assert '<a href="?years=all">All years</a>' in html
    assert "12 earlier events are in All years" in html
    everything = client.get("/timeline/?years=all").content.decode()
    assert "range" not in chart_of(everything)["layout"]["xaxis"]
    assert '<a href="?years=all" aria-current="true">All years</a>' in everything


def test_all_years_link_keeps_the_filters(client, real_data):
    html = client.get("/timeline/?kind=termination").content.decode()
    assert '<a href="?kind=termination&amp;years=all">All years</a>' in html


def test_an_unknown_range_is_a_400(client, real_data):
    assert client.get("/timeline/?years=1990").status_code == 400


def test_every_marker_opens_its_event_page(client, real_data):
    chart = chart_of(client.get("/timeline/?years=all").content.decode())
    links = [
        link
        for trace in chart["data"]
        for custom in trace["customdata"]
        for link in custom["links"]
    ]
    assert len(links) == 124
    assert all(link["text"] == "Open event →" for link in links)
    for link in links[:: len(links) // 6]:
        assert client.get(link["href"]).status_code == 200, link


def test_summary_no_longer_promises_every_event_below(client, real_data):
    html = client.get("/timeline/").content.decode()
    summary = html.split('id="events-summary">')[1].split("</p>")[0]
    assert "124 events of 9 kinds, from 1960 to 2026" in summary
    assert "every event" not in summary and "select" not in summary.lower()


def test_kind_colours_keep_three_to_one_against_white():
    for kind, (colour, _) in KIND_STYLES.items():
        assert contrast(colour, "#ffffff") >= 3, kind


def test_table_counts_events_by_year_behind_a_chart_table_switch(client, real_data):
    html = client.get("/timeline/").content.decode()
    table = html.split('id="events-table"')[1].split("</table>")[0]
    assert '<th scope="row">2025</th><td class="num">40</td>' in table
    assert 'data-table="events-table"' in html
