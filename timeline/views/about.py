"""The about page: definitions, disagreements, coverage, citing, freshness."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from missions.models import Mission, StaffingReport
from timeline.charts import totals_chart
from timeline.models import AreaStatistic, PolicyEvent, SeriesPoint
from timeline.views.common import conditional_page, figure_script, statistics_state


def coverage_rows(points: Iterable[SeriesPoint]) -> list[dict[str, Any]]:
    """Per year: host countries with a dated figure, our sum, and claimed totals."""
    years: dict[int, dict[str, Any]] = defaultdict(lambda: {"claims": []})
    for point in points:
        row = years[point.year]
        if point.basis == SeriesPoint.Basis.REPORTS:
            row[point.metric] = point.value
        elif point.metric == "workers_abroad":
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
@conditional_page
def about(request: HttpRequest) -> HttpResponse:
    """What is tracked and how, with a coverage table and how to cite the site."""
    rows = coverage_rows(SeriesPoint.objects.for_about())
    ctx = statistics_state() | {
        "kinds": Mission.Kind.choices,
        "statuses": Mission.Status.choices,
        "event_kinds": PolicyEvent.Kind.choices,
        "coverage": rows,
        "chart_json": figure_script(_totals_figure(rows), "fig-totals"),
        "newest_report": StaffingReport.objects.newest(),
        "newest_event": PolicyEvent.objects.published().newest_first().first(),
        "world": AreaStatistic.objects.for_area(),
    }
    return render(request, "timeline/about.html", ctx)
