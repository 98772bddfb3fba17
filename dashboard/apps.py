from django.apps import AppConfig
from django.db.models.signals import pre_migrate


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from config.database import migrations_without_statement_timeout
        from dashboard import signals  # noqa: F401  (connects the receivers)
        from dashboard.models import EventFacet, SeriesPoint
        from timeline.stored import register_readers

        register_readers(
            year_kind_counts=SeriesPoint.objects.event_counts_by_year_and_kind,
            facet_counts=EventFacet.objects.as_counters,
        )

        # Sent once per app before any migration runs: once is enough.
        pre_migrate.connect(
            migrations_without_statement_timeout,
            sender=self,
            dispatch_uid="migrations-without-statement-timeout",
        )
