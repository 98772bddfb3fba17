"""Bulk upload of policy events in the admin, checked exactly as the dataset import.

Rows are events.csv rows, keyed by date and title. An uploaded event is created as a
draft unless the uploader may publish events; an update leaves publication alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from countries.dataset import Problems, Row, set_values
from missions.importers import check_sources
from missions.models import Source
from missions.resources import CHANGE_REASON, Column, DatasetRowsResource
from timeline.importers import (
    EVENT_COLUMNS,
    EVENT_LINKS,
    EVENT_SPANISH_COLUMNS,
    EventPlan,
    check_events,
)
from timeline.models import PolicyEvent
from timeline.services import can_publish


def _codes(event: PolicyEvent, name: str) -> str:
    return ";".join(sorted(getattr(event, name).values_list("pk", flat=True)))


def _actor(event: PolicyEvent) -> str:
    """The actor column as the dataset writes it: ISO codes, then any organisation."""
    codes = _codes(event, "actor_countries")
    return ";".join(part for part in (codes, event.actor_organisation) if part)


def _sources(event: PolicyEvent, read: Callable[[Source], str]) -> str:
    return ";".join(sorted(read(source) for source in event.sources.all()))


class PolicyEventResource(DatasetRowsResource):
    """Policy events as events.csv rows; the row's links replace the event's links."""

    columns = EVENT_COLUMNS
    optional_columns = tuple(EVENT_SPANISH_COLUMNS)

    date = Column("date", lambda e: e.date_display if e.date else "")
    title = Column("title", lambda e: e.title)
    kind = Column("kind", lambda e: e.kind)
    actor = Column("actor", _actor)
    affected_iso3 = Column("affected_iso3", lambda e: _codes(e, "affected_countries"))
    summary = Column("summary", lambda e: e.summary)
    figures = Column("figures", lambda e: e.figures)
    source_url = Column("source_url", lambda e: _sources(e, lambda s: s.url))
    publisher = Column("publisher", lambda e: _sources(e, lambda s: s.publisher))
    published = Column(
        "published", lambda e: _sources(e, lambda s: s.published_display)
    )
    title_es = Column("title_es", lambda e: e.title_es)
    summary_es = Column("summary_es", lambda e: e.summary_es)
    is_published = Column(
        "publication", lambda e: "published" if e.is_published else "draft"
    )

    class Meta:
        model = PolicyEvent
        fields = (*EVENT_COLUMNS, *EVENT_SPANISH_COLUMNS, "is_published")
        import_id_fields = ()

    def check_rows(
        self, rows: list[Row], problems: Problems, today: dt.date, known: set[str]
    ) -> dict[int, EventPlan]:
        self.sources = check_sources(rows, problems, today)
        plans = check_events(rows, problems, today, known)
        return {row.line: plan for row, plan in zip(rows, plans, strict=True)}

    def find(self, plan: EventPlan) -> PolicyEvent | None:
        date, title = plan.key
        return PolicyEvent.objects.filter(date=date, title=title).first()

    def apply_plan(self, instance: PolicyEvent, plan: EventPlan) -> None:
        self.fields_changed = bool(set_values(instance, plan.values))
        if instance.pk is None:
            instance.is_published = bool(self.user and can_publish(self.user))
            self.links_changed = True
        else:
            # Compared by URL: a source the row cites may not be stored yet.
            self.links_changed = any(
                self._linked(instance, name) != plan.links[name] for name in EVENT_LINKS
            )

    def _linked(self, event: PolicyEvent, name: str) -> set[str]:
        if name == "sources":
            return set(event.sources.values_list("url", flat=True))
        return set(getattr(event, name).values_list("pk", flat=True))

    def save_m2m(self, instance: PolicyEvent, row: dict, **kwargs: Any) -> None:
        """Make the event's countries and sources exactly the row's."""
        if self.current is None or not self.links_changed:
            return
        plan: EventPlan = self.current
        wanted = {
            **plan.links,
            "sources": {self.source(url).pk for url in plan.links["sources"]},
        }
        for name in EVENT_LINKS:
            related = getattr(instance, name)
            if set(related.values_list("pk", flat=True)) != wanted[name]:
                instance._change_reason = CHANGE_REASON
                related.set(wanted[name])
