"""`manage.py refresh_statistics`: recompute the derived statistics now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dashboard.data_export import FILES
from dashboard.services import statistics_refresh
from dashboard.services.data_package import data_package_build


class Command(BaseCommand):
    help = (
        "Recompute every derived statistic and print what changed, then build the "
        "data package of the current data version (/data/) if it is not stored yet."
    )

    def handle(self, *args, **options) -> None:
        result = statistics_refresh()
        for line in result.changes:
            self.stdout.write(line)
        summary = (
            f"Statistics refreshed from data version {result.data_version} in "
            f"{result.duration_ms} ms: {result.countries} host countries, "
            f"{len(result.changes)} changed."
        )
        self.stdout.write(self.style.SUCCESS(summary))
        package = data_package_build()
        self.stdout.write(
            f"Data package: {package.filename} ({package.size:,} bytes, "
            + ", ".join(f"{name} {package.rows[name]}" for name in FILES)
            + " rows)."
        )
