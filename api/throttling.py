"""Rate limit for anonymous use of the API, per client address."""

from __future__ import annotations

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

logger = logging.getLogger(__name__)


class ClientRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, counted in the Django cache, with two changes: the
    client's address comes from the same django-ipware settings as the login
    throttling (TRUSTED_PROXY_COUNT), and a cache that cannot be reached lets the
    request through (logged) rather than failing it."""

    def get_rate(self) -> str | None:
        # Read on each request (not once at import, as DRF does), so that tests
        # and the API_RATE_LIMIT setting agree.
        return settings.API_RATE_LIMIT or None

    def get_ident(self, request: Request) -> str:
        return get_client_ip_address(request._request) or "unknown"

    def allow_request(self, request: Request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # redis-py and socket errors alike
            logger.warning("API rate limit unavailable", exc_info=True)
            return True
