"""What a country page reads, bounded by what it shows: the latest figures and
events (the CSV and the timeline have the rest), and a staffing chart of at most
one point per mission and month (or year) once a country has more figures than a
chart can show."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from countries.localized import pick_text
from dashboard.downloads import staffing_csv_rows
from dashboard.models import CountryStatistic
from missions.models import StaffingReport
from timeline.models import PolicyEvent

# About what the real data has for its busiest countries (11 figures, 11 events),
# so that a country page costs about the same at any size (README "Load
# benchmark"); the CSV, the timeline and the missions list have the rest.
FIGURES_SHOWN = 12
MISSIONS_SHOWN = 12  # current first; the rest on /missions/?country=
EVENTS_SHOWN = 12
# More figures than this, and the chart draws each mission's latest of each month
# (of each year, if that is still more; and of the latest years only, if even
# that is more). Each point carries its tooltip, so this bounds the page's bytes.
CHART_POINTS = 100
CSV_CHUNK = 2000


def figure_row(report: StaffingReport) -> dict[str, Any]:
    """A figure as `dashboard.staffing` and the CSV take it (the mission's name in
    the page's language, and that name's language for the HTML summary)."""
    mission, mission_lang = pick_text(report.mission, "name")
    return {
        "mission": mission,
        "mission_lang": mission_lang,
        "as_of": report.as_of.isoformat(),
        "as_of_text": report.as_of_display,
        "precision": report.as_of_precision,
        "workers": report.workers,
        "doctors": report.doctors,
        "publisher": report.source.publisher,
        "url": report.source.url,
    }


def event_row(event: PolicyEvent) -> dict[str, Any]:
    """An event as `dashboard.staffing` and the CSV take it, with its page; the
    title in the page's language, and that title's language for the HTML key."""
    title, title_lang = pick_text(event, "title")
    return {
        "id": event.pk,
        "date": event.date.isoformat(),
        "date_text": event.date_display,
        "precision": event.date_precision,
        "title": title,
        "title_lang": title_lang,
        "kind": event.kind,
        "url": event.get_absolute_url(),
    }


@dataclass(frozen=True)
class CountryReads:
    reports: list[StaffingReport]  # the latest FIGURES_SHOWN, oldest first
    report_count: int
    events: list[PolicyEvent]  # the latest EVENTS_SHOWN, oldest first
    event_count: int
    chart_reports: list[StaffingReport]  # what the chart draws
    period: str  # "": every figure; "month"/"year": each mission's latest of each
    since: int | None = None  # the first year drawn, when older ones are left out


def country_reads(iso3: str, stat: CountryStatistic | None) -> CountryReads:
    """The country page's rows, in a fixed number of queries of bounded size; the
    counts are the refresh's (`stat`) when the country has statistics."""
    reports = StaffingReport.objects.for_country(iso3)
    events = PolicyEvent.objects.of_country(iso3)
    if stat is None:
        report_count, mission_months = reports.count_and_mission_months()
        event_count = events.count()
    else:
        report_count, mission_months = stat.report_count, stat.report_mission_months
        event_count = stat.event_count
    period, since = "", None
    if report_count <= CHART_POINTS:
        chart = list(reports)
    elif mission_months <= CHART_POINTS:
        period, chart = "month", list(reports.latest_each("month"))
    else:
        period, chart = "year", reports.latest_each("year").latest(CHART_POINTS + 1)
        if len(chart) > CHART_POINTS:
            chart, since = _whole_years(chart)
    return CountryReads(
        reports=reports.latest(FIGURES_SHOWN),
        report_count=report_count,
        events=events.latest(EVENTS_SHOWN),
        event_count=event_count,
        chart_reports=chart,
        period=period,
        since=since,
    )


def _whole_years(chart: list[StaffingReport]) -> tuple[list[StaffingReport], int]:
    """One point too many: leave out the oldest year, so no mission's year is cut
    (or, all in one year, the oldest point)."""
    since = chart[0].as_of.year + 1
    if since > chart[-1].as_of.year:
        return chart[1:], since - 1
    return [r for r in chart if r.as_of.year >= since], since


def staffing_csv_stream(iso3: str, site: str) -> Iterator[list]:
    """Every figure and event of a country for the CSV, read in chunks as the
    response streams."""
    reports = StaffingReport.objects.for_country(iso3).iterator(chunk_size=CSV_CHUNK)
    events = (
        PolicyEvent.objects.of_country(iso3)
        .prefetch_related(None)
        .iterator(chunk_size=CSV_CHUNK)
    )
    return staffing_csv_rows(_rows(reports, figure_row), _rows(events, event_row), site)


def _rows(
    items: Iterable, to_row: Callable[[Any], dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    return (to_row(item) for item in items)
