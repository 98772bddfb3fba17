"""Parsing feed documents: relative links, items without a link, non-feeds."""

from __future__ import annotations

import pytest

from newswatch.fetching import FetchError, parse
from tests.feed_support import ATOM_ENTRIES, RSS_ITEMS, atom, rss

RELATIVE = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><title>A</title><link>/news/1</link></item>"
    b"<item><title>No link</title></item></channel></rss>"
)


def test_relative_links_resolve_against_the_feed_url():
    items = parse(RELATIVE, base="https://x.example/feeds/all.xml")
    assert [i.url for i in items] == ["https://x.example/news/1"]


def test_rss_and_atom_give_the_same_fields():
    rss_item = parse(rss(RSS_ITEMS).encode())[0]
    atom_item = parse(atom(ATOM_ENTRIES).encode())[0]
    assert rss_item.publisher == "Diario de Honduras" and rss_item.published
    assert atom_item.publisher == "Caribbean Wire" and atom_item.published
    assert atom_item.summary == ATOM_ENTRIES[0][2]


@pytest.mark.parametrize("body", [b"<html><p>Not a feed", b"", b"{}"])
def test_a_document_that_is_not_a_feed_is_an_error(body):
    with pytest.raises(FetchError):
        parse(body)
