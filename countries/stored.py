"""Counts the dashboard stores when it refreshes its statistics, read by the pages
of the apps below it (countries <- missions <- timeline <- dashboard), which import
nothing of it: the dashboard registers a reader for each at start-up, so that an
unfiltered list counts its filter options, and the timeline draws its chart, from
those rows instead of reading every mission or event on each request.

Each reader returns None (or nothing) when no counts are stored yet, or when they
are out of date (an edit since the last refresh), and the caller then counts for
itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

# The stored counts there are, with what each reader returns.
EVENT_YEAR_KIND_COUNTS = "event_year_kind_counts"  # [{year, kind, count}], oldest first
EVENT_FACET_COUNTS = "event_facet_counts"  # {filter: Counter(option: events)}
MISSION_FACET_COUNTS = "mission_facet_counts"  # {filter: Counter(option: missions)}

_readers: dict[str, Callable[[HttpRequest], Any]] = {}


def register_readers(**readers: Callable[[HttpRequest], Any]) -> None:
    """Use these readers (each given the request being answered) for the stored
    counts of these names (the last app to register a name wins)."""
    unknown = readers.keys() - {
        EVENT_YEAR_KIND_COUNTS,
        EVENT_FACET_COUNTS,
        MISSION_FACET_COUNTS,
    }
    if unknown:
        raise ValueError(f"no stored counts named {sorted(unknown)}")
    _readers.update(readers)


def stored(name: str, request: HttpRequest) -> Any:
    """What the reader registered for `name` returns for this request, or None
    when there is no reader or nothing up to date is stored."""
    reader = _readers.get(name)
    return (reader(request) or None) if reader else None
