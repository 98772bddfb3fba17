"""`manage.py refresh_statistics`: recompute the derived statistics now."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from dashboard.services import statistics_refresh


class Command(BaseCommand):
    help = "Recompute every derived statistic and print what changed."

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
