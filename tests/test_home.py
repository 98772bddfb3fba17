"""The first page: per region, host countries with their missions' latest figures."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_country, make_mission, make_report, make_source

pytestmark = pytest.mark.django_db


def test_lists_missions_by_region_with_latest_sourced_figure(client):
    gtm = make_country(iso3="GTM", name="Guatemala")
    mission = make_mission(
        country=gtm, name="Brigada Medica Cubana", status="phasing-out"
    )
    make_report(mission=mission, as_of=dt.date(2016, 5, 30), workers=364, doctors=None)
    source = make_source(publisher="Prensa Libre", url="https://www.prensalibre.com/x")
    make_report(
        mission=mission,
        as_of=dt.date(2026, 2, 23),
        workers=412,
        doctors=333,
        source=source,
    )
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h2" in html and "Americas" in html
    assert "Guatemala" in html and "Phasing out" in html
    assert "412" in html and "333" in html and "23 Feb 2026" in html
    assert 'href="https://www.prensalibre.com/x"' in html
    assert "364" not in html  # only the latest figure


def test_mission_without_figures_shows_unknown_not_zero(client):
    make_mission(country=make_country(name="Nowhere"), name="Unsourced brigade")
    html = client.get("/").content.decode()
    assert "Unsourced brigade" in html
    assert "unknown" in html and "No sourced figure yet" in html


def test_empty_database_says_how_to_load_data(client):
    assert "No missions recorded yet" in client.get("/").content.decode()


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_missions(client):
    for _ in range(2):
        make_report()
    few = _count_queries(client)
    for _ in range(20):
        make_report()
    assert _count_queries(client) == few == 2
