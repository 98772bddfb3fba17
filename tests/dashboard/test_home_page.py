"""The dashboard `/`: headline figures, the map, the filter form, latest events."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from dashboard.services import statistics_refresh
from dashboard.services.triggers import data_version_bump
from tests.celery_support import broker, free_port
from tests.factories import make_event, make_mission
from tests.pages_data import make_host, queries_at_two_sizes, queue_refresh_elsewhere

pytestmark = pytest.mark.django_db


def _figure(response, element_id: str = "fig-map") -> dict:
    html = response.content.decode()
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no {element_id} figure"
    return json.loads(match.group(1))


def test_shows_headline_figures_with_dates_and_statistics_time(client):
    make_host("GTM", "Guatemala", workers=412, doctors=333)
    make_host("HND", "Honduras", workers=100, doctors=None)
    statistics_refresh()
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["headline"]["headcount"] == 512  # 412 + 100
    assert '<strong class="big" id="headline-count">512</strong>' in html
    assert "(figures dated 2025)" in html
    assert "Latest figure" in html and "being refreshed" not in html


def test_says_being_refreshed_when_an_edit_is_not_counted_yet(
    client, django_capture_on_commit_callbacks
):
    make_host("GTM", "Guatemala")
    statistics_refresh()
    queue_refresh_elsewhere()  # so the edit's own refresh does not run in-process
    with django_capture_on_commit_callbacks(execute=True):
        make_mission(country=make_host("CUB", event=False))
    assert "being refreshed" in client.get("/").content.decode()


def test_after_a_failed_enqueue_says_the_refresh_is_retried_not_running(
    client, django_capture_on_commit_callbacks
):
    make_host("GTM", "Guatemala")
    statistics_refresh()
    with (
        broker(f"redis://127.0.0.1:{free_port()}/0"),  # nothing listens there
        django_capture_on_commit_callbacks(execute=True),
    ):
        make_mission(country=make_host("CUB", event=False))
    html = client.get("/").content.decode()
    assert "being refreshed" not in html
    assert "could not be queued and is tried again every minute" in html


def test_when_nothing_is_queued_or_running_says_when_it_is_checked(client):
    make_host("GTM", "Guatemala")
    statistics_refresh()
    data_version_bump()  # an edit whose refresh died with its worker
    html = client.get("/").content.decode()
    assert "being refreshed" not in html
    assert "the totals are checked every minute" in html


def test_before_any_refresh_says_so_instead_of_showing_zero(client):
    make_host("GTM", "Guatemala")
    html = client.get("/").content.decode()
    assert "not been computed yet" in html


def test_map_is_json_for_the_static_script_without_inline_script(client):
    make_host("GTM", "Guatemala")
    make_host("BRB", "Barbados", area=1)
    statistics_refresh()
    response = client.get("/")
    html = response.content.decode()
    figure = _figure(response)
    assert figure["layout"]["template"] == "none"
    markers = [t for t in figure["data"] if t["type"] == "scattergeo"]
    assert {"GTM", "BRB"} <= {
        p["links"][0]["href"].split("/")[-2] for t in markers for p in t["customdata"]
    }
    inline = re.findall(r"<script(?![^>]*(?:\bsrc=|application/json))[^>]*>", html)
    assert inline == []
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in html
    assert "cdn.plot.ly" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_countries_without_a_figure_show_unknown_not_zero(client):
    make_host("GTM", "Guatemala", workers=None, doctors=None)
    statistics_refresh()
    response = client.get("/")
    (row,) = response.context["rows"]
    assert row["headcount"] is None
    assert (
        '<td class="num" data-label="Best-known headcount">unknown</td>'
        in response.content.decode()
    )


def test_dated_figures_are_marked_and_counted(client):
    make_host("GTM", "Guatemala", as_of=dt.date.today() - dt.timedelta(days=800))
    make_host("HND", "Honduras", as_of=dt.date.today())
    statistics_refresh()
    response = client.get("/")
    assert 'latest figure over 2 years old <span class="count">(1)</span>' in (
        response.content.decode()
    )
    (markers,) = [t for t in _figure(response)["data"] if t["type"] == "scattergeo"]
    assert sorted(markers["marker"]["line"]["width"]) == [1, 2]


def test_region_filter_changes_the_map_and_the_table(client):
    make_host("GTM", "Guatemala", area=0)
    make_host("AGO", "Angola", area=2)
    statistics_refresh()
    response = client.get("/?region=africa")
    html = response.content.decode()
    assert [row["name"] for row in response.context["rows"]] == ["Angola"]
    locations = [
        loc for t in _figure(response)["data"] for loc in t.get("locations", [])
    ]
    assert locations == ["AGO"]
    assert "Region: Africa" in html  # the chip
    assert "For the missions selected by the filters (Region)" in html


def test_subregion_matches_intermediate_region_by_slug(client):
    make_host("GTM", "Guatemala", area=0)
    make_host("CUB", "Cuba", area=1)
    statistics_refresh()
    response = client.get("/?subregion=central-america")
    assert [row["name"] for row in response.context["rows"]] == ["Guatemala"]


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "year_min=abc",
        "region=%3Cscript%3Ealert(1)%3C/script%3E",
        "year_min=2020&year_max=2010",
        "year_min=1e400",
        "country=ZZZ",
        "q=%00",
    ],
)
def test_bad_filter_values_are_a_400_with_the_form_and_escaped(client, query):
    make_host("GTM", "Guatemala")
    statistics_refresh()
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters could not be used" in html
    assert "<script>alert" not in html
    assert 'id="map-table"' not in html  # never silently all rows


def test_latest_events_are_published_only(client):
    country = make_host("GTM", "Guatemala", event=False)
    make_event(countries=[country], title="Public announcement")
    make_event(countries=[country], title="Draft note", is_published=False)
    statistics_refresh()
    html = client.get("/").content.decode()
    assert "Public announcement" in html and "Draft note" not in html


def test_hover_text_escapes_user_strings(client):
    make_host("GTM", "Guatemala", publisher="<b onmouseover=x>Evil</b>")
    statistics_refresh()
    figure = _figure(client.get("/"))
    hover = " ".join(h for t in figure["data"] for h in t["hovertext"] if h)
    assert "&lt;b onmouseover=x&gt;Evil&lt;/b&gt;" in hover
    assert "<b onmouseover" not in hover


@pytest.mark.parametrize("url", ["/", "/?region=americas&status=active"])
def test_query_count_does_not_grow_with_data(client, url):
    few, many = queries_at_two_sizes(client, url)
    assert few == many
