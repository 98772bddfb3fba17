"""Writes of the news watch: fetch due feeds, store new leads, record each outcome."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from newswatch.fetching import FetchError, FetchResult, Item, fetch
from newswatch.matching import (
    country_names,
    guess_countries,
    matching_phrases,
    normalize_url,
    similar_title,
    title_key,
)
from newswatch.models import ERROR_LENGTH, Feed, KeywordRule, Lead

logger = logging.getLogger(__name__)
# No feed is started after this long into a run: the rest wait for the next beat,
# well inside the task's time limit (newswatch/tasks.py).
RUN_BUDGET_SECONDS = 10 * 60


@dataclass
class WatchRun:
    """What one run did, feed by feed (for the task's result and the command)."""

    fetched: int = 0
    not_modified: int = 0
    leads: int = 0
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class LeadMatcher:
    """The rules, country names and recent titles, read once per run."""

    phrases: list[str]
    names: dict[str, str]
    recent_titles: list[str]


def newswatch_fetch_due(*, now: dt.datetime | None = None) -> WatchRun:
    """Fetch every enabled feed that is due; a failing feed is recorded, not raised."""
    run = WatchRun()
    due = list(Feed.objects.due(now).order_by("next_fetch_at", "pk"))
    if not due:
        return run
    matcher = LeadMatcher(
        phrases=list(KeywordRule.objects.enabled().values_list("phrase", flat=True)),
        names=country_names(),
        recent_titles=list(
            Lead.objects.recent(settings.NEWSWATCH_TITLE_DAYS).values_list(
                "title_key", flat=True
            )
        ),
    )
    stop_at = time.monotonic() + RUN_BUDGET_SECONDS
    for index, feed in enumerate(due):
        if time.monotonic() > stop_at:
            left = len(due) - index
            logger.warning("News watch: %d feeds left for the next run", left)
            break
        if not _claim(feed):
            continue  # another run took it
        try:
            feed_fetch(feed=feed, matcher=matcher, run=run)
        except Exception as exc:  # noqa: BLE001 - one bad feed never stops the rest
            logger.exception("News watch: feed %s failed", feed.url)
            feed_record_error(feed=feed, message=f"{type(exc).__name__}: {exc}")
            run.errors[feed.url] = str(exc)
    return run


def _claim(feed: Feed) -> bool:
    """Move the feed's next attempt past this fetch, unless another run did already."""
    hold = timezone.now() + dt.timedelta(seconds=settings.NEWSWATCH_TIMEOUT * 4 + 60)
    claimed = Feed.objects.filter(pk=feed.pk, next_fetch_at=feed.next_fetch_at).update(
        next_fetch_at=hold
    )
    return claimed == 1


def feed_fetch(*, feed: Feed, matcher: LeadMatcher, run: WatchRun) -> None:
    """Fetch one feed, store its matching new items as leads, record the outcome."""
    try:
        result = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as exc:
        feed_record_error(feed=feed, message=str(exc))
        run.errors[feed.url] = str(exc)
        return
    stored = 0
    for item in result.items:
        stored += lead_store(feed=feed, item=item, matcher=matcher)
    _record_success(feed, result)
    run.fetched += 1
    run.not_modified += result.not_modified
    run.leads += stored


def lead_store(*, feed: Feed, item: Item, matcher: LeadMatcher) -> bool:
    """Store `item` as a new lead if it matches a rule and is not known by URL or by
    a near-identical title; True when stored."""
    text = f"{item.title}\n{item.summary}"
    matched = matching_phrases(text, matcher.phrases)
    if not matched:
        return False
    url, key = normalize_url(item.url), title_key(item.title)
    if len(url) > 600 or Lead.objects.filter(url=url).exists():
        return False
    if Lead.objects.filter(title_key=key).exists() or similar_title(
        key, matcher.recent_titles
    ):
        return False
    try:
        with transaction.atomic():
            lead = Lead.objects.create(
                feed=feed,
                url=url,
                title=item.title,
                title_key=key,
                summary=item.summary,
                publisher=item.publisher or feed.name,
                published_at=item.published,
                language=feed.language,
                matched=", ".join(matched)[:500],
            )
            lead.countries.set(guess_countries(text, matcher.names))
    except IntegrityError:
        return False  # a concurrent run stored the same URL first
    matcher.recent_titles.append(key)
    return True


def _record_success(feed: Feed, result: FetchResult) -> None:
    now = timezone.now()
    Feed.objects.filter(pk=feed.pk).update(
        etag=result.etag[:300],
        last_modified=result.last_modified[:100],
        last_fetched_at=now,
        last_success_at=now,
        consecutive_errors=0,
        next_fetch_at=now + feed.interval,
    )


def feed_record_error(*, feed: Feed, message: str) -> None:
    """Keep the error and its time, and wait longer before the next attempt."""
    now = timezone.now()
    feed.consecutive_errors += 1
    Feed.objects.filter(pk=feed.pk).update(
        last_fetched_at=now,
        last_error=message[:ERROR_LENGTH],
        last_error_at=now,
        consecutive_errors=feed.consecutive_errors,
        next_fetch_at=now + feed.backoff(),
    )


def leads_mark_irrelevant(*, leads: list[int]) -> int:
    """Mark leads irrelevant; kept, so that no later fetch adds them again."""
    return Lead.objects.filter(pk__in=leads).update(state=Lead.State.IRRELEVANT)


def lead_mark_drafted(*, lead_id: int) -> None:
    """Note that an announcement was drafted from this lead."""
    Lead.objects.filter(pk=lead_id).update(state=Lead.State.DRAFTED)
