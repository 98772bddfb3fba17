"""API answers carry the pages' ETag and Cache-Control, keyed on the data version,
and a repeat request with a matching If-None-Match gets 304."""

from __future__ import annotations

import pytest

from dashboard.models import StatisticsState
from tests.factories import make_report

pytestmark = pytest.mark.django_db
PATHS = [
    "/api/v1/",
    "/api/v1/countries/",
    "/api/v1/countries/GTM/",
    "/api/v1/missions/?status=active",
    "/api/v1/staffing-reports/",
    "/api/v1/events/",
    "/api/v1/reported-totals/",
    "/api/v1/statistics/areas/",
    "/api/v1/statistics/series/",
    "/api/v1/schema/",
]


@pytest.fixture
def report():
    from tests.factories import make_country, make_mission

    mission = make_mission(country=make_country(iso3="GTM", name="Guatemala"))
    return make_report(mission=mission)


@pytest.mark.parametrize("path", PATHS)
def test_repeat_request_is_304_until_the_data_changes(client, report, path):
    first = client.get(path)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    state = StatisticsState.current()
    state.data_version += 1  # what an edit's commit does
    state.save()
    again = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_different_filters_have_different_etags(client, report):
    one = client.get("/api/v1/missions/?status=active")["ETag"]
    other = client.get("/api/v1/missions/?status=ended")["ETag"]
    assert one != other


def test_bad_filters_are_not_cached(client, report):
    response = client.get("/api/v1/missions/?status=bogus")
    assert response.status_code == 400
    assert "ETag" not in response and "public" not in response.get("Cache-Control", "")


def test_the_page_cache_serves_api_answers(client, report, settings):
    settings.PAGE_CACHE_STORE_SECONDS = 60
    first = client.get("/api/v1/missions/")
    report.mission.name = "Renamed without an edit's version bump"
    report.mission.save()
    second = client.get("/api/v1/missions/")
    assert second.json() == first.json()  # from the cache, same data version
