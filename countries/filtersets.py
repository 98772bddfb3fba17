"""The filters every public list shares: M49 areas, host countries and years.

`AreaFilterSet` adds what every list needs on top of django-filter: options built
from the host countries (readable slugs such as `americas`), facet counts on each
option, removable chips for the active filters and a year range checked as a whole.
The missions list (and the home page's map) and the events list build on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import urlencode

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from countries.localized import local_text, name_order, page_language
from countries.m49 import area_name, translated_choices
from countries.models import Country

YEAR_RANGE = (1950, 2100)
# Parameters that are not filters but must survive a chip's "remove" link.
KEPT_PARAMS = ("sort",)


class YearFilter(django_filters.NumberFilter):
    """A whole year: "abc", "2018.5" or "1e400" are form errors, never ignored."""

    field_class = forms.IntegerField


class AreaFilterForm(forms.Form):
    """The filter form: checks that the year range is not reversed."""

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("year_min"), data.get("year_max")
        if first is not None and last is not None and first > last:
            raise forms.ValidationError(
                _("The first year (%(first)s) is after the last year (%(last)s)."),
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
    # area slug → its region's name; and the areas that are some country's finest
    # ("Caribbean"), as against the wider ones above them ("Latin America and …").
    area_region: dict[str, str] = field(default_factory=dict)
    finest: set[str] = field(default_factory=set)

    @classmethod
    def from_countries(cls, rows: Iterable[tuple[str, ...]]) -> AreaOptions:
        """Build from (iso3, name, name_es, region, subregion, intermediate_region)
        rows; a country is named in the page's language."""
        options = cls()
        language = page_language()
        for iso3, name, name_es, region, subregion, intermediate in rows:
            country = SimpleNamespace(name=name, name_es=name_es)
            options.countries[iso3] = local_text(country, "name", language)
            options.regions[slugify(region)] = region
            names = [a for a in (subregion, intermediate) if a]
            areas = tuple(slugify(a) for a in names)
            for name_of_area, slug in zip(names, areas, strict=True):
                options.areas[slug] = name_of_area
                options.area_region[slug] = region
            if areas:
                options.finest.add(areas[-1])
            options.where[iso3] = (slugify(region), areas)
        return options

    @classmethod
    def for_hosts(cls) -> AreaOptions:
        """Options for every country that has hosted a mission."""
        rows = Country.objects.hosts().values_list(
            "iso3", "name", "name_es", "region", "subregion", "intermediate_region"
        )
        return cls.from_countries(rows)

    def area_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Areas in one <optgroup> per region, each country's finest area only;
        the wider areas ("Sub-Saharan Africa") in a group of their own, so that no
        list puts two levels side by side."""
        groups: dict[str, list[tuple[str, str]]] = {}
        wider = []
        for slug, name in _sorted_choices(self.areas):
            if slug in self.finest:
                groups.setdefault(self.area_region[slug], []).append((slug, name))
            else:
                wider.append((slug, name))
        choices = [(region, groups[region]) for region in sorted(groups)]
        if wider:
            choices.append((_("Wider sub-regions"), wider))
        return choices

    def country_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Host countries in one <optgroup> per region."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for iso3, name in _sorted_choices(self.countries):
            region = self.regions[self.where[iso3][0]]
            groups.setdefault(region, []).append((iso3, name))
        return [(region, groups[region]) for region in sorted(groups)]


class FacetSelect(forms.Select):
    """A select whose options that would give no rows are disabled (but kept, so the
    list does not shift), except the one chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_values: set[str] = set()

    def create_option(self, name, value, label, selected, index, *args, **kwargs):
        option = super().create_option(
            name, value, label, selected, index, *args, **kwargs
        )
        if str(value) in self.empty_values and not selected:
            option["attrs"]["disabled"] = True
        return option

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        """The HTML Django's select.html and option.html templates give, written
        in one pass: a country select has an option per host country (247 at the
        scale size), and one template include per option was most of the cost of
        rendering a list page's filters."""
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(o["value"]), flatatt(o["attrs"]), o["label"]) for o in options),
            )
            if group_name:
                html = format_html(
                    '<optgroup label="{}">{}</optgroup>', group_name, html
                )
            groups.append(html)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            mark_safe("".join(groups)),  # noqa: S308  (each part escaped above)
        )


def _sorted_choices(mapping: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(mapping.items(), key=lambda item: name_order(str(item[1])))


def flat_choices(choices: Iterable) -> dict[str, str]:
    """value → label over choices that may hold (group, [(value, label), …])."""
    flat = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat |= flat_choices(label)
        else:
            flat[value] = label
    return flat


class AreaFilterSet(django_filters.FilterSet):
    """Region, sub-region, country, years and search, with facets and chips.

    The filters call the filtered QuerySet's own methods, which every listed model
    provides: `in_areas(names)`, `in_countries(iso3s)`, `in_years(first=, last=)`,
    `matching(text)` and `facet_rows()`.
    """

    region = django_filters.ChoiceFilter(
        label=_("Region"),
        method="filter_region",
        empty_label=_("All regions"),
        widget=FacetSelect,
    )
    subregion = django_filters.ChoiceFilter(
        label=_("Sub-region"),
        method="filter_area",
        empty_label=_("All sub-regions"),
        widget=FacetSelect,
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        method="filter_country",
        empty_label=_("All countries"),
        widget=FacetSelect,
    )
    year_min = YearFilter(
        label=_("From year"),
        method="filter_years",
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
    )
    year_max = YearFilter(
        label=_("To year"),
        method="filter_years",
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
    )

    q = django_filters.CharFilter(label=_("Search"), method="search")

    # Filters whose options get counts, with the facet key each one counts.
    facet_filters: tuple[str, ...] = ("region", "subregion", "country")

    def __init__(self, data=None, *args, options: AreaOptions | None = None, **kw):
        super().__init__(data, *args, **kw)
        self.options = options or AreaOptions.for_hosts()
        # Area names, region groups and countries in the reader's language.
        countries = self.options.country_choices()
        choices = {
            "region": translated_choices(_sorted_choices(self.options.regions)),
            "subregion": translated_choices(self.options.area_choices()),
            "country": [(area_name(g), opts) for g, opts in countries],
        }
        for name, values in choices.items():
            self.filters[name].extra["choices"] = values

    # -- filters -----------------------------------------------------------------

    def filter_region(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.in_areas([self.options.regions[value]])

    def filter_area(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.in_areas([self.options.areas[value]])

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.in_countries([value])

    def filter_years(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        if name == "year_min":
            return queryset.in_years(first=value)
        return queryset.in_years(last=value)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.matching(value)

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

    def filtered(self) -> bool:
        """True when any filter has a value (call after `is_valid()`); a sort
        order alone filters nothing."""
        return any(
            v not in (None, "")
            for k, v in self.form.cleaned_data.items()
            if k not in KEPT_PARAMS
        )

    def facet_source(self, without: str) -> QuerySet:
        """The rows the other active filters give, to count one filter's options."""
        data = self.data.copy()
        data.pop(without, None)
        other = type(self)(data, queryset=self.queryset, options=self.options)
        return other.qs

    def add_facet_counts(self, stored: dict[str, Counter] | None = None) -> None:
        """Append to each option the number of rows choosing it would give.

        Filters not in use share one grouped query (or `stored`, counts kept for
        the unfiltered list); each filter in use needs its own, so the query count
        depends on the URL, never on the amount of data.
        """
        if stored is not None and not self.filtered():
            shared = {name: stored.get(name, Counter()) for name in self.facet_filters}
        else:
            shared = self.facet_counts(self.qs.facet_rows())
        for name in self.facet_filters:
            counts = shared
            if self.form.cleaned_data.get(name) not in (None, ""):
                counts = self.facet_counts(self.facet_source(name).facet_rows())
            form_field = self.form.fields[name]
            # django-filter's field puts its empty label ("All regions") in front
            # of whatever choices it is given: pass the real options only.
            form_field.choices = _counted(form_field.choices, counts[name])
            form_field.widget.empty_values = {
                value
                for value in flat_choices(form_field.choices)
                if value and not counts[name][value]
            }

    def chips(self) -> list[dict[str, str]]:
        """Active filters as {"label", "remove"} where `remove` is the query string
        of this list without that filter."""
        chips = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "") or name in KEPT_PARAMS:
                continue
            choices = flat_choices(self.filters[name].extra.get("choices", []))
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


def _counted(choices: Iterable, counts: Counter) -> list:
    """The options without the empty one, each label followed by its count."""
    counted = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            counted.append((value, _counted(label, counts)))
        elif value:
            counted.append((value, f"{label} ({counts[value]})"))
    return counted
