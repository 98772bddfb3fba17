"""What a country page reads, bounded by what it shows: the latest figures and
events (the CSV and the timeline have the rest), and a staffing chart of at most
one point per mission and month (or year) once a country has more figures than a
chart can show."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from countries.localized import local_text, pick_text
from dashboard.downloads import staffing_csv_rows
from missions.models import StaffingReport
from timeline.models import PolicyEvent

FIGURES_SHOWN = 50
EVENTS_SHOWN = 50
# More figures than this, and the chart draws each mission's latest of each month
# (of each year, if that is still more).
CHART_POINTS = 400
CSV_CHUNK = 2000


def figure_row(report: StaffingReport) -> dict[str, Any]:
    """A figure as `dashboard.staffing` and the CSV take it (the mission's name in
    the page's language)."""
    return {
        "mission": local_text(report.mission, "name"),
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


def country_reads(iso3: str) -> CountryReads:
    """The country page's rows, in a fixed number of queries of bounded size."""
    reports = StaffingReport.objects.for_country(iso3)
    events = PolicyEvent.objects.of_country(iso3)
    report_count = reports.count()
    period, chart = "", []
    if report_count <= CHART_POINTS:
        chart = list(reports)
    else:
        period, chart = "month", list(reports.latest_each("month"))
    if len(chart) > CHART_POINTS:
        period, chart = "year", list(reports.latest_each("year"))
    return CountryReads(
        reports=reports.latest(FIGURES_SHOWN),
        report_count=report_count,
        events=events.latest(EVENTS_SHOWN),
        event_count=events.count(),
        chart_reports=chart,
        period=period,
    )


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
