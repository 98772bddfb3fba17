"""The missions list page and its CSV download."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from countries.dates import iso_partial_date
from countries.lists import (
    csv_response,
    invalid_filters,
    page_of,
    query_without_page,
    without_empty_params,
)
from countries.localized import local_text
from countries.stored import MISSION_FACET_COUNTS, stored
from missions.filtersets import MissionFilterSet
from missions.models import Mission, StaffingReport

# Column names: the stable snake_case identifiers scripts rely on at the English
# (unprefixed) URL, which is each msgid; Spanish words at /es/ (`csv_response`).
MISSION_CSV_HEADER = (
    pgettext_lazy("CSV column", "iso3"),
    pgettext_lazy("CSV column", "country"),
    pgettext_lazy("CSV column", "region"),
    pgettext_lazy("CSV column", "mission"),
    pgettext_lazy("CSV column", "kind"),
    pgettext_lazy("CSV column", "status"),
    pgettext_lazy("CSV column", "start"),
    pgettext_lazy("CSV column", "end"),
    pgettext_lazy("CSV column", "headcount"),
    pgettext_lazy("CSV column", "headcount_basis"),
    pgettext_lazy("CSV column", "headcount_as_of"),
    pgettext_lazy("CSV column", "headcount_source_publisher"),
    pgettext_lazy("CSV column", "headcount_source_url"),
    pgettext_lazy("CSV column", "latest_workers"),
    pgettext_lazy("CSV column", "latest_doctors"),
    pgettext_lazy("CSV column", "as_of"),
    pgettext_lazy("CSV column", "source_publisher"),
    pgettext_lazy("CSV column", "source_url"),
    pgettext_lazy("CSV column", "mission_es"),
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


def _latest_cells(report: StaffingReport | None) -> tuple:
    """The newest report's workers, doctors, date, publisher and URL; empty when
    there is none."""
    if report is None:
        return ("", "", "", "", "")
    return (
        report.workers,
        report.doctors,
        iso_partial_date(report.as_of, report.as_of_precision),
        report.source.publisher,
        report.source.url,
    )


def _mission_csv_rows(missions: Iterable[Mission]) -> Iterable[tuple]:
    for m in missions:
        yield (
            m.country_id,
            local_text(m.country, "name"),
            m.country.region,
            m.name,
            m.kind,
            m.status,
            iso_partial_date(m.start, m.start_precision),
            iso_partial_date(m.end, m.end_precision),
            *_headcount_cells(m),
            *_latest_cells(m.latest_report),
            m.name_es,
        )


@require_GET
def mission_list(request: HttpRequest) -> HttpResponse:
    """The filterable, sortable table of missions, or its CSV download."""
    if shorter := without_empty_params(request):
        return shorter
    template = "missions/list.html"
    filterset = MissionFilterSet(request.GET, queryset=Mission.objects.for_table())
    if not filterset.is_valid():
        return invalid_filters(request, template, filterset)
    if request.GET.get("format") == "csv":
        rows = _mission_csv_rows(filterset.qs.iterator(chunk_size=2000))
        return csv_response("missions.csv", MISSION_CSV_HEADER, rows, request=request)
    filterset.add_facet_counts(stored=stored(MISSION_FACET_COUNTS, request))
    page = page_of(request, filterset.qs)
    ctx = {
        "filterset": filterset,
        "page": page,
        "query": query_without_page(request),
        "today": dt.date.today(),
    }
    return render(request, template, ctx)
