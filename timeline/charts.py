"""Figures for the timeline: pure functions over plain rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from countries.charts import Figure, base_layout, plotly_text
from timeline.models import PolicyEvent

KIND_LABELS = dict(PolicyEvent.Kind.choices)
# Okabe-Ito plus greys: ten kinds, each told apart by colour *and* marker symbol.
KIND_STYLES = {
    "mission_start": ("#009e73", "circle"),
    "agreement": ("#56b4e9", "square"),
    "withdrawal": ("#e69f00", "triangle-down"),
    "expulsion": ("#d55e00", "x"),
    "termination": ("#cc79a7", "diamond"),
    "sanction": ("#000000", "cross"),
    "visa_restriction": ("#0072b2", "triangle-up"),
    "statement": ("#7f7f7f", "circle-open"),
    "report": ("#999933", "square-open"),
    "other": ("#b3b3b3", "star"),
}


def events_chart(events: Sequence[dict[str, Any]]) -> Figure:
    """Every event as a dated marker on its kind's row, with its title on hover.

    Events: url, date (ISO), date_text, title, kind, countries (names, joined).
    Clicking a marker opens the event's own page (the list below is paged, so an
    anchor in it may not be on the page).
    """
    data = []
    for kind, (colour, symbol) in KIND_STYLES.items():
        group = [e for e in events if e["kind"] == kind]
        if not group:
            continue
        label = KIND_LABELS[kind]
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
                "customdata": [e["url"] for e in group],
            }
        )
    layout = base_layout(
        margin={"l": 120, "r": 10, "t": 10, "b": 30},
        xaxis={"type": "date", "gridcolor": "#eee"},
        yaxis={"type": "category", "automargin": True},
        showlegend=False,
        hovermode="closest",
    )
    return {"data": data, "layout": layout}


def _event_hover(event: dict[str, Any]) -> str:
    text = f"<b>{plotly_text(event['date_text'])}</b>: {plotly_text(event['title'])}"
    if event.get("countries"):
        text += f"<br>{plotly_text(event['countries'])}"
    return text


def events_summary(events: Sequence[dict[str, Any]]) -> str:
    """One sentence describing the events chart."""
    if not events:
        return "No published event matches these filters."
    dates = sorted(e["date"] for e in events)
    kinds = {e["kind"] for e in events}
    return (
        f"{len(events)} events of {len(kinds)} kinds, "
        f"from {dates[0][:4]} to {dates[-1][:4]}."
    )
