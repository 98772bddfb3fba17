"""The API's shared pieces: dates at their precision and sources, inline."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from countries.dates import Precision, iso_partial_date
from missions.models import Source


def _get(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)


class PartialDateSerializer(serializers.Serializer):
    """A date known to the year, month or day, written at that precision."""

    date = serializers.CharField(
        help_text="YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source is"
    )
    precision = serializers.ChoiceField(choices=Precision.choices)


@extend_schema_field(PartialDateSerializer(allow_null=True))
class PartialDateField(serializers.Field):
    """`{"date": "2026-02", "precision": "month"}` from a date field and its
    `<field>_precision` twin (or the names given); null when the date is unknown."""

    def __init__(self, date: str, precision: str = "", **kwargs: Any) -> None:
        self.date_name = date
        self.precision_name = precision or f"{date}_precision"
        kwargs.update(source="*", read_only=True)
        super().__init__(**kwargs)

    def to_representation(self, obj: Any) -> dict[str, str] | None:
        date = _get(obj, self.date_name)
        if date is None:
            return None
        precision = _get(obj, self.precision_name) or Precision.DAY
        return {"date": iso_partial_date(date, precision), "precision": precision}


class SourceSerializer(serializers.ModelSerializer):
    """A publication that states a value: where it is, who published it and when."""

    # A web address as stored: some hold non-ASCII letters (an IRI, not a "uri").
    url = serializers.CharField(help_text="The publication's web address")
    published = PartialDateField("published")

    class Meta:
        model = Source
        fields = ("url", "publisher", "title", "published", "language")
