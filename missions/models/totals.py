"""Worldwide totals as claimed by sources, kept apart from our own sums."""

from __future__ import annotations

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from missions.models.sources import Source

__all__ = ["ReportedTotal", "ReportedTotalQuerySet"]


class ReportedTotalQuerySet(models.QuerySet):
    """Reads of totals claimed by sources."""

    def newest_per_metric(self) -> ReportedTotalQuerySet:
        """Each metric's totals for its newest year, every source's claim kept."""
        newest = (
            ReportedTotal.objects.filter(metric=OuterRef("metric"))
            .order_by("-year")
            .values("year")[:1]
        )
        return (
            self.filter(year=Subquery(newest))
            .select_related("source")
            .order_by("metric", "-value", "source__publisher")
        )

    def for_export(self) -> ReportedTotalQuerySet:
        """Every total with its source, by year, metric and source address."""
        return self.select_related("source").order_by("year", "metric", "source__url")


class ReportedTotal(models.Model):
    """A worldwide total as claimed by one source; never a sum of our own figures."""

    class Metric(models.TextChoices):
        WORKERS_ABROAD = "workers_abroad", _("Medical workers abroad")
        DOCTORS_ABROAD = "doctors_abroad", _("Doctors abroad")
        HOST_COUNTRIES = "host_countries", _("Host countries")
        REVENUE_USD = "revenue_usd", _("Revenue (USD)")

    year = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=20, choices=Metric.choices)
    value = models.BigIntegerField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="totals")
    note = models.TextField(blank=True)

    objects = ReportedTotalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "metric", "source"], name="total_unique_per_source"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="total_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.year}: {self.value:,}"
