"""Set-based aggregates of staffing figures, for the statistics refresh."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import (
    Count,
    F,
    Max,
    Min,
    Sum,
    Window,
)
from django.db.models.functions import ExtractYear, RowNumber

from missions.models import Mission, StaffingReport


def _current_latest_ids():
    """Each active or phasing-out mission's latest report id, as a subquery."""
    return (
        Mission.objects.active()
        .with_latest_report()
        .exclude(latest_report_id=None)
        .values("latest_report_id")
    )


def country_sums() -> dict[str, dict]:
    """Per country: the sums of its current missions' newest reports' all-staff and
    doctors counts (one query); None where no such report counts them."""
    rows = (
        StaffingReport.objects.filter(pk__in=_current_latest_ids())
        .values("mission__country")
        .annotate(workers=Sum("workers"), doctors=Sum("doctors"))
    )
    return {row.pop("mission__country"): row for row in rows}


def country_years() -> dict[str, dict]:
    """Per country: first and last year of presence from missions and figures."""
    years: dict[str, dict] = {}
    missions = Mission.objects.values("country").annotate(
        first=Min(ExtractYear("start")), last=Max(ExtractYear("end"))
    )
    reports = StaffingReport.objects.values("mission__country").annotate(
        first=Min(ExtractYear("as_of")), last=Max(ExtractYear("as_of"))
    )
    for row in [*missions, *reports]:
        iso3 = row.get("country") or row.get("mission__country")
        entry = years.setdefault(iso3, {"first": None, "last": None})
        entry["first"] = min(filter(None, [entry["first"], row["first"]]), default=None)
        entry["last"] = max(filter(None, [entry["last"], row["last"]]), default=None)
    return years


def report_series() -> Iterator[tuple[int, str, int]]:
    """Per year: known workers, doctors and host countries from our own figures.

    For each mission, its latest figure within the year counts once for that year.
    """
    ranked = StaffingReport.objects.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("mission"), ExtractYear("as_of")],
            order_by=[F("as_of").desc(), F("pk").desc()],
        )
    ).filter(rank=1)
    rows = (
        StaffingReport.objects.filter(pk__in=ranked.values("pk"))
        .values(year=ExtractYear("as_of"))
        .annotate(
            workers=Sum("workers"),
            doctors=Sum("doctors"),
            countries=Count("mission__country", distinct=True),
        )
        .order_by("year")
    )
    for row in rows:
        for metric in ("workers", "doctors", "countries"):
            if row[metric] is not None:
                yield row["year"], metric, row[metric]
