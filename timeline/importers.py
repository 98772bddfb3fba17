"""Importing policy events, and the whole dataset in one transaction.

The dataset import lives in timeline because it is the app allowed to depend on the
other two: countries, then sources, missions, staffing reports, totals and events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from countries.dataset import (
    Problems,
    Row,
    Tally,
    check_iso3,
    check_length,
    m2m_ids,
    optional_text,
    parse_choice,
    parse_date,
    read_csv,
    require,
    split_list,
    sync_m2m,
    upsert,
)
from countries.dates import format_partial_date
from countries.importers import (
    COUNTRY_COLUMNS,
    check_countries,
    countries_load,
    known_iso3,
)
from missions.importers import (
    AGGREGATE_COLUMNS,
    MISSION_COLUMNS,
    SOURCE_COLUMNS,
    MissionPlan,
    ReportPlan,
    TotalPlan,
    check_missions,
    check_sources,
    check_totals,
    missions_load,
    reports_load,
    sources_load,
    totals_load,
)
from timeline.models import PolicyEvent

FILES = ("countries.csv", "missions.csv", "events.csv", "aggregates.csv")
EVENT_COLUMNS = (
    "date",
    "title",
    "kind",
    "actor",
    "affected_iso3",
    "summary",
    "figures",
    *SOURCE_COLUMNS,
)
# Optional: the Spanish title and summary (a file without them keeps the stored ones).
EVENT_SPANISH_COLUMNS = {"title_es": 300, "summary_es": 0}
EVENT_LINKS = ("actor_countries", "affected_countries", "sources")


class DatasetError(Exception):
    """The dataset has problems; `lines` lists each as 'file line N: reason'."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass
class EventPlan:
    """A policy event as the dataset describes it, with the ids it links to."""

    key: tuple[dt.date | None, str]
    values: dict[str, Any]
    links: dict[str, set[str]]


@dataclass
class DatasetPlan:
    """Every checked row of the dataset, ready to write."""

    countries: list[dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    missions: list[MissionPlan]
    reports: list[ReportPlan]
    totals: list[TotalPlan]
    events: list[EventPlan]
    notices: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import did: a tally per model and any notices about skipped rows."""

    tallies: list[Tally]
    notices: list[str]

    @property
    def changed(self) -> int:
        return sum(tally.changed for tally in self.tallies)

    @property
    def lines(self) -> list[str]:
        """One line per created or updated row, in the order they were written."""
        return [line for tally in self.tallies for line in tally.lines]


# Events.


def check_events(
    rows: list[Row], problems: Problems, today: dt.date, known: set[str]
) -> list[EventPlan]:
    """Check events.csv and return its events."""
    events: list[EventPlan] = []
    seen: dict[tuple[dt.date | None, str], int] = {}
    for row in rows:
        plan = _event_plan(row, problems, today, known)
        if plan.key in seen and plan.key[0] is not None:
            problems.add(row, f"repeats the date and title of line {seen[plan.key]}")
        seen.setdefault(plan.key, row.line)
        events.append(plan)
    return events


def _event_plan(
    row: Row, problems: Problems, today: dt.date, known: set[str]
) -> EventPlan:
    """The fields and links of one event row."""
    date, precision = parse_date(row, "date", problems, today, required=True)
    actors = split_list(row["actor"])
    organisation = "; ".join(token for token in actors if token not in known)
    if len(organisation) > 200:
        problems.add(row, "actor organisation is longer than 200 characters")
    affected = split_list(row["affected_iso3"])
    values = {
        "date": date,
        "date_precision": precision,
        "title": require(row, "title", problems, 300),
        "kind": parse_choice(row, "kind", problems, PolicyEvent.Kind.values),
        "actor_organisation": organisation,
        "summary": require(row, "summary", problems),
        "figures": check_length(row, "figures", problems, 300),
    }
    for column, max_length in EVENT_SPANISH_COLUMNS.items():
        text = optional_text(row, column, problems, max_length)
        if text is not None:
            values[column] = text
    links = {
        "actor_countries": {token for token in actors if token in known},
        "affected_countries": {
            code for code in affected if check_iso3(row, code, known, problems)
        },
        "sources": {row["source_url"]},
    }
    return EventPlan((date, values["title"]), values, links)


def events_load(plans: list[EventPlan], sources: dict[str, Any]) -> Tally:
    """Create or update every event by date and title; new events are published,
    all with the import's time; an update leaves publication alone."""
    tally = Tally("policy events", "event")
    # One publication time per import: the feed then orders its events by date.
    published = {"is_published": True, "published_at": timezone.now()}
    existing = {(e.date, e.title): e for e in PolicyEvent.objects.all()}
    current = {name: m2m_ids(PolicyEvent, name) for name in EVENT_LINKS}
    urls = {source.pk: url for url, source in sources.items()}
    for plan in plans:
        event, change = upsert(
            PolicyEvent,
            existing,
            plan.key,
            plan.values,
            create_only=published,
        )
        wanted = {
            **plan.links,
            "sources": {sources[u].pk for u in plan.links["sources"]},
        }
        # django-simple-history writes a history row per m2m change (four for a new
        # event, 70% of the import's time): skip those, then save once so a single
        # row records every link.
        event.skip_history_when_saving = True
        linked = False
        for name in EVENT_LINKS:
            added, removed = sync_m2m(event, name, wanted[name], current[name])
            label = urls.get if name == "sources" else str
            change.add_links(name, added, removed, label)
            linked = linked or bool(added or removed)
        del event.skip_history_when_saving
        if linked:
            event.save()
        when = format_partial_date(plan.values["date"], plan.values["date_precision"])
        tally.count(change, f"{when} {plan.values['title']}")
    return tally


# The whole dataset.


def dataset_import(*, directory: Path, today: dt.date | None = None) -> ImportResult:
    """Check every file, then write every row in one transaction (or raise).

    Statistics refresh after the transaction commits, once however many rows it
    wrote (the save signals queue it); an import that changes nothing saves nothing
    and so queues no refresh.
    """
    with transaction.atomic():
        plan = dataset_check(directory=directory, today=today or timezone.localdate())
        return dataset_write(plan=plan)


def dataset_check(*, directory: Path, today: dt.date) -> DatasetPlan:
    """Check every row of every file; raise DatasetError listing all problems."""
    problems = Problems()
    countries_rows = read_csv(directory / FILES[0], COUNTRY_COLUMNS, problems)
    missions_rows = read_csv(directory / FILES[1], MISSION_COLUMNS, problems)
    events_rows = read_csv(directory / FILES[2], EVENT_COLUMNS, problems)
    totals_rows = read_csv(directory / FILES[3], AGGREGATE_COLUMNS, problems)
    countries = check_countries(countries_rows, problems)
    known = known_iso3(countries)
    all_rows = [*missions_rows, *events_rows, *totals_rows]
    sources = check_sources(all_rows, problems, today)
    missions, reports = check_missions(missions_rows, problems, today, known)
    totals, without_value = check_totals(totals_rows, problems, today)
    events = check_events(events_rows, problems, today, known)
    if problems:
        raise DatasetError(problems.lines(FILES))
    notices = [
        f"Note: {row.file} line {row.line} states no value; its source is kept "
        "and no total is recorded"
        for row in without_value
    ]
    return DatasetPlan(countries, sources, missions, reports, totals, events, notices)


def dataset_write(*, plan: DatasetPlan) -> ImportResult:
    """Write checked rows in dependency order and count what changed."""
    countries = countries_load(plan.countries)
    # Names for the change lines; a country stored but not in the CSV shows its code.
    names = {country["iso3"]: country["name"] for country in plan.countries}
    sources_tally, sources = sources_load(plan.sources)
    missions_tally, missions = missions_load(plan.missions, sources, names)
    tallies = [
        countries,
        sources_tally,
        missions_tally,
        reports_load(plan.reports, missions, sources, names),
        totals_load(plan.totals, sources),
        events_load(plan.events, sources),
    ]
    return ImportResult(tallies, plan.notices)
