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

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from countries.charts import figure_script, publishers_line
from countries.citations import filter_title
from countries.embeds import embeddable
from countries.lists import (
    csv_link,
    csv_response,
    invalid_filters,
    query_without_page,
    without_empty_params,
)
from countries.localized import local_text
from countries.models import Country
from countries.stored import MISSION_FACET_COUNTS, stored
from dashboard.charts import (
    MAP_PRESETS,
    map_legend,
    map_summary,
    map_title,
    totals_chart,
    world_map,
)
from dashboard.country_page import (
    MISSIONS_SHOWN,
    CountryReads,
    country_reads,
    event_row,
    figure_row,
    staffing_csv_stream,
)
from dashboard.downloads import (
    MAP_CSV_HEADER,
    STAFFING_CSV_HEADER,
    TOTALS_CSV_HEADER,
    map_csv_rows,
    totals_csv_rows,
)
from dashboard.filtersets import HostFilterSet
from dashboard.hosts import ended_text, headline, sort_rows
from dashboard.models import (
    AreaStatistic,
    CountryStatistic,
    SeriesPoint,
    StatisticsState,
)
from dashboard.staffing import event_groups, staffing_chart
from dashboard.staffing_text import (
    source_line,
    staffing_summary,
    staffing_title,
    unit_line,
)
from dashboard.story import STORY_SINCE, status_changes
from dashboard.years import slider as year_slider
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
        if data.get(name) and name not in ("sort", "year")
    ]


def _events(year: int | None) -> QuerySet:
    events = PolicyEvent.objects.published().for_cards().newest_first()
    return (events.in_years(year, year) if year else events)[:5]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Headline figures, the map and table of host countries, and latest events;
    `?year=` shows them as they stood in that year (`dashboard.years`)."""
    if shorter := without_empty_params(request):
        return shorter
    today = dt.date.today()
    filterset = HostFilterSet(request.GET, queryset=Mission.objects.all(), today=today)
    if not filterset.is_valid():
        slider = year_slider(request.GET, None, today)
        return invalid_filters(request, TEMPLATE, filterset, year_slider=slider)
    year = filterset.form.cleaned_data.get("year")
    rows = filterset.host_rows(request)
    if request.GET.get("format") == "csv":
        rows = sort_rows(rows, filterset.form.cleaned_data.get("sort") or "")
        csv_rows = map_csv_rows(rows, year)
        return csv_response("map.csv", MAP_CSV_HEADER, csv_rows, request=request)
    filterset.add_facet_counts(stored=stored(MISSION_FACET_COUNTS, request))
    shown_year = year or today.year
    ctx = {
        "filterset": filterset,
        "filtered_by": _filtered_by(filterset),
        "rows": sort_rows(rows, filterset.form.cleaned_data.get("sort") or ""),
        "headline": headline(rows),
        "claims": claims(),
        "story": status_changes(),
        "story_since": STORY_SINCE,
        "events_this_year": SeriesPoint.objects.events_in(shown_year),
        "this_year": shown_year,
        "year_slider": year_slider(request.GET, year, today),
        "events": _events(year),
        "query": query_without_page(request),
        "map_csv": csv_link(request),
    } | map_context(filterset, rows, year)
    return render(request, TEMPLATE, ctx)


def map_context(
    filterset: HostFilterSet, rows: list[dict[str, Any]], year: int | None
) -> dict[str, Any]:
    """The map and the words around it (title, legend, summary, presets), for the
    home page and its embed."""
    zoom = bool(rows) and _zoom(filterset)
    return {
        "year": year,
        "in_year": " " + _("in %(year)s") % {"year": year} if year else "",
        "dated_count": sum(r["dated"] for r in rows),
        "map_json": figure_script(
            world_map(rows, zoom_to_rows=zoom, year=year), "fig-map"
        ),
        "map_summary": (_("In %(year)s: ") % {"year": year} if year else "")
        + map_summary(rows),
        "map_year": year,
        "map_title": map_title(year),
        "map_legend": map_legend(rows),
        "map_presets": MAP_PRESETS,
        "map_subtitle": filter_title(
            filterset, _("Host countries by the status of their missions")
        ),
        "map_source": publishers_line(
            [
                r["publisher"] or getattr(r["ended_source"], "publisher", "")
                for r in rows
            ]
        )
        + " "
        + _("Each country's source is in its tooltip and in the table."),
    }


def _map_source(rows: list[dict[str, Any]]) -> str:
    names = [
        r["publisher"] or getattr(r["ended_source"], "publisher", "") for r in rows
    ]
    line = publishers_line(names)
    return f"{line} " + _("Each country's source is in its tooltip and in the table.")


def _zoom(filterset: HostFilterSet) -> bool:
    return any(
        filterset.form.cleaned_data.get(n) for n in ("region", "subregion", "country")
    )


def _get_country_or_404(iso3: str) -> Country:
    """The country with this ISO3 code (any case); unknown or malformed codes 404."""
    if len(iso3) != 3 or not iso3.isalpha():
        raise Http404(_("No country has this code."))
    try:
        return Country.objects.get(iso3=iso3.upper())
    except Country.DoesNotExist:
        raise Http404(_("No country has this code.")) from None


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


def _staffing_rows(
    reports: Iterable[StaffingReport], events: Iterable[PolicyEvent]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Plain rows for `dashboard.staffing`: figures, and events with their pages."""
    return [figure_row(r) for r in reports], [event_row(e) for e in events]


def _staffing_context(country: Country, figures: list, dated: list) -> dict[str, Any]:
    """The staffing chart and the words around it: title, unit, sources, summary
    and the numbered events keyed to its markers."""
    groups = event_groups(dated)
    return {
        "chart_json": figure_script(staffing_chart(figures, dated), "fig-staffing"),
        "chart_title": staffing_title(local_text(country, "name"), figures),
        "chart_unit": unit_line(figures),
        "chart_sources": source_line(figures),
        "chart_summary": staffing_summary(figures, groups),
        "event_groups": groups,
    }


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
    """What we hold about one host country, each fact with its source: the latest
    figures and events, linked to the complete CSV and timeline."""
    country = _get_country_or_404(iso3)
    if request.GET.get("format") == "csv":
        rows = staffing_csv_stream(country.iso3, request.build_absolute_uri("/")[:-1])
        name = f"staffing-{country.iso3}.csv"
        return csv_response(name, STAFFING_CSV_HEADER, rows, request=request)
    stat = CountryStatistic.objects.with_source().filter(country=country).first()
    # One more than shown tells whether to link to the complete list.
    shown = Mission.objects.for_country_page(country.iso3)[: MISSIONS_SHOWN + 1]
    missions = list(shown)
    reads = country_reads(country.iso3, stat, StatisticsState.is_current_for(request))
    reports, events = reads.reports, reads.events
    ctx: dict[str, Any] = {
        "country": country,
        "stat": stat,
        "missions": missions[:MISSIONS_SHOWN],
        "more_missions": len(missions) > MISSIONS_SHOWN,
        "reports": reports,
        "report_count": reads.report_count,
        "disagreements": disagreements(reports),
        "events": events[::-1],
        "event_count": reads.event_count,
        "latest_event": events[-1] if events else None,
        "sources": _sources_cited(missions, reports, events),
        "last_text": ended_text(stat.last_mission) if stat else "",
    } | _chart_context(country, reads)
    return render(request, "dashboard/country.html", ctx)


def _chart_context(country: Country, reads: CountryReads) -> dict[str, Any]:
    figures, dated = _staffing_rows(reads.chart_reports, reads.events)
    ctx = _staffing_context(country, figures, dated)
    if reads.period:
        words = {
            "n": reads.report_count,
            "period": _("month") if reads.period == "month" else _("year"),
        }
        ctx["chart_unit"] += (
            " "
            + _(
                "With %(n)s figures, more than a chart can show, each mission's latest "
                "figure of each %(period)s is drawn; the CSV has them all."
            )
            % words
        )
    if reads.since:
        since = _("Only the years from %(year)d on are drawn.")
        ctx["chart_unit"] += " " + since % {"year": reads.since}
    return ctx


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


def _totals_series(rows: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """The about chart's two series, oldest first: our sums and sources' claims."""
    ours = [
        {"year": r["year"], "value": r["workers"]} for r in rows if r.get("workers")
    ]
    claimed = [
        {
            "year": p.year,
            "value": p.value,
            "publisher": p.source.publisher if p.source else _("unknown source"),
            "url": p.source.url if p.source else "",
        }
        for r in rows
        for p in r["claims"]
    ]
    return ours[::-1], claimed[::-1]


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """What is tracked and how, with a coverage table and how to cite the site."""
    rows = coverage_rows(SeriesPoint.objects.for_about())
    ours, claimed = _totals_series(rows)
    if request.GET.get("format") == "csv":
        csv_rows = totals_csv_rows(ours, claimed)
        return csv_response("totals.csv", TOTALS_CSV_HEADER, csv_rows, request=request)
    ctx = {
        "kinds": Mission.Kind.choices,
        "statuses": Mission.Status.choices,
        "event_kinds": PolicyEvent.Kind.choices,
        "coverage": rows,
        "chart_json": figure_script(totals_chart(ours, claimed), "fig-totals"),
        "totals_source": publishers_line([r["publisher"] for r in claimed[::-1]])
        + " "
        + _("Our sums: the figures cited on each country's page."),
        "newest_report": StaffingReport.objects.newest(),
        "newest_event": PolicyEvent.objects.published().newest_first().first(),
        "world": AreaStatistic.objects.for_area(),
    }
    return render(request, "dashboard/about.html", ctx)


@require_GET
@embeddable
def embed_map(request: HttpRequest) -> HttpResponse:
    """The map alone, for other sites to frame: the home page's query parameters,
    its title, legend and source line, and a link back."""
    today = dt.date.today()
    filterset = HostFilterSet(request.GET, queryset=Mission.objects.all(), today=today)
    if not filterset.is_valid():
        return invalid_filters(request, "embed/map.html", filterset)
    year = filterset.form.cleaned_data.get("year")
    rows = filterset.host_rows(request)
    ctx = {"filterset": filterset, "rows": rows, "query": query_without_page(request)}
    return render(request, "embed/map.html", ctx | map_context(filterset, rows, year))


@require_GET
@embeddable
def embed_staffing(request: HttpRequest, iso3: str) -> HttpResponse:
    """A country's staffing chart alone, for other sites to frame."""
    country = _get_country_or_404(iso3)
    stat = CountryStatistic.objects.filter(country=country).first()
    reads = country_reads(country.iso3, stat, StatisticsState.is_current_for(request))
    ctx = {"country": country, "reports": reads.reports, "events": reads.events}
    ctx |= _chart_context(country, reads)
    return render(request, "embed/staffing.html", ctx)
