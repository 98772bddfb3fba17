"""The beat task against the local feed server: good feeds stored, bad ones recorded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from newswatch.models import Feed, Lead
from newswatch.services import leads_mark_irrelevant, newswatch_fetch_due
from newswatch.tasks import fetch_feeds_task
from tests.feed_support import ETAG, MATCHING_TITLES
from tests.newswatch.conftest import BAD, GOOD, make_feed

pytestmark = pytest.mark.django_db

ERRORS = {
    "/slow.xml": "No answer within 1 s",
    "/error.xml": "HTTP 500 Internal Server Error",
    "/broken.xml": "Not a readable feed",
    "/huge.xml": "Larger than the 50,000 byte limit",
}


def _make_all_due() -> None:
    Feed.objects.update(next_fetch_at=None)


def test_the_task_stores_exactly_the_matching_items_once(feeds):
    fetch_feeds_task.delay()
    assert set(Lead.objects.values_list("title", flat=True)) == MATCHING_TITLES
    assert Lead.objects.count() == len(MATCHING_TITLES)


def test_bad_feeds_are_recorded_and_good_ones_still_processed(feeds):
    fetch_feeds_task.delay()
    for path in BAD:
        feed = Feed.objects.get(pk=feeds[path].pk)
        assert ERRORS[path] in feed.last_error, (path, feed.last_error)
        assert feed.last_error_at is not None and feed.last_success_at is None
        assert feed.consecutive_errors == 1
    for path in GOOD:
        feed = Feed.objects.get(pk=feeds[path].pk)
        assert feed.last_error == "" and feed.last_success_at is not None


def test_a_second_run_adds_nothing_and_sends_the_validators(feeds, server):
    fetch_feeds_task.delay()
    _make_all_due()
    fetch_feeds_task.delay()
    assert Lead.objects.count() == len(MATCHING_TITLES)
    first, second = server.hits("/etag.xml")
    assert "If-None-Match" not in first
    assert second["If-None-Match"] == ETAG
    assert second["If-Modified-Since"] == "Fri, 27 Nov 2026 14:00:00 GMT"
    feed = Feed.objects.get(pk=feeds["/etag.xml"].pk)
    assert feed.etag == ETAG and feed.consecutive_errors == 0


def test_a_304_counts_as_a_success(feeds):
    first = newswatch_fetch_due()
    _make_all_due()
    second = newswatch_fetch_due()
    assert (first.not_modified, second.not_modified) == (0, 1)
    assert second.fetched == len(GOOD) and len(second.errors) == len(BAD)


def test_backoff_grows_with_each_error_in_a_row(feeds, settings):
    settings.NEWSWATCH_MIN_INTERVAL_MINUTES = 30
    feed = Feed.objects.get(pk=feeds["/error.xml"].pk)
    waits = []
    for _ in range(3):
        Feed.objects.filter(pk=feed.pk).update(next_fetch_at=None)
        before = timezone.now()
        newswatch_fetch_due()
        feed.refresh_from_db()
        waits.append(round((feed.next_fetch_at - before).total_seconds() / 3600))
    assert feed.consecutive_errors == 3
    assert waits == [2, 4, 8]  # the feed's hour, doubled with each error


def test_backoff_never_exceeds_a_day():
    feed = Feed(interval_minutes=60, consecutive_errors=12)
    assert feed.backoff() == dt.timedelta(hours=24)


def test_the_polite_minimum_overrides_a_short_interval(settings):
    settings.NEWSWATCH_MIN_INTERVAL_MINUTES = 30
    assert Feed(interval_minutes=1).interval == dt.timedelta(minutes=30)


def test_a_feed_is_not_fetched_before_its_next_time(good_feeds, server):
    newswatch_fetch_due()
    newswatch_fetch_due()
    assert len(server.hits("/rss.xml")) == 1


def test_a_disabled_feed_is_never_fetched(server, hosts):
    make_feed(server, "/rss.xml", enabled=False)
    newswatch_fetch_due()
    assert server.hits("/rss.xml") == [] and not Lead.objects.exists()


def test_a_lead_marked_irrelevant_never_comes_back(good_feeds):
    fetch_feeds_task.delay()
    lead = Lead.objects.get(title__startswith="Honduras despide")
    leads_mark_irrelevant(leads=[lead.pk])
    _make_all_due()
    Feed.objects.update(etag="", last_modified="")  # read everything again
    fetch_feeds_task.delay()
    lead.refresh_from_db()
    assert lead.state == Lead.State.IRRELEVANT
    assert Lead.objects.count() == len(MATCHING_TITLES)


def test_leads_keep_publisher_date_language_and_clean_url(good_feeds):
    fetch_feeds_task.delay()
    lead = Lead.objects.get(title__startswith="Honduras despide")
    assert lead.url == "https://diario.example.hn/salud/brigada"
    assert lead.publisher == "Diario de Honduras" and lead.language == "es"
    assert lead.published_at == dt.datetime(2026, 11, 27, 14, tzinfo=dt.UTC)
    assert lead.feed == good_feeds["/rss.xml"]
    assert lead.matched == "brigada médica cubana"
    assert list(lead.countries.values_list("iso3", flat=True)) == ["HND"]


def test_the_command_fetches_every_feed_with_all(feeds):
    out = io.StringIO()
    call_command("fetch_feeds", stdout=out)
    call_command("fetch_feeds", "--all", stdout=out)
    assert "3 feeds read (1 unchanged), 0 new leads, 4 errors" in out.getvalue()


def test_a_feed_nobody_answers_is_recorded(hosts, good_feeds):
    from tests.celery_support import free_port

    closed = Feed.objects.create(name="Gone", url=f"http://127.0.0.1:{free_port()}/")
    run = newswatch_fetch_due()
    closed.refresh_from_db()
    assert closed.last_error.startswith("ConnectError")
    assert run.fetched == len(GOOD) and Lead.objects.count() == len(MATCHING_TITLES)


def test_fetch_now_in_the_admin_runs_the_task(
    editor_client, good_feeds, django_capture_on_commit_callbacks
):
    Feed.objects.update(next_fetch_at=timezone.now() + dt.timedelta(hours=1))
    pks = [feed.pk for feed in good_feeds.values()]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/newswatch/feed/",
            {"action": "fetch_now", "_selected_action": pks},
            follow=True,
        )
    assert "3 feeds are due now" in response.content.decode()
    assert Lead.objects.count() == len(MATCHING_TITLES)


def test_beat_runs_the_fetch_every_quarter_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["fetch-news-feeds"]
    assert entry["task"] == fetch_feeds_task.name
    assert entry["schedule"] == dt.timedelta(minutes=15)
