"""The best-known headcount: each case of the rule, by mission, country and world."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.models import AreaStatistic, CountryStatistic, MissionStatistic
from dashboard.services import statistics_refresh
from dashboard.services.headcounts import months_before
from tests.factories import make_country, make_mission, make_report, make_source
from tests.pages_data import make_hosts

pytestmark = pytest.mark.django_db


def _headcount(mission) -> tuple:
    stat = MissionStatistic.objects.get(mission=mission)
    return stat.headcount, stat.basis, stat.as_of


def test_newest_all_staff_count_is_the_headcount():
    mission = make_mission()
    make_report(mission=mission, as_of=dt.date(2020, 8, 25), workers=440, doctors=None)
    make_report(mission=mission, as_of=dt.date(2026, 2, 23), workers=412, doctors=333)
    statistics_refresh()
    assert _headcount(mission) == (412, "staff", dt.date(2026, 2, 23))


def test_staff_count_in_the_previous_12_months_stands_over_newer_doctors_count():
    """Venezuela: 14,000 staff (Jan 2026) over 11,000 doctors (Feb 2026)."""
    mission = make_mission()
    make_report(mission=mission, as_of=dt.date(2020, 9, 1), workers=20000, doctors=None)
    make_report(
        mission=mission, as_of=dt.date(2026, 1, 14), workers=14000, doctors=None
    )
    make_report(
        mission=mission, as_of=dt.date(2026, 2, 16), workers=None, doctors=11000
    )
    statistics_refresh()
    assert _headcount(mission) == (14000, "staff", dt.date(2026, 1, 14))


def test_larger_doctors_count_stands_over_a_smaller_staff_count():
    mission = make_mission()
    make_report(mission=mission, as_of=dt.date(2025, 6, 1), workers=90, doctors=None)
    make_report(mission=mission, as_of=dt.date(2025, 9, 1), workers=None, doctors=120)
    statistics_refresh()
    assert _headcount(mission) == (120, "doctors", dt.date(2025, 9, 1))


def test_staff_count_older_than_12_months_does_not_count():
    """Algeria: 900 staff in 2014 says nothing about 2020's 126 doctors."""
    mission = make_mission()
    make_report(mission=mission, as_of=dt.date(2014, 12, 17), workers=900, doctors=None)
    make_report(mission=mission, as_of=dt.date(2020, 5, 1), workers=None, doctors=126)
    statistics_refresh()
    assert _headcount(mission) == (126, "doctors", dt.date(2020, 5, 1))


def test_only_doctors_ever_counted_is_a_doctors_only_lower_bound():
    mission = make_mission()
    make_report(mission=mission, as_of=dt.date(2023, 1, 17), workers=None, doctors=616)
    make_report(mission=mission, as_of=dt.date(2025, 9, 8), workers=None, doctors=3101)
    statistics_refresh()
    assert _headcount(mission) == (3101, "doctors", dt.date(2025, 9, 8))


def test_mission_without_any_figure_has_no_headcount():
    mission = make_mission()
    statistics_refresh()
    assert not MissionStatistic.objects.filter(mission=mission).exists()


def test_country_sums_current_missions_and_says_what_the_sum_covers():
    country = make_country(iso3="VEN", name="Venezuela")
    main = make_mission(country=country, status="phasing-out")
    make_report(mission=main, as_of=dt.date(2026, 1, 14), workers=14000, doctors=None)
    make_report(mission=main, as_of=dt.date(2026, 2, 16), workers=None, doctors=11000)
    eyes = make_mission(country=country, status="active")
    make_report(mission=eyes, as_of=dt.date(2017, 4, 1), workers=None, doctors=30)
    make_mission(country=country, status="active")  # no figure
    statistics_refresh()
    stat = CountryStatistic.objects.get(country=country)
    assert stat.headcount == 14030
    assert (stat.headcount_missions, stat.headcount_doctors_only) == (2, 1)
    assert (stat.headcount_from, stat.headcount_to) == (
        dt.date(2017, 4, 1),
        dt.date(2026, 1, 14),
    )
    assert stat.last_mission is None


def test_ended_mission_is_excluded_from_totals_but_keeps_its_last_figure():
    """Brazil: Mais Médicos ended Dec 2018 with 8,300 doctors."""
    brazil = make_country(iso3="BRA", name="Brazil", region="Americas")
    mais = make_mission(
        country=brazil, status="ended", end=dt.date(2018, 12, 1), end_precision="month"
    )
    make_report(mission=mais, as_of=dt.date(2018, 11, 23), workers=None, doctors=8300)
    older = make_mission(country=brazil, status="ended", end=dt.date(2005, 1, 1))
    make_report(mission=older, as_of=dt.date(2004, 1, 1), workers=50, doctors=None)
    guatemala = make_country(iso3="GTM", name="Guatemala", region="Americas")
    brigade = make_mission(country=guatemala, status="phasing-out")
    make_report(mission=brigade, as_of=dt.date(2026, 2, 23), workers=412, doctors=333)
    statistics_refresh()
    stat = CountryStatistic.objects.get(country=brazil)
    assert (stat.status, stat.headcount, stat.headcount_missions) == ("ended", None, 0)
    assert stat.last_mission == mais
    assert _headcount(mais) == (8300, "doctors", dt.date(2018, 11, 23))
    world = AreaStatistic.objects.get(level="world")
    assert (world.headcount, world.headcount_countries) == (412, 1)
    americas = AreaStatistic.objects.get(level="region", slug="americas")
    assert americas.headcount == 412


def test_world_headcount_is_the_sum_of_the_countries_and_keeps_the_partial_sums():
    for iso3, workers, doctors in [("AAA", 100, None), ("BBB", None, 40)]:
        make_report(
            mission=make_mission(country=make_country(iso3=iso3)),
            workers=workers,
            doctors=doctors,
            as_of=dt.date(2024, 3, 1),
            source=make_source(),
        )
    statistics_refresh()
    world = AreaStatistic.objects.get(level="world")
    assert (world.headcount, world.headcount_countries) == (140, 2)
    assert (world.headcount_missions, world.headcount_doctors_only) == (2, 1)
    assert (world.workers, world.doctors) == (100, 40)


def test_refresh_query_count_does_not_grow_with_the_data():
    statistics_refresh()  # creates the state row, as the first refresh of a site does
    make_hosts(3)
    with CaptureQueriesContext(connection) as few:
        statistics_refresh()
    make_hosts(30, start=3)
    with CaptureQueriesContext(connection) as many:
        statistics_refresh()
    assert len(few.captured_queries) > 0
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 2, 16), dt.date(2025, 2, 16)),
        (dt.date(2024, 2, 29), dt.date(2023, 2, 28)),
        (dt.date(2026, 1, 1), dt.date(2025, 1, 1)),
    ],
)
def test_twelve_months_before(date, expected):
    assert months_before(date, 12) == expected
