"""Filters for the missions list, shared by the map, the table and the CSV download.

`TrackerFilterSet` adds what every public list needs on top of django-filter:
options built from the host countries (readable slugs such as `americas`), facet
counts on each option, removable chips for the active filters and a year range that
is checked as a whole. The events list in the timeline app reuses it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.text import slugify

from countries.models import Country
from missions.models import Mission

YEAR_RANGE = (1950, 2100)
# Parameters that are not filters but must survive a chip's "remove" link.
KEPT_PARAMS = ("sort",)


class YearFilter(django_filters.NumberFilter):
    """A whole year: "abc", "2018.5" or "1e400" are form errors, never ignored."""

    field_class = forms.IntegerField


# Every value a sort select or sortable column header offers; anything else is a 400.
SORT_CHOICES = [
    ("country", "Country (A–Z)"),
    ("-country", "Country (Z–A)"),
    ("-size", "Largest best-known headcount first"),
    ("size", "Smallest best-known headcount first"),
    ("-as_of", "Newest figure first"),
    ("as_of", "Oldest figure first"),
    ("status", "Status (active first)"),
    ("-status", "Status (unknown first)"),
    ("kind", "Kind (A–Z)"),
    ("-kind", "Kind (Z–A)"),
    ("-start", "Newest start first"),
    ("start", "Oldest start first"),
]


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


class TrackerFilterForm(forms.Form):
    """The filter form: checks that the year range is not reversed."""

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("year_min"), data.get("year_max")
        if first is not None and last is not None and first > last:
            raise forms.ValidationError(
                "The first year (%(first)s) is after the last year (%(last)s).",
                params={"first": first, "last": last},
            )
        return data


@dataclass
class AreaOptions:
    """Regions, areas and host countries as (slug → name) maps, from one query."""

    regions: dict[str, str] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    # iso3 → (region slug, slugs of its sub-region and intermediate region)
    where: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def from_countries(cls, rows: Iterable[tuple[str, ...]]) -> AreaOptions:
        """Build from (iso3, name, region, subregion, intermediate_region) rows."""
        options = cls()
        for iso3, name, region, subregion, intermediate in rows:
            options.countries[iso3] = name
            options.regions[slugify(region)] = region
            areas = tuple(slugify(a) for a in (subregion, intermediate) if a)
            for area_name, slug in zip(
                [a for a in (subregion, intermediate) if a], areas, strict=True
            ):
                options.areas[slug] = area_name
            options.where[iso3] = (slugify(region), areas)
        return options

    @classmethod
    def for_hosts(cls) -> AreaOptions:
        """Options for every country that has hosted a mission."""
        rows = Country.objects.hosts().values_list(
            "iso3", "name", "region", "subregion", "intermediate_region"
        )
        return cls.from_countries(rows)


def _sorted_choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(mapping.items(), key=lambda item: item[1])


class TrackerFilterSet(django_filters.FilterSet):
    """Region, sub-region, country and years, with facets and chips."""

    region = django_filters.ChoiceFilter(
        label="Region", method="filter_region", empty_label="All regions"
    )
    subregion = django_filters.ChoiceFilter(
        label="Sub-region", method="filter_area", empty_label="All sub-regions"
    )
    country = django_filters.ChoiceFilter(
        label="Country", method="filter_country", empty_label="All countries"
    )
    year_min = YearFilter(
        label="From year",
        method="filter_years",
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
    )
    year_max = YearFilter(
        label="To year",
        method="filter_years",
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
    )

    # Filters whose options get counts, with the facet key each one counts.
    facet_filters: tuple[str, ...] = ("region", "subregion", "country")

    def __init__(self, data=None, *args, options: AreaOptions | None = None, **kw):
        super().__init__(data, *args, **kw)
        self.options = options or AreaOptions.for_hosts()
        choices = {
            "region": _sorted_choices(self.options.regions),
            "subregion": _sorted_choices(self.options.areas),
            "country": _sorted_choices(self.options.countries),
        }
        for name, values in choices.items():
            self.filters[name].extra["choices"] = values

    # -- filters -----------------------------------------------------------------

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self.in_areas(queryset, [self.options.regions[value]])

    def filter_area(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return self.in_areas(queryset, [self.options.areas[value]])

    def filter_years(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        if name == "year_min":
            return self.in_years(queryset, first=value)
        return self.in_years(queryset, last=value)

    def in_areas(self, queryset: QuerySet, names: list[str]) -> QuerySet:
        raise NotImplementedError

    def in_years(self, queryset: QuerySet, **years: int) -> QuerySet:
        raise NotImplementedError

    # -- facets and chips --------------------------------------------------------

    def facet_counts(self, rows: Iterable[dict]) -> dict[str, Counter]:
        """Count options from facet rows: {"country_id", "n", …} per row."""
        counts: dict[str, Counter] = {name: Counter() for name in self.facet_filters}
        for row in rows:
            iso3, n = row["country_id"], row["n"]
            region, areas = self.options.where.get(iso3, ("", ()))
            counts["country"][iso3] += n
            counts["region"][region] += n
            for slug in set(areas):
                counts["subregion"][slug] += n
            for name in set(self.facet_filters) - {"region", "subregion", "country"}:
                counts[name][row[name]] += n
        return counts

    def facet_source(self, without: str) -> QuerySet:
        """The rows the other active filters give, to count one filter's options."""
        data = self.data.copy()
        data.pop(without, None)
        other = type(self)(data, queryset=self.queryset, options=self.options)
        return other.qs

    def add_facet_counts(self) -> None:
        """Append to each option the number of rows choosing it would give.

        Filters not in use share one grouped query; each filter in use needs its own,
        so the query count depends on the URL, never on the amount of data.
        """
        shared = self.facet_counts(self.facet_rows(self.qs))
        for name in self.facet_filters:
            counts = shared
            if self.form.cleaned_data.get(name) not in (None, ""):
                counts = self.facet_counts(self.facet_rows(self.facet_source(name)))
            form_field = self.form.fields[name]
            form_field.choices = [
                (value, f"{label} ({counts[name][value]})" if value else label)
                for value, label in form_field.choices
            ]

    def facet_rows(self, queryset: QuerySet) -> Iterable[dict]:
        raise NotImplementedError

    def chips(self) -> list[dict[str, str]]:
        """Active filters as {"label", "remove"} where `remove` is the query string
        of this list without that filter."""
        chips = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "") or name in KEPT_PARAMS:
                continue
            choices = dict(self.filters[name].extra.get("choices", []))
            shown = choices.get(value, value)
            kept = [
                (k, v)
                for k in self.data
                if k not in (name, "page", "format")
                for v in self.data.getlist(k)
                if v
            ]
            chips.append(
                {
                    "label": f"{self.filters[name].label}: {shown}",
                    "remove": urlencode(kept),
                }
            )
        return chips


class MissionFilterSet(TrackerFilterSet):
    """Missions by region, sub-region, country, status, kind and years."""

    status = django_filters.ChoiceFilter(
        label="Status", choices=Mission.Status.choices, empty_label="Any status"
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=Mission.Kind.choices, empty_label="Any kind"
    )
    q = django_filters.CharFilter(label="Search", method="search")
    sort = NullsLastOrderingFilter(
        label="Sort by",
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
    )

    facet_filters = ("region", "subregion", "country", "status", "kind")

    class Meta:
        model = Mission
        form = TrackerFilterForm
        fields = (
            "region",
            "subregion",
            "country",
            "status",
            "kind",
            "year_min",
            "year_max",
        )

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country_id=value)

    def in_areas(self, queryset: QuerySet, names: list[str]) -> QuerySet:
        return queryset.in_areas(names)

    def in_years(self, queryset: QuerySet, **years: int) -> QuerySet:
        return queryset.overlapping_years(**years)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Missions whose name or host country's name contains the words."""
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(country__name__icontains=word)
            )
        return queryset

    def facet_rows(self, queryset: QuerySet) -> Iterable[dict]:
        return queryset.facet_rows()
