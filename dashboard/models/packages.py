"""The versioned data package, stored so every web node serves the same bytes."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class DataPackageQuerySet(models.QuerySet):
    def listing(self) -> DataPackageQuerySet:
        """Packages newest first, without their bytes (for pages and headers)."""
        return self.defer("content").order_by("-data_version")


class DataPackage(models.Model):
    """One version of the whole dataset as a zip of CSVs with a Frictionless
    `datapackage.json`, stored so every web node serves the same bytes."""

    data_version = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=120, unique=True)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    # {"missions.csv": 214, ...}: data rows per file, in the zip's order.
    rows = models.JSONField(default=dict)
    duration_ms = models.PositiveIntegerField(default=0)

    objects = DataPackageQuerySet.as_manager()

    class Meta:
        ordering = ["-data_version"]

    def __str__(self) -> str:
        return self.filename
