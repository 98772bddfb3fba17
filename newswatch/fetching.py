"""Fetching and parsing one feed: HTTP with limits (httpx), parsing (feedparser)."""

from __future__ import annotations

import calendar
import datetime as dt
import time
from dataclasses import dataclass, field

import feedparser
import httpx
from django.conf import settings
from django.utils.html import strip_tags

USER_AGENT = "CubanMissionsTracker-NewsWatch/1.0 (+an editors' review queue)"


class FetchError(Exception):
    """A feed could not be read; the message is shown to editors."""


@dataclass
class Item:
    """One feed entry, as the watch needs it."""

    url: str
    title: str
    summary: str = ""
    publisher: str = ""
    published: dt.datetime | None = None


@dataclass
class FetchResult:
    """What a fetch brought: items, or nothing new (304), and the validators to keep."""

    not_modified: bool = False
    items: list[Item] = field(default_factory=list)
    etag: str = ""
    last_modified: str = ""


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET a feed (conditionally when validators are known) and parse it.

    Raises FetchError on a timeout, an HTTP error, a body over the size limit or a
    document that is not a feed.
    """
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = settings.NEWSWATCH_TIMEOUT
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            return _get(client, url, headers, deadline=time.monotonic() + timeout)
    except httpx.TimeoutException:
        raise FetchError(f"No answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}") from None


def _get(
    client: httpx.Client, url: str, headers: dict, *, deadline: float
) -> FetchResult:
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 304:
            return FetchResult(
                not_modified=True,
                etag=headers.get("If-None-Match", ""),
                last_modified=headers.get("If-Modified-Since", ""),
            )
        if response.status_code >= 400:
            status = f"{response.status_code} {response.reason_phrase}"
            raise FetchError(f"HTTP {status}")
        body = _read_limited(response, deadline=deadline)
        return FetchResult(
            items=parse(body, base=str(response.url)),
            etag=response.headers.get("ETag", ""),
            last_modified=response.headers.get("Last-Modified", ""),
        )


def _read_limited(response: httpx.Response, *, deadline: float) -> bytes:
    # httpx's timeout is per read; the deadline also stops a server that drips bytes.
    limit = settings.NEWSWATCH_MAX_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(f"Larger than the {limit:,} byte limit ({int(declared):,})")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(f"Larger than the {limit:,} byte limit; stopped reading")
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("deadline passed", request=response.request)
        chunks.append(chunk)
    return b"".join(chunks)


def parse(body: bytes, base: str = "") -> list[Item]:
    """The entries of an RSS or Atom document; FetchError if it is neither.

    `base` is the feed's own URL, against which relative item links are resolved.
    """
    headers = {"content-location": base} if base else None
    parsed = feedparser.parse(body, response_headers=headers)
    if parsed.bozo and not parsed.entries:
        reason = parsed.get("bozo_exception") or "unknown format"
        raise FetchError(f"Not a readable feed: {reason}")
    if not parsed.get("version") and not parsed.entries:
        raise FetchError("Not an RSS or Atom feed")
    publisher = parsed.feed.get("title", "")
    return [item for entry in parsed.entries if (item := _item(entry, publisher))]


def _item(entry: feedparser.FeedParserDict, publisher: str) -> Item | None:
    url, title = entry.get("link", ""), strip_tags(entry.get("title", "")).strip()
    if not url.startswith(("http://", "https://")) or not title:
        return None
    source = entry.get("source") or {}
    return Item(
        url=url,
        title=title[:500],
        summary=strip_tags(entry.get("summary", "")).strip()[:5000],
        publisher=(source.get("title") or publisher)[:300],
        published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
    )


def _when(parsed: time.struct_time | None) -> dt.datetime | None:
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
