"""Data builders for the public page tests: host countries with a mission, a
sourced figure and an event, then the stored statistics, as pages read them."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from countries.models import Country
from dashboard.services import statistics_refresh
from missions.models import Mission, StaffingReport
from tests.factories import (
    make_country,
    make_event,
    make_mission,
    make_report,
    make_source,
)
from timeline.models import PolicyEvent

AREAS = [
    ("Americas", "Latin America and the Caribbean", "Central America"),
    ("Americas", "Latin America and the Caribbean", "Caribbean"),
    ("Africa", "Sub-Saharan Africa", "Western Africa"),
    ("Asia", "Western Asia", ""),
]


def make_host(
    iso3: str,
    name: str = "",
    *,
    area: int = 0,
    status: str = "active",
    kind: str = "bilateral_paid",
    workers: int | None = 100,
    doctors: int | None = 80,
    as_of: dt.date = dt.date(2025, 6, 1),
    publisher: str = "",
    event: bool = True,
) -> Country:
    """A host country with one mission, one figure and one published event."""
    region, subregion, intermediate = AREAS[area]
    country = make_country(
        iso3=iso3,
        name=name or f"Host {iso3}",
        region=region,
        subregion=subregion,
        intermediate_region=intermediate,
    )
    mission = make_mission(
        country=country, name=f"Brigade in {iso3}", status=status, kind=kind
    )
    if workers is not None or doctors is not None:  # else: no sourced figure
        make_report(
            mission=mission,
            workers=workers,
            doctors=doctors,
            as_of=as_of,
            source=make_source(
                publisher=publisher or f"Paper of {iso3}",
                url=f"https://news.example.org/{iso3.lower()}",
            ),
        )
    if event:
        make_event(countries=[country], title=f"Event in {iso3}", kind="agreement")
    return country


def make_hosts(count: int, start: int = 0) -> list[Country]:
    """`count` hosts spread over the areas above, with codes HAA, HAB, …"""
    return [
        make_host(
            f"H{chr(65 + i // 26)}{chr(65 + i % 26)}",
            area=i % len(AREAS),
            status=["active", "ended"][i % 2],
        )
        for i in range(start, start + count)
    ]


def count_queries(client, url: str) -> int:
    """How many queries one anonymous GET of `url` makes (it must answer 200).

    A first GET warms up: it may create the statistics state row."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    assert ctx.captured_queries, "no query captured: the count would prove nothing"
    return len(ctx.captured_queries)


def queries_at_two_sizes(client, url: str) -> tuple[int, int]:
    """Query counts for a page with 3 hosts and then with 15 hosts."""
    make_hosts(3)
    statistics_refresh()
    few = count_queries(client, url)
    make_hosts(12, start=3)
    statistics_refresh()
    return few, count_queries(client, url)


def queue_refresh_elsewhere() -> None:
    """Mark a refresh as already queued (as if for a worker), so that the next edit
    queues none and the statistics stay stale until a refresh runs."""
    from django.utils import timezone

    from dashboard.models import StatisticsState

    StatisticsState.current()
    StatisticsState.objects.filter(pk=1).update(refresh_queued_at=timezone.now())


def grow_guatemala(reports: int, events: int, *, start: int = 0) -> None:
    """Synthetic figures (one a week, from 2000) and events (one a fortnight) for
    Guatemala (of the real dataset), numbered from `start` so a second call adds to
    the first; then a refresh."""
    mission = Mission.objects.filter(country_id="GTM").first()
    source = make_source(publisher="Synthetic")
    StaffingReport.objects.bulk_create(
        StaffingReport(
            mission=mission,
            source=source,
            as_of=dt.date(2000, 1, 3) + dt.timedelta(weeks=n),
            workers=100 + n,
            doctors=50,
        )
        for n in range(start, start + reports)
    )
    created = PolicyEvent.objects.bulk_create(
        PolicyEvent(
            date=dt.date(2000, 1, 5) + dt.timedelta(days=14 * n),
            title=f"Synthetic event {n}",
            summary="Something happened.",
            kind=PolicyEvent.Kind.STATEMENT,
            is_published=True,
            published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        )
        for n in range(start, start + events)
    )
    PolicyEvent.affected_countries.through.objects.bulk_create(
        PolicyEvent.affected_countries.through(policyevent=e, country_id="GTM")
        for e in created
    )
    PolicyEvent.sources.through.objects.bulk_create(
        PolicyEvent.sources.through(policyevent=e, source=source) for e in created
    )
    statistics_refresh()
