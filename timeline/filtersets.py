"""Filters for the events list, shared by the timeline chart, the list and the CSV."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import django_filters
from django.db.models import QuerySet

from missions.filtersets import MissionFilterSet, TrackerFilterForm, TrackerFilterSet
from timeline.models import PolicyEvent


class EventFilterSet(TrackerFilterSet):
    """Published events by kind, affected country, region, sub-region and years."""

    kind = django_filters.ChoiceFilter(
        label="Kind of event",
        choices=PolicyEvent.Kind.choices,
        empty_label="Any kind",
    )
    q = django_filters.CharFilter(label="Search", method="search")

    facet_filters = ("region", "subregion", "country", "kind")

    class Meta:
        model = PolicyEvent
        form = TrackerFilterForm
        fields = ("region", "subregion", "country", "kind", "year_min", "year_max")

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.affecting([value])

    def in_areas(self, queryset: QuerySet, names: list[str]) -> QuerySet:
        return queryset.in_areas(names)

    def in_years(self, queryset: QuerySet, **years: int) -> QuerySet:
        return queryset.in_years(**years)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Events whose title or summary contains every word."""
        return queryset.matching(value)

    def facet_rows(self, queryset: QuerySet) -> Iterable[dict]:
        return queryset.facet_rows()

    def facet_counts(self, rows: Iterable[dict]) -> dict[str, Counter]:
        """Count distinct events per option: an event affecting two Central American
        countries counts once for Central America."""
        events: dict[str, dict[str, set]] = {n: {} for n in self.facet_filters}
        for row in rows:
            pk, iso3 = row["pk"], row["country_id"]
            region, areas = self.options.where.get(iso3, ("", ()))
            keys = {
                "country": [iso3],
                "region": [region],
                "subregion": list(areas),
                "kind": [row["kind"]],
            }
            for name, values in keys.items():
                for value in values:
                    events[name].setdefault(value, set()).add(pk)
        return {
            name: Counter({value: len(pks) for value, pks in by_value.items()})
            for name, by_value in events.items()
        }


HOST_SORT_CHOICES = [
    ("country", "Country (A–Z)"),
    ("-country", "Country (Z–A)"),
    ("-size", "Largest best-known headcount first"),
    ("size", "Smallest best-known headcount first"),
    ("-as_of", "Newest figure first"),
    ("as_of", "Oldest figure first"),
    ("status", "Status (active first)"),
    ("-status", "Status (unknown first)"),
]


class HostFilterSet(MissionFilterSet):
    """The home page: missions filtered as on the missions list, shown as one row per
    host country; `sort` orders those rows (`timeline.hosts.sort_rows`), so it offers
    only what the host table can sort by."""

    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=HOST_SORT_CHOICES, empty_label=None, method="rows"
    )

    def rows(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # rows are sorted after grouping by country
