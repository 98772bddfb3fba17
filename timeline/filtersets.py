"""Filters for the events list, shared by the timeline chart, the list and the CSV."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import django_filters
from django.utils.translation import gettext_lazy as _

from countries.filtersets import AreaFilterForm, AreaFilterSet, FacetSelect
from timeline.models import PolicyEvent


class EventFilterSet(AreaFilterSet):
    """Published events by kind, affected country, region, sub-region and years."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind of event"),
        choices=PolicyEvent.Kind.choices,
        empty_label=_("Any kind"),
        widget=FacetSelect,
    )
    facet_filters = ("region", "subregion", "country", "kind")

    class Meta:
        model = PolicyEvent
        form = AreaFilterForm
        fields = ("region", "subregion", "country", "kind", "year_min", "year_max")

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
