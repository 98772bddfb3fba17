"""Countries: every ISO 3166 country with its UN M49 regions and a point for the map."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _


def in_areas_q(names: list[str], prefix: str = "") -> Q:
    """Rows in any of these M49 areas, at any level (region, sub-region or
    intermediate region); `prefix` reaches the country, e.g. "country__"."""
    return (
        Q(**{f"{prefix}region__in": names})
        | Q(**{f"{prefix}subregion__in": names})
        | Q(**{f"{prefix}intermediate_region__in": names})
    )


class CountryQuerySet(models.QuerySet):
    """Reads of countries."""

    def hosts(self) -> CountryQuerySet:
        """Countries that have hosted at least one mission: a semi-join, one index
        probe per country, where a join and DISTINCT would read every mission."""
        # The mission model by its relation: countries imports nothing of missions.
        mission = self.model._meta.get_field("missions").related_model
        return self.filter(Exists(mission.objects.filter(country=OuterRef("pk"))))

    def region_names(self) -> list[str]:
        """The distinct M49 region names, sorted."""
        return sorted(set(self.values_list("region", flat=True)))


class Country(models.Model):
    """An ISO 3166-1 country or area, keyed by its alpha-3 code."""

    iso3 = models.CharField("ISO code", max_length=3, primary_key=True)
    m49_code = models.CharField("M49 code", max_length=3, blank=True)
    name = models.CharField(max_length=100)
    # Spanish pages show it where given, else `name` (a name needs no lang="en").
    # db_default: rows written in SQL (bench/scale_data.py) need not name it.
    name_es = models.CharField(
        _("name in Spanish"),
        max_length=100,
        blank=True,
        default="",
        db_default="",
        help_text=_("Optional. Spanish pages show the English name while blank."),
    )
    region = models.CharField("region", max_length=40, help_text="UN M49 region")
    subregion = models.CharField(
        "sub-region", max_length=60, help_text="UN M49 sub-region"
    )
    intermediate_region = models.CharField(
        max_length=60, blank=True, help_text="UN M49 intermediate region, where any"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        indexes = [
            models.Index(fields=["region", "subregion"]),
            # By name: /missions/ and the API list missions by country name, then
            # mission name; with this index a page is a walk of a few countries'
            # missions, not a sort of every mission (14 ms -> 1 ms at 10,000).
            models.Index(fields=["name"], name="country_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("dashboard:country", args=[self.iso3])

    @property
    def area(self) -> str:
        """The finest M49 grouping: 'Central America' rather than 'Latin America…'."""
        return self.intermediate_region or self.subregion
