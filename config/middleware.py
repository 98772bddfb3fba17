"""Turn a database outage into a clear 503 page instead of a server error.

Reaching a database that does not answer costs a request up to `connect_timeout`
(3 s). So that the other requests of a busy process do not each wait as long, or
queue behind the threads that wait, a process that has just failed to reach the
database answers 503 at once for `FAIL_FAST_SECONDS`, then tries again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
FAIL_FAST_SECONDS = 2.0
# Views that report the outage in their own words (/healthz answers JSON).
SELF_REPORTING = {"healthz"}

# time.monotonic() until which this process does not try the database. Threads race
# on it harmlessly: any of them may set it, each to about the same value.
_unreachable_until = 0.0


def database_recently_unreachable() -> bool:
    """True for a moment after this process failed to reach the database."""
    return time.monotonic() < _unreachable_until


def database_failed(exception: Exception) -> bool:
    """True if `exception` means the database cannot be used now (not a bad query).

    A lost or never-made connection also starts the fail-fast moment; a statement
    cut short by statement_timeout does not, because the server still answers.
    """
    global _unreachable_until
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    raw = connection.connection
    if raw is None or raw.closed or getattr(raw, "broken", False):
        _unreachable_until = time.monotonic() + FAIL_FAST_SECONDS
    return True


def unavailable_page() -> HttpResponse:
    """The 503 page; its template touches neither the database nor the session."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After while the database cannot be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs):
        match = request.resolver_match
        if match and match.url_name in SELF_REPORTING:
            return None
        return unavailable_page() if database_recently_unreachable() else None

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not database_failed(exception):
            return None
        logger.error("Database unavailable: %s", exception)
        return unavailable_page()
