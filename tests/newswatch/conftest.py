"""Fixtures of the news watch tests: the local feed server and small limits."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

import pytest

from newswatch.models import Feed, KeywordRule
from tests.factories import make_country
from tests.feed_support import FeedServer, feed_server

# Every feed the server offers, good and bad.
GOOD = ("/rss.xml", "/atom.xml", "/etag.xml")
BAD = ("/slow.xml", "/error.xml", "/broken.xml", "/huge.xml")


@pytest.fixture(autouse=True)
def _small_limits(settings) -> None:
    """A one-second timeout and a 50 kB limit keep the bad feeds quick."""
    settings.NEWSWATCH_TIMEOUT = 1
    settings.NEWSWATCH_MAX_BYTES = 50_000


@pytest.fixture(autouse=True)
def default_rules(db) -> None:
    """The keyword rules the data migration seeds (a transactional test's flush
    empties the table, so they are put back as the migration wrote them)."""
    seeded = import_module("newswatch.migrations.0002_default_rules_and_groups")
    for language, phrase in seeded.RULES:
        KeywordRule.objects.get_or_create(language=language, phrase=phrase)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with feed_server() as running:
        yield running


@pytest.fixture
def hosts(db) -> dict:
    """The countries the feeds name, with their real codes and English names."""
    names = {
        "HND": "Honduras",
        "GTM": "Guatemala",
        "JAM": "Jamaica",
        "BRB": "Barbados",
        "CUB": "Cuba",
        "MEX": "Mexico",
        "PER": "Peru",
        "BRA": "Brazil",
        "ZAF": "South Africa",
    }
    return {iso3: make_country(iso3=iso3, name=name) for iso3, name in names.items()}


def make_feed(server: FeedServer, path: str, **overrides) -> Feed:
    fields = {
        "name": path.strip("/").split(".")[0].title(),
        "url": server.url(path),
        "language": "en" if "atom" in path else "es",
    }
    fields.update(overrides)
    return Feed.objects.create(**fields)


@pytest.fixture
def feeds(server, hosts) -> dict[str, Feed]:
    """One feed for each path the server offers."""
    return {path: make_feed(server, path) for path in GOOD + BAD}


@pytest.fixture
def good_feeds(server, hosts) -> dict[str, Feed]:
    """Only the feeds that answer well (no waiting for the slow one)."""
    return {path: make_feed(server, path) for path in GOOD}
