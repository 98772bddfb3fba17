"""After any edit: bump the data version, then queue one statistics refresh.

Edits in one transaction share one queued refresh; a burst of edits
across transactions is coalesced by `refresh_queued_at`, so 50 saves give a handful
of refreshes. If the broker is down or hangs, the edit still succeeds: the failure is
logged, the statistics stay marked stale, and the scheduled refresh catches up.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from timeline.models import StatisticsState

logger = logging.getLogger(__name__)

# A queued refresh that has not started after this long is presumed lost.
_QUEUED_EXPIRY = dt.timedelta(minutes=5)


def data_changed() -> None:
    """Record that the source data changed; queue a refresh once the edit commits."""
    now = timezone.now()
    bumped = StatisticsState.objects.filter(pk=1).update(
        data_version=F("data_version") + 1, data_changed_at=now
    )
    if not bumped:
        StatisticsState.objects.create(pk=1, data_version=1, data_changed_at=now)
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(
        callback is enqueue_refresh for _, callback, _ in conn.run_on_commit
    ):
        return  # one refresh per transaction, however many rows it saved
    transaction.on_commit(enqueue_refresh, robust=True)


def enqueue_refresh() -> bool:
    """Queue a refresh unless one is already queued; True if this call queued it."""
    from timeline.tasks import refresh_statistics_task

    now = timezone.now()
    claimed = (
        StatisticsState.objects.filter(pk=1)
        .filter(
            Q(refresh_queued_at=None) | Q(refresh_queued_at__lt=now - _QUEUED_EXPIRY)
        )
        .update(refresh_queued_at=now)
    )
    if not claimed:
        return False
    try:
        refresh_statistics_task.apply_async(countdown=settings.STATISTICS_REFRESH_DELAY)
    except Exception:
        # Any broker failure (refused, timed out, hung) must not fail the editor's save.
        logger.exception("Could not queue a statistics refresh; beat will catch up")
        StatisticsState.objects.filter(pk=1).update(
            refresh_queued_at=None, enqueue_failed_at=now
        )
        return False
    return True
