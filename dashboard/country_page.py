"""What a country page reads, bounded by what it shows: the latest figures and
events (the CSV and the timeline have the rest), and a staffing chart of at most
one point per mission and month (or year) once a country has more figures than a
chart can show."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from django.db.models import QuerySet

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


class _Dated(Protocol):
    as_of: dt.date


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


class _Point(NamedTuple):
    pk: int
    as_of: dt.date


def chart_period(report_count: int, mission_months: int) -> str:
    """What the chart of a country with this many figures (falling in this many
    (mission, month) pairs) draws: "" every figure, "month" or "year" each
    mission's latest figure of each."""
    if report_count <= CHART_POINTS:
        return ""
    return "month" if mission_months <= CHART_POINTS else "year"


def country_reads(
    iso3: str, stat: CountryStatistic | None, current: bool
) -> CountryReads:
    """The country page's rows, in a fixed number of queries of bounded size: read
    by the ids the last refresh stored (`stat`, see `stored_page_rows`) when it
    stored them and no edit has happened since (`current`), else ranked here."""
    reports = StaffingReport.objects.for_country(iso3)
    events = PolicyEvent.objects.of_country(iso3)
    if not current or stat is None or stat.latest_report_ids is None:
        return _ranked_here(reports, events)
    period = stat.chart_period
    chart = reports.filter(pk__in=stat.chart_report_ids) if period else reports
    return CountryReads(
        reports=list(reports.filter(pk__in=stat.latest_report_ids)),
        report_count=stat.report_count,
        events=list(events.filter(pk__in=stat.latest_event_ids)),
        event_count=stat.event_count,
        chart_reports=list(chart),
        period=period,
        since=stat.chart_since,
    )


def _ranked_here(reports: QuerySet, events: QuerySet) -> CountryReads:
    """A country the refresh has not seen, or data newer than the refresh: count
    and rank its figures and events on this request."""
    report_count, mission_months = reports.count_and_mission_months()
    period, since = chart_period(report_count, mission_months), None
    if period == "":
        chart = list(reports)
    elif period == "month":
        chart = list(reports.latest_each("month"))
    else:
        chart = reports.latest_each("year").latest(CHART_POINTS + 1)
        chart, since = _whole_years(chart)
    return CountryReads(
        reports=reports.latest(FIGURES_SHOWN),
        report_count=report_count,
        events=events.latest(EVENTS_SHOWN),
        event_count=events.count(),
        chart_reports=chart,
        period=period,
        since=since,
    )


def _whole_years(chart: list[_Dated]) -> tuple[list[_Dated], int | None]:
    """Each mission's latest figure of each year, oldest first, at most one more
    than the chart draws: with one too many, leave out the oldest year, so that no
    mission's year is cut (or, all in one year, the oldest point)."""
    if len(chart) <= CHART_POINTS:
        return chart, None
    since = chart[0].as_of.year + 1
    if since > chart[-1].as_of.year:
        return chart[1:], since - 1
    return [r for r in chart if r.as_of.year >= since], since


# What a country without figures or events stores: nothing to list or draw.
NOTHING_SHOWN: dict[str, Any] = {
    "latest_report_ids": [],
    "latest_event_ids": [],
    "chart_period": "",
    "chart_report_ids": [],
    "chart_since": None,
}


def stored_page_rows(counted: dict[str, dict[str, int]]) -> dict[str, dict[str, Any]]:
    """For the refresh: per country with figures or events, the `CountryStatistic`
    fields the country page reads its rows by (four queries over all the figures
    and events), from each country's `report_count` and `report_mission_months`
    (a host country with neither stores `NOTHING_SHOWN`)."""
    rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "latest_report_ids": [],
            "latest_event_ids": [],
            "chart_report_ids": [],
        }
    )
    for iso3, pk, _as_of, _position in _newest_first(
        StaffingReport.objects.newest_per_country(FIGURES_SHOWN)
    ):
        rows[iso3]["latest_report_ids"].append(pk)
    for iso3, pk in PolicyEvent.objects.published().newest_per_country(EVENTS_SHOWN):
        rows[iso3]["latest_event_ids"].append(pk)
    periods = {
        iso3: chart_period(c.get("report_count", 0), c.get("report_mission_months", 0))
        for iso3, c in counted.items()
    }
    for iso3, period in periods.items():
        rows[iso3] |= {"chart_period": period, "chart_since": None}
    by_month = [iso3 for iso3, period in periods.items() if period == "month"]
    if by_month:
        winners = StaffingReport.objects.filter(mission__country_id__in=by_month)
        for iso3, pk in winners.latest_each("month").values_list(
            "mission__country_id", "pk"
        ):
            rows[iso3]["chart_report_ids"].append(pk)
    by_year = [iso3 for iso3, period in periods.items() if period == "year"]
    if by_year:
        winners = StaffingReport.objects.filter(mission__country_id__in=by_year)
        newest = winners.latest_each("year").newest_per_country(CHART_POINTS + 1)
        points: dict[str, list[_Point]] = defaultdict(list)
        for iso3, pk, as_of, _position in _newest_first(newest):
            points[iso3].insert(0, _Point(pk, as_of))  # oldest first
        for iso3, chart in points.items():
            kept, since = _whole_years(chart)
            rows[iso3] |= {
                "chart_report_ids": [p.pk for p in kept],
                "chart_since": since,
            }
    return dict(rows)


def _newest_first(rows: Iterable[tuple]) -> list[tuple]:
    """(iso3, id, as_of, position) rows by country, then newest first."""
    return sorted(rows, key=lambda row: (row[0], row[3]))


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
