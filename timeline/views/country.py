"""A country's page: status and why, missions, staffing over time, events, sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from countries.models import Country
from missions.charts import staffing_chart
from missions.models import Mission, Source, StaffingReport
from timeline.hosts import ended_text
from timeline.models import CountryStatistic, PolicyEvent
from timeline.views.common import conditional_page, figure_script, statistics_state


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


def _chart_rows(reports: Iterable[StaffingReport], events: Iterable[PolicyEvent]):
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
@conditional_page
def country(request: HttpRequest, iso3: str) -> HttpResponse:
    """Everything we hold about one host country, each fact with its source."""
    place = _get_country_or_404(iso3)
    stat = CountryStatistic.objects.with_source().filter(country=place).first()
    missions = list(Mission.objects.for_country_page(place.iso3))
    reports = list(StaffingReport.objects.for_country(place.iso3))
    events = list(PolicyEvent.objects.of_country(place.iso3))
    figures, dated = _chart_rows(reports, events)
    ctx: dict[str, Any] = statistics_state() | {
        "country": place,
        "stat": stat,
        "missions": missions,
        "reports": reports,
        "disagreements": disagreements(reports),
        "events": events[::-1],
        "latest_event": events[-1] if events else None,
        "chart_json": figure_script(staffing_chart(figures, dated), "fig-staffing"),
        "sources": _sources_cited(missions, reports, events),
        "last_text": ended_text(stat.last_mission) if stat else "",
    }
    return render(request, "countries/detail.html", ctx)
