"""The home page: the number to quote beside what sources claim, the 2025-2026 story,
the world map and the host-country table, all following the filters."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from missions.charts import map_summary, world_map
from missions.models import Mission, ReportedTotal
from missions.views import invalid_filters, query_without_page
from timeline.filtersets import HostFilterSet
from timeline.hosts import headline, host_rows, sort_rows
from timeline.models import PolicyEvent, SeriesPoint
from timeline.story import STORY_SINCE, status_changes
from timeline.views.common import conditional_page, figure_script, statistics_state

TEMPLATE = "timeline/dashboard.html"


def claims() -> dict[str, list[ReportedTotal]]:
    """The newest worldwide totals claimed by sources, by metric, conflicts kept."""
    by_metric: dict[str, list[ReportedTotal]] = defaultdict(list)
    for total in ReportedTotal.objects.newest_per_metric():
        by_metric[total.metric].append(total)
    order = ReportedTotal.Metric.values
    return {m: by_metric[m] for m in sorted(by_metric, key=order.index)}


def _filtered_by(filterset: HostFilterSet) -> list[str]:
    """Labels of the filters in use, for cards that must say what they describe."""
    data = filterset.form.cleaned_data
    return [
        f.label
        for name, f in filterset.filters.items()
        if data.get(name) and name != "sort"
    ]


@require_GET
@conditional_page
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures, the map and table of host countries, and latest events."""
    filterset = HostFilterSet(request.GET, queryset=Mission.objects.all())
    ctx: dict[str, Any] = statistics_state()
    if not filterset.is_valid():
        return invalid_filters(request, TEMPLATE, filterset, **ctx)
    filterset.add_facet_counts()
    rows = host_rows(filterset.qs, dt.date.today())
    this_year = dt.date.today().year
    ctx |= {
        "filterset": filterset,
        "filtered_by": _filtered_by(filterset),
        "rows": sort_rows(rows, filterset.form.cleaned_data.get("sort") or ""),
        "headline": headline(rows),
        "claims": claims(),
        "story": status_changes(),
        "story_since": STORY_SINCE,
        "events_this_year": SeriesPoint.objects.events_in(this_year),
        "this_year": this_year,
        "dated_count": sum(r["dated"] for r in rows),
        "map_json": figure_script(
            world_map(rows, zoom_to_rows=bool(rows) and _zoom(filterset)), "fig-map"
        ),
        "map_summary": map_summary(rows),
        "events": PolicyEvent.objects.published().for_cards().newest_first()[:5],
        "query": query_without_page(request),
    }
    return render(request, TEMPLATE, ctx)


def _zoom(filterset: HostFilterSet) -> bool:
    return any(
        filterset.form.cleaned_data.get(n) for n in ("region", "subregion", "country")
    )
