"""CSV rows of exactly what a chart draws, each with its source.

Pure functions over the rows the charts are drawn from; the views send them with
`countries.lists.csv_response`. Empty cells mean unknown, as on the pages."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.utils.translation import pgettext_lazy

# Column names: the stable snake_case identifiers scripts rely on at the English
# (unprefixed) URL, which is each msgid; Spanish words at /es/ (`csv_response`).
MAP_CSV_HEADER = [
    pgettext_lazy("CSV column", "iso3"),
    pgettext_lazy("CSV column", "country"),
    pgettext_lazy("CSV column", "year_shown"),
    pgettext_lazy("CSV column", "status"),
    pgettext_lazy("CSV column", "best_known_headcount"),
    pgettext_lazy("CSV column", "counts_what"),
    pgettext_lazy("CSV column", "as_of"),
    pgettext_lazy("CSV column", "over_two_years_old"),
    pgettext_lazy("CSV column", "last_mission"),
    pgettext_lazy("CSV column", "source_publisher"),
    pgettext_lazy("CSV column", "source_url"),
]


def map_csv_rows(rows: Iterable[dict[str, Any]], year: int | None) -> list[list]:
    """One row per country on the map, in the table's order."""
    out = []
    for r in rows:
        source = r.get("ended_source")
        out.append(
            [
                r["iso3"],
                r["name"],
                year or "latest",
                r["status"],
                r["headcount"],
                r["basis"],
                r["as_of"] if r["headcount"] is not None else "",
                "yes" if r["dated"] else "no",
                r.get("ended") or "",
                r["publisher"] or (source.publisher if source else ""),
                r["source_url"] or (source.url if source else ""),
            ]
        )
    return out


STAFFING_CSV_HEADER = [
    pgettext_lazy("CSV column", "point"),
    pgettext_lazy("CSV column", "date"),
    pgettext_lazy("CSV column", "date_precision"),
    pgettext_lazy("CSV column", "mission_or_event"),
    pgettext_lazy("CSV column", "workers"),
    pgettext_lazy("CSV column", "doctors"),
    pgettext_lazy("CSV column", "source_publisher"),
    pgettext_lazy("CSV column", "source_url"),
]


def staffing_csv_rows(
    figures: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]], site: str
) -> Iterator[list]:
    """Every figure and every event of a country, by date (events first on a day);
    an event's source column is its page on this site (`site` + its path). Both
    come sorted by date, and are merged as they are read, so a download streams."""
    figure_rows = (
        [
            "figure",
            f["as_of"],
            f["precision"],
            f["mission"],
            f["workers"],
            f["doctors"],
            f["publisher"],
            f["url"],
        ]
        for f in figures
    )
    event_rows = (
        [
            "event",
            e["date"],
            e["precision"],
            e["title"],
            None,
            None,
            "",
            site + e["url"],
        ]
        for e in events
    )
    return heapq.merge(event_rows, figure_rows, key=lambda row: row[1])


TOTALS_CSV_HEADER = [
    pgettext_lazy("CSV column", "year"),
    pgettext_lazy("CSV column", "series"),
    pgettext_lazy("CSV column", "workers"),
    pgettext_lazy("CSV column", "source_publisher"),
    pgettext_lazy("CSV column", "source_url"),
]


def totals_csv_rows(
    ours: Sequence[dict[str, Any]], claimed: Sequence[dict[str, Any]]
) -> list[list]:
    """The about page's chart: our yearly sums beside the totals sources claim."""
    rows = [[r["year"], "sum of the figures we hold", r["value"], "", ""] for r in ours]
    rows += [
        [r["year"], "total claimed by a source", r["value"], r["publisher"], r["url"]]
        for r in claimed
    ]
    return sorted(rows, key=lambda row: (row[0], row[1]))
