"""The best-known headcount of each mission: the one number a reader can quote.

The rule, per mission, from its staffing reports:

- the newest report counts all staff: that count;
- the newest report counts doctors only: the larger of that count and any all-staff
  count dated in the 12 months up to it (Venezuela: 14,000 staff in January 2026
  stands over 11,000 doctors in February 2026);
- no all-staff count in that window: the doctors count, labelled "doctors only",
  a lower bound.

Two set-based queries, whatever the number of missions or reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from dashboard.models import MissionStatistic
from missions.models import Mission, StaffingReport

WINDOW_MONTHS = 12
CURRENT = (Mission.Status.ACTIVE, Mission.Status.PHASING_OUT)
STAFF, DOCTORS = MissionStatistic.Basis.STAFF, MissionStatistic.Basis.DOCTORS

_FIELDS = (
    "pk",
    "mission_id",
    "workers",
    "doctors",
    "as_of",
    "as_of_precision",
    "source_id",
)


@dataclass(frozen=True)
class Headcount:
    """A mission's best-known headcount, with what it counts, its date and source."""

    mission_id: int
    headcount: int
    basis: str
    as_of: dt.date
    as_of_precision: str
    source_id: int
    report_id: int


def months_before(date: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (clamped to the month's end)."""
    index = date.year * 12 + date.month - 1 - months
    year, month = divmod(index, 12)
    for day in (date.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _from_report(report: dict, count: int, basis: str) -> Headcount:
    return Headcount(
        mission_id=report["mission_id"],
        headcount=count,
        basis=basis,
        as_of=report["as_of"],
        as_of_precision=report["as_of_precision"],
        source_id=report["source_id"],
        report_id=report["pk"],
    )


def best_headcount(newest: dict, staff_reports: Iterable[dict]) -> Headcount:
    """Apply the rule to one mission's newest report and its all-staff reports."""
    if newest["workers"] is not None:
        return _from_report(newest, newest["workers"], STAFF)
    since = months_before(newest["as_of"], WINDOW_MONTHS)
    window = [r for r in staff_reports if since <= r["as_of"] <= newest["as_of"]]
    best = max(window, key=lambda r: (r["workers"], r["as_of"]), default=None)
    if best is not None and best["workers"] >= newest["doctors"]:
        return _from_report(best, best["workers"], STAFF)
    return _from_report(newest, newest["doctors"], DOCTORS)


def mission_headcounts() -> dict[int, Headcount]:
    """Every mission's best-known headcount, keyed by mission id (two queries)."""
    ranked = StaffingReport.objects.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("mission")],
            order_by=[F("as_of").desc(), F("pk").desc()],
        )
    ).filter(rank=1)
    newest = list(
        StaffingReport.objects.filter(pk__in=ranked.values("pk")).values(*_FIELDS)
    )
    doctors_only = [r for r in newest if r["workers"] is None]
    staff: dict[int, list[dict]] = defaultdict(list)
    if doctors_only:
        since = months_before(min(r["as_of"] for r in doctors_only), WINDOW_MONTHS)
        rows = StaffingReport.objects.filter(
            mission__in=ranked.filter(workers=None).values("mission"),
            workers__isnull=False,
            as_of__gte=since,
        ).values(*_FIELDS)
        for row in rows:
            staff[row["mission_id"]].append(row)
    return {r["mission_id"]: best_headcount(r, staff[r["mission_id"]]) for r in newest}


def _sum(current: list[Headcount]) -> dict:
    oldest = min(current, key=lambda h: h.as_of)
    newest = max(current, key=lambda h: (h.as_of, h.report_id))
    return {
        "headcount": sum(h.headcount for h in current),
        "headcount_missions": len(current),
        "headcount_doctors_only": sum(h.basis == DOCTORS for h in current),
        "headcount_from": oldest.as_of,
        "headcount_from_precision": oldest.as_of_precision,
        "headcount_to": newest.as_of,
        "headcount_to_precision": newest.as_of_precision,
        "headcount_source_id": newest.source_id,
    }


def country_headcounts(headcounts: dict[int, Headcount]) -> dict[str, dict]:
    """Per country (CountryStatistic fields): the sum over its current missions, how
    many missions it covers and the dates it rests on; for a country without a
    current mission, the mission that ended last, whose last figure pages show."""
    by_country: dict[str, list[dict]] = defaultdict(list)
    for mission in Mission.objects.values("pk", "country_id", "status", "end"):
        by_country[mission["country_id"]].append(mission)
    never = dt.date.min
    sums: dict[str, dict] = {}
    for iso3, missions in by_country.items():
        current = [m for m in missions if m["status"] in CURRENT]
        counted = [headcounts[m["pk"]] for m in current if m["pk"] in headcounts]
        entry = _sum(counted) if counted else {}
        if not current:
            last = max(
                missions,
                key=lambda m: (
                    m["end"] or never,
                    getattr(headcounts.get(m["pk"]), "as_of", never),
                    m["pk"],
                ),
            )
            entry["last_mission_id"] = last["pk"]
        sums[iso3] = entry
    return sums


def headcounts_of_reports(report_ids: Iterable[int]) -> dict[int, Headcount]:
    """The best-known headcount each of these reports gives its mission, by the
    rule above, as if it were the mission's newest (two queries: the years view)."""
    newest = list(StaffingReport.objects.filter(pk__in=report_ids).values(*_FIELDS))
    doctors_only = [r for r in newest if r["workers"] is None]
    staff: dict[int, list[dict]] = defaultdict(list)
    if doctors_only:
        rows = StaffingReport.objects.filter(
            mission__in=[r["mission_id"] for r in doctors_only],
            workers__isnull=False,
            as_of__gte=months_before(
                min(r["as_of"] for r in doctors_only), WINDOW_MONTHS
            ),
            as_of__lte=max(r["as_of"] for r in doctors_only),
        ).values(*_FIELDS)
        for row in rows:
            staff[row["mission_id"]].append(row)
    return {r["mission_id"]: best_headcount(r, staff[r["mission_id"]]) for r in newest}
