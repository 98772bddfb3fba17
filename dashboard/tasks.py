"""Celery tasks: thin shells around services."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from dashboard.models import REFRESH_TIME_LIMIT
from dashboard.services import statistics_refresh
from dashboard.services.triggers import statistics_catch_up


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
    # Below the broker's visibility timeout, so a slow run is never delivered twice.
    soft_time_limit=REFRESH_TIME_LIMIT - 60,
    time_limit=REFRESH_TIME_LIMIT,
)
def refresh_statistics_task() -> dict:
    """Recompute the derived statistics; safe to run any number of times."""
    result = statistics_refresh()
    return {"data_version": result.data_version, "duration_ms": result.duration_ms}


@shared_task(ignore_result=True, time_limit=30)
def catch_up_statistics_task() -> bool:
    """Queue a refresh if the statistics are behind and none is queued or running."""
    return statistics_catch_up()
