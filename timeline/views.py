"""The timeline's pages: the list of policy events with its chart, each event's own
page, and /changes/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from countries.charts import figure_script
from countries.dates import iso_partial_date
from countries.embeds import embeddable
from countries.lists import (
    csv_link,
    csv_response,
    invalid_filters,
    page_of,
    query_without_page,
    without_empty_params,
)
from countries.localized import local_text
from countries.stored import EVENT_FACET_COUNTS, EVENT_YEAR_KIND_COUNTS, stored
from timeline.changes import recent_changes
from timeline.charts import (
    RECENT_FROM,
    events_by_year,
    events_chart,
    events_summary,
    year_kind_counts_chart,
)
from timeline.filtersets import EventFilterSet
from timeline.models import PolicyEvent, PolicyEventQuerySet

TEMPLATE = "timeline/event_list.html"
# The newest changes; the history pages of each record in the admin have the rest.
CHANGES_SHOWN = 30
# Up to this many events, the chart draws each as a marker linking to its page;
# above, one marker per year and kind, sized by the count.
MARKERS_SHOWN = 300
CSV_CHUNK = 2000
# Column names: the stable snake_case identifiers scripts rely on at the English
# (unprefixed) URL, which is each msgid; Spanish words at /es/ (`csv_response`).
EVENT_CSV_HEADER = (
    pgettext_lazy("CSV column", "date"),
    pgettext_lazy("CSV column", "title"),
    pgettext_lazy("CSV column", "kind"),
    pgettext_lazy("CSV column", "affected_iso3"),
    pgettext_lazy("CSV column", "actor"),
    pgettext_lazy("CSV column", "summary"),
    pgettext_lazy("CSV column", "figures"),
    pgettext_lazy("CSV column", "source_urls"),
    pgettext_lazy("CSV column", "publishers"),
    pgettext_lazy("CSV column", "title_es"),
    pgettext_lazy("CSV column", "summary_es"),
)


def _csv_rows(events: Iterable[PolicyEvent]) -> Iterable[tuple]:
    for e in events:
        sources = list(e.sources.all())
        yield (
            iso_partial_date(e.date, e.date_precision),
            e.title,
            e.kind,
            ";".join(c.iso3 for c in e.affected_countries.all()),
            e.actor_display,
            e.summary,
            e.figures,
            " ".join(s.url for s in sources),
            "; ".join(s.publisher for s in sources),
            e.title_es,
            e.summary_es,
        )


def _event_chart_rows(events: Iterable[PolicyEvent]) -> list[dict[str, Any]]:
    return [
        {
            "url": e.get_absolute_url(),
            "date": e.date.isoformat(),
            "date_text": e.date_display,
            "title": local_text(e, "title"),
            "kind": e.kind,
            "countries": ", ".join(
                local_text(c, "name") for c in e.affected_countries.all()
            ),
        }
        for e in events
    ]


def _chart_start(request: HttpRequest, counts: list[dict[str, Any]]) -> dt.date | None:
    """Where the chart's x axis starts: 2015 unless `?years=all`, or unless no
    event is that recent (None: the first event). ValueError on any other value."""
    years = request.GET.get("years", "")
    if years not in ("", "all"):
        raise ValueError(years)
    recent = any(c["year"] >= RECENT_FROM.year for c in counts)
    return RECENT_FROM if years == "" and recent else None


def _year_kind_counts(
    request: HttpRequest, filterset: EventFilterSet
) -> list[dict[str, Any]]:
    """Per year and kind, the filtered events; unfiltered, as the last statistics
    refresh stored them (`countries.stored`), so the page need not group them all."""
    stored_counts = None
    if not filterset.filtered():
        stored_counts = stored(EVENT_YEAR_KIND_COUNTS, request)
    if stored_counts is None:
        return filterset.qs.counts_by_year_and_kind()
    return stored_counts


def _chart_context(
    request: HttpRequest, events: PolicyEventQuerySet, counts: list[dict[str, Any]]
) -> dict:
    """The chart, its summary and its table from per-year-by-kind counts; a marker
    per event only when there are few enough to draw (at most MARKERS_SHOWN)."""
    start = _chart_start(request, counts)
    end = dt.date.today()
    per_year = sum(c["count"] for c in counts) > MARKERS_SHOWN
    if not per_year:
        rows = _event_chart_rows(events.prefetch_related(None).for_cards())
        chart = events_chart(rows, start=start, end=end)
    else:
        chart = year_kind_counts_chart(counts, start=start, end=end)
    query = request.GET.copy()
    for key in ("page", "format", "years"):
        query.pop(key, None)
    return {
        "chart_json": figure_script(chart, "fig-events"),
        "chart_summary": events_summary(counts, start),
        "chart_per_year": per_year,
        "chart_years": "all" if start is None else "recent",
        "chart_query": query.urlencode(),
        "chart_csv": csv_link(request),
        "chart_table": events_by_year(counts),
    }


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Published events, newest first, filtered, one page of them loaded; or their
    CSV download, streamed."""
    if shorter := without_empty_params(request):
        return shorter
    queryset = PolicyEvent.objects.published().for_list().newest_first()
    filterset = EventFilterSet(request.GET, queryset=queryset)
    if not filterset.is_valid():
        return invalid_filters(request, TEMPLATE, filterset)
    events = filterset.qs
    if request.GET.get("format") == "csv":
        rows = _csv_rows(events.iterator(chunk_size=CSV_CHUNK))
        return csv_response("events.csv", EVENT_CSV_HEADER, rows, request=request)
    filterset.add_facet_counts(stored=stored(EVENT_FACET_COUNTS, request))
    counts = _year_kind_counts(request, filterset)
    try:
        chart = _chart_context(request, events, counts)
    except ValueError:
        return HttpResponseBadRequest(_("years must be 'all' or left out."))
    ctx = {
        "filterset": filterset,
        "page": page_of(request, events, count=sum(c["count"] for c in counts)),
        "query": query_without_page(request),
    } | chart
    return render(request, TEMPLATE, ctx)


def _get_published_event_or_404(event_id: int) -> PolicyEvent:
    events = PolicyEvent.objects.published().for_page()
    return get_object_or_404(events, pk=event_id)


@require_GET
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    """One published event: when, what, who acted, whom it affects, its sources."""
    ctx = {"event": _get_published_event_or_404(event_id)}
    return render(request, "timeline/event_detail.html", ctx)


@require_GET
def changes(request: HttpRequest) -> HttpResponse:
    """The newest public changes, with old and new values, reason and source."""
    ctx = {"changes": recent_changes(CHANGES_SHOWN)}
    return render(request, "timeline/changes.html", ctx)


@require_GET
@embeddable
def embed_timeline(request: HttpRequest) -> HttpResponse:
    """The events chart alone, for other sites to frame; the timeline's filters."""
    template = "embed/timeline.html"
    queryset = PolicyEvent.objects.published().for_list().newest_first()
    filterset = EventFilterSet(request.GET, queryset=queryset)
    if not filterset.is_valid():
        return invalid_filters(request, template, filterset)
    try:
        chart = _chart_context(
            request, filterset.qs, _year_kind_counts(request, filterset)
        )
    except ValueError:
        return HttpResponseBadRequest(_("years must be 'all' or left out."))
    ctx = {"filterset": filterset, "query": query_without_page(request)}
    return render(request, template, ctx | chart)
