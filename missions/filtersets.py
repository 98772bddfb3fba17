"""Filters for the missions list, shared by the map, the table and the CSV download;
and for the staffing figures and claimed totals, as the JSON API lists them."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from countries.filtersets import (
    YEAR_RANGE,
    AreaFilterForm,
    AreaFilterSet,
    FacetSelect,
    YearFilter,
)
from missions.models import Mission, ReportedTotal, StaffingReport

# Every value a sort select or sortable column header offers; anything else is a 400.
SORT_CHOICES = [
    ("country", _("Country (A–Z)")),
    ("-country", _("Country (Z–A)")),
    ("-size", _("Largest best-known headcount first")),
    ("size", _("Smallest best-known headcount first")),
    ("-as_of", _("Newest figure first")),
    ("as_of", _("Oldest figure first")),
    ("status", _("Status (active first)")),
    ("-status", _("Status (unknown first)")),
    ("kind", _("Kind (A–Z)")),
    ("-kind", _("Kind (Z–A)")),
    ("-start", _("Newest start first")),
    ("start", _("Oldest start first")),
]


class SortSelect(forms.Select):
    """Without `sort`, lists are in country order: the form leaves that value out of
    the URL it submits (static/js/filters.js), as it does empty fields."""

    def __init__(self, attrs: dict | None = None, choices=()):
        super().__init__({"data-default": "country", **(attrs or {})}, choices)


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorting where unknown values come last in either direction, with a stable
    tie-break so that pages never repeat or skip a row."""

    def get_ordering_value(self, param: str) -> OrderBy:
        field = F(self.param_map[param.lstrip("-")])
        if param.startswith("-"):
            return field.desc(nulls_last=True)
        return field.asc(nulls_last=True)

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        if not value:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        return qs.order_by(*ordering, "country__name", "name", "pk")


class MissionFilterSet(AreaFilterSet):
    """Missions by region, sub-region, country, status, kind and years."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Mission.Status.choices,
        empty_label=_("Any status"),
        widget=FacetSelect,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        choices=Mission.Kind.choices,
        empty_label=_("Any kind"),
        widget=FacetSelect,
    )
    sort = NullsLastOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("country__name", "country"),
            ("status", "status"),
            ("kind", "kind"),
            ("start", "start"),
            ("stats__headcount", "size"),
            ("stats__as_of", "as_of"),
        ),
        choices=SORT_CHOICES,
        empty_label=None,
        widget=SortSelect,
    )

    facet_filters = ("region", "subregion", "country", "status", "kind")

    class Meta:
        model = Mission
        form = AreaFilterForm
        fields = (
            "region",
            "subregion",
            "country",
            "status",
            "kind",
            "year_min",
            "year_max",
        )


class WholeNumberFilter(django_filters.NumberFilter):
    """An id: "1.5" or "abc" are form errors, never rounded or ignored."""

    field_class = forms.IntegerField


class StaffingReportFilterSet(AreaFilterSet):
    """Staffing figures by their mission's host (region, sub-region, country), by
    mission and by the years they are dated in: the area filters of every list."""

    mission = WholeNumberFilter(
        label=_("Mission"), field_name="mission_id", min_value=1, max_value=2**53
    )

    class Meta:
        model = StaffingReport
        form = AreaFilterForm
        fields = ("region", "subregion", "country", "mission", "year_min", "year_max")


class ReportedTotalFilterSet(django_filters.FilterSet):
    """Worldwide totals claimed by sources, by metric and year."""

    metric = django_filters.ChoiceFilter(
        label=_("Metric"), choices=ReportedTotal.Metric.choices
    )
    year_min = YearFilter(
        label=_("From year"),
        field_name="year",
        lookup_expr="gte",
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
    )
    year_max = YearFilter(
        label=_("To year"),
        field_name="year",
        lookup_expr="lte",
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
    )

    class Meta:
        model = ReportedTotal
        form = AreaFilterForm
        fields = ("metric", "year_min", "year_max")
