"""/healthz: is the database reachable, and the broker when one is configured; and
how fresh the statistics are (informative: staleness does not make it fail)."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.middleware import database_failed, database_recently_unreachable


def _database_ok() -> bool:
    if database_recently_unreachable():
        return False  # this process failed to reach it a moment ago
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError as exc:
        database_failed(exc)
        return False


def _broker_ok() -> bool | None:
    if not settings.CELERY_BROKER_URL:
        return None  # tasks run in-process: nothing to check
    import redis

    try:
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=0.5)
        return bool(client.ping())
    except redis.RedisError:
        return False


def _statistics() -> dict | None:
    from dashboard.models import StatisticsState

    try:
        state = StatisticsState.current()
    except DatabaseError:
        return None
    return {
        "stale": state.is_stale,
        "computed_at": state.computed_at,
        "last_enqueue_failure": state.enqueue_failed_at,
    }


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when every configured service answers, else 503; each one's state."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(ok is not False for ok in checks.values())
    body = checks | {"statistics": _statistics() if checks["database"] else None}
    return JsonResponse(body, status=200 if healthy else 503)
