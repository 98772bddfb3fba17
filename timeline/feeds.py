"""The Atom feed of published policy events, /timeline/feed/."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from timeline.models import PolicyEvent

FEED_SIZE = 50


class PolicyEventFeed(Feed):
    """The newest published events; drafts never appear."""

    feed_type = Atom1Feed
    title = "Cuban Medical Missions Tracker: policy events"
    subtitle = (
        "Announcements, sanctions and withdrawals affecting Cuba's medical missions."
    )

    def link(self) -> str:
        return reverse("timeline:event_list")

    def items(self) -> QuerySet[PolicyEvent]:
        return PolicyEvent.objects.published().for_list().newest_first()[:FEED_SIZE]

    def item_title(self, item: PolicyEvent) -> str:
        return f"{item.date_display}: {item.title}"

    def item_description(self, item: PolicyEvent) -> str:
        sources = "; ".join(f"{s.publisher} <{s.url}>" for s in item.sources.all())
        return f"{item.summary}\n\nSources: {sources}"

    def item_link(self, item: PolicyEvent) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: PolicyEvent) -> str:
        return f"tag:cuban-missions-tracker,2026:event-{item.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item: PolicyEvent) -> dt.datetime:
        return dt.datetime.combine(item.date, dt.time(), tzinfo=dt.UTC)

    def item_categories(self, item: PolicyEvent) -> list[str]:
        return [
            item.get_kind_display(),
            *(c.name for c in item.affected_countries.all()),
        ]
