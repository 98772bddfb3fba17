"""Public 'recent changes': corrections to published figures, missions and events.

Read from the django-simple-history tables in a fixed number of queries: the newest
history rows of each model, then the row before each (two queries per model); only
the changes shown are described.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from heapq import merge
from itertools import islice

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from countries.charts import number_text
from countries.dataset import CHANGE_REASON as IMPORT_REASON
from countries.dates import format_partial_date
from countries.localized import local_html, local_text
from missions.models import Mission, Source, StaffingReport
from timeline.models import PolicyEvent

# Fields shown, per model, with their public labels.
TRACKED_FIELDS = {
    StaffingReport: {
        "workers": _("workers"),
        "doctors": _("doctors"),
        "other_staff": _("other staff"),
        "as_of": _("as of"),
        "source_id": _("source"),
    },
    Mission: {
        "status": _("status"),
        "status_as_of": _("status as of"),
        "end": _("end"),
        "kind": _("kind"),
        "name": _("name"),
        "name_es": _("name in Spanish"),
    },
    PolicyEvent: {
        "title": _("title"),
        "date": _("date"),
        "kind": _("kind"),
        "summary": _("summary"),
        "title_es": _("title in Spanish"),
        "summary_es": _("summary in Spanish"),
        "figures": _("figures"),
        "is_published": _("published"),
    },
}
ACTIONS = {"+": _("added"), "~": _("changed"), "-": _("removed")}
# What each model's rows are called on the page (not the models' verbose names,
# which the admin and migrations share).
WHAT = {
    StaffingReport: _("staffing report"),
    Mission: _("mission"),
    PolicyEvent: _("policy event"),
}
RELATED = {StaffingReport: ["mission__country"], Mission: ["country"], PolicyEvent: []}


@dataclass
class Change:
    """One public change: what, old -> new, why, and the source behind it."""

    when: dt.datetime
    subject: SafeString  # HTML: a name not in the page's language is marked
    what: str
    action: str
    reason: str
    url: str = ""
    source: Source | None = None
    diffs: list[tuple[str, str, str]] = field(default_factory=list)


def recent_changes(limit: int = 100) -> list[Change]:
    """The newest public changes across figures, missions and published events."""
    streams = [
        _changes(StaffingReport, limit),
        _changes(Mission, limit),
        _changes(PolicyEvent, limit, Q(is_published=True)),
    ]
    return list(islice(merge(*streams, key=lambda c: c.when, reverse=True), limit))


def _history(model: type[Model], limit: int, public: Q) -> QuerySet:
    # Rows the dataset import created are the starting point, not changes.
    return (
        model.history.filter(public)
        .select_related(*RELATED[model])
        .exclude(history_type="+", history_change_reason=IMPORT_REASON)
        .order_by("-history_date", "-history_id")[: limit * 2]
    )


def _predecessors(model: type[Model], rows: list) -> dict[int, object]:
    """For each history row, the row just before it for the same object (two
    queries): found per row, one step down the object's history, so an object
    edited 600 times costs what one edited once does."""
    earlier = model.history.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(
            history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
        )
    )
    newest_first = earlier.order_by("-history_date", "-history_id")
    pairs = (
        model.history.filter(history_id__in=[row.history_id for row in rows])
        .annotate(before=Subquery(newest_first.values("history_id")[:1]))
        .values_list("history_id", "before")
    )
    before = {after: prior for after, prior in pairs if prior is not None}
    loaded = {
        row.history_id: row
        for row in model.history.filter(history_id__in=set(before.values()))
    }
    return {after: loaded[prior] for after, prior in before.items()}


def _changes(
    model: type[Model], limit: int, public: Q | None = None
) -> Iterator[Change]:
    """The model's newest public changes, newest first, each made when it is
    asked for: the page merges three such streams and takes only what it shows."""
    rows = list(_history(model, limit, public or Q()))
    previous = _predecessors(model, rows)
    sources = _sources(model, rows, previous)
    for row in rows:
        change = _change(model, row, previous.get(row.history_id), sources)
        if row.history_type != "~" or change.diffs:
            yield change


def _sources(model: type[Model], rows: list, previous: dict) -> dict[int, Source]:
    if model is not StaffingReport:
        return {}
    ids = {r.source_id for r in [*rows, *previous.values()]}
    return Source.objects.in_bulk(ids)


def _show(model: type[Model], name: str, row, sources: dict[int, Source]) -> str:
    value = getattr(row, name)
    if value is None:
        return str(_("unknown"))
    if name == "source_id":
        return str(sources.get(value, value))
    if isinstance(value, dt.date):
        return format_partial_date(value, getattr(row, f"{name}_precision", "day"))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def _change(model: type[Model], row, before, sources: dict[int, Source]) -> Change:
    fields = TRACKED_FIELDS[model]
    diffs = []
    if before is not None and row.history_type == "~":
        for name, label in fields.items():
            old, new = (_show(model, name, r, sources) for r in (before, row))
            if old != new:
                diffs.append((str(label), old, new))
    return Change(
        when=row.history_date,
        subject=_subject(model, row),
        what=str(WHAT[model]),
        action=str(ACTIONS.get(row.history_type, ACTIONS["~"])),
        url=_url(model, row),
        reason=row.history_change_reason or "",
        source=sources.get(getattr(row, "source_id", None)),
        diffs=diffs,
    )


def _subject(model: type[Model], row) -> SafeString:
    """What changed, named in the page's language (the version's own text)."""
    if model is StaffingReport:
        name = local_html(row.mission, "name")
        host = local_text(row.mission.country, "name")
        return format_html("{} ({}): {}", name, host, _figure(row))
    if model is PolicyEvent:
        return local_html(row, "title")
    return format_html(
        "{} ({})", local_html(row, "name"), local_text(row.country, "name")
    )


def _figure(row) -> str:
    """'280 workers, 200 doctors, as of 5 Mar 2026': the counts a report states."""
    labels = TRACKED_FIELDS[StaffingReport]
    counts = [
        f"{number_text(getattr(row, name))} {labels[name]}"
        for name in ("workers", "doctors", "other_staff")
        if getattr(row, name) is not None
    ]
    as_of = format_partial_date(row.as_of, row.as_of_precision)
    return _("%(counts)s, as of %(date)s") % {
        "counts": ", ".join(counts) or _("no count"),
        "date": as_of,
    }


def _url(model: type[Model], row) -> str:
    if model is StaffingReport:
        return reverse("dashboard:country", args=[row.mission.country_id])
    if model is Mission:
        return reverse("dashboard:country", args=[row.country_id])
    return reverse("timeline:event_detail", args=[row.id])
