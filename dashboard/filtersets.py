"""The home page's filters: the missions list's, with sorts for host-country rows
and the year the map shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from countries.filtersets import YearFilter
from dashboard.hosts import host_rows
from dashboard.models import StatisticsState
from dashboard.years import host_rows_in_year, year_bounds
from missions.filtersets import SORT_CHOICES, MissionFilterSet, SortSelect
from missions.models import Mission

# The missions list's sorts that a host-country row has: no kind or start per row.
HOST_SORT_CHOICES = [
    (value, label)
    for value, label in SORT_CHOICES
    if value.lstrip("-") in {"country", "size", "as_of", "status"}
]


class HostFilterSet(MissionFilterSet):
    """The home page: missions filtered as on the missions list, shown as one row per
    host country; `sort` orders those rows (`dashboard.hosts.sort_rows`), so it offers
    only what the host table can sort by. `year` shows the map as it stood in a past
    year (`dashboard.years`): `status` then means the status in that year."""

    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=HOST_SORT_CHOICES,
        empty_label=None,
        method="rows",
        widget=SortSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Mission.Status.choices,
        empty_label=_("Any status"),
        method="filter_status",
    )
    # Set with the year slider (templates/includes/year_slider.html), kept hidden in
    # the filter form so that applying filters keeps the year shown.
    year = YearFilter(label=_("Year"), method="at_year", widget=forms.HiddenInput)

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or dt.date.today()
        first, last = year_bounds(self.today)
        message = _("Choose a year from %(first)s to %(last)s, as a whole number.") % {
            "first": first,
            "last": last,
        }
        self.filters["year"].extra.update(
            min_value=first,
            max_value=last,
            error_messages={k: message for k in ("invalid", "min_value", "max_value")},
        )

    def past_year(self) -> int | None:
        """The year asked for when it is before this one (this year is the present)."""
        year = self.form.cleaned_data.get("year")
        return year if year is not None and year < self.today.year else None

    def host_rows(self, request: HttpRequest) -> list[dict[str, Any]]:
        """One row per host country these filters give (call after `is_valid()`):
        as of today, or as they stood in the past year asked for; unfiltered, from
        the groups the last refresh stored, while no edit has happened since."""
        if year := self.past_year():
            status = self.form.cleaned_data.get("status") or ""
            return host_rows_in_year(self.qs, year, status)
        use_stored = not self.filtered() and StatisticsState.is_current_for(request)
        return host_rows(self.qs, self.today, stored=use_stored)

    def rows(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # rows are sorted after grouping by country

    def at_year(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset  # statuses in a year are worked out per row (dashboard.years)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if self.past_year():
            return queryset  # applied to the statuses in that year
        return queryset.filter(status=value)
