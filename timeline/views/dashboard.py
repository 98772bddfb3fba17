"""The dashboard: headline figures, the world map, the filter form, latest events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from countries.templatetags.tracker import is_dated
from missions.charts import map_summary, world_map
from missions.filtersets import MissionFilterSet
from missions.models import Mission, overall_status
from missions.views import invalid_filters, query_without_page
from timeline.models import AreaStatistic, CountryStatistic, PolicyEvent, SeriesPoint
from timeline.views.common import conditional_page, figure_script, statistics_state

TEMPLATE = "timeline/dashboard.html"


def map_rows(
    statuses: Iterable[dict[str, Any]],
    stats: Iterable[CountryStatistic],
    today: dt.date,
) -> list[dict[str, Any]]:
    """One row per host country among the filtered missions, for map and table.

    The colour comes from the filtered missions; the figures are the country's
    stored statistics (all its current missions).
    """
    status_of = {row["country_id"]: overall_status(row) for row in statuses}
    rows = []
    for stat in stats:
        if stat.country_id not in status_of:
            continue
        source = stat.latest_source
        rows.append(
            {
                "iso3": stat.country_id,
                "name": stat.country.name,
                "status": status_of[stat.country_id],
                "workers": stat.workers,
                "doctors": stat.doctors,
                "as_of": stat.figures_as_of_display,
                "dated": is_dated(stat.figures_as_of, today),
                "publisher": source.publisher if source else "",
                "source_url": source.url if source else "",
                "url": stat.country.get_absolute_url(),
                "lat": stat.country.latitude,
                "lon": stat.country.longitude,
            }
        )
    return rows


def _headline(filterset: MissionFilterSet) -> dict[str, Any]:
    data = filterset.form.cleaned_data if filterset.is_bound else {}
    region, area = data.get("region") or "", data.get("subregion") or ""
    return {
        "area": AreaStatistic.objects.for_area(region=region, area=area),
        "events_this_year": SeriesPoint.objects.events_in(dt.date.today().year),
        "this_year": dt.date.today().year,
    }


@require_GET
@conditional_page
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures, the map and table of host countries, and latest events."""
    filterset = MissionFilterSet(request.GET, queryset=Mission.objects.all())
    ctx: dict[str, Any] = statistics_state()
    if not filterset.is_valid():
        return invalid_filters(request, TEMPLATE, filterset, **ctx)
    filterset.add_facet_counts()
    rows = map_rows(
        filterset.qs.status_by_country(),
        CountryStatistic.objects.with_source().order_by("country__name"),
        dt.date.today(),
    )
    areas = ("region", "subregion", "country")
    zoom = any(filterset.form.cleaned_data.get(name) for name in areas)
    ctx |= _headline(filterset) | {
        "filterset": filterset,
        "rows": rows,
        "dated_count": sum(r["dated"] for r in rows),
        "map_json": figure_script(world_map(rows, zoom_to_rows=zoom), "fig-map"),
        "map_summary": map_summary(rows),
        "events": PolicyEvent.objects.published().for_cards().newest_first()[:5],
        "query": query_without_page(request),
    }
    return render(request, TEMPLATE, ctx)
