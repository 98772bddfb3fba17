"""Anonymous readers get public pages from the cache; an edit and a refresh show at
once; editors never get or fill a cached page; the admin is never compressed."""

from __future__ import annotations

import gzip
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.services import statistics_refresh
from missions.models import StaffingReport

pytestmark = pytest.mark.django_db
# CSV downloads stream (countries/lists.py), so they are never stored; their ETag
# still answers 304 (tests/dashboard/test_conditional_get.py).
PAGES = [
    "/", "/missions/", "/countries/GTM/", "/timeline/", "/about/", "/changes/",
    "/timeline/feed/",
]  # fmt: skip
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_STORE_SECONDS = 600


@pytest.fixture
def dataset(real_data):
    statistics_refresh()


def _queries(client, path: str, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries)


@pytest.mark.parametrize("path", PAGES)
def test_a_second_anonymous_visit_is_served_from_the_cache(client, dataset, path):
    first, first_queries = _queries(client, path, **GZIP)
    again, again_queries = _queries(client, path, **GZIP)
    assert first.status_code == again.status_code == 200
    assert first_queries > 1
    assert again_queries == 1  # the version read, nothing else
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_cached_gzipped_page_is_not_sent_to_a_reader_without_gzip(client, dataset):
    packed = client.get("/", **GZIP)
    plain = client.get("/")
    assert packed["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert gzip.decompress(packed.content) == plain.content


def test_a_cached_page_still_answers_304(client, dataset):
    etag = client.get("/countries/GTM/", **GZIP)["ETag"]
    client.get("/countries/GTM/", **GZIP)
    again = client.get("/countries/GTM/", HTTP_IF_NONE_MATCH=etag, **GZIP)
    assert again.status_code == 304 and again["ETag"] == etag


def test_after_an_edit_and_a_refresh_the_next_visit_shows_the_new_figure(
    client, dataset, django_capture_on_commit_callbacks
):
    client.get("/countries/GTM/")
    client.get("/countries/GTM/")  # served from the cache
    report = StaffingReport.objects.filter(mission__country__iso3="GTM")
    report = report.order_by("-as_of", "-id").first()
    report.workers = 98765
    with django_capture_on_commit_callbacks(execute=True):
        report.save()  # commits: the data version moves
    _, queries = _queries(client, "/countries/GTM/")
    assert queries > 1  # the edit alone moved the page to a new key
    statistics_refresh()
    page = client.get("/countries/GTM/").content.decode()
    assert "98,765" in page or "98765" in page


def test_an_editor_neither_gets_nor_fills_the_cache(client, editor, dataset):
    client.force_login(editor)
    signed_in, _ = _queries(client, "/")
    assert "private" in signed_in["Cache-Control"]
    again, editor_queries = _queries(client, "/")
    assert editor_queries > 1  # rendered again, not from the cache
    client.logout()
    client.cookies.clear()
    _, anonymous_queries = _queries(client, "/")
    assert anonymous_queries > 1  # the editor's visits filled nothing
    _, cached_queries = _queries(client, "/")
    assert cached_queries == 1
    client.force_login(editor)
    _, editor_queries = _queries(client, "/")
    assert editor_queries > 1  # the anonymous copy is not the editor's


def test_public_pages_let_a_cdn_keep_them_briefly(client, dataset, settings):
    control = client.get("/")["Cache-Control"]
    assert "public" in control
    assert f"max-age={settings.PAGE_CACHE_SECONDS}" in control
    assert f"s-maxage={settings.PAGE_SHARED_CACHE_SECONDS}" in control


@pytest.mark.parametrize(
    "path, signed_in", [("/admin/", True), ("/admin/login/", False)]
)
def test_admin_pages_are_not_compressed(client, editor, path, signed_in):
    if signed_in:
        client.force_login(editor)
    response = client.get(path, **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")


@pytest.mark.redis
def test_the_redis_cache_is_shared_and_an_outage_is_a_miss(
    client, dataset, settings, redis_url
):
    import redis

    prefix = f"page-cache-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    first, _ = _queries(client, "/countries/GTM/", **GZIP)
    again, again_queries = _queries(client, "/countries/GTM/", **GZIP)
    assert again_queries == 1 and again.content == first.content
    server = redis.Redis.from_url(redis_url)
    stored = list(server.scan_iter(f"{prefix}:*"))
    assert stored
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens here
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    down = client.get("/countries/GTM/", **GZIP)
    assert down.status_code == 200
    assert gzip.decompress(down.content) == gzip.decompress(first.content)
    server.delete(*stored)


def test_the_page_cache_can_be_switched_off(client, dataset, settings):
    """The load benchmark measures pages uncached with PAGE_CACHE_STORE_SECONDS=0."""
    settings.PAGE_CACHE_STORE_SECONDS = 0
    client.get("/about/")
    _, queries = _queries(client, "/about/")
    assert queries > 1


def test_an_embed_served_from_the_cache_may_still_be_framed(client, dataset):
    client.get("/embed/map/", **GZIP)
    cached, queries = _queries(client, "/embed/map/", **GZIP)
    assert queries == 1
    assert not cached.has_header("X-Frame-Options")
    assert "frame-ancestors *" in cached["Content-Security-Policy"]
