"""Celery tasks of the news watch: thin shells around services."""

from __future__ import annotations

from celery import shared_task

from newswatch.services import newswatch_fetch_due

# Feeds are read one after another, each bounded by NEWSWATCH_TIMEOUT.
FETCH_TIME_LIMIT = 15 * 60


@shared_task(
    ignore_result=True,
    acks_late=True,
    soft_time_limit=FETCH_TIME_LIMIT - 30,
    time_limit=FETCH_TIME_LIMIT,
)
def fetch_feeds_task() -> dict:
    """Fetch the feeds that are due and store their new matching items as leads."""
    run = newswatch_fetch_due()
    return {
        "fetched": run.fetched,
        "not_modified": run.not_modified,
        "leads": run.leads,
        "errors": len(run.errors),
    }
