"""The home page's filters: the missions list's, with sorts for host-country rows."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from missions.filtersets import MissionFilterSet

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
    host country; `sort` orders those rows (`dashboard.hosts.sort_rows`), so it offers
    only what the host table can sort by."""

    sort = django_filters.ChoiceFilter(
        label="Sort by", choices=HOST_SORT_CHOICES, empty_label=None, method="rows"
    )

    def rows(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # rows are sorted after grouping by country
