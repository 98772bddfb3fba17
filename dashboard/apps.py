from collections.abc import Callable
from typing import Any

from django.apps import AppConfig
from django.db.models.signals import pre_migrate
from django.http import HttpRequest


def _when_current(read: Callable[[], Any]) -> Callable[[HttpRequest], Any]:
    """A reader of stored counts that gives nothing when an edit has happened since
    the last refresh, so that the page counts for itself until the next one."""

    def reader(request: HttpRequest) -> Any:
        from dashboard.models import StatisticsState

        return read() if StatisticsState.is_current_for(request) else None

    return reader


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = "Statistics"

    def ready(self) -> None:
        from config.database import migrations_without_statement_timeout
        from countries import stored
        from dashboard import signals  # noqa: F401  (connects the receivers)
        from dashboard.models import FacetCount, SeriesPoint

        stored.register_readers(
            **{
                stored.EVENT_YEAR_KIND_COUNTS: _when_current(
                    SeriesPoint.objects.event_counts_by_year_and_kind
                ),
                stored.EVENT_FACET_COUNTS: _when_current(FacetCount.objects.events),
                stored.MISSION_FACET_COUNTS: _when_current(FacetCount.objects.missions),
            }
        )

        # Sent once per app before any migration runs: once is enough.
        pre_migrate.connect(
            migrations_without_statement_timeout,
            sender=self,
            dispatch_uid="migrations-without-statement-timeout",
        )
