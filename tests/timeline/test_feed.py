"""The Atom feed of published events."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree

import pytest

from tests.factories import make_country, make_event

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


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
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "10 Feb 2026: Guatemala phases out brigade"
    ]
    entry = entries[0]
    for required in ("id", "title", "updated", "link"):
        assert entry.find(f"{ATOM}{required}") is not None
    assert (
        entry.find(f"{ATOM}link").get("href").startswith("http://testserver/timeline/")
    )


def test_empty_feed_is_still_valid(client):
    feed = ElementTree.fromstring(client.get("/timeline/feed/").content)
    assert feed.find(f"{ATOM}updated") is not None
    assert feed.findall(f"{ATOM}entry") == []
