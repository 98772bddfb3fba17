"""The pages that read statistics: home, a country's page and about.

Thin function views: parse the input, call QuerySets, the row builders in
`dashboard.hosts` and `dashboard.story`, and the chart functions; then render.
Freshness (`stats_state`) and conditional GET come from this app's context processor
and middleware, for every public page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import json_script
from django.views.decorators.http import require_GET

from countries.lists import invalid_filters, query_without_page, without_empty_params
from countries.models import Country
from dashboard.charts import map_summary, staffing_chart, totals_chart, world_map
from dashboard.filtersets import HostFilterSet
from dashboard.hosts import ended_text, headline, host_rows, sort_rows
from dashboard.models import AreaStatistic, CountryStatistic, SeriesPoint
from dashboard.story import STORY_SINCE, status_changes
from missions.models import Mission, ReportedTotal, Source, StaffingReport
from timeline.models import PolicyEvent

TEMPLATE = "dashboard/home.html"


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
def home(request: HttpRequest) -> HttpResponse:
    """Headline figures, the map and table of host countries, and latest events."""
    if shorter := without_empty_params(request):
        return shorter
    filterset = HostFilterSet(request.GET, queryset=Mission.objects.all())
    if not filterset.is_valid():
        return invalid_filters(request, TEMPLATE, filterset)
    filterset.add_facet_counts()
    rows = host_rows(filterset.qs, dt.date.today())
    this_year = dt.date.today().year
    ctx = {
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
        "map_json": json_script(
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


def _get_country_or_404(iso3: str) -> Country:
    """The country with this ISO3 code (any case); unknown or malformed codes 404."""
    if len(iso3) != 3 or not iso3.isalpha():
        raise Http404("No country has this code.")
    try:
        return Country.objects.get(iso3=iso3.upper())
    except Country.DoesNotExist:
        raise Http404("No country has this code.") from None


def disagreements(reports: Sequence[StaffingReport]) -> list[list[StaffingReport]]:
    """Groups of figures for the same mission and date that differ by source."""
    groups: dict[tuple, list[StaffingReport]] = defaultdict(list)
    for report in reports:
        groups[(report.mission_id, report.as_of)].append(report)
    return [
        group
        for group in groups.values()
        if len({(r.workers, r.doctors) for r in group}) > 1
    ]


def _staffing_rows(reports: Iterable[StaffingReport], events: Iterable[PolicyEvent]):
    figures = [
        {
            "mission": r.mission.name,
            "as_of": r.as_of.isoformat(),
            "as_of_text": r.as_of_display,
            "workers": r.workers,
            "doctors": r.doctors,
            "publisher": r.source.publisher,
            "url": r.source.url,
        }
        for r in reports
    ]
    dated = [
        {
            "date": e.date.isoformat(),
            "date_text": e.date_display,
            "title": e.title,
            "url": f"#event-{e.pk}",
        }
        for e in events
    ]
    return figures, dated


def _sources_cited(
    missions: Iterable[Mission],
    reports: Iterable[StaffingReport],
    events: Iterable[PolicyEvent],
) -> list[Source]:
    cited = {s.pk: s for m in missions for s in m.sources.all()}
    cited |= {r.source.pk: r.source for r in reports}
    cited |= {s.pk: s for e in events for s in e.sources.all()}
    return sorted(cited.values(), key=lambda s: (s.publisher.lower(), s.url))


@require_GET
def country_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    """Everything we hold about one host country, each fact with its source."""
    country = _get_country_or_404(iso3)
    stat = CountryStatistic.objects.with_source().filter(country=country).first()
    missions = list(Mission.objects.for_country_page(country.iso3))
    reports = list(StaffingReport.objects.for_country(country.iso3))
    events = list(PolicyEvent.objects.of_country(country.iso3))
    figures, dated = _staffing_rows(reports, events)
    ctx: dict[str, Any] = {
        "country": country,
        "stat": stat,
        "missions": missions,
        "reports": reports,
        "disagreements": disagreements(reports),
        "events": events[::-1],
        "latest_event": events[-1] if events else None,
        "chart_json": json_script(staffing_chart(figures, dated), "fig-staffing"),
        "sources": _sources_cited(missions, reports, events),
        "last_text": ended_text(stat.last_mission) if stat else "",
    }
    return render(request, "dashboard/country.html", ctx)


def coverage_rows(points: Iterable[SeriesPoint]) -> list[dict[str, Any]]:
    """Per year: host countries with a dated figure, our sum, and claimed totals."""
    years: dict[int, dict[str, Any]] = defaultdict(lambda: {"claims": []})
    for point in points:
        row = years[point.year]
        if point.basis == SeriesPoint.Basis.REPORTS:
            row[point.metric] = point.value
        elif point.metric == ReportedTotal.Metric.WORKERS_ABROAD:
            row["claims"].append(point)
    return [{"year": year, **years[year]} for year in sorted(years, reverse=True)]


def _totals_figure(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ours = [
        {"year": r["year"], "value": r["workers"]} for r in rows if r.get("workers")
    ]
    claimed = [
        {
            "year": p.year,
            "value": p.value,
            "publisher": p.source.publisher if p.source else "unknown source",
            "url": p.source.url if p.source else "",
        }
        for r in rows
        for p in r["claims"]
    ]
    return totals_chart(ours[::-1], claimed[::-1])


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """What is tracked and how, with a coverage table and how to cite the site."""
    rows = coverage_rows(SeriesPoint.objects.for_about())
    ctx = {
        "kinds": Mission.Kind.choices,
        "statuses": Mission.Status.choices,
        "event_kinds": PolicyEvent.Kind.choices,
        "coverage": rows,
        "chart_json": json_script(_totals_figure(rows), "fig-totals"),
        "newest_report": StaffingReport.objects.newest(),
        "newest_event": PolicyEvent.objects.published().newest_first().first(),
        "world": AreaStatistic.objects.for_area(),
    }
    return render(request, "dashboard/about.html", ctx)
