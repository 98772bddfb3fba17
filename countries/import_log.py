"""Describing what an import changed: one line per created or updated row.

An operator re-importing an edited dataset should see which rows moved and how, not
only how many: `updated staffing report: … : doctors 98 -> unknown, workers unknown
-> 98`. Lines are built from values the import already holds, so they cost no query.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from countries.dates import format_partial_date

# Longer texts (summaries, notes) are named as changed rather than quoted in full.
MAX_SHOWN = 40


@dataclass
class Change:
    """What an upsert did to one row: created, or fields and links from old to new."""

    created: bool = False
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """'created', 'updated' or 'unchanged'."""
        if self.created:
            return "created"
        return "updated" if self.fields or self.links else "unchanged"

    def add_links(
        self,
        name: str,
        added: Iterable[Any],
        removed: Iterable[Any],
        label: Callable[[Any], str] = str,
    ) -> None:
        """Record many-to-many ids added to and removed from one relation."""
        shown = name.replace("_", " ")
        self.links += [f"{shown} + {label(i)}" for i in sorted(added, key=str)]
        self.links += [f"{shown} - {label(i)}" for i in sorted(removed, key=str)]

    def describe(self) -> list[str]:
        """Each changed field as 'name old -> new', then each link added or removed."""
        return [*_describe_fields(self.fields, self.values), *self.links]


def change_line(noun: str, name: str, change: Change, facts: Iterable[str]) -> str:
    """One line for a created row (with its facts) or an updated one (with its diff)."""
    details = list(facts) if change.created else change.describe()
    text = f"{change.outcome} {noun}: {name}"
    return f"{text}: {', '.join(details)}" if details else text


def counts_shown(values: dict[str, Any], names: Iterable[str]) -> list[str]:
    """The stated counts among the fields, as 'workers 17'; unknown ones left out."""
    return [
        f"{name.replace('_', ' ')} {values[name]}"
        for name in names
        if values.get(name) is not None
    ]


def _describe_fields(
    diff: dict[str, tuple[Any, Any]], values: dict[str, Any]
) -> list[str]:
    """Changed fields in the row's own order; a date and its precision read as one."""
    parts: list[str] = []
    for name in values:
        precision = f"{name}_precision"
        if name.endswith("_precision") and name.removesuffix("_precision") in values:
            continue
        if name not in diff and precision not in diff:
            continue
        old, new = _old_new(name, diff, values)
        if precision in values:
            old_precision, new_precision = _old_new(precision, diff, values)
            old = _PartialDate(format_partial_date(old, old_precision))
            new = _PartialDate(format_partial_date(new, new_precision))
        parts.append(_describe_field(name.replace("_", " "), old, new))
    return parts


class _PartialDate(str):
    """A date already shown at its precision: printed as is, not quoted."""


def _old_new(
    name: str, diff: dict[str, tuple[Any, Any]], values: dict[str, Any]
) -> tuple[Any, Any]:
    """A field's old and new value; an unchanged field is its new value twice."""
    return diff.get(name, (values[name], values[name]))


def _describe_field(name: str, old: Any, new: Any) -> str:
    """'doctors 98 -> unknown', or 'note changed' for text too long to quote."""
    if any(isinstance(v, str) and len(v) > MAX_SHOWN for v in (old, new)):
        return f"{name} changed"
    return f"{name} {_shown(old)} -> {_shown(new)}"


def _shown(value: Any) -> str:
    """A value as a reader wants it: None is unknown (never zero), texts are quoted."""
    if isinstance(value, _PartialDate):
        return value or "unknown"
    if value is None:
        return "unknown"
    if isinstance(value, str):
        return repr(value) if value else "(empty)"
    return str(value)
