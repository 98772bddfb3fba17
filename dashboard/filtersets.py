"""The home page's filters: the missions list's, with sorts for host-country rows."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from missions.filtersets import SORT_CHOICES, MissionFilterSet, SortSelect

# The missions list's sorts that a host-country row has: no kind or start per row.
HOST_SORT_CHOICES = [
    (value, label)
    for value, label in SORT_CHOICES
    if value.lstrip("-") in {"country", "size", "as_of", "status"}
]


class HostFilterSet(MissionFilterSet):
    """The home page: missions filtered as on the missions list, shown as one row per
    host country; `sort` orders those rows (`dashboard.hosts.sort_rows`), so it offers
    only what the host table can sort by."""

    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=HOST_SORT_CHOICES,
        empty_label=None,
        method="rows",
        widget=SortSelect,
    )

    def rows(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # rows are sorted after grouping by country
