"""Counts another app stores when it refreshes its statistics (the dashboard's
`SeriesPoint` and `EventFacet` rows). That app registers its readers here at
start-up, so the unfiltered timeline draws its chart, counts its pages and counts
its filter options from those rows instead of reading every event on each request,
while this app imports nothing of it (countries <- missions <- timeline <-
dashboard)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

YearKindRows = list[dict[str, Any]]
FacetCounts = dict[str, Counter]
_readers: dict[str, Callable[[], Any]] = {}


def register_readers(
    *,
    year_kind_counts: Callable[[], YearKindRows],
    facet_counts: Callable[[], FacetCounts],
) -> None:
    """Use these readers for the stored counts (the last app to register wins):
    rows of year, kind and count, oldest year first; and {filter: Counter}."""
    _readers.update(year_kind_counts=year_kind_counts, facet_counts=facet_counts)


def stored_year_kind_counts() -> YearKindRows | None:
    """The stored per-year-by-kind counts, or None when none are stored (the
    caller groups the events itself)."""
    reader = _readers.get("year_kind_counts")
    return (reader() or None) if reader else None


def stored_facet_counts() -> FacetCounts | None:
    """The stored counts of each filter option, or None when none are stored."""
    reader = _readers.get("facet_counts")
    return (reader() or None) if reader else None
