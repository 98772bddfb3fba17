"""Conditional GET for every public page, keyed on the stored data version, and the
`Cache-Control` that lets browsers and shared caches keep a public page briefly.

A page changes when the data is edited, when the statistics are refreshed, when the
day changes (dates such as "over 2 years old" move) and when a new release changes
the code or templates. A repeat visit whose ETag still matches costs one indexed
read and gets `304 Not Modified`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from config.middleware import database_failed, unavailable_page
from dashboard.models import StatisticsState

# The URL namespaces of the public pages (the admin and /healthz are left alone).
PUBLIC_NAMESPACES = {"dashboard", "missions", "timeline"}
_CODE_SUFFIXES = {".py", ".html"}


@cache
def code_version() -> str:
    """A digest of the project's code and templates: the same in every worker of
    one release, different after a release that changes either."""
    digest = hashlib.blake2b(digest_size=6)
    base = Path(settings.BASE_DIR)
    folders = ["config", "countries", "missions", "timeline", "dashboard", "templates"]
    for folder in folders:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()


def page_etag(request: HttpRequest, state: StatisticsState) -> str:
    url = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
    day = dt.date.today().strftime("%Y%m%d")
    return quote_etag(f"{state.cache_key}-{day}-{code_version()}-{url}")


def _allow_caching(request: HttpRequest, response: HttpResponse) -> None:
    # A session cookie means a signed-in editor (or one who was): keep their copy
    # out of shared caches and revalidate every time. Reading the cookie, not
    # request.user, costs no query.
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)


class ConditionalPageMiddleware:
    """ETag on public pages; `304 Not Modified` before the view runs on a match."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        etag = getattr(request, "page_etag", None)
        if etag and response.status_code in (200, 304):
            response.headers.setdefault("ETag", etag)
            if "Cache-Control" not in response.headers:
                _allow_caching(request, response)
        return response

    def process_view(self, request: HttpRequest, view, args, kwargs):
        match = request.resolver_match
        if request.method not in ("GET", "HEAD") or match is None:
            return None
        if match.namespace not in PUBLIC_NAMESPACES:
            return None
        try:
            state = StatisticsState.current()
        except DatabaseError as exc:
            # Answer now: the view would wait for the database a second time.
            return unavailable_page() if database_failed(exc) else None
        request.stats_state = state
        request.page_etag = page_etag(request, state)
        return get_conditional_response(request, etag=request.page_etag)
