"""The Atom feed of published events."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from tests.factories import make_country, make_event, make_source
from timeline.feeds import FEED_SIZE
from timeline.models import PolicyEvent
from timeline.services import announcement_publish

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client) -> ElementTree.Element:
    response = client.get("/timeline/feed/")
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def _entries(client) -> list[ElementTree.Element]:
    return _feed(client).findall(f"{ATOM}entry")


def _text(element: ElementTree.Element, name: str) -> str:
    return element.find(f"{ATOM}{name}").text


def _when(element: ElementTree.Element) -> dt.datetime:
    return dt.datetime.fromisoformat(_text(element, "updated"))


def test_feed_is_atom_with_only_published_events(client):
    country = make_country(iso3="GTM", name="Guatemala")
    make_event(title="Guatemala phases out brigade", countries=[country])
    make_event(
        title="Draft: not yet checked", is_published=False, date=dt.date(2026, 3, 1)
    )
    response = client.get("/timeline/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [_text(e, "title") for e in entries] == [
        "10 Feb 2026: Guatemala phases out brigade"
    ]
    entry = entries[0]
    for required in ("id", "title", "updated", "published", "link"):
        assert entry.find(f"{ATOM}{required}") is not None


def test_empty_feed_is_still_valid(client):
    feed = _feed(client)
    assert feed.find(f"{ATOM}updated") is not None
    assert feed.findall(f"{ATOM}entry") == []


def test_summary_is_plain_text_that_keeps_urls_and_markup_as_text(client):
    source = make_source(url="https://news.example.org/a?b=1&c=2", publisher="Wire")
    make_event(summary='Said <script>alert(1)</script>"><img src=x>.', sources=[source])
    summary = _entries(client)[0].find(f"{ATOM}summary")
    # type="html" would make a reader parse the text: the URL in <…> would vanish
    # as an unknown tag and the stored <script> would become live markup.
    assert summary.get("type") == "text"
    assert 'Said <script>alert(1)</script>"><img src=x>.' in summary.text
    assert "Wire <https://news.example.org/a?b=1&c=2>" in summary.text
    assert summary.text.startswith("10 Feb 2026. ")


def test_each_entry_links_to_its_own_event_page(client):
    event = make_event(title="Linked")
    href = _entries(client)[0].find(f"{ATOM}link").get("href")
    assert href == f"http://testserver/timeline/events/{event.pk}/"
    assert client.get(href).status_code == 200


def test_back_dated_event_published_now_comes_first(client, publisher):
    for day in (1, 2, 3):
        make_event(title=f"Recent {day}", date=dt.date(2026, 3, day))
    yesterday = timezone.now() - dt.timedelta(days=1)
    PolicyEvent.objects.update(published_at=yesterday, updated_at=yesterday)
    draft = make_event(title="Old news", date=dt.date(2019, 6, 1), is_published=False)
    announcement_publish(event=draft, user=publisher, reason="Reviewed")
    entries = _entries(client)
    assert [_text(e, "title") for e in entries] == [
        "1 Jun 2019: Old news",
        "3 Mar 2026: Recent 3",
        "2 Mar 2026: Recent 2",
        "1 Mar 2026: Recent 1",
    ]
    assert _when(entries[0]) > yesterday
    assert _when(entries[0]) == dt.datetime.fromisoformat(
        _text(_feed(client), "updated")
    )


def test_feed_holds_the_most_recently_published(client):
    for n in range(FEED_SIZE + 1):
        make_event(title=f"Event number {n}", date=dt.date(2020, 1, 1))
    titles = [_text(e, "title") for e in _entries(client)]
    assert len(titles) == FEED_SIZE
    assert titles[0] == f"1 Jan 2020: Event number {FEED_SIZE}"
    assert "1 Jan 2020: Event number 0" not in titles


def test_a_correction_moves_the_entry_and_the_feed_updated(client):
    event = make_event(title="Corrected later")
    make_event(title="Untouched", date=dt.date(2026, 3, 1))
    last_week = timezone.now() - dt.timedelta(days=7)
    PolicyEvent.objects.update(published_at=last_week, updated_at=last_week)
    before = {_text(e, "title"): _when(e) for e in _entries(client)}
    event.refresh_from_db()
    event.summary = "Corrected: the brigade left in March."
    event.save()
    feed = _feed(client)
    after = {_text(e, "title"): _when(e) for e in feed.findall(f"{ATOM}entry")}
    assert before["10 Feb 2026: Corrected later"] == last_week
    assert after["10 Feb 2026: Corrected later"] > last_week
    assert after["1 Mar 2026: Untouched"] == last_week
    updated = dt.datetime.fromisoformat(_text(feed, "updated"))
    assert updated == after["10 Feb 2026: Corrected later"]


def test_feed_sends_an_etag_and_answers_304(client):
    make_event(title="Cached")
    first = client.get("/timeline/feed/")
    assert first["ETag"]
    again = client.get("/timeline/feed/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
