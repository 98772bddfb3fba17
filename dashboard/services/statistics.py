"""Recompute every derived statistic from the source tables, in one transaction.

The work is set-based: aggregates over the whole tables, never a loop over reports.
A reader sees either the old statistics or the new ones, never half of a refresh.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone
from django.utils.text import slugify

from countries.dates import Precision
from dashboard.country_page import NOTHING_SHOWN, stored_page_rows
from dashboard.hosts import host_groups
from dashboard.models import (
    REFRESH_TIME_LIMIT,
    AreaStatistic,
    CountryStatistic,
    FacetCount,
    HostGroup,
    MissionStatistic,
    SeriesPoint,
    StatisticsState,
)
from dashboard.services.headcounts import (
    Headcount,
    country_headcounts,
    mission_headcounts,
)
from dashboard.services.staffing_sums import (
    country_sums,
    country_years,
    report_series,
)
from missions.filtersets import MissionFilterSet
from missions.models import Mission, ReportedTotal, StaffingReport, overall_status
from timeline.filtersets import EventFilterSet
from timeline.models import PolicyEvent

# Any constant works: it only has to be the same for every refresh.
REFRESH_LOCK_KEY = 724_198_001


@dataclass
class RefreshResult:
    """What a refresh did: the data version it used, how long it took, what changed."""

    data_version: int
    duration_ms: int
    countries: int
    changes: list[str] = field(default_factory=list)


def statistics_refresh() -> RefreshResult:
    """Recompute all statistics and record the data version they were built from."""
    started = time.monotonic()
    # Edits made from now on must queue another refresh, so clear the flag first.
    StatisticsState.objects.filter(pk=1).update(
        refresh_queued_at=None, refresh_started_at=timezone.now()
    )
    with transaction.atomic():
        _lock()
        state = StatisticsState.current()
        version, now = state.data_version, timezone.now()
        before = _snapshot()
        CountryStatistic.objects.all().delete()
        AreaStatistic.objects.all().delete()
        SeriesPoint.objects.all().delete()
        MissionStatistic.objects.all().delete()
        FacetCount.objects.all().delete()
        HostGroup.objects.all().delete()
        stamp = {"computed_at": now, "data_version": version}
        headcounts = mission_headcounts()
        MissionStatistic.objects.bulk_create(_mission_rows(headcounts, stamp))
        CountryStatistic.objects.bulk_create(_country_rows(headcounts, stamp))
        AreaStatistic.objects.bulk_create(_area_rows(stamp))
        SeriesPoint.objects.bulk_create(_series_rows(stamp))
        FacetCount.objects.bulk_create(_facet_rows(stamp))
        HostGroup.objects.bulk_create(_host_group_rows(stamp))
        duration_ms = int((time.monotonic() - started) * 1000)
        StatisticsState.objects.filter(pk=state.pk).update(
            stats_version=version,
            computed_at=now,
            duration_ms=duration_ms,
            refresh_count=F("refresh_count") + 1,
            **_observation_dates(),
        )
        after = _snapshot()
    return RefreshResult(version, duration_ms, len(after), _diff(before, after))


def _lock() -> None:
    """Serialise refreshes; SQLite already serialises writing transactions."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Its own limit, not the web's DB_STATEMENT_TIMEOUT: waiting for another
            # refresh's lock counts as one statement.
            cursor.execute(f"SET LOCAL statement_timeout = '{REFRESH_TIME_LIMIT}s'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK_KEY])


def refresh_in_progress() -> bool:
    """True while another session's refresh holds its lock (PostgreSQL); SQLite
    cannot tell."""
    if connection.vendor != "postgresql":
        return False
    # A bigint advisory key shows as classid (high half), objid (low half), objsubid 1.
    # Advisory locks belong to one database: another database's refresh (a parallel
    # test process, another site on the same server) is not ours.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' "
            "AND classid = %s AND objid = %s AND objsubid = 1 AND granted "
            "AND pid <> pg_backend_pid() AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database()))",
            [REFRESH_LOCK_KEY >> 32, REFRESH_LOCK_KEY & 0xFFFFFFFF],
        )
        return cursor.fetchone()[0]


def _snapshot() -> dict[str, tuple]:
    rows = CountryStatistic.objects.values_list("country_id", "status", "headcount")
    return {iso3: (status, headcount) for iso3, status, headcount in rows}


def _describe(values: tuple | None) -> str:
    if values is None:
        return "not a host"
    status, headcount = ("unknown" if v is None else v for v in values)
    return f"{status}, headcount {headcount}"


def _diff(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """Human-readable changes between two snapshots, one line per country."""
    return [
        f"{iso3}: {_describe(before.get(iso3))} -> {_describe(after.get(iso3))}"
        for iso3 in sorted(before.keys() | after.keys())
        if before.get(iso3) != after.get(iso3)
    ]


def _observation_dates() -> dict:
    """The newest staffing figure's and published event's dates (two queries)."""
    figure = StaffingReport.objects.order_by("-as_of").first()
    event = PolicyEvent.objects.published().order_by("-date").first()
    return {
        "latest_figure_on": figure.as_of if figure else None,
        "latest_figure_precision": figure.as_of_precision if figure else Precision.DAY,
        "latest_event_on": event.date if event else None,
        "latest_event_precision": event.date_precision if event else Precision.DAY,
    }


def _mission_rows(
    headcounts: dict[int, Headcount], stamp: dict
) -> list[MissionStatistic]:
    return [
        MissionStatistic(
            mission_id=h.mission_id,
            headcount=h.headcount,
            basis=h.basis,
            as_of=h.as_of,
            as_of_precision=h.as_of_precision,
            source_id=h.source_id,
            **stamp,
        )
        for h in headcounts.values()
    ]


def _country_rows(
    headcounts: dict[int, Headcount], stamp: dict
) -> list[CountryStatistic]:
    """One statistics row per host country, merged from a few aggregate queries."""
    sums, years = country_sums(), country_years()
    headcount = country_headcounts(headcounts)
    counted = _page_counts()
    pages = stored_page_rows(counted)
    this_year = timezone.now().year
    rows = []
    for counts in Mission.objects.status_by_country():
        iso3 = counts["country_id"]
        status = overall_status(counts)
        current = counts["active"] + counts["phasing_out"]
        yrs = years.get(iso3, {})
        rows.append(
            CountryStatistic(
                country_id=iso3,
                status=status,
                missions_current=current,
                workers=sums.get(iso3, {}).get("workers"),
                doctors=sums.get(iso3, {}).get("doctors"),
                first_year=yrs.get("first"),
                last_year=this_year if current else yrs.get("last"),
                **counted.get(iso3, {}),
                **pages.get(iso3, NOTHING_SHOWN),
                **headcount.get(iso3, {}),
                **stamp,
            )
        )
    return rows


def _page_counts() -> dict[str, dict[str, int]]:
    """Per country: its figures, their (mission, month) pairs and its published
    events, as the country page counts them (two grouped queries)."""
    counted: dict[str, dict[str, int]] = defaultdict(dict)
    for iso3, n, months in StaffingReport.objects.counts_by_country():
        counted[iso3] |= {"report_count": n, "report_mission_months": months}
    for iso3, n in PolicyEvent.objects.published().counts_by_country():
        counted[iso3]["event_count"] = n
    return counted


def _area_totals(group_by: str | None):
    """Sum the stored per-country rows by one M49 level (one query)."""
    aggregates = {
        "workers": Sum("workers"),
        "doctors": Sum("doctors"),
        # Count before Sum: an alias would shadow the field it counts.
        "headcount_countries": Count("headcount"),
        "headcount": Sum("headcount"),
        "headcount_missions": Sum("headcount_missions"),
        "headcount_doctors_only": Sum("headcount_doctors_only"),
        "headcount_from": Min("headcount_from"),
        "headcount_to": Max("headcount_to"),
        "missions_current": Sum("missions_current"),
        "countries_total": Count("pk"),
        "countries_active": Count("pk", filter=Q(status=Mission.Status.ACTIVE)),
        "countries_phasing_out": Count(
            "pk", filter=Q(status=Mission.Status.PHASING_OUT)
        ),
    }
    qs = CountryStatistic.objects.all()
    if group_by is None:
        return [qs.aggregate(**aggregates) | {"name": "World"}]
    return [
        row | {"name": row.pop(group_by)}
        for row in qs.exclude(**{group_by: ""}).values(group_by).annotate(**aggregates)
    ]


def _area_rows(stamp: dict) -> list[AreaStatistic]:
    levels = {
        AreaStatistic.Level.WORLD: None,
        AreaStatistic.Level.REGION: "country__region",
        AreaStatistic.Level.SUBREGION: "country__subregion",
        AreaStatistic.Level.INTERMEDIATE: "country__intermediate_region",
    }
    return [
        AreaStatistic(level=level, slug=slugify(row["name"]), **row, **stamp)
        for level, group_by in levels.items()
        for row in _area_totals(group_by)
        if row["countries_total"]
    ]


def _facet_rows(stamp: dict) -> list[FacetCount]:
    """The unfiltered lists' facet counts, each counted by its own FilterSet: the
    timeline's published events, and the missions of the missions list (which the
    home page's filters count too: the same missions, the same options)."""
    lists = [
        (FacetCount.Page.EVENTS, EventFilterSet, PolicyEvent.objects.published()),
        (FacetCount.Page.MISSIONS, MissionFilterSet, Mission.objects.all()),
    ]
    rows = []
    for page, filterset_class, queryset in lists:
        filterset = filterset_class({}, queryset=queryset)
        counts = filterset.facet_counts(filterset.qs.facet_rows())
        rows += [
            FacetCount(page=page, name=name, value=value, count=n, **stamp)
            for name, counter in counts.items()
            for value, n in counter.items()
            if value  # events with no affected country have no country option
        ]
    return rows


def _host_group_rows(stamp: dict) -> list[HostGroup]:
    """The unfiltered home page's groups of missions by host country, grouped as
    the page groups them (after the missions' statistics are written: the groups
    sum their headcounts)."""
    return [
        HostGroup(country_id=group.pop("country_id"), group=group, **stamp)
        for group in host_groups(Mission.objects.all())
    ]


def _series_rows(stamp: dict) -> list[SeriesPoint]:
    """Yearly series: our reports, sources' claimed totals and events, kept apart."""
    points = [
        SeriesPoint(
            basis=SeriesPoint.Basis.REPORTS,
            metric=metric,
            year=year,
            value=value,
            **stamp,
        )
        for year, metric, value in report_series()
    ]
    points += [
        SeriesPoint(
            basis=SeriesPoint.Basis.CLAIMED,
            metric=total.metric,
            year=total.year,
            value=total.value,
            source_id=total.source_id,
            **stamp,
        )
        for total in ReportedTotal.objects.all()
    ]
    events = (
        PolicyEvent.objects.published()
        .values("date__year", "kind")
        .annotate(n=Count("pk"))
    )
    points += [
        SeriesPoint(
            basis=SeriesPoint.Basis.EVENTS,
            metric=row["kind"],
            year=row["date__year"],
            value=row["n"],
            **stamp,
        )
        for row in events
    ]
    return points
