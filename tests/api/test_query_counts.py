"""Each list costs the same number of queries for a page of 5 rows as for 50."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.services import statistics_refresh
from tests.factories import make_country, make_event, make_mission, make_report

pytestmark = pytest.mark.django_db
LISTS = [
    "/api/v1/countries/",
    "/api/v1/countries/?year=2024",
    "/api/v1/missions/",
    "/api/v1/staffing-reports/",
    "/api/v1/events/",
    "/api/v1/reported-totals/",
    "/api/v1/statistics/areas/",
    "/api/v1/statistics/series/",
]


def _hosts(count: int) -> None:
    for _ in range(count):
        country = make_country()
        mission = make_mission(country=country)
        make_report(mission=mission)
        make_event(countries=[country], actors=[country])
    statistics_refresh()


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", LISTS)
def test_queries_do_not_grow_with_rows(client, path):
    _hosts(5)
    few = _queries(client, path)
    _hosts(45)
    assert _queries(client, path) == few
