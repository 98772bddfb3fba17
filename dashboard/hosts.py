"""Host-country rows for the home page's map, table and headline, from any filter.

Each row sums the best-known headcounts (`MissionStatistic`) of the filtered missions
that are current (active or phasing out) in one country, so the headline over a
filtered table is always the sum of that table. A country without a current
mission shows what happened instead: when its last mission ended and its last figure.

The work is a fixed number of queries (one grouped query, then the rows' countries,
sources and last missions), bounded by the number of rows shown. With no filter, the
groups are the ones the last statistics refresh stored (`HostGroup`), one row per
host country, instead of a grouping of every mission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import CharField, Count, Max, Min, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, LPad
from django.utils.translation import gettext as _

from countries.charts import number_text
from countries.dates import Precision, format_partial_date, is_dated
from countries.localized import local_text, name_order, per_language
from countries.models import Country
from dashboard.models import HostGroup, MissionStatistic
from missions.models import Mission, Source, overall_status, status_counts

CURRENT = Q(status__in=[Mission.Status.ACTIVE, Mission.Status.PHASING_OUT])
_NEVER = dt.date(1, 1, 1)
DOCTORS = MissionStatistic.Basis.DOCTORS


def _text(expression: Any) -> Cast:
    return Cast(expression, CharField())


def _packed(*parts: Any) -> Concat:
    """Fields joined by `|` in one sortable string, so Min/Max pick whole rows."""
    joined: list[Any] = []
    for part in parts:
        joined += [Value("|"), part] if joined else [part]
    return Concat(*joined, output_field=CharField())


def _grouped(missions: QuerySet) -> QuerySet:
    counted = CURRENT & Q(stats__isnull=False)
    as_of = _text("stats__as_of")
    return (
        missions.order_by()
        .values("country_id")
        .annotate(
            **status_counts(),
            headcount=Sum("stats__headcount", filter=counted),
            counted=Count("stats", filter=counted),
            doctors_only=Count("stats", filter=counted & Q(stats__basis=DOCTORS)),
            oldest=Min(_packed(as_of, "stats__as_of_precision"), filter=counted),
            newest=Max(
                _packed(as_of, "stats__as_of_precision", _text("stats__source_id")),
                filter=counted,
            ),
            last=Max(
                _packed(
                    _text(Coalesce("end", Value(_NEVER))),
                    _text(Coalesce("stats__as_of", Value(_NEVER))),
                    LPad(_text("pk"), 12, Value("0")),
                ),
                filter=~CURRENT,
            ),
        )
    )


def _date(packed: str | None) -> tuple[dt.date | None, str]:
    if not packed:
        return None, Precision.DAY
    date, precision = packed.split("|")[:2]
    return dt.date.fromisoformat(date), precision


@per_language
def _range_words() -> str:
    return _("%(start)s to %(end)s")


@per_language
def basis_label(counted: int, doctors_only: int) -> str:
    """What a summed headcount counts: all staff, doctors only, or a mix."""
    if not counted:
        return ""
    if doctors_only == counted:
        return _("doctors only")
    return _("all staff") if not doctors_only else _("partly doctors only")


def ended_text(mission: Mission | None) -> str:
    """'ended Dec 2018 · last figure 8,300 doctors only (23 Nov 2018)' or ''."""
    if mission is None:
        return ""
    words = {Mission.Status.UNKNOWN: _("status unknown")}
    state = str(words.get(mission.status, mission.get_status_display().lower()))
    if mission.end:
        state += f" {mission.end_display}"
    stats = getattr(mission, "stats", None)
    if stats is None:
        return f"{state} · " + _("no sourced figure")
    return f"{state} · " + _("last figure %(count)s %(basis)s (%(date)s)") % {
        "count": number_text(stats.headcount),
        "basis": stats.get_basis_display(),
        "date": stats.as_of_display,
    }


def _last_missions(rows: list[dict]) -> dict[int, Mission]:
    ids = [int(r["last"].split("|")[2]) for r in rows if r["last"] and not r["counted"]]
    missions = Mission.objects.filter(pk__in=ids).select_related("stats__source")
    return {m.pk: m for m in missions}


def host_groups(missions: QuerySet) -> list[dict[str, Any]]:
    """These missions grouped by host country, as `host_rows` reads them (one
    query); the refresh stores the unfiltered groups (`HostGroup`)."""
    return list(_grouped(missions))


def host_rows(
    missions: QuerySet, today: dt.date, *, stored: bool = False
) -> list[dict[str, Any]]:
    """One row per host country among these missions, alphabetical. `stored`: the
    missions are all the missions, so the groups the last refresh stored serve (one
    row per host country read, instead of grouping every mission), when it stored
    any."""
    grouped = (stored and HostGroup.objects.as_groups()) or host_groups(missions)
    countries = Country.objects.in_bulk([g["country_id"] for g in grouped])
    source_ids = [int(g["newest"].split("|")[2]) for g in grouped if g["newest"]]
    sources = Source.objects.in_bulk(source_ids)
    last = _last_missions(grouped)
    rows = [_row(g, countries[g["country_id"]], sources, last, today) for g in grouped]
    return sorted(rows, key=lambda r: name_order(r["name"]))


def country_fields(country: Country) -> dict[str, Any]:
    """What every host row says of its country: code, name (in the page's language),
    page and map point."""
    return {
        "iso3": country.iso3,
        "name": local_text(country, "name"),
        "name_es": country.name_es,  # the JSON API gives both
        "url": country.get_absolute_url(),
        "lat": country.latitude,
        "lon": country.longitude,
    }


def _row(g: dict, country: Country, sources: dict, last: dict, today) -> dict:
    oldest, oldest_precision = _date(g["oldest"])
    newest, newest_precision = _date(g["newest"])
    source = sources.get(int(g["newest"].split("|")[2])) if g["newest"] else None
    ended = None
    if g["last"] and not g["counted"]:
        ended = last.get(int(g["last"].split("|")[2]))
    as_of = format_partial_date(newest, newest_precision)
    if oldest and oldest != newest:
        start = format_partial_date(oldest, oldest_precision)
        as_of = _range_words() % {"start": start, "end": as_of}
    return {
        **country_fields(country),
        "status": overall_status(g),
        "headcount": g["headcount"],
        "basis": basis_label(g["counted"], g["doctors_only"]),
        "missions_counted": g["counted"],
        "doctors_only": g["doctors_only"],
        "oldest": oldest,
        "oldest_precision": oldest_precision,
        "newest": newest,
        "newest_precision": newest_precision,
        "as_of": as_of,
        "dated": is_dated(oldest, today),
        "publisher": source.publisher if source else "",
        "source_url": source.url if source else "",
        "source": source,  # the JSON API gives it whole
        "ended": ended_text(ended),
        "ended_source": ended.stats.source
        if ended and hasattr(ended, "stats")
        else None,
    }


def headline(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The one number to quote, for exactly these rows, and what it rests on."""
    counted = [r for r in rows if r["headcount"] is not None]
    return {
        "headcount": sum(r["headcount"] for r in counted) if counted else None,
        "countries": len(counted),
        "missions": sum(r["missions_counted"] for r in counted),
        "doctors_only": sum(r["doctors_only"] for r in counted),
        "first_year": min((r["oldest"].year for r in counted), default=None),
        "last_year": max((r["newest"].year for r in counted), default=None),
        "hosts": len(rows),
        "active": sum(r["status"] == Mission.Status.ACTIVE for r in rows),
        "phasing_out": sum(r["status"] == Mission.Status.PHASING_OUT for r in rows),
    }


_STATUS_ORDER = {s: i for i, s in enumerate(Mission.Status.values)}
# What each host-table sort compares (its labels are the FilterSet's choices).
ROW_SORTS: dict[str, Callable[[dict], Any]] = {
    "country": lambda r: name_order(r["name"]),
    "status": lambda r: _STATUS_ORDER.get(r["status"]),
    "size": lambda r: r["headcount"],
    "as_of": lambda r: r["newest"],
}


def sort_rows(rows: list[dict], value: str) -> list[dict]:
    """Rows sorted by a `ROW_SORTS` key (`-` for descending); unknowns always last."""
    key = ROW_SORTS[value.lstrip("-") or "country"]
    known = [r for r in rows if key(r) is not None]
    unknown = [r for r in rows if key(r) is None]
    known.sort(key=key, reverse=value.startswith("-"))
    return known + unknown
