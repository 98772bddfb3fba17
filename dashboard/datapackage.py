"""The Frictionless `datapackage.json` describing the data package's CSV files.

Pure functions: the Table Schema of each file (types, constraints, descriptions,
keys) and the package descriptor built from the files' row counts, sizes and hashes.
Empty cells mean unknown (`missingValues`), never zero.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from missions.models import Mission, ReportedTotal
from timeline.models import PolicyEvent

PACKAGE_NAME = "cuban-medical-missions-data"
TITLE = "Cuban Medical Missions Tracker: the dataset"
# YYYY, YYYY-MM or YYYY-MM-DD: a date is written at the precision it is known to.
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_DATE_NOTE = " Written at its known precision: YYYY, YYYY-MM or YYYY-MM-DD."


def _field(name: str, kind: str, description: str, **constraints: Any) -> dict:
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


def _date(name: str, description: str, required: bool = False) -> dict:
    extra = {"required": True} if required else {}
    return _field(
        name, "string", description + _DATE_NOTE, pattern=PARTIAL_DATE, **extra
    )


def _count(name: str, description: str) -> dict:
    return _field(name, "integer", description + " Empty: unknown.", minimum=0)


SOURCE_FIELDS = [
    _field(
        "source_url",
        "string",
        "The publication that states this row's facts.",
        required=True,
    ),
    _field("publisher", "string", "Who published it (and whom they cite)."),
    _date("published", "When it was published; empty when not known."),
]

COUNTRY_FIELDS = [
    _field("iso3", "string", "ISO 3166-1 alpha-3 code.", required=True, unique=True),
    _field("m49", "string", "UN M49 numeric code.", pattern=r"^\d{3}$"),
    _field("name", "string", "Short English name.", required=True),
    _field("name_es", "string", "Short Spanish name; empty: show the English."),
    _field("region", "string", "UN M49 region.", required=True),
    _field("subregion", "string", "UN M49 sub-region.", required=True),
    _field("intermediate_region", "string", "UN M49 intermediate region, if any."),
    _field("latitude", "number", "Map point (degrees).", minimum=-90, maximum=90),
    _field("longitude", "number", "Map point (degrees).", minimum=-180, maximum=180),
]

MISSION_FIELDS = [
    _field("iso3", "string", "Host country (countries.csv).", required=True),
    _field("country", "string", "Host country's name, for reading."),
    _field("region", "string", "Host's UN M49 region, for reading."),
    _field("subregion", "string", "Host's UN M49 sub-region, for reading."),
    _field("mission_name", "string", "The mission; with iso3, its key.", required=True),
    _field("kind", "string", "Terms of the mission.", enum=list(Mission.Kind.values)),
    _date("start", "When the mission started."),
    _date("end", "When it ended."),
    _field(
        "status",
        "string",
        "Current status; unknown when no source gives one.",
        enum=[status.replace("-", " ") for status in Mission.Status.values],
    ),
    _date("status_as_of", "When a source last stated the status."),
    _date("as_of", "Date of the staffing figure; empty on a row without one."),
    _count("workers", "All Cuban medical staff on the mission."),
    _count("doctors", "Doctors among them."),
    _count("other_staff", "Other staff."),
    *SOURCE_FIELDS,
    _field(
        "notes",
        "string",
        "'Mission: <summary> | Figure: <note>' on a mission's first row, else the "
        "figure's note; our own words.",
    ),
    _field(
        "mission_name_es",
        "string",
        "The mission's name in Spanish, if an editor gave one.",
    ),
    _field("mission_summary_es", "string", "The mission's summary in Spanish, if any."),
]

EVENT_FIELDS = [
    _date("date", "When the event happened.", required=True),
    _field("title", "string", "What happened, in our words.", required=True),
    _field("kind", "string", "Kind of event.", enum=list(PolicyEvent.Kind.values)),
    _field(
        "actor",
        "string",
        "Who acted: ISO3 codes, then any organisation, separated by ';'.",
    ),
    _field("affected_iso3", "string", "Host countries affected, separated by ';'."),
    _field("summary", "string", "Summary in our own words.", required=True),
    _field("figures", "string", "Numbers the source states, as text."),
    *SOURCE_FIELDS,
    _field("title_es", "string", "The title in Spanish, if an editor gave one."),
    _field("summary_es", "string", "The summary in Spanish, if any."),
]

AGGREGATE_FIELDS = [
    _field("year", "integer", "Year the total is for.", required=True),
    _field(
        "metric",
        "string",
        "What is counted.",
        required=True,
        enum=list(ReportedTotal.Metric.values),
    ),
    _field("value", "integer", "The total the source claims.", minimum=0),
    *SOURCE_FIELDS,
    _field("notes", "string", "Context for the claim."),
]

EVENT_SOURCE_FIELDS = [
    _date("date", "The event's date (events.csv).", required=True),
    _field("title", "string", "The event's title (events.csv).", required=True),
    *SOURCE_FIELDS,
]

# name, title, description, fields, primary key, foreign keys
RESOURCES: dict[str, tuple[str, str, list[dict], list[str], list[dict]]] = {
    "countries.csv": (
        "Countries",
        "Every ISO 3166 country with its UN M49 regions and a point for the map.",
        COUNTRY_FIELDS,
        ["iso3"],
        [],
    ),
    "missions.csv": (
        "Missions and staffing figures",
        "One row per mission and dated, sourced staffing figure; a mission's "
        "sources that give no figure have a row without counts. Where sources "
        "disagree, each figure is its own row. Missions without a source are "
        "left out.",
        MISSION_FIELDS,
        [],
        [{"fields": "iso3", "reference": {"resource": "countries", "fields": "iso3"}}],
    ),
    "events.csv": (
        "Policy events",
        "Published policy events (no drafts), each with one of its sources; "
        "event_sources.csv lists all of them.",
        EVENT_FIELDS,
        ["date", "title"],
        [],
    ),
    "aggregates.csv": (
        "Worldwide totals claimed by sources",
        "Totals as their sources claim them: never sums of missions.csv.",
        AGGREGATE_FIELDS,
        ["year", "metric", "source_url"],
        [],
    ),
    "event_sources.csv": (
        "Sources of policy events",
        "Every source of every published event (import_dataset does not read "
        "this file).",
        EVENT_SOURCE_FIELDS,
        ["date", "title", "source_url"],
        [
            {
                "fields": ["date", "title"],
                "reference": {"resource": "events", "fields": ["date", "title"]},
            }
        ],
    ),
}

LICENSES = [
    {
        "name": "other-at",
        "path": "LICENCES.md",
        "title": "Facts with their public sources (attribute each to its "
        "source); summaries and notes are our own paraphrases; countries.csv "
        "as its packages (MIT; UN M49; Natural Earth, public domain)",
    }
]
SOURCES = [
    {
        "title": "Public reporting (news agencies, newspapers, governments, Cuban "
        "state media, NGOs, academic papers): every row names its source"
    },
    {
        "title": "UN M49 standard country or area codes",
        "path": "https://unstats.un.org/unsd/methodology/m49/",
    },
    {"title": "Natural Earth", "path": "https://www.naturalearthdata.com/"},
]


def resource(name: str, rows: int, size: int, sha256: str) -> dict[str, Any]:
    """The descriptor of one CSV file, with its schema, size and hash."""
    title, description, fields, primary_key, foreign_keys = RESOURCES[name]
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if primary_key:
        schema["primaryKey"] = primary_key
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return {
        "name": name.removesuffix(".csv"),
        "path": name,
        "title": title,
        "description": f"{description} {rows:,} rows.",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "bytes": size,
        "hash": f"sha256:{sha256}",
        "schema": schema,
    }


def descriptor(
    *, version: int, created: dt.datetime, files: dict[str, tuple[int, int, str]]
) -> dict[str, Any]:
    """The whole `datapackage.json`; `files` maps a CSV's name to (rows, bytes,
    sha256), in the order the files are listed."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": TITLE,
        "description": (
            "Cuba's medical missions abroad: host countries, missions, dated "
            "staffing figures, policy events and worldwide totals claimed by "
            "sources, each row with its source. Empty means unknown, never zero. "
            "The CSVs are in the format `manage.py import_dataset <folder>` reads."
        ),
        "version": str(version),
        "created": created.isoformat(timespec="seconds"),
        "keywords": ["Cuba", "medical missions", "health workers", "open data"],
        "licenses": LICENSES,
        "sources": SOURCES,
        "resources": [resource(name, *facts) for name, facts in files.items()],
    }
