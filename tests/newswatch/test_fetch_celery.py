"""The beat task through a real broker and a real Celery worker."""

from __future__ import annotations

import pytest

from newswatch.models import Feed, Lead
from newswatch.tasks import fetch_feeds_task
from tests.celery_support import broker, celery_worker, wait_until
from tests.feed_support import MATCHING_TITLES
from tests.newswatch.conftest import GOOD, make_feed

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_stores_the_matching_items_and_records_a_bad_feed(
    postgres, redis_url, server, hosts, monkeypatch
):
    monkeypatch.setenv("NEWSWATCH_TIMEOUT", "1")  # read by the worker's settings
    for path in (*GOOD, "/error.xml"):
        make_feed(server, path)
    with broker(redis_url), celery_worker(redis_url):
        fetch_feeds_task.delay()
        assert wait_until(
            lambda: Feed.objects.filter(last_fetched_at__isnull=True).count() == 0
        )
    assert set(Lead.objects.values_list("title", flat=True)) == MATCHING_TITLES
    failed = Feed.objects.get(url=server.url("/error.xml"))
    assert failed.last_error == "HTTP 500 Internal Server Error"
    assert len(server.requests) == len(GOOD) + 1
