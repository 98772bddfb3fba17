"""Derived statistics on small hand-made cases: each number can be checked by hand."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countries.models import Country
from dashboard.models import (
    AreaStatistic,
    CountryStatistic,
    SeriesPoint,
    StatisticsState,
)
from dashboard.services import statistics_refresh
from missions.models import Mission, StaffingReport
from tests.factories import (
    make_country,
    make_event,
    make_mission,
    make_report,
    make_source,
)
from tests.pages_data import queue_refresh_elsewhere
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db


def _stats(iso3: str) -> CountryStatistic:
    return CountryStatistic.objects.get(country_id=iso3)


def test_country_with_two_missions_one_without_figures():
    country = make_country(iso3="GTM", name="Guatemala")
    brigade = make_mission(country=country)
    make_mission(country=country, status="active")  # no figure at all
    make_report(mission=brigade, as_of=dt.date(2020, 1, 1), workers=440, doctors=None)
    make_report(mission=brigade, as_of=dt.date(2026, 2, 10), workers=412, doctors=333)
    statistics_refresh()
    stats = _stats("GTM")
    assert (stats.workers, stats.doctors) == (412, 333)
    assert stats.missions_current == 2
    assert (stats.headcount, stats.headcount_to) == (412, dt.date(2026, 2, 10))


def test_country_without_any_figure_is_unknown_not_zero():
    make_mission(country=make_country(iso3="BRB"))
    statistics_refresh()
    assert (_stats("BRB").workers, _stats("BRB").doctors) == (None, None)


def test_latest_report_with_doctors_only_leaves_workers_unknown():
    mission = make_mission(country=make_country(iso3="DZA"))
    make_report(mission=mission, as_of=dt.date(2014, 12, 17), workers=900, doctors=None)
    make_report(mission=mission, as_of=dt.date(2020, 5, 1), workers=None, doctors=126)
    statistics_refresh()
    assert (_stats("DZA").workers, _stats("DZA").doctors) == (None, 126)


def test_ended_mission_no_longer_counts():
    country = make_country(iso3="BRA")
    ended = make_mission(country=country, status="ended")
    make_report(mission=ended, workers=8300, doctors=8300)
    current = make_mission(country=country, status="phasing-out")
    make_report(mission=current, workers=10, doctors=5)
    statistics_refresh()
    stats = _stats("BRA")
    assert (stats.workers, stats.doctors, stats.status) == (10, 5, "phasing-out")


def test_overall_status_follows_the_most_active_mission():
    country = make_country(iso3="HND")
    make_mission(country=country, status="ended")
    make_mission(country=country, status="suspended")
    statistics_refresh()
    assert _stats("HND").status == "suspended"


def test_region_total_equals_the_sum_of_its_countries():
    for iso3, workers in [("GTM", 412), ("HND", 170), ("JAM", 277)]:
        make_report(
            mission=make_mission(country=make_country(iso3=iso3)), workers=workers
        )
    africa = make_country(
        iso3="AGO",
        region="Africa",
        subregion="Sub-Saharan Africa",
        intermediate_region="Middle Africa",
    )
    make_report(mission=make_mission(country=africa), workers=1000, doctors=None)
    statistics_refresh()
    americas = AreaStatistic.objects.get(level="region", slug="americas")
    assert americas.workers == 412 + 170 + 277
    assert americas.countries_total == 3 and americas.countries_active == 3
    world = AreaStatistic.objects.get(level="world")
    assert world.workers == americas.workers + 1000
    for level, slug in [
        ("subregion", "latin-america-and-the-caribbean"),
        ("intermediate", "central-america"),
    ]:
        area = AreaStatistic.objects.get(level=level, slug=slug)
        assert area.workers == americas.workers, slug


def test_events_per_year_count_only_published_ones():
    country = make_country(iso3="GTM")
    make_mission(country=country)
    make_event(countries=[country], date=dt.date(2026, 2, 10))
    make_event(countries=[country], date=dt.date(2026, 3, 1), is_published=False)
    make_event(countries=[country], date=dt.date(2025, 3, 1), kind="statement")
    statistics_refresh()
    assert SeriesPoint.objects.events_in(2026) == 1
    assert SeriesPoint.objects.events_in(2025) == 1


def test_first_and_last_year_of_presence():
    ended = make_country(iso3="BRA")
    make_mission(
        country=ended,
        status="ended",
        start=dt.date(2013, 8, 24),
        end=dt.date(2018, 12, 1),
    )
    current = make_country(iso3="GTM")
    brigade = make_mission(country=current, start=dt.date(1998, 11, 1))
    make_report(mission=brigade, as_of=dt.date(1998, 11, 5), workers=19, doctors=None)
    statistics_refresh()
    assert (_stats("BRA").first_year, _stats("BRA").last_year) == (2013, 2018)
    this_year = dt.date.today().year
    assert (_stats("GTM").first_year, _stats("GTM").last_year) == (1998, this_year)


def test_series_from_reports_and_claims_are_kept_apart():
    from missions.models import ReportedTotal

    make_report(as_of=dt.date(2019, 6, 1), workers=100, doctors=50)
    ReportedTotal.objects.create(
        year=2019, metric="workers_abroad", value=28000, source=make_source()
    )
    statistics_refresh()
    ours = SeriesPoint.objects.get(basis="reports", metric="workers", year=2019)
    claimed = SeriesPoint.objects.get(
        basis="claimed", metric="workers_abroad", year=2019
    )
    assert (ours.value, claimed.value) == (100, 28000)
    assert claimed.source_id is not None and ours.source_id is None


def test_refresh_records_the_data_version_and_is_idempotent():
    make_report(workers=5, doctors=2)
    first = statistics_refresh()
    rows = list(CountryStatistic.objects.values_list("country_id", "workers", "status"))
    second = statistics_refresh()
    assert rows == list(
        CountryStatistic.objects.values_list("country_id", "workers", "status")
    )
    assert second.changes == [] and first.data_version == second.data_version
    state = StatisticsState.current()
    assert state.stats_version == state.data_version and not state.is_stale


def test_an_edit_marks_the_statistics_stale_until_refreshed(
    django_capture_on_commit_callbacks,
):
    report = make_report(workers=5, doctors=2)
    statistics_refresh()
    queue_refresh_elsewhere()
    with django_capture_on_commit_callbacks(execute=True):
        report.workers = 6
        report.save()
    assert StatisticsState.current().is_stale
    statistics_refresh()
    assert not StatisticsState.current().is_stale


def test_command_prints_what_changed(capsys):
    make_report(
        mission=make_mission(country=make_country(iso3="GTM")), workers=412, doctors=333
    )
    call_command("refresh_statistics")
    out = capsys.readouterr().out
    assert "GTM: not a host -> active, headcount 412" in out
    call_command("refresh_statistics")
    assert "0 changed" in capsys.readouterr().out


def _refresh_queries() -> int:
    with CaptureQueriesContext(connection) as ctx:
        statistics_refresh()
    return len(ctx.captured_queries)


def _add_countries(n: int, start: int) -> None:
    """n host countries, each with a mission, a figure and an event, written in bulk
    (the refresh reads rows; 190 saves with their history took 10 s on PostgreSQL)."""
    source = make_source()
    countries = Country.objects.bulk_create(
        Country(
            iso3=f"Q{i:02d}"[-3:] if i < 100 else f"{i}",
            name=f"Country Q{i}",
            region="Americas",
            subregion="Latin America and the Caribbean",
            latitude=15.0,
            longitude=-90.0,
        )
        for i in range(start, start + n)
    )
    missions = Mission.objects.bulk_create(
        Mission(country=c, name="Brigade", kind="bilateral_paid", status="active")
        for c in countries
    )
    StaffingReport.objects.bulk_create(
        StaffingReport(
            mission=m,
            as_of=dt.date(2025, 1, 1),
            workers=i + 10,
            doctors=i,
            source=source,
        )  # fmt: skip
        for i, m in enumerate(missions, start)
    )
    events = PolicyEvent.objects.bulk_create(
        PolicyEvent(date=dt.date(2026, 2, 10), title=f"Event {c.iso3}", kind="other")
        for c in countries
    )
    PolicyEvent.affected_countries.through.objects.bulk_create(
        PolicyEvent.affected_countries.through(policyevent=e, country=c)
        for e, c in zip(events, countries, strict=True)
    )


def test_query_count_does_not_grow_with_countries(postgres):
    """200 countries: past SQLite's bulk-insert batch size, so PostgreSQL only;
    test_headcounts.py checks the same on both databases within one batch."""
    statistics_refresh()  # the first refresh of a site creates the state row
    _add_countries(10, 0)
    small = _refresh_queries()
    _add_countries(190, 10)
    assert CountryStatistic.objects.count() == 10
    assert _refresh_queries() == small
    assert CountryStatistic.objects.count() == 200


def test_real_dataset_guatemala_counts_its_412_workers_and_333_doctors(real_data):
    statistics_refresh()
    stats = _stats("GTM")
    assert (stats.workers, stats.doctors) == (412, 333)
    assert stats.status == "phasing-out"
    assert stats.headcount == 412
    assert stats.headcount_source.url.startswith("https://www.prensalibre.com/")
    central = AreaStatistic.objects.get(level="intermediate", slug="central-america")
    assert central.workers >= 412 and central.doctors >= 333
