"""When an event was published and last changed: kept by every path that publishes,
and filled in from the history for events that predate the fields."""

from __future__ import annotations

import datetime as dt
import importlib
from xml.etree import ElementTree

import pytest
from django.apps import apps
from django.utils import timezone

from tests.factories import make_event
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
BACKFILL = importlib.import_module(
    "timeline.migrations.0009_policyevent_published_at_updated_at"
).backfill


def test_unpublishing_clears_the_time_and_republishing_sets_a_new_one():
    event = make_event(title="Up, down, up")
    first = event.published_at
    assert first is not None and event.updated_at >= first
    event.is_published = False
    event.save(update_fields=["is_published"])  # as the admin's unpublish action
    event.refresh_from_db()
    assert event.published_at is None
    event.is_published = True
    event.save()
    assert event.published_at > first


def test_a_draft_has_no_publication_time():
    assert make_event(is_published=False).published_at is None


def test_the_dataset_import_publishes_its_events_at_one_time(real_data, client):
    assert PolicyEvent.objects.values("published_at").distinct().count() == 1
    # So the feed starts as the newest events by date.
    newest = PolicyEvent.objects.published().newest_first().first()
    feed = ElementTree.fromstring(client.get("/timeline/feed/").content)
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.endswith(f"/timeline/events/{newest.pk}/")


def test_backfill_reads_publication_and_last_change_from_history():
    published = make_event(title="Published later", is_published=False)
    published.is_published = True
    published.save()
    published.summary = "Corrected."
    published.save()
    draft = make_event(title="Still a draft", is_published=False)
    unrecorded = make_event(title="History lost")
    unrecorded.history.all().delete()
    long_ago = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    PolicyEvent.objects.update(published_at=long_ago, updated_at=long_ago)

    BACKFILL(apps, None)

    rows = list(published.history.order_by("history_date", "history_id"))
    first_published = next(r for r in rows if r.is_published)
    published.refresh_from_db()
    assert published.published_at == first_published.history_date
    assert published.updated_at == rows[-1].history_date
    draft.refresh_from_db()
    assert draft.published_at is None
    assert draft.updated_at == draft.history.latest("history_date").history_date
    unrecorded.refresh_from_db()
    assert unrecorded.published_at > timezone.now() - dt.timedelta(minutes=5)
