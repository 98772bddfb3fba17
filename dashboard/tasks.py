"""Celery tasks: thin shells around services."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError

from dashboard.models import REFRESH_TIME_LIMIT
from dashboard.services import statistics_refresh
from dashboard.services.data_package import (
    data_package_build,
    data_package_catch_up,
    enqueue_data_package_build,
)
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
    """Recompute the derived statistics, then queue the data package of their
    version; safe to run any number of times."""
    result = statistics_refresh()
    enqueue_data_package_build()
    return {"data_version": result.data_version, "duration_ms": result.duration_ms}


@shared_task(ignore_result=True, time_limit=30)
def catch_up_statistics_task() -> bool:
    """Queue a refresh if the statistics are behind and none is queued or running;
    else queue the data package if their version has none (a lost build)."""
    return statistics_catch_up() or data_package_catch_up()


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=REFRESH_TIME_LIMIT - 60,
    time_limit=REFRESH_TIME_LIMIT,
)
def build_data_package_task() -> dict:
    """Store the data package of the current data version (none if stored)."""
    package = data_package_build()
    return {"data_version": package.data_version, "size": package.size}
