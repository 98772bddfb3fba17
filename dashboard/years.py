"""The home page in a past year: each mission's status and headcount in that year.

The rules (also in the README, "Map through time"), for a year Y before this one:

- A mission counts from its start date; without one, from its earliest dated
  evidence: its status date, its first staffing figure or the first published event
  that lists it. A mission with none of these is left out of past years, and so is
  one that starts after Y.
- It lasts until its end date. A mission now ended without an end date ended at its
  status date, or else at its last dated evidence. One that ended before Y shows as
  ended; one that ended during Y was there that year and shows as below.
- During Y it is *phasing out* or *suspended* when that is its status now and the
  status date falls in or before Y; else *phasing out* when a published withdrawal,
  termination or expulsion event dated between its start and the end of Y affects
  it (lists it, or lists no mission and affects its country). A mission whose status is
  now *unknown* was active up to the year of its last dated evidence and is unknown
  after it. Otherwise it was *active*.
- Its headcount is the best-known headcount (`dashboard.services.headcounts`) of its
  latest figure dated on or before 31 December of Y; "over 2 years old" counts back
  from that day.

The current year is the present: current statuses and the stored statistics.
Work per request is a fixed number of queries (missions with indexed subqueries,
their figures, the countries and the sources), whatever the number of reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from countries.charts import number_text
from countries.dates import format_partial_date, is_dated
from countries.localized import name_order
from countries.models import Country
from dashboard.hosts import basis_label, country_fields
from dashboard.services.headcounts import DOCTORS, Headcount, headcounts_of_reports
from missions.models import Mission, Source, overall_status
from timeline.models import PolicyEvent

# Cuba's first medical brigade abroad went to Chile in 1960.
FIRST_YEAR = 1960
ENDING_KINDS = [
    PolicyEvent.Kind.WITHDRAWAL,
    PolicyEvent.Kind.TERMINATION,
    PolicyEvent.Kind.EXPULSION,
]
CURRENT = (Mission.Status.ACTIVE, Mission.Status.PHASING_OUT)
_FACTS = (
    "pk",
    "country_id",
    "status",
    "status_as_of",
    "start",
    "end",
    "end_precision",
    "first_report",
    "last_report",
    "report_until_id",
    "first_event",
    "last_event",
    "ending_event",
    "country_ending_event",
)


def year_bounds(today: dt.date) -> tuple[int, int]:
    """The years the map can show: from Cuba's first mission to this year."""
    return FIRST_YEAR, today.year


def _event_dates(until: dt.date) -> dict[str, Subquery]:
    """Per mission: its first and last linked events, and the latest event ending
    it (listing it, or listing no mission and affecting its country) by `until`."""
    links = PolicyEvent.affected_missions.through.objects.filter(
        mission=OuterRef("pk"), policyevent__is_published=True
    )
    ending = (
        PolicyEvent.objects.published()
        .filter(kind__in=ENDING_KINDS, date__lte=until)
        .order_by("-date")
    )
    date = "policyevent__date"
    return {
        "first_event": Subquery(links.order_by(date).values(date)[:1]),
        "last_event": Subquery(links.order_by(f"-{date}").values(date)[:1]),
        "ending_event": Subquery(
            ending.filter(affected_missions=OuterRef("pk")).values("date")[:1]
        ),
        "country_ending_event": Subquery(
            ending.filter(
                affected_missions__isnull=True,
                affected_countries=OuterRef("country_id"),
            ).values("date")[:1]
        ),
    }


def _known(*dates: dt.date | None) -> list[dt.date]:
    return [d for d in dates if d is not None]


def mission_start(f: dict[str, Any]) -> dt.date | None:
    """A mission's start, or its earliest dated evidence when the start is unknown."""
    if f["start"]:
        return f["start"]
    return min(
        _known(f["status_as_of"], f["first_report"], f["first_event"]), default=None
    )


def mission_end(f: dict[str, Any]) -> dt.date | None:
    """A mission's end; for one ended on an unknown date, its last evidence."""
    if f["end"] or f["status"] != Mission.Status.ENDED:
        return f["end"]
    last = _known(f["last_report"], f["last_event"])
    return f["status_as_of"] or max(last, default=None)


def status_in_year(f: dict[str, Any], year: int) -> str | None:
    """A mission's status during `year` by the module's rules; None if absent."""
    start = mission_start(f)
    if start is None or start.year > year:
        return None
    end = mission_end(f)
    if end is not None and end.year < year:
        return Mission.Status.ENDED
    status = f["status"]
    if status in (Mission.Status.PHASING_OUT, Mission.Status.SUSPENDED):
        if f["status_as_of"] and f["status_as_of"].year <= year:
            return status
    ending = max(_known(f["ending_event"], f["country_ending_event"]), default=None)
    if ending is not None and ending >= start:
        return Mission.Status.PHASING_OUT
    if status == Mission.Status.UNKNOWN:
        evidence = _known(f["status_as_of"], f["last_report"], f["last_event"])
        if max(evidence, default=start).year < year:
            return Mission.Status.UNKNOWN
    return Mission.Status.ACTIVE


def host_rows_in_year(
    missions: QuerySet, year: int, status: str = ""
) -> list[dict[str, Any]]:
    """One row per host country among these missions as they stood in `year`, in the
    shape of `dashboard.hosts.host_rows`; `status` keeps missions with that status
    in that year."""
    until = dt.date(year, 12, 31)
    facts = (
        missions.order_by()
        .with_year_evidence(until)
        .annotate(**_event_dates(until))
        .values(*_FACTS)
    )
    shown = []
    for f in facts:
        f["year_status"] = status_in_year(f, year)
        if f["year_status"] and status in ("", f["year_status"]):
            shown.append(f)
    heads = headcounts_of_reports(
        f["report_until_id"] for f in shown if f["report_until_id"]
    )
    by_country: dict[str, list[dict]] = defaultdict(list)
    for f in shown:
        by_country[f["country_id"]].append(f)
    countries = Country.objects.in_bulk(list(by_country))
    sources = Source.objects.in_bulk({h.source_id for h in heads.values()})
    rows = [
        _row(countries[iso3], group, heads, sources, until)
        for iso3, group in by_country.items()
    ]
    return sorted(rows, key=lambda r: name_order(r["name"]))


def _row(
    country: Country,
    group: list[dict],
    heads: dict[int, Headcount],
    sources: dict[int, Source],
    until: dt.date,
) -> dict[str, Any]:
    counts = {
        s.replace("-", "_"): sum(f["year_status"] == s for f in group)
        for s in Mission.Status.values
    }
    counted = [
        heads[f["pk"]]
        for f in group
        if f["year_status"] in CURRENT and f["pk"] in heads
    ]
    oldest = min(counted, key=lambda h: h.as_of, default=None)
    newest = max(counted, key=lambda h: (h.as_of, h.source_id), default=None)
    source = sources.get(newest.source_id) if newest else None
    doctors_only = sum(h.basis == DOCTORS for h in counted)
    ended, ended_source = _ended(group, heads, sources) if not counted else ("", None)
    return {
        **country_fields(country),
        "status": overall_status(counts),
        "headcount": sum(h.headcount for h in counted) if counted else None,
        "basis": basis_label(len(counted), doctors_only),
        "missions_counted": len(counted),
        "doctors_only": doctors_only,
        "oldest": oldest.as_of if oldest else None,
        "oldest_precision": oldest.as_of_precision if oldest else "",
        "newest": newest.as_of if newest else None,
        "newest_precision": newest.as_of_precision if newest else "",
        "as_of": _span(oldest, newest),
        "dated": is_dated(oldest.as_of if oldest else None, until),
        "publisher": source.publisher if source else "",
        "source_url": source.url if source else "",
        "source": source,
        "ended": ended,
        "ended_source": ended_source,
    }


def _span(oldest: Headcount | None, newest: Headcount | None) -> str:
    if newest is None or oldest is None:
        return ""
    text = format_partial_date(newest.as_of, newest.as_of_precision)
    if oldest.as_of != newest.as_of:
        start = format_partial_date(oldest.as_of, oldest.as_of_precision)
        text = _("%(start)s to %(end)s") % {"start": start, "end": text}
    return text


_WORDS = {
    Mission.Status.UNKNOWN: gettext_lazy("status unknown"),
    Mission.Status.ENDED: gettext_lazy("ended"),
    Mission.Status.SUSPENDED: gettext_lazy("suspended"),
}


def _ended(
    group: list[dict], heads: dict[int, Headcount], sources: dict[int, Source]
) -> tuple[str, Source | None]:
    """What a country without a counted mission that year shows: its last mission's
    state that year and its last figure by the year's end."""
    never = dt.date(1, 1, 1)
    past = [f for f in group if f["year_status"] not in CURRENT]
    if not past:
        return "", None
    last = max(past, key=lambda f: (mission_end(f) or never, f["pk"]))
    state = str(_WORDS[last["year_status"]])
    if last["year_status"] == Mission.Status.ENDED and last["end"]:
        state += " " + format_partial_date(last["end"], last["end_precision"])
    head = heads.get(last["pk"])
    if head is None:
        return f"{state} · " + _("no sourced figure"), None
    basis = _("doctors only") if head.basis == DOCTORS else _("all staff")
    when = format_partial_date(head.as_of, head.as_of_precision)
    text = f"{state} · " + _("last figure %(count)s %(basis)s (%(date)s)") % {
        "count": number_text(head.headcount),
        "basis": basis,
        "date": when,
    }
    return text, sources.get(head.source_id)


def slider(query: QueryDict, year: int | None, today: dt.date) -> dict[str, Any]:
    """The year slider's state: its range and value, and the other filters in use
    (kept by its form and by its "Latest" link, without empty parameters)."""
    first, last = year_bounds(today)
    kept = [
        (name, value)
        for name in query
        if name not in ("year", "page")
        for value in query.getlist(name)
        if value
    ]
    latest = QueryDict(mutable=True)
    for name, value in kept:
        latest.appendlist(name, value)
    return {
        "first": first,
        "last": last,
        "value": year or last,
        "kept": kept,
        "latest_query": latest.urlencode(),
    }
