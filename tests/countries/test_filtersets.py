"""FilterSets: params → count, and bad values are invalid rather than ignored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict

from missions.filtersets import MissionFilterSet
from missions.models import Mission
from tests.factories import make_event, make_mission
from tests.pages_data import make_host
from timeline.filtersets import EventFilterSet
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(db):
    gtm = make_host("GTM", area=0)
    cub = make_host("CUB", area=1, status="ended", kind="emergency")
    make_host("AGO", area=2, status="phasing-out")
    make_mission(
        country=gtm, name="Old", start=dt.date(1998, 1, 1), end=dt.date(2005, 1, 1)
    )
    make_event(
        countries=[gtm, cub], title="Both", kind="statement", date=dt.date(2019, 1, 1)
    )


def _missions(query: str) -> MissionFilterSet:
    return MissionFilterSet(QueryDict(query), queryset=Mission.objects.for_table())


def _events(query: str) -> EventFilterSet:
    return EventFilterSet(QueryDict(query), queryset=PolicyEvent.objects.published())


@pytest.mark.parametrize(
    "query, count",
    [
        ("", 4),
        ("region=americas", 3),
        ("subregion=caribbean", 1),
        ("subregion=latin-america-and-the-caribbean", 3),
        ("status=active", 2),
        ("kind=emergency", 1),
        ("country=GTM", 2),
        ("year_max=2000", 4),  # missions with unknown dates are kept
        ("year_min=2010", 3),
        ("q=old", 1),
    ],
)
def test_mission_filters(data, query, count):
    filterset = _missions(query)
    assert filterset.is_valid(), filterset.errors
    assert filterset.qs.count() == count


@pytest.mark.parametrize(
    "query, count",
    [
        ("", 4),
        ("kind=statement", 1),
        ("country=CUB", 2),
        ("region=americas", 3),
        ("year_min=2019&year_max=2019", 1),
    ],
)
def test_event_filters(data, query, count):
    filterset = _events(query)
    assert filterset.is_valid(), filterset.errors
    assert filterset.qs.count() == count


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "kind=nope",
        "region=atlantis",
        "subregion=%3Cscript%3E",
        "country=XXX",
        "year_min=abc",
        "year_min=2018.5",
        "year_min=NaN",
        "year_min=1e400",
        "year_max=99999999999999999999999",
        "year_min=2020&year_max=2019",
        "q=a%00b",
    ],
)
def test_bad_values_make_the_filterset_invalid(data, query):
    assert not _missions(query).is_valid()


def test_facet_counts_follow_the_other_filters(data):
    filterset = _missions("status=active&region=americas")
    assert filterset.is_valid()
    filterset.add_facet_counts()
    regions = dict(filterset.form.fields["region"].choices)
    statuses = dict(filterset.form.fields["status"].choices)
    assert regions["americas"] == "Americas (2)"  # GTM's two missions are active
    assert regions["africa"] == "Africa (0)"
    assert statuses["ended"] == "Ended (1)"


def test_chips_remove_one_filter_and_keep_the_others(data):
    filterset = _missions("region=americas&kind=emergency&page=3")
    assert filterset.is_valid()
    chips = {chip["label"]: chip["remove"] for chip in filterset.chips()}
    assert chips["Region: Americas"] == "kind=emergency"
    assert chips["Kind: Emergency brigade (e.g. Henry Reeve)"] == "region=americas"
