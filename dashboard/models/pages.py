"""What the refresh stores for the unfiltered pages, so that they need not read
every mission or event on each request: the lists' facet counts and the home page's
rows per host country."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.db import models
from django.utils import timezone

from countries.models import Country


class FacetCountQuerySet(models.QuerySet):
    def as_counters(self, page: str) -> dict[str, Counter]:
        """{filter name: Counter(option value: rows)}, as that list's filters count
        them, for the unfiltered list."""
        counts: dict[str, Counter] = defaultdict(Counter)
        rows = self.filter(page=page).values_list("name", "value", "count")
        for name, value, count in rows:
            counts[name][value] = count
        return dict(counts)

    def events(self) -> dict[str, Counter]:
        return self.as_counters(FacetCount.Page.EVENTS)

    def missions(self) -> dict[str, Counter]:
        return self.as_counters(FacetCount.Page.MISSIONS)


class FacetCount(models.Model):
    """How many rows each option of a list's filter gives with no other filter: the
    unfiltered list's facet counts (the timeline's events by kind, country, region
    and sub-region; the missions list's and the home page's missions by status,
    kind, country, region and sub-region), stored by the refresh so that those
    pages need not read every row."""

    class Page(models.TextChoices):
        EVENTS = "events", "published events (the timeline)"
        MISSIONS = "missions", "missions (the missions list and the home page)"

    page = models.CharField(max_length=10, choices=Page.choices)
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=80)
    count = models.PositiveIntegerField()
    computed_at = models.DateTimeField(default=timezone.now)
    data_version = models.PositiveBigIntegerField(default=0)

    objects = FacetCountQuerySet.as_manager()

    class Meta:
        ordering = ["page", "name", "value"]
        indexes = [models.Index(fields=["page", "name"])]

    def __str__(self) -> str:
        return f"{self.page}: {self.name}={self.value}: {self.count}"


class HostGroupQuerySet(models.QuerySet):
    def as_groups(self) -> list[dict[str, Any]]:
        """The stored groups as `dashboard.hosts` groups missions itself: one dict
        per host country, with its `country_id`."""
        rows = self.values_list("country_id", "group")
        return [{"country_id": iso3, **group} for iso3, group in rows]


class HostGroup(models.Model):
    """One host country's missions grouped as the home page groups them when no
    filter is chosen (`dashboard.hosts`): how many have each status, and the sum of
    the current ones' best-known headcounts with its dates and source. Stored by
    the refresh, so the unfiltered home page reads one row per host country instead
    of grouping every mission."""

    country = models.OneToOneField(
        Country, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The grouped row as `dashboard.hosts._grouped` gives it, without `country_id`.
    group = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now)
    data_version = models.PositiveBigIntegerField(default=0)

    objects = HostGroupQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.country_id}: {self.group}"
