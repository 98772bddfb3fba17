"""Conditional GET for every public page, keyed on the stored data version, the
`Cache-Control` that lets browsers and shared caches keep a public page briefly, the
server-side cache of anonymous pages, and compression everywhere but the admin.

A page changes when the data is edited, when the statistics are refreshed, when the
day changes (dates such as "over 2 years old" move) and when a new release changes
the code or templates. A repeat visit whose ETag still matches costs one indexed
read and gets `304 Not Modified`. A first visit by an anonymous reader whose page
another reader has already asked for costs the same read and a cache lookup: the
cache key is the ETag (data and statistics versions, day, release, full URL) plus
the host and whether the body is gzipped, so an edit or a refresh moves every page
to a new key at once and old entries simply expire. On PostgreSQL the read is
skipped while the process keeps the row and PostgreSQL has notified no change to it
(dashboard/state_watch.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    has_vary_header,
    patch_cache_control,
)
from django.utils.http import quote_etag
from django.utils.translation import get_language

from config.middleware import (
    database_failed,
    database_recently_unreachable,
    unavailable_page,
)
from dashboard.models import StatisticsState
from dashboard.state_watch import kept_state, page_state

# The URL namespaces of the public pages and the JSON API (the admin and /healthz
# are left alone).
PUBLIC_NAMESPACES = {"dashboard", "missions", "timeline", "api"}
_CODE_SUFFIXES = {".py", ".html", ".po"}
# Cookies that mean a request may be answered differently from an anonymous one: a
# session (a signed-in editor, or one who was) and pending messages.
PERSONAL_COOKIES = {"messages"}
logger = logging.getLogger(__name__)


@cache
def code_version() -> str:
    """A digest of the project's code and templates: the same in every worker of
    one release, different after a release that changes either."""
    digest = hashlib.blake2b(digest_size=6)
    base = Path(settings.BASE_DIR)
    folders = [
        "config",
        "countries",
        "missions",
        "timeline",
        "dashboard",
        "api",
        "templates",
        "locale",  # a changed translation changes the pages
    ]
    for folder in folders:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in _CODE_SUFFIXES and "migrations" not in path.parts:
                digest.update(path.read_bytes())
    return digest.hexdigest()


def page_etag(request: HttpRequest, state: StatisticsState) -> str:
    url = hashlib.blake2b(request.get_full_path().encode(), digest_size=8).hexdigest()
    day = dt.date.today().strftime("%Y%m%d")
    lang = get_language() or settings.LANGUAGE_CODE  # the URL says it; belt and braces
    return quote_etag(f"{state.cache_key}-{day}-{code_version()}-{lang}-{url}")


def _allow_caching(request: HttpRequest, response: HttpResponse) -> None:
    # A session cookie means a signed-in editor (or one who was): keep their copy
    # out of shared caches and revalidate every time. Reading the cookie, not
    # request.user, costs no query.
    if _is_personal(request):
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_SECONDS,
            s_maxage=settings.PAGE_SHARED_CACHE_SECONDS,
        )


def _is_personal(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or any(
        name in cookies for name in PERSONAL_COOKIES
    )


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
        state = getattr(request, "stats_state", None)  # read by the page cache
        if state is None:
            try:
                state = page_state()
            except DatabaseError as exc:
                # Answer now: the view would wait for the database a second time.
                return unavailable_page() if database_failed(exc) else None
        request.stats_state = state
        request.page_etag = page_etag(request, state)
        return get_conditional_response(request, etag=request.page_etag)


class PublicPageCacheMiddleware:
    """Serve anonymous GET and HEAD requests for public pages from the cache.

    Sits outside `PublicGZipMiddleware`, so a hit sends the stored (compressed) body
    without rendering or compressing again; inside the security, CSP and frame
    middleware, so their headers are added to every answer, hit or not. Only a 200
    to an anonymous GET that sets no cookie, does not vary on cookies and is not
    streamed is stored. A cache that fails (Redis down) counts as a miss.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _cacheable(request):
            return self.get_response(request)
        # Kept while PostgreSQL has notified no change: then even a database that
        # stopped answering leaves the stored pages current.
        state = kept_state()
        if state is None:
            if database_recently_unreachable():
                return self.get_response(request)  # the inner middleware answers 503
            try:
                state = page_state()
            except DatabaseError as exc:
                # Answer now: the views would wait for the database a second time.
                return (
                    unavailable_page()
                    if database_failed(exc)
                    else self.get_response(request)
                )
        request.stats_state = state  # the conditional GET reads it again for free
        key = _page_key(request, state)
        cached = _cache_call("get", key)
        if cached is not None:
            etag = cached.headers.get("ETag")
            return get_conditional_response(request, etag=etag, response=cached)
        response = self.get_response(request)
        if request.method == "GET" and _storable(response):
            _cache_call("set", key, response, settings.PAGE_CACHE_STORE_SECONDS)
        return response


def _cacheable(request: HttpRequest) -> bool:
    """An anonymous GET or HEAD of a public page, with the page cache switched on."""
    if not settings.PAGE_CACHE_STORE_SECONDS:
        return False
    if request.method not in ("GET", "HEAD") or _is_personal(request):
        return False
    try:
        request.get_host()
        match = resolve(request.path_info)
    except (DisallowedHost, Resolver404):
        return False  # CommonMiddleware answers these (400, redirect or 404)
    return match.namespace in PUBLIC_NAMESPACES


def _page_key(request: HttpRequest, state: StatisticsState) -> str:
    """The page's ETag, host and scheme (the feed and share links are absolute), and
    whether the stored body is gzipped."""
    accepts = request.headers.get("Accept-Encoding", "")
    encoding = "gzip" if re_accepts_gzip.search(accepts) else "identity"
    site = f"{request.scheme}://{request.get_host()}"
    token = f"{site}|{page_etag(request, state)}|{encoding}"
    return "page:" + hashlib.blake2b(token.encode(), digest_size=16).hexdigest()


def _storable(response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if has_vary_header(response, "Cookie") or "ETag" not in response.headers:
        return False
    directives = cc_delim_re.split(response.headers.get("Cache-Control", ""))
    if {"private", "no-cache", "no-store"} & {d.strip().lower() for d in directives}:
        return False
    return len(response.content) <= settings.PAGE_CACHE_MAX_BYTES


def _cache_call(method: str, *args):
    """Call the page cache; an unreachable cache is a miss, logged, never a 500."""
    try:
        return getattr(caches[settings.PAGE_CACHE_ALIAS], method)(*args)
    except Exception:  # redis-py, socket and pickling errors alike
        logger.warning("page cache %s failed", method, exc_info=True)
        return None


@cache
def _admin_prefix() -> str:
    return reverse("admin:index")


class PublicGZipMiddleware(GZipMiddleware):
    """Compress every response except the admin's. Admin pages carry CSRF tokens and
    echo what editors type, which compression would expose to a BREACH attack; the
    public pages hold no secret."""

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        if request.path_info.startswith(_admin_prefix()):
            return response
        return super().process_response(request, response)
