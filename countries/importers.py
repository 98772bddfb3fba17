"""Importing countries.csv: each country's codes, names, M49 areas and map point.

The CSV reading, checking and upserting it relies on are in `countries.dataset`.
"""

from __future__ import annotations

import re
from typing import Any

from countries.dataset import (
    Problems,
    Row,
    Tally,
    check_length,
    optional_text,
    require,
    upsert,
)
from countries.models import Country

COUNTRY_COLUMNS = (
    "iso3",
    "m49",
    "name",
    "region",
    "subregion",
    "intermediate_region",
    "latitude",
    "longitude",
)
# Optional: the Spanish name (a file without it keeps the stored one).
COUNTRY_SPANISH_COLUMN = "name_es"
_ISO3 = re.compile(r"^[A-Z]{3}$")
_M49 = re.compile(r"^\d{3}$")


def check_countries(rows: list[Row], problems: Problems) -> list[dict[str, Any]]:
    """Check countries.csv and return the field values of each country."""
    values: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for row in rows:
        iso3 = row["iso3"]
        if not _ISO3.match(iso3):
            problems.add(row, f"iso3 {iso3!r} is not three capital letters")
        elif iso3 in seen:
            problems.add(row, f"iso3 {iso3} repeats line {seen[iso3]}")
        seen.setdefault(iso3, row.line)
        values.append(_country_values(row, problems))
    return values


def _country_values(row: Row, problems: Problems) -> dict[str, Any]:
    """The field values of one country row."""
    m49 = row["m49"]
    if m49 and not _M49.match(m49):
        problems.add(row, f"m49 {m49!r} is not a three-digit code")
    values = {
        "iso3": row["iso3"],
        "m49_code": m49,
        "name": require(row, "name", problems, 100),
        "region": require(row, "region", problems, 40),
        "subregion": require(row, "subregion", problems, 60),
        "intermediate_region": check_length(row, "intermediate_region", problems, 60),
        "latitude": _parse_coordinate(row, "latitude", 90, problems),
        "longitude": _parse_coordinate(row, "longitude", 180, problems),
    }
    name_es = optional_text(row, COUNTRY_SPANISH_COLUMN, problems, 100)
    if name_es is not None:
        values["name_es"] = name_es
    return values


def _parse_coordinate(
    row: Row, column: str, limit: float, problems: Problems
) -> float | None:
    """A latitude or longitude in degrees; None when empty or bad."""
    text = row[column]
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        problems.add(row, f"{column} ({text}) is not a number")
        return None
    if not -limit <= number <= limit:
        problems.add(row, f"{column} ({text}) is outside -{limit}..{limit}")
        return None
    return number


def countries_load(values: list[dict[str, Any]]) -> Tally:
    """Create or update every country, keyed by its ISO code."""
    tally = Tally("countries", "country")
    existing = Country.objects.in_bulk()
    for country in values:
        _, change = upsert(Country, existing, country["iso3"], country)
        tally.count(change, f"{country['iso3']} {country['name']}")
    return tally


def known_iso3(values: list[dict[str, Any]]) -> set[str]:
    """The ISO codes a dataset may use: those in countries.csv and those stored."""
    stored = set(Country.objects.values_list("iso3", flat=True))
    return stored | {country["iso3"] for country in values}
