"""The missions list `/missions/`: filters, sorting, facets, chips, CSV, bad input."""

from __future__ import annotations

import csv
import io
import re

import pytest

from dashboard.services import statistics_refresh
from tests.factories import make_mission, make_report, make_source
from tests.pages_data import make_host, queries_at_two_sizes

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosts(db):
    make_host("GTM", "Guatemala", area=0, workers=412, doctors=333)
    make_host(
        "CUB",
        "Cuba",
        area=1,
        status="ended",
        kind="emergency",
        workers=50,
        doctors=None,
    )
    make_host("AGO", "Angola", area=2, status="phasing-out", workers=1200)
    statistics_refresh()


def _rows(response) -> list[str]:
    return [mission.country.name for mission in response.context["page"]]


def test_lists_missions_with_latest_sourced_figure(client, hosts):
    response = client.get("/missions/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 missions" in html
    assert "412" in html and "333" in html and "1 Jun 2025" in html
    assert 'href="https://news.example.org/gtm"' in html
    assert '412 <span class="basis">all staff</span>' in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("region=americas", ["Cuba", "Guatemala"]),
        ("region=africa", ["Angola"]),
        ("subregion=central-america", ["Guatemala"]),
        ("subregion=latin-america-and-the-caribbean", ["Cuba", "Guatemala"]),
        ("status=phasing-out", ["Angola"]),
        ("kind=emergency", ["Cuba"]),
        ("country=GTM", ["Guatemala"]),
        ("q=guate", ["Guatemala"]),
        ("region=americas&status=ended", ["Cuba"]),
    ],
)
def test_filters_by_readable_slugs(client, hosts, query, expected):
    assert _rows(client.get(f"/missions/?{query}")) == expected


def test_sorts_by_best_known_headcount(client, hosts):
    assert _rows(client.get("/missions/?sort=-size")) == [
        "Angola",
        "Guatemala",
        "Cuba",
    ]


def test_options_show_facet_counts_and_active_filters_are_chips(client, hosts):
    html = client.get("/missions/?region=americas&status=active").content.decode()
    # Region counts ignore the region filter but apply the status filter.
    assert "Americas (1)</option>" in html
    assert "Africa (0)</option>" in html
    # Status counts ignore the status filter but apply the region filter.
    assert "Ended (1)</option>" in html
    assert "Region: Americas" in html and "Status: Active" in html
    assert 'href="?status=active"' in html  # removing the region chip keeps status


def test_form_works_without_javascript(client, hosts):
    html = client.get("/missions/").content.decode()
    assert '<form method="get"' in html
    assert '<label for="id_region">Region</label>' in html


def test_csv_has_exactly_the_filtered_rows_with_sources(client, hosts):
    response = client.get("/missions/?region=americas&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert sorted(r["iso3"] for r in rows) == ["CUB", "GTM"]
    gtm = next(r for r in rows if r["iso3"] == "GTM")
    assert gtm["latest_workers"] == "412" and gtm["latest_doctors"] == "333"
    assert gtm["source_url"] == "https://news.example.org/gtm"
    # Dates at their precision in the dataset's own form: 1998, 2026-02, 2026-02-13.
    assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", gtm["as_of"])
    cub = next(r for r in rows if r["iso3"] == "CUB")
    assert cub["latest_doctors"] == ""  # unknown stays empty, never 0


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client):
    mission = make_mission(name="=HYPERLINK(1)")
    make_report(mission=mission, source=make_source(publisher="@evil"))
    text = client.get("/missions/?format=csv").getvalue().decode()
    assert "'=HYPERLINK(1)" in text and "'@evil" in text


@pytest.mark.parametrize(
    "query",
    ["status=bogus", "year_min=abc", "region=%3Cscript%3E", "sort=password", "q=%00"],
)
def test_bad_values_are_a_400_with_errors_and_no_rows(client, hosts, query):
    response = client.get(f"/missions/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "errorlist" in html and "<tbody>" not in html
    assert "<script>" not in html.split("<main")[1]


def test_bad_values_in_csv_are_a_400_too(client, hosts):
    assert client.get("/missions/?status=bogus&format=csv").status_code == 400


@pytest.mark.parametrize("page", ["999999", "-1", "abc", "1e9", "0"])
def test_out_of_range_pages_get_a_page_not_an_error(client, hosts, page):
    response = client.get(f"/missions/?page={page}")
    assert response.status_code == 200
    assert "Guatemala" in response.content.decode()


def test_years_keep_missions_present_in_the_range(client):
    import datetime as dt

    make_mission(name="Old one", start=dt.date(1990, 1, 1), end=dt.date(1995, 1, 1))
    make_mission(name="Still on", start=dt.date(2010, 1, 1))
    html = client.get("/missions/?year_min=2000&year_max=2026").content.decode()
    assert "Still on" in html and "Old one" not in html


def test_query_count_does_not_grow_with_data(client):
    few, many = queries_at_two_sizes(client, "/missions/?region=americas&sort=-size")
    assert few == many
