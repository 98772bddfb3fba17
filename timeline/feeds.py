"""The Atom feed of published policy events, /timeline/feed/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from countries.localized import local_text, page_language, pick_text
from timeline.models import PolicyEvent

FEED_SIZE = 50


class TextSummaryAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text.

    Django's Atom1Feed declares every summary `type="html"`, so a reader would parse
    our plain text as markup: a source's `<https://…>` vanishes as an unknown tag
    and stored text could become live HTML. Text is shown as text."""

    def add_item_elements(self, handler, item) -> None:
        handler = _LanguageMarks(handler, item.get("languages") or {})
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class _LanguageMarks:
    """The feed's XML writer, adding `xml:lang` to the elements whose text is not
    in the feed's language (an English title in a Spanish feed)."""

    def __init__(self, handler: Any, languages: dict[str, str]) -> None:
        self.handler, self.languages = handler, languages

    def addQuickElement(self, name: str, contents=None, attrs=None) -> None:
        if name in self.languages:
            attrs = {**(attrs or {}), "xml:lang": self.languages[name]}
        self.handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handler, name)


class PolicyEventFeed(Feed):
    """The most recently published events; drafts never appear."""

    feed_type = TextSummaryAtomFeed
    title = gettext_lazy("Cuban Medical Missions Tracker: policy events")
    subtitle = gettext_lazy(
        "Announcements, sanctions and withdrawals affecting Cuba's medical missions."
    )

    def link(self) -> str:
        return reverse("timeline:event_list")

    def items(self) -> QuerySet[PolicyEvent]:
        # By publication, not event date: a back-dated event published today is news.
        events = PolicyEvent.objects.published().for_list()
        return events.newest_published_first()[:FEED_SIZE]

    def item_title(self, item: PolicyEvent) -> str:
        return f"{item.date_display}: {pick_text(item, 'title')[0]}"

    def item_description(self, item: PolicyEvent) -> str:
        sources = "; ".join(f"{s.publisher} <{s.url}>" for s in item.sources.all())
        summary = pick_text(item, "summary")[0]
        return f"{item.date_display}. {summary}\n\n" + _("Sources: %(list)s") % {
            "list": sources
        }

    def item_extra_kwargs(self, item: PolicyEvent) -> dict[str, Any]:
        """The language of each text that is not in the feed's (Spanish text is
        used where an editor gave it; else the English, marked)."""
        feed = page_language()
        found = {"title": pick_text(item, "title")[1]}
        found["summary"] = pick_text(item, "summary")[1]
        return {"languages": {k: v for k, v in found.items() if v != feed}}

    def item_link(self, item: PolicyEvent) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: PolicyEvent) -> str:
        return f"tag:cuban-missions-tracker,2026:event-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: PolicyEvent) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: PolicyEvent) -> dt.datetime:
        """Moves when the event is corrected or (re)published."""
        return item.updated_at

    def item_categories(self, item: PolicyEvent) -> list[str]:
        return [
            item.get_kind_display(),
            *(local_text(c, "name") for c in item.affected_countries.all()),
        ]
