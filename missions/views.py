"""Public pages about missions, and the list helpers every public list shares.

`filtered`, `page_of` and `csv_response` are used by the timeline app's pages too:
one way of answering bad filters (400 with the form), bad pages (clamped) and
downloads (the same rows as the page).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from countries.dates import iso_partial_date
from missions.filtersets import MissionFilterSet, TrackerFilterSet
from missions.models import Mission

PAGE_SIZE = 50
# Spreadsheets run cells starting with these as formulas; CSV cells must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def invalid_filters(
    request: HttpRequest, template: str, filterset: TrackerFilterSet, **ctx: Any
) -> HttpResponse:
    """The page with the filter form and its errors, as a 400 and without rows."""
    ctx |= {"filterset": filterset, "invalid": True}
    return render(request, template, ctx, status=400)


def page_of(
    request: HttpRequest, rows: QuerySet | Sequence, size: int = PAGE_SIZE
) -> Page:
    """The requested page; a bad or out-of-range number gives the nearest page."""
    return Paginator(rows, size).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The query string minus `page` and `format`, for links that keep the filters."""
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return query.urlencode()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A CSV download; empty cells mean unknown, as on the page."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return response


MISSION_CSV_HEADER = (
    "iso3",
    "country",
    "region",
    "mission",
    "kind",
    "status",
    "start",
    "end",
    "headcount",
    "headcount_basis",
    "headcount_as_of",
    "headcount_source_publisher",
    "headcount_source_url",
    "latest_workers",
    "latest_doctors",
    "as_of",
    "source_publisher",
    "source_url",
)


def _headcount_cells(mission: Mission) -> tuple:
    """Best-known headcount, its basis, date and source; empty when unknown."""
    stats = getattr(mission, "stats", None)
    if stats is None:
        return ("", "", "", "", "")
    return (
        stats.headcount,
        stats.basis,
        iso_partial_date(stats.as_of, stats.as_of_precision),
        stats.source.publisher,
        stats.source.url,
    )


def _mission_csv_rows(missions: QuerySet) -> Iterable[tuple]:
    for m in missions:
        yield (
            m.country_id,
            m.country.name,
            m.country.region,
            m.name,
            m.kind,
            m.status,
            iso_partial_date(m.start, m.start_precision),
            iso_partial_date(m.end, m.end_precision),
            *_headcount_cells(m),
            m.latest_workers,
            m.latest_doctors,
            iso_partial_date(m.latest_as_of, m.latest_as_of_precision),
            m.latest_publisher,
            m.latest_source_url,
        )


@require_GET
def mission_list(request: HttpRequest) -> HttpResponse:
    """The filterable, sortable table of missions, or its CSV download."""
    template = "missions/list.html"
    filterset = MissionFilterSet(request.GET, queryset=Mission.objects.for_table())
    if not filterset.is_valid():
        return invalid_filters(request, template, filterset)
    if request.GET.get("format") == "csv":
        rows = _mission_csv_rows(filterset.qs)
        return csv_response("missions.csv", MISSION_CSV_HEADER, rows)
    filterset.add_facet_counts()
    page = page_of(request, filterset.qs)
    ctx = {
        "filterset": filterset,
        "page": page,
        "query": query_without_page(request),
        "today": dt.date.today(),
    }
    return render(request, template, ctx)
