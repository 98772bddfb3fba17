"""Figures for the timeline: pure functions over plain rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from countries.charts import Figure, base_layout, plotly_text
from timeline.models import PolicyEvent

KIND_LABELS = dict(PolicyEvent.Kind.choices)
# Okabe-Ito hues, darkened where needed to keep 3:1 against white (WCAG 1.4.11):
# ten kinds, each told apart by colour *and* marker symbol.
KIND_STYLES = {
    "mission_start": ("#009e73", "circle"),
    "agreement": ("#7b4fa0", "square"),
    "withdrawal": ("#b86e00", "triangle-down"),
    "expulsion": ("#d55e00", "x"),
    "termination": ("#cc79a7", "diamond"),
    "sanction": ("#000000", "cross"),
    "visa_restriction": ("#0072b2", "triangle-up"),
    "statement": ("#7f7f7f", "circle-open"),
    "report": ("#999933", "square-open"),
    "other": ("#8a6d00", "star"),
}
# The chart opens on recent years, where most events are; "All years" shows the rest.
RECENT_FROM = dt.date(2015, 1, 1)


def events_chart(
    events: Sequence[dict[str, Any]], *, start: dt.date | None, end: dt.date
) -> Figure:
    """Every event as a dated marker on its kind's row, with its title on hover.

    Events: url, date (ISO), date_text, title, kind, countries (names, joined).
    The x axis runs from `start` (None: the first event) to `end`. A marker links
    to the event's own page (the list below is paged, so an anchor in it may not
    be on the page).
    """
    data = []
    for kind, (colour, symbol) in KIND_STYLES.items():
        group = [e for e in events if e["kind"] == kind]
        if not group:
            continue
        label = str(KIND_LABELS[kind])
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{label} ({len(group)})",
                "x": [e["date"] for e in group],
                "y": [label] * len(group),
                "marker": {"color": colour, "symbol": symbol, "size": 10},
                "hovertext": [_event_hover(e) for e in group],
                "hovertemplate": "%{hovertext}<extra></extra>",
                "customdata": [
                    {"links": [{"text": _("Open event") + " →", "href": e["url"]}]}
                    for e in group
                ],
            }
        )
    xaxis: dict[str, Any] = {"type": "date", "gridcolor": "#eee"}
    if start is not None:
        # A little past both ends, so the first and last markers are whole.
        xaxis["range"] = [
            (start - dt.timedelta(days=60)).isoformat(),
            (end + dt.timedelta(days=60)).isoformat(),
        ]
    layout = base_layout(
        margin={"l": 120, "r": 10, "t": 10, "b": 30},
        xaxis=xaxis,
        yaxis={"type": "category", "automargin": True},
        showlegend=False,
        hovermode="closest",
    )
    return {"data": data, "layout": layout}


def _event_hover(event: dict[str, Any]) -> str:
    # Plain text: plotly.js draws <b> with a style attribute, which our CSP blocks.
    text = f"{plotly_text(event['date_text'])}: {plotly_text(event['title'])}"
    if event.get("countries"):
        text += f"<br>{plotly_text(event['countries'])}"
    return text


def year_kind_counts_chart(
    counts: Sequence[dict[str, Any]], *, start: dt.date | None, end: dt.date
) -> Figure:
    """The events chart for many events: per kind's row, one marker per year, its
    area by the number of events, with the count on hover.

    Counts: year (int), kind, count. Same axes as `events_chart`, so the chart
    reads the same when a filter brings it under the marker-per-event limit.
    """
    most = max((c["count"] for c in counts), default=1)
    data = []
    for kind, (colour, symbol) in KIND_STYLES.items():
        group = [c for c in counts if c["kind"] == kind]
        if not group:
            continue
        label = str(KIND_LABELS[kind])
        total = sum(c["count"] for c in group)
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"{label} ({total})",
                "x": [f"{c['year']:04d}-07-01" for c in group],
                "y": [label] * len(group),
                "marker": {
                    "color": colour,
                    "symbol": symbol,
                    "size": [6 + 18 * (c["count"] / most) ** 0.5 for c in group],
                },
                "hovertext": [
                    f"{c['year']}: {c['count']} {plotly_text(label)}" for c in group
                ],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    figure = events_chart([], start=start, end=end)
    return {"data": data, "layout": figure["layout"]}


def events_summary(counts: Sequence[dict[str, Any]], start: dt.date | None) -> str:
    """What the events chart shows: how many events, of how many kinds, over which
    years, the busiest year, and how many fall before the range drawn.

    Counts: year (int), kind, count, one row per year and kind."""
    if not counts:
        return _("No published event matches these filters.")
    total = sum(c["count"] for c in counts)
    kinds = {c["kind"] for c in counts}
    per_year: Counter = Counter()
    for c in counts:
        per_year[c["year"]] += c["count"]
    # Ties go to the earliest year, as when counting every event's date in order.
    busiest, most = max(sorted(per_year.items()), key=lambda item: item[1])
    events = ngettext("%(n)s event", "%(n)s events", total) % {"n": total}
    of_kinds = ngettext("of %(n)s kind", "of %(n)s kinds", len(kinds)) % {
        "n": len(kinds)
    }
    text = _(
        "%(events)s %(kinds)s, from %(first)s to %(last)s; the most in %(busiest)s "
        "(%(most)s)."
    ) % {
        "events": events,
        "kinds": of_kinds,
        "first": min(per_year),
        "last": max(per_year),
        "busiest": busiest,
        "most": most,
    }
    if start is not None:
        # The chart starts on 1 January, so whole years are before it or not.
        earlier = sum(n for year, n in per_year.items() if year < start.year)
        text += " " + _("The chart shows %(year)s to today") % {"year": start.year}
        if earlier:
            text += "; " + ngettext(
                "%(n)s earlier event is in All years",
                "%(n)s earlier events are in All years",
                earlier,
            ) % {"n": earlier}
        text += "."

    return text


def events_by_year(counts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart as a table: per year, newest first, the number of events and of
    each kind ("3 Termination, 1 Statement"). Counts: year (int), kind, count."""
    years: dict[int, Counter] = {}
    for c in counts:
        years.setdefault(c["year"], Counter())[c["kind"]] += c["count"]
    return [
        {
            "year": str(year),
            "count": sum(kinds.values()),
            "kinds": ", ".join(f"{n} {KIND_LABELS[k]}" for k, n in kinds.most_common()),
        }
        for year, kinds in sorted(years.items(), reverse=True)
    ]
