"""Importing sources, missions, staffing reports and reported totals from the dataset.

Sources come from all three data files, read in the order missions.csv, events.csv,
aggregates.csv; when one URL appears with different publishers, the first row wins.
Where sources disagree on a figure, each figure is kept as its own report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from countries.dataset import (
    CHANGE_REASON,
    Problems,
    Row,
    Tally,
    check_iso3,
    m2m_ids,
    optional_text,
    parse_choice,
    parse_count,
    parse_date,
    require,
    sync_m2m,
    upsert,
)
from countries.dates import format_partial_date
from countries.import_log import Change, counts_shown
from missions.models import Mission, ReportedTotal, Source, StaffingReport
from missions.services import source_get_or_create

SOURCE_COLUMNS = ("source_url", "publisher", "published")
MISSION_COLUMNS = (
    "iso3",
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
    *SOURCE_COLUMNS,
    "notes",
)
AGGREGATE_COLUMNS = ("year", "metric", "value", *SOURCE_COLUMNS, "notes")
# Fields every row of one mission repeats; they must agree.
MISSION_FIELDS = ("kind", "start", "end", "status", "status_as_of")
# Optional columns, each with its field and length limit: the mission's Spanish name
# and summary (a file without them keeps the stored ones; rows must agree too).
MISSION_SPANISH_COLUMNS = {
    "mission_name_es": ("name_es", 300),
    "mission_summary_es": ("summary_es", 0),
}
COUNTS = ("workers", "doctors", "other_staff")
# The dataset writes "phasing out"; the model's value is "phasing-out".
STATUSES = {s.label.lower(): s.value for s in Mission.Status} | {
    s.value: s.value for s in Mission.Status
}


@dataclass
class MissionPlan:
    """A mission as the dataset describes it, with every source its rows cite."""

    key: tuple[str, str]
    row: Row
    values: dict[str, Any]
    source_urls: list[str] = field(default_factory=list)


@dataclass
class ReportPlan:
    """One sourced staffing figure for a mission."""

    mission_key: tuple[str, str]
    source_url: str
    values: dict[str, Any]


@dataclass
class TotalPlan:
    """One worldwide total as claimed by a source."""

    source_url: str
    values: dict[str, Any]


# Sources.


def check_sources(
    rows: Iterable[Row], problems: Problems, today: dt.date
) -> dict[str, dict[str, Any]]:
    """Check every row's source columns; return by URL the other fields of its first
    row (its defaults for `source_get_or_create`)."""
    sources: dict[str, dict[str, Any]] = {}
    for row in rows:
        url = _check_url(row, problems)
        fields = _source_fields(row, problems, today)
        if url:
            sources.setdefault(url, fields)
    return sources


def _check_url(row: Row, problems: Problems) -> str:
    """The row's source URL, checked by the validators of `Source.url`."""
    url = require(row, "source_url", problems)
    if url:
        try:
            Source.validate_url(url)
        except ValidationError as exc:
            for message in exc.messages:
                problems.add(row, f"source_url: {message}")
    return url


def _source_fields(row: Row, problems: Problems, today: dt.date) -> dict[str, Any]:
    """The source fields of one row besides its URL."""
    published, precision = parse_date(row, "published", problems, today)
    return {
        "publisher": require(row, "publisher", problems, 300),
        "published": published,
        "published_precision": precision,
    }


def sources_load(sources: dict[str, dict[str, Any]]) -> tuple[Tally, dict[str, Any]]:
    """Create or update every source by URL; return the tally and sources by URL.

    A new source is created by `source_get_or_create`, as on every other path. A URL
    on file is the same source there and here, but the dataset is authoritative, so
    its publisher and date are brought up to date in bulk against the sources loaded
    up front: an unchanged source costs no query.
    """
    tally = Tally("sources", "source")
    existing = {source.url: source for source in Source.objects.all()}
    for url, fields in sources.items():
        if url in existing:
            change = upsert(Source, existing, url, fields)[1]
        else:
            existing[url] = source_get_or_create(
                url=url, defaults=fields, reason=CHANGE_REASON
            )[0]
            change = Change(created=True)
        tally.count(change, f"{fields['publisher']}, {url}")
    return tally, existing


# Missions and staffing reports.


def split_notes(notes: str) -> tuple[str, str]:
    """Split 'Mission: … | Figure: …' notes into (mission summary, figure note)."""
    if not notes.startswith("Mission: "):
        return "", notes
    summary, _, figure = notes.removeprefix("Mission: ").partition(" | Figure:")
    return summary.strip(), figure.strip()


def check_missions(
    rows: list[Row], problems: Problems, today: dt.date, known: set[str]
) -> tuple[list[MissionPlan], list[ReportPlan]]:
    """Check missions.csv and return its missions and staffing reports."""
    missions: dict[tuple[str, str], MissionPlan] = {}
    reports: dict[tuple[Any, ...], ReportPlan] = {}
    report_lines: dict[tuple[Any, ...], int] = {}
    for row in rows:
        plan = _mission_plan(row, missions, problems, today, known)
        if row["source_url"]:
            plan.source_urls.append(row["source_url"])
        report = _report_plan(row, plan.key, problems, today)
        if report is None:
            continue
        key = (plan.key, report.values["as_of"], report.source_url)
        if key in report_lines:
            problems.add(row, f"repeats the figure on line {report_lines[key]}")
        report_lines.setdefault(key, row.line)
        reports.setdefault(key, report)
    _check_spanish_names(missions.values(), problems)
    return list(missions.values()), list(reports.values())


def _check_spanish_names(plans: Iterable[MissionPlan], problems: Problems) -> None:
    """Two missions of one country cannot share a Spanish name (charts tell them
    apart by it)."""
    first: dict[tuple[str, str], MissionPlan] = {}
    for plan in plans:
        name_es = plan.values.get("name_es")
        if not name_es:
            continue
        other = first.setdefault((plan.key[0], name_es), plan)
        if other is not plan:
            problems.add(
                plan.row,
                f"mission_name_es {name_es!r} is also the Spanish name of "
                f"{other.key[1]!r} (line {other.row.line})",
            )


def _mission_plan(
    row: Row,
    missions: dict[tuple[str, str], MissionPlan],
    problems: Problems,
    today: dt.date,
    known: set[str],
) -> MissionPlan:
    """The mission a row belongs to; its first row defines it, later rows must agree."""
    check_iso3(row, row["iso3"], known, problems)
    key = (row["iso3"], require(row, "mission_name", problems, 300))
    values = _mission_values(row, problems, today)
    if key not in missions:
        missions[key] = MissionPlan(key, row, values)
        return missions[key]
    first = missions[key].row
    spanish = [c for c in MISSION_SPANISH_COLUMNS if c in row.data]
    for column in (*MISSION_FIELDS, *spanish):
        if row[column] != first[column]:
            problems.add(
                row,
                f"{column} {row[column]!r} disagrees with line {first.line} "
                f"({first[column]!r}) for the same mission",
            )
    return missions[key]


def _mission_values(row: Row, problems: Problems, today: dt.date) -> dict[str, Any]:
    """The mission fields of one row."""
    parse_choice(row, "kind", problems, Mission.Kind.values)
    status = STATUSES.get(row["status"].lower())
    if status is None:
        allowed = ", ".join(s.label.lower() for s in Mission.Status)
        problems.add(
            row, f"unknown status {row['status']!r}; expected one of {allowed}"
        )
    start, start_precision = parse_date(row, "start", problems, today)
    end, end_precision = parse_date(row, "end", problems, today)
    if start and end and end < start:
        problems.add(row, f"end ({row['end']}) is before start ({row['start']})")
    as_of, as_of_precision = parse_date(row, "status_as_of", problems, today)
    return {
        "country_id": row["iso3"],
        "name": row["mission_name"],
        "kind": row["kind"],
        "status": status,
        "status_as_of": as_of,
        "status_as_of_precision": as_of_precision,
        "start": start,
        "start_precision": start_precision,
        "end": end,
        "end_precision": end_precision,
        "summary": split_notes(row["notes"])[0],
    } | _spanish_values(row, problems)


def _spanish_values(row: Row, problems: Problems) -> dict[str, str]:
    """The mission's Spanish name and summary, where the file has those columns."""
    values = {}
    for column, (name, max_length) in MISSION_SPANISH_COLUMNS.items():
        text = optional_text(row, column, problems, max_length)
        if text is not None:
            values[name] = text
    return values


def _report_plan(
    row: Row, mission_key: tuple[str, str], problems: Problems, today: dt.date
) -> ReportPlan | None:
    """The staffing figure of one row, or None when the row gives no count."""
    counts = {column: parse_count(row, column, problems) for column in COUNTS}
    has_count = any(row[column] for column in COUNTS)
    as_of, precision = parse_date(row, "as_of", problems, today, required=has_count)
    workers, doctors = counts["workers"], counts["doctors"]
    try:
        StaffingReport.check_counts(workers=workers, doctors=doctors)
    except ValidationError:
        problems.add(row, f"doctors ({doctors}) exceed workers ({workers})")
    if not has_count:
        return None
    values = {
        **counts,
        "as_of": as_of,
        "as_of_precision": precision,
        "note": split_notes(row["notes"])[1],
    }
    return ReportPlan(mission_key, row["source_url"], values)


def mission_label(key: tuple[str, str], country_names: dict[str, str]) -> str:
    """'Namibia / <mission name>', as the import's change lines name a mission."""
    iso3, name = key
    return f"{country_names.get(iso3, iso3)} / {name}"


def missions_by_key() -> dict[tuple[str, str], Mission]:
    """Every stored mission by its natural key, (country code, name), in one query."""
    return {(m.country_id, m.name): m for m in Mission.objects.all()}


def missions_load(
    plans: list[MissionPlan], sources: dict[str, Any], country_names: dict[str, str]
) -> tuple[Tally, dict[tuple[str, str], Any]]:
    """Create or update every mission and its sources; return them by (iso3, name)."""
    tally = Tally("missions", "mission")
    existing = missions_by_key()
    linked = m2m_ids(Mission, "sources")
    urls = {source.pk: url for url, source in sources.items()}
    for plan in plans:
        mission, change = upsert(Mission, existing, plan.key, plan.values)
        wanted = {sources[url].pk for url in plan.source_urls}
        added, removed = sync_m2m(mission, "sources", wanted, linked)
        change.add_links("sources", added, removed, urls.get)
        tally.count(change, mission_label(plan.key, country_names))
    return tally, existing


def reports_load(
    plans: list[ReportPlan],
    missions: dict[tuple[str, str], Any],
    sources: dict[str, Any],
    country_names: dict[str, str],
) -> Tally:
    """Create or update every staffing report, keyed by mission, date and source."""
    tally = Tally("staffing reports", "staffing report")
    existing = {
        (r.mission_id, r.as_of, r.source_id): r for r in StaffingReport.objects.all()
    }
    for plan in plans:
        mission, source = missions[plan.mission_key], sources[plan.source_url]
        values = {**plan.values, "mission_id": mission.pk, "source_id": source.pk}
        key = (mission.pk, values["as_of"], source.pk)
        change = upsert(StaffingReport, existing, key, values)[1]
        when = format_partial_date(values["as_of"], values["as_of_precision"])
        mission_name = mission_label(plan.mission_key, country_names)
        name = f"{mission_name} / {when} / {source.publisher}"
        tally.count(change, name, counts_shown(values, COUNTS))
    return tally


# Reported totals.


def check_totals(
    rows: list[Row], problems: Problems, today: dt.date
) -> tuple[list[TotalPlan], list[Row]]:
    """Check aggregates.csv; return its totals and the rows that state no value."""
    totals: list[TotalPlan] = []
    without_value: list[Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        plan = _total_plan(row, problems, today)
        if plan is None:
            without_value.append(row)
            continue
        key = (plan.values["year"], plan.values["metric"], plan.source_url)
        if key in seen:
            problems.add(row, f"repeats the total on line {seen[key]}")
        seen.setdefault(key, row.line)
        totals.append(plan)
    return totals, without_value


def _total_plan(row: Row, problems: Problems, today: dt.date) -> TotalPlan | None:
    """The total of one row, or None when its value is empty (not stated)."""
    year = _parse_year(row, problems, today)
    metric = parse_choice(row, "metric", problems, ReportedTotal.Metric.values)
    value = parse_count(row, "value", problems)
    if not row["value"]:
        return None
    values = {
        "year": year,
        "metric": metric,
        "value": value,
        "note": row["notes"],
    }
    return TotalPlan(row["source_url"], values)


def _parse_year(row: Row, problems: Problems, today: dt.date) -> int | None:
    """A four-digit year not after this one."""
    text = row["year"]
    if not (len(text) == 4 and text.isdigit()):
        problems.add(row, f"year {text!r} is not a four-digit year")
        return None
    if int(text) > today.year:
        problems.add(row, f"year {text} is in the future")
    return int(text)


def totals_load(plans: list[TotalPlan], sources: dict[str, Any]) -> Tally:
    """Create or update every reported total, keyed by year, metric and source."""
    tally = Tally("reported totals", "reported total")
    existing = {(t.year, t.metric, t.source_id): t for t in ReportedTotal.objects.all()}
    for plan in plans:
        source = sources[plan.source_url]
        values = {**plan.values, "source_id": source.pk}
        key = (values["year"], values["metric"], source.pk)
        change = upsert(ReportedTotal, existing, key, values)[1]
        label = ReportedTotal.Metric(values["metric"]).label
        metric = label[0].lower() + label[1:]  # 'revenue (USD)', not '(usd)'
        name = f"{values['year']} {metric} / {source.publisher}"
        tally.count(change, name, counts_shown(values, ["value"]))
    return tally
