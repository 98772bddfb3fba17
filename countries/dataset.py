"""The dataset toolkit: reading CSV files, checking rows and upserting them.

Every importer works in two steps. It first checks every row and records each problem
with its file and physical line, and only when no file has a problem are rows written.
Writes compare field values against rows loaded up front, keyed by natural key, so an
unchanged row costs no query and an import can be repeated safely.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models

from countries.dates import Precision, parse_partial_date, starts_in_future
from countries.import_log import Change, change_line

# The history reason of every row an import writes; `/changes/` recognises it.
CHANGE_REASON = "import_dataset"


@dataclass(frozen=True)
class Row:
    """One CSV record with its file name and the physical line it starts on."""

    file: str
    line: int
    data: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.data[column]


@dataclass
class Problems:
    """Every problem found in the dataset, to be reported together."""

    items: list[tuple[str, int, str]] = field(default_factory=list)

    def add(self, row: Row, message: str) -> None:
        """Record a problem with one row."""
        self.items.append((row.file, row.line, message))

    def add_file(self, file: str, message: str) -> None:
        """Record a problem with a whole file (line 0 sorts it first)."""
        self.items.append((file, 0, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def lines(self, file_order: Sequence[str] = ()) -> list[str]:
        """The problems as 'file line N: reason', by file then line."""
        order = {name: i for i, name in enumerate(file_order)}

        def key(item: tuple[str, int, str]) -> tuple[int, str, int]:
            return (order.get(item[0], len(order)), item[0], item[1])

        return [
            f"{file} line {line}: {message}" if line else f"{file}: {message}"
            for file, line, message in sorted(self.items, key=key)
        ]


@dataclass
class Tally:
    """How many rows of one model an import created, updated or left unchanged."""

    label: str
    noun: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    lines: list[str] = field(default_factory=list)

    def count(self, change: Change, name: str, facts: Iterable[str] = ()) -> None:
        """Add one row; a created or updated one also gets a line saying what moved."""
        outcome = change.outcome
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome != "unchanged":
            self.lines.append(change_line(self.noun, name, change, facts))

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def __str__(self) -> str:
        return (
            f"{self.label}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


# Reading files.


def read_csv(path: Path, columns: Sequence[str], problems: Problems) -> list[Row]:
    """Read a CSV file into rows, recording a missing file, columns or broken lines."""
    if not path.is_file():
        problems.add_file(path.name, "file not found")
        return []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return read_rows(path.name, csv.reader(handle), columns, problems)
    except (csv.Error, UnicodeDecodeError) as exc:
        problems.add_file(path.name, f"cannot be read as UTF-8 CSV ({exc})")
        return []


def read_rows(
    name: str, reader: Any, columns: Sequence[str], problems: Problems
) -> list[Row]:
    """Turn a csv.reader into rows; a quoted field may span lines, so track starts."""
    header = [column.strip() for column in next(reader, [])]
    missing = [column for column in columns if column not in header]
    if missing:
        problems.add_file(name, f"missing required columns: {', '.join(missing)}")
        return []
    rows: list[Row] = []
    start = reader.line_num + 1
    for fields in reader:
        if any(value.strip() for value in fields):
            if len(fields) == len(header):
                values = dict(zip(header, map(str.strip, fields), strict=True))
                rows.append(Row(name, start, values))
            else:
                message = f"expected {len(header)} fields, found {len(fields)}"
                problems.add(Row(name, start, {}), message)
        start = reader.line_num + 1
    return rows


# Checking values. Each checker records a problem and returns None when a value is bad.


def require(row: Row, column: str, problems: Problems, max_length: int = 0) -> str:
    """The column's text, recording a problem when it is empty or too long."""
    value = row[column]
    if not value:
        problems.add(row, f"{column} is missing")
    elif max_length and len(value) > max_length:
        problems.add(row, f"{column} is longer than {max_length} characters")
    return value


def check_length(row: Row, column: str, problems: Problems, max_length: int) -> str:
    """The column's text (may be empty), recording a problem when it is too long."""
    value = row[column]
    if len(value) > max_length:
        problems.add(row, f"{column} is longer than {max_length} characters")
    return value


def optional_text(
    row: Row, column: str, problems: Problems, max_length: int = 0
) -> str | None:
    """An optional column's text (may be empty); None when the file has no such
    column, so that a file written before the column existed leaves the stored
    value alone. Records a problem when the text is too long."""
    if column not in row.data:
        return None
    value = row[column]
    if max_length and len(value) > max_length:
        problems.add(row, f"{column} is longer than {max_length} characters")
    return value


def parse_date(
    row: Row, column: str, problems: Problems, today: dt.date, required: bool = False
) -> tuple[dt.date | None, str]:
    """A partial date and its precision; (None, day) when empty or bad."""
    text = row[column]
    if not text:
        if required:
            problems.add(row, f"{column} is missing")
        return None, Precision.DAY
    try:
        date, precision = parse_partial_date(text)
    except ValueError as exc:
        problems.add(row, f"{column} {exc}")
        return None, Precision.DAY
    if starts_in_future(date, today):
        problems.add(row, f"{column} {text} is in the future")
        return None, Precision.DAY
    return date, precision


def parse_count(row: Row, column: str, problems: Problems) -> int | None:
    """A non-negative whole number; None when empty (unknown, never zero) or bad."""
    text = row[column]
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        problems.add(row, f"{column} ({text}) is not a whole number")
        return None
    if number < 0:
        problems.add(row, f"{column} ({text}) is negative")
        return None
    return number


def parse_choice(
    row: Row, column: str, problems: Problems, choices: Iterable[str]
) -> str:
    """The column's value when it is one of the choices; records a problem if not."""
    value = row[column]
    allowed = list(choices)
    if value not in allowed:
        shown = repr(value) if value else "(empty)"
        expected = ", ".join(allowed)
        problems.add(row, f"unknown {column} {shown}; expected one of {expected}")
    return value


def split_list(text: str) -> list[str]:
    """Split a ';'-separated cell into stripped, non-empty items."""
    return [item.strip() for item in text.split(";") if item.strip()]


def check_iso3(row: Row, code: str, known: set[str], problems: Problems) -> bool:
    """True when the code names a known country; records a problem if not."""
    if code in known:
        return True
    problems.add(row, f"unknown ISO code {code!r}")
    return False


# Writing rows.


def save_with_reason(obj: models.Model, reason: str = CHANGE_REASON) -> None:
    """Save through .save() so django-simple-history records the import's reason."""
    obj._change_reason = reason
    obj.save()


def upsert(
    model: type[models.Model],
    existing: dict[Any, Any],
    key: Any,
    values: dict[str, Any],
    create_only: dict[str, Any] | None = None,
    reason: str = CHANGE_REASON,
) -> tuple[Any, Change]:
    """Create or update the row with this natural key; return it and what changed."""
    obj = existing.get(key)
    if obj is None:
        obj = model(**values, **(create_only or {}))
        save_with_reason(obj, reason)
        existing[key] = obj
        return obj, Change(created=True)
    changed = set_values(obj, values)
    if changed:
        save_with_reason(obj, reason)
    return obj, Change(fields=changed, values=values)


def set_values(obj: models.Model, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set the values that differ from the object's; return each one's (old, new)."""
    changed = {
        name: (getattr(obj, name), v)
        for name, v in values.items()
        if getattr(obj, name) != v
    }
    for name, (_, value) in changed.items():
        setattr(obj, name, value)
    return changed


def m2m_ids(model: type[models.Model], field_name: str) -> dict[Any, set[Any]]:
    """Every row's current related ids for a many-to-many field, in one query."""
    relation = model._meta.get_field(field_name)
    through = relation.remote_field.through
    own = through._meta.get_field(relation.m2m_field_name()).attname
    other = through._meta.get_field(relation.m2m_reverse_field_name()).attname
    current: dict[Any, set[Any]] = {}
    for own_id, other_id in through.objects.values_list(own, other):
        current.setdefault(own_id, set()).add(other_id)
    return current


def sync_m2m(
    obj: models.Model, field_name: str, wanted: set[Any], current: dict[Any, set[Any]]
) -> tuple[set[Any], set[Any]]:
    """Make a many-to-many field hold exactly the wanted ids; return added, removed."""
    held = current.get(obj.pk, set())
    if held == wanted:
        return set(), set()
    obj._change_reason = CHANGE_REASON
    getattr(obj, field_name).set(wanted)
    current[obj.pk] = set(wanted)
    return wanted - held, held - wanted
