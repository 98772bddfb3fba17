"""The database as the dataset's own CSV files, the ones `import_dataset` reads.

Each function returns a file's header and its rows, read with a fixed number of
queries. Rows come in natural-key order (never by id), so exporting a database that
was imported from an export gives the same files again. Only published events are
written. The import format holds one source per event row; `event_sources.csv`
lists every source of every event (the import command does not read it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from countries.dates import iso_partial_date
from countries.models import Country
from missions.importers import AGGREGATE_COLUMNS
from missions.models import Mission, ReportedTotal, Source
from timeline.importers import EVENT_COLUMNS, EVENT_SPANISH_COLUMNS
from timeline.models import PolicyEvent

# countries.csv as fixtures/ writes it (scripts/build_countries.cjs); the Spanish
# name is optional in the import format.
COUNTRY_HEADER = (
    "iso3",
    "m49",
    "name",
    "name_es",
    "region",
    "subregion",
    "intermediate_region",
    "latitude",
    "longitude",
)
# missions.csv as fixtures/ writes it: the importer reads the host country from
# iso3 and ignores the three columns that name it for readers.
MISSION_HEADER = (
    "iso3",
    "country",
    "region",
    "subregion",
    "mission_name",
    "kind",
    "start",
    "end",
    "status",
    "status_as_of",
    "as_of",
    "workers",
    "doctors",
    "other_staff",
    "source_url",
    "publisher",
    "published",
    "notes",
    # Optional in the import format; every row of a mission repeats them.
    "mission_name_es",
    "mission_summary_es",
)
EVENT_SOURCE_HEADER = ("date", "title", "source_url", "publisher", "published")

Rows = tuple[tuple[str, ...], Iterator[list[Any]]]


def _source_cells(source: Source) -> list[Any]:
    published = iso_partial_date(source.published, source.published_precision)
    return [source.url, source.publisher, published]


def _notes(summary: str, note: str) -> str:
    """The notes cell `missions.importers.split_notes` reads back."""
    if not summary:
        return note
    return f"Mission: {summary}" + (f" | Figure: {note}" if note else "")


def _degrees(value: float | None) -> float | int | None:
    """66 rather than 66.0, as countries.csv writes it."""
    return int(value) if value is not None and value.is_integer() else value


def country_rows() -> Rows:
    """countries.csv: every country, by ISO code."""
    rows = (
        [c.iso3, c.m49_code, c.name, c.name_es, c.region, c.subregion]
        + [c.intermediate_region, _degrees(c.latitude), _degrees(c.longitude)]
        for c in Country.objects.order_by("iso3").iterator(chunk_size=2000)
    )
    return COUNTRY_HEADER, rows


def mission_rows() -> Rows:
    """missions.csv: a row per staffing figure, then one per source of the mission
    that no figure cites ("presence only"); a mission without any source is left
    out, since every row must name one."""
    missions = Mission.objects.for_export().iterator(chunk_size=2000)
    return MISSION_HEADER, _mission_rows(missions)


def _mission_rows(missions: Iterable[Mission]) -> Iterator[list[Any]]:
    for mission in missions:
        reports = mission.export_reports
        cited = {report.source_id for report in reports}
        presence = [s for s in mission.export_sources if s.pk not in cited]
        entries = [(r, r.source) for r in reports] + [(None, s) for s in presence]
        for index, (report, source) in enumerate(entries):
            # The importer takes a mission's summary from its first row only.
            summary = mission.summary if index == 0 else ""
            yield (
                _mission_cells(mission)
                + _report_cells(report)
                + [
                    *_source_cells(source),
                    _notes(summary, report.note if report else ""),
                    mission.name_es,
                    mission.summary_es,
                ]
            )


def _mission_cells(m: Mission) -> list[Any]:
    country = m.country
    return [
        m.country_id,
        country.name,
        country.region,
        country.subregion,
        m.name,
        m.kind,
        iso_partial_date(m.start, m.start_precision),
        iso_partial_date(m.end, m.end_precision),
        # The dataset's word ("phasing out"), not a label a translation may change.
        m.status.replace("-", " "),
        iso_partial_date(m.status_as_of, m.status_as_of_precision),
    ]


def _report_cells(report: Any) -> list[Any]:
    if report is None:
        return ["", None, None, None]
    when = iso_partial_date(report.as_of, report.as_of_precision)
    return [when, report.workers, report.doctors, report.other_staff]


def _published_events() -> Iterator[PolicyEvent]:
    events = PolicyEvent.objects.published().for_list().order_by("date", "title")
    return events.iterator(chunk_size=2000)


def event_rows() -> Rows:
    """events.csv: every published event that cites a source, with its first source
    by address (the format holds one)."""
    return (*EVENT_COLUMNS, *EVENT_SPANISH_COLUMNS), _event_rows(_published_events())


def _event_rows(events: Iterable[PolicyEvent]) -> Iterator[list[Any]]:
    for event in events:
        sources = sorted(event.sources.all(), key=lambda s: s.url)
        if not sources:
            continue
        actors = sorted(c.iso3 for c in event.actor_countries.all())
        if event.actor_organisation:
            actors.append(event.actor_organisation)
        yield [
            iso_partial_date(event.date, event.date_precision),
            event.title,
            event.kind,
            ";".join(actors),
            ";".join(sorted(c.iso3 for c in event.affected_countries.all())),
            event.summary,
            event.figures,
            *_source_cells(sources[0]),
            event.title_es,
            event.summary_es,
        ]


def event_source_rows() -> Rows:
    """event_sources.csv: every source of every published event."""
    rows = (
        [iso_partial_date(e.date, e.date_precision), e.title, *_source_cells(s)]
        for e in _published_events()
        for s in sorted(e.sources.all(), key=lambda s: s.url)
    )
    return EVENT_SOURCE_HEADER, rows


def aggregate_rows() -> Rows:
    """aggregates.csv: every worldwide total as its source claims it."""
    rows = (
        [t.year, t.metric, t.value, *_source_cells(t.source), t.note]
        for t in ReportedTotal.objects.for_export()
    )
    return AGGREGATE_COLUMNS, rows


# The package's files in the order the importer reads them, then the extra one.
FILES = {
    "countries.csv": country_rows,
    "missions.csv": mission_rows,
    "events.csv": event_rows,
    "aggregates.csv": aggregate_rows,
    "event_sources.csv": event_source_rows,
}
