"""After any edit: once its transaction commits, bump the data version once and
queue one statistics refresh.

Every save in a transaction registers an on-commit callback carrying the same
`_Commit` token; the first callback to run does the work and the rest see it done,
so one transaction gives one bump and one queued refresh, however many rows it
saved. A rolled-back transaction leaves its token pending, and the next transaction
takes it over. A burst of transactions is coalesced by `refresh_queued_at`: 50
separate saves give a handful of refreshes (one in our runs). If the broker is down
or hangs, the edit still succeeds: the failure is logged and the statistics stay
marked stale. Whatever was lost (a failed enqueue, a worker killed mid-refresh), the
catch-up that beat runs every minute queues the refresh again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dashboard.models import StatisticsState
from dashboard.services.statistics import refresh_in_progress

logger = logging.getLogger(__name__)

# A queued refresh that has not started after this long is presumed lost (a worker
# starts one within seconds); with the catch-up every minute, a lost refresh is
# queued again within two.
QUEUED_EXPIRY = dt.timedelta(minutes=1)


@dataclass
class _Commit:
    done: bool = False


_pending = threading.local()


def data_changed() -> None:
    """Note an edit to the tracked data: statistics refresh after it commits."""
    token = getattr(_pending, "token", None)
    if token is None or token.done:
        token = _pending.token = _Commit()
    transaction.on_commit(partial(_committed, token), robust=True)


def _committed(token: _Commit) -> None:
    if token.done:
        return  # another save of the same transaction did it
    token.done = True
    data_version_bump()
    enqueue_refresh()


def data_version_bump() -> None:
    """Raise the stored data version: pages and ETags now know the data changed."""
    now = timezone.now()
    bumped = StatisticsState.objects.filter(pk=1).update(
        data_version=F("data_version") + 1, data_changed_at=now
    )
    if not bumped:
        StatisticsState.objects.create(pk=1, data_version=1, data_changed_at=now)


def enqueue_refresh() -> bool:
    """Queue a refresh unless one is already queued; True if this call queued it."""
    from dashboard.tasks import refresh_statistics_task

    now = timezone.now()
    claimed = (
        StatisticsState.objects.filter(pk=1)
        .filter(
            Q(refresh_queued_at=None) | Q(refresh_queued_at__lt=now - QUEUED_EXPIRY)
        )
        .update(refresh_queued_at=now)
    )
    if not claimed:
        return False
    try:
        refresh_statistics_task.apply_async(countdown=settings.STATISTICS_REFRESH_DELAY)
    except Exception:
        # Any broker failure (refused, timed out, hung) must not fail the editor's save.
        logger.exception("Could not queue a statistics refresh; retried in a minute")
        StatisticsState.objects.filter(pk=1).update(
            refresh_queued_at=None, enqueue_failed_at=now
        )
        return False
    return True


def statistics_catch_up() -> bool:
    """Queue a refresh if the statistics are behind the data and no refresh is
    queued or running; True if this call queued one. Cheap: one indexed read when
    they are current."""
    state = StatisticsState.objects.filter(pk=1).first()
    if state is None or not state.is_stale or refresh_in_progress():
        return False
    return enqueue_refresh()
