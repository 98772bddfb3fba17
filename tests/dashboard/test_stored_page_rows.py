"""What the refresh stores for the pages (the home page's host groups, the lists'
filter counts, each country page's newest figures and events and its chart's
figures) gives the pages exactly what counting and ranking on each request gives,
and the pages read it only while no edit has happened since the refresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from countries.models import Country
from countries.stored import MISSION_FACET_COUNTS, stored
from dashboard.country_page import country_reads
from dashboard.hosts import host_rows
from dashboard.models import CountryStatistic, HostGroup, StatisticsState
from dashboard.services import statistics_refresh
from missions.filtersets import MissionFilterSet
from missions.models import Mission
from tests.factories import make_mission, make_report
from tests.pages_data import grow_guatemala, queue_refresh_elsewhere

pytestmark = pytest.mark.django_db


def _guatemala() -> Country:
    return Country.objects.get(iso3="GTM")


def _shown(reads) -> tuple:
    return (
        [r.pk for r in reads.reports],
        reads.report_count,
        [e.pk for e in reads.events],
        reads.event_count,
        [r.pk for r in reads.chart_reports],
        reads.period,
        reads.since,
    )


@pytest.mark.parametrize(
    "growth",
    [
        None,  # the real data: every chart draws every figure
        {"reports": 300, "events": 40},  # Guatemala's chart by month
        {"reports": 600, "events": 320},  # by year, the oldest years left out
    ],
)
def test_each_country_page_shows_what_ranking_its_figures_shows(real_data, growth):
    if growth:
        grow_guatemala(**growth)  # and refreshes
    else:
        statistics_refresh()
    stats = list(CountryStatistic.objects.all())
    assert len(stats) > 50
    periods = set()
    for stat in stats:
        stored_reads = country_reads(stat.country_id, stat, current=True)
        ranked = country_reads(stat.country_id, stat, current=False)
        assert _shown(stored_reads) == _shown(ranked), stat.country_id
        periods.add(stored_reads.period)
    gtm = country_reads("GTM", CountryStatistic.objects.get(country_id="GTM"), True)
    assert (
        gtm.period
        == {None: "", 300: "month", 600: "year"}[growth and growth["reports"]]
    )
    assert gtm.chart_reports and len(gtm.reports) == min(12, gtm.report_count)


def test_the_country_page_ranks_nothing_while_the_statistics_are_current(
    client, real_data
):
    grow_guatemala(reports=600, events=320)
    client.get("/countries/GTM/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/countries/GTM/").status_code == 200
    sql = " ".join(q["sql"] for q in ctx)
    assert "ROW_NUMBER" not in sql and "COUNT(" not in sql


def test_an_edit_shows_on_the_country_page_before_the_refresh(
    client, real_data, django_capture_on_commit_callbacks
):
    grow_guatemala(reports=600, events=20)
    queue_refresh_elsewhere()  # the refresh waits for a worker
    mission = Mission.objects.filter(country_id="GTM").first()
    with django_capture_on_commit_callbacks(execute=True):
        make_report(mission=mission, as_of=dt.date(2026, 11, 1), workers=4321)
    assert StatisticsState.current().is_stale
    html = client.get("/countries/GTM/").content.decode()
    assert "4,321" in html  # ranked on the request: the stored newest are older


def test_the_unfiltered_home_page_reads_the_stored_groups(client, real_data):
    statistics_refresh()
    today = dt.date.today()
    live = host_rows(Mission.objects.all(), today)
    assert host_rows(Mission.objects.all(), today, stored=True) == live
    assert HostGroup.objects.count() == len(live) > 50
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    grouped = [q["sql"] for q in ctx if "GROUP BY" in q["sql"]]
    assert not [q for q in grouped if 'FROM "missions_mission"' in q]
    assert [r["iso3"] for r in response.context["rows"]] == [r["iso3"] for r in live]


def test_an_edit_shows_on_the_home_page_before_the_refresh(
    client, real_data, django_capture_on_commit_callbacks
):
    statistics_refresh()
    queue_refresh_elsewhere()
    with django_capture_on_commit_callbacks(execute=True):
        make_mission(country=_guatemala(), name="New brigade", status="active")
    response = client.get("/")
    guatemala = next(r for r in response.context["rows"] if r["iso3"] == "GTM")
    assert guatemala["status"] == "active"  # it was phasing out


def test_stored_mission_filter_counts_are_the_counted_ones(real_data):
    statistics_refresh()
    request = RequestFactory().get("/missions/")
    counts = stored(MISSION_FACET_COUNTS, request)
    filterset = MissionFilterSet({}, queryset=Mission.objects.all())
    assert filterset.is_valid()
    counted = filterset.facet_counts(filterset.qs.facet_rows())
    assert counts == {name: +counter for name, counter in counted.items()}
    assert sum(counts["status"].values()) == Mission.objects.count()


def test_no_stored_counts_are_read_once_an_edit_has_happened(
    real_data, django_capture_on_commit_callbacks
):
    statistics_refresh()
    queue_refresh_elsewhere()
    with django_capture_on_commit_callbacks(execute=True):
        make_mission(country=_guatemala(), name="New brigade")
    assert stored(MISSION_FACET_COUNTS, RequestFactory().get("/")) is None
    statistics_refresh()
    assert stored(MISSION_FACET_COUNTS, RequestFactory().get("/")) is not None
