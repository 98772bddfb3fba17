"""A country's staffing over time: the chart, its numbered events and its words.

Pure functions over plain rows, as in `dashboard.charts`. The chart draws every
sourced figure as a marker, and a line only where it would not invent a trend:
between consecutive figures of one mission and one count (all staff, or doctors
only) less than two years apart. Figures that sources give differently for one
date stand side by side, unjoined. Figures that would cover each other share one
marker whose tooltip lists them all. Events are numbered markers above the plot,
keyed to a numbered list under it.

Figure rows: mission, as_of (ISO), as_of_text, precision, workers, doctors,
publisher, url. Event rows: id, date (ISO), date_text, precision, title, kind, url.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from countries.charts import (
    Figure,
    base_layout,
    number_text,
    plotly_text,
    short_label,
)
from countries.localized import per_language

# Okabe-Ito hues that keep 3:1 against white (WCAG 1.4.11), one per mission.
MISSION_COLOURS = ["#0072b2", "#d55e00", "#008060", "#b0508a", "#000000", "#8a6d00"]
METRICS = {
    "workers": {
        "symbol": "circle",
        "basis": gettext_lazy("all staff"),
        "legend": gettext_lazy("All staff"),
    },
    "doctors": {
        "symbol": "square",
        "basis": gettext_lazy("doctors only"),
        "legend": gettext_lazy("Doctors only"),
    },
}
EVENTS_COLOUR = "#444444"
# A line joins two figures only when they are less than two years apart.
GAP_DAYS = 730
# Shares of the drawn time span and value range within which two markers would
# cover each other (about 10 px across a phone-to-desktop plot) ...
NEAR_X = 0.012
NEAR_Y = 0.035
# ... the spacing of figures that disagree for one date, and of close events.
CONFLICT_STEP = 0.006
EVENT_NEAR = 0.03
EVENT_LEVELS = 4
# A tooltip lists at most this many figures, and a marker links at most this many
# sources: with dozens of missions reporting alike, every marker would otherwise
# list every other one, and the page would grow with the square of the figures.
HOVER_FIGURES = 3
# Events that can explain a change in a mission's size.
EXPLAINING_KINDS = {
    "mission_start",
    "withdrawal",
    "expulsion",
    "termination",
    "sanction",
    "visa_restriction",
    "agreement",
}


def drawn_date(iso: str, precision: str = "day") -> dt.date:
    """Where a date known to its month or year is drawn: the middle of the period,
    not a made-up first day (a "2025" figure is not from 1 January)."""
    date = dt.date.fromisoformat(iso)
    if precision == "year":
        return date.replace(month=7, day=1)
    if precision == "month":
        return date.replace(day=15)
    return date


@dataclass
class Mark:
    """One marker: the figures it stands for, where it is drawn, and whether
    sources disagree about its date."""

    series: tuple[str, str]
    x: dt.date
    y: int
    figures: list[dict[str, Any]]
    conflict: bool = False
    near: list[tuple[dict[str, Any], str]] = field(default_factory=list)


def _span(dates: Iterable[dt.date]) -> tuple[dt.date, dt.date, int]:
    dates = sorted(dates)
    first, last = dates[0], dates[-1]
    return first, last, max((last - first).days, 365)


def series_marks(
    figures: Sequence[dict[str, Any]], metric: str, span_days: int, top: int
) -> list[Mark]:
    """The markers of one mission's count: one per date, figures that disagree
    about a date spread side by side, and figures that would cover each other
    merged into one marker."""
    by_date: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(figures, key=lambda r: r["as_of"]):
        by_date.setdefault(row["as_of"], []).append(row)
    series = (figures[0]["mission"], metric) if figures else ("", metric)
    marks: list[Mark] = []
    for rows in by_date.values():
        x = drawn_date(rows[0]["as_of"], rows[0].get("precision", "day"))
        values = sorted({r[metric] for r in rows})
        if len(values) == 1:
            marks.append(Mark(series, x, values[0], rows))
            continue
        step = dt.timedelta(days=round(span_days * CONFLICT_STEP))
        for i, value in enumerate(values):
            shift = step * (i - (len(values) - 1) / 2)
            same = [r for r in rows if r[metric] == value]
            marks.append(Mark(series, x + shift, value, same, conflict=True))
    return _merge_close(marks, span_days, top)


def _merge_close(marks: list[Mark], span_days: int, top: int) -> list[Mark]:
    merged: list[Mark] = []
    for mark in marks:
        last = merged[-1] if merged else None
        if (
            last
            and not (mark.conflict or last.conflict)
            and _close(last, mark, span_days, top)
        ):
            # Drawn at the newer figure: the tooltip lists both.
            merged[-1] = Mark(mark.series, mark.x, mark.y, last.figures + mark.figures)
        else:
            merged.append(mark)
    return merged


def _close(a: Mark, b: Mark, span_days: int, top: int) -> bool:
    return (
        abs((a.x - b.x).days) <= span_days * NEAR_X
        and abs(a.y - b.y) <= max(top, 1) * NEAR_Y
    )


def line_path(marks: Sequence[Mark]) -> tuple[list, list]:
    """x and y of the segments between consecutive markers less than two years
    apart, with None where the line breaks: across a gap, and on either side of
    figures that disagree (joining them would draw a change nobody reported)."""
    xs: list[str | None] = []
    ys: list[int | None] = []
    for a, b in zip(marks, marks[1:], strict=False):
        if a.conflict or b.conflict or (b.x - a.x).days >= GAP_DAYS:
            continue
        if xs and xs[-1] != a.x.isoformat():
            xs.append(None)
            ys.append(None)
        if not xs or xs[-1] is None:
            xs.append(a.x.isoformat())
            ys.append(a.y)
        xs.append(b.x.isoformat())
        ys.append(b.y)
    return xs, ys


@per_language
def _hover_words() -> dict[str, str]:
    """A tooltip's words in the active language, translated once rather than for
    each of a chart's hundreds of figures (never change the dict)."""
    return {
        "source": _("Source: %(name)s"),
        "disagree": _("Sources disagree for this date"),
        "open": _("Open source") + " ↗",
    } | {metric: str(words["basis"]) for metric, words in METRICS.items()}


@per_language
def _more_figures(hidden: int) -> str:
    more = ngettext(
        "and %(count)d more figure here (the CSV has them all)",
        "and %(count)d more figures here (the CSV has them all)",
        hidden,
    )
    return more % {"count": hidden}


class _Tooltips:
    """The tooltips of one chart: its words translated once, and each figure's
    text made once, however many markers list it."""

    def __init__(self) -> None:
        self.words = _hover_words()
        self.texts: dict[tuple[int, str], str] = {}
        self.numbers: dict[int | None, str] = {}

    def figure(self, row: dict[str, Any], metric: str) -> str:
        key = (id(row), metric)
        if key not in self.texts:
            value = row[metric]
            if value not in self.numbers:
                self.numbers[value] = number_text(value)
            self.texts[key] = (
                f"{self.numbers[value]} {self.words[metric]}, "
                f"{plotly_text(row['as_of_text'])}<br>{plotly_text(row['mission'])}"
                "<br>" + self.words["source"] % {"name": plotly_text(row["publisher"])}
            )
        return self.texts[key]

    def mark(self, mark: Mark) -> str:
        """Count, basis, date at its precision, mission and source of every figure
        the marker stands for, and of any other marker drawn at the same spot.

        Plain text and line breaks only: plotly.js draws <b> and <i> with style
        attributes, which our Content-Security-Policy blocks."""
        metric = mark.series[1]
        figures = [(r, metric) for r in mark.figures] + mark.near
        parts = [self.figure(r, m) for r, m in figures[:HOVER_FIGURES]]
        if mark.conflict:
            shown = min(len(mark.figures), HOVER_FIGURES)
            parts.insert(shown, self.words["disagree"])
        hidden = len(figures) - HOVER_FIGURES
        if hidden > 0:
            parts.append(_more_figures(hidden))
        return "<br>—<br>".join(parts)


def source_links(
    rows: Iterable[dict[str, Any]], words: dict[str, str] | None = None
) -> dict[str, list[dict[str, str]]]:
    """Customdata for a figure marker: "Open source ↗" for each distinct source
    (`words`: `_hover_words()`, when the caller has them)."""
    urls = dict.fromkeys((r["url"], r["publisher"]) for r in rows if r.get("url"))
    urls = dict.fromkeys(list(urls)[:HOVER_FIGURES])
    if len(urls) == 1:
        only = next(iter(urls))[0]
        return {"links": [{"text": (words or _hover_words())["open"], "href": only}]}
    return {
        "links": [
            {
                "text": _("Open source: %(name)s") % {"name": plotly_text(p)} + " ↗",
                "href": u,
            }
            for u, p in urls
        ]
    }


def _all_marks(figures: Sequence[dict[str, Any]], span_days: int) -> list[list[Mark]]:
    top = max((r[m] for r in figures for m in METRICS if r[m] is not None), default=1)
    by_mission: dict[str, list[dict[str, Any]]] = {}
    for row in figures:
        by_mission.setdefault(row["mission"], []).append(row)
    found = []
    for rows_of_mission in by_mission.values():
        for metric in METRICS:
            rows = [r for r in rows_of_mission if r[metric] is not None]
            if rows:
                found.append(series_marks(rows, metric, span_days, top))
    # A marker of another series at the same spot could hide this one: each
    # tooltip also lists the figures of the others there. Markers are put in
    # cells as wide and tall as "close" reaches, so each is compared only with
    # those of its own and the eight cells around it (in flat order, as drawn).
    flat = [m for marks in found for m in marks]
    reach_x, reach_y = span_days * NEAR_X, max(top, 1) * NEAR_Y  # as in `_close`
    width, height = max(1, math.ceil(reach_x)), max(1, math.ceil(reach_y))
    xs = [m.x.toordinal() for m in flat]
    ys = [m.y for m in flat]
    series = [m.series for m in flat]
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i in range(len(flat)):
        cells[(xs[i] // width, ys[i] // height)].append(i)
    around: dict[tuple[int, int], list[int]] = {}  # a cell's and its neighbours'
    for cx, cy in cells:
        around[(cx, cy)] = sorted(
            j
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for j in cells.get((cx + dx, cy + dy), ())
        )
    listed = [[(r, m.series[1]) for r in m.figures] for m in flat]
    for i, mark in enumerate(flat):
        x, y, own = xs[i], ys[i], series[i]
        for j in around[(x // width, y // height)]:
            if (
                series[j] != own
                and abs(xs[j] - x) <= reach_x
                and abs(ys[j] - y) <= reach_y
            ):
                mark.near += listed[j]
    return found


def event_groups(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events numbered 1, 2, … in date order; events of the same date (at its
    precision) share a number. Each group: number, date, date_text, x, events."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for event in sorted(events, key=lambda e: (e["date"], e.get("id", 0))):
        key = (event["date"], event["date_text"])
        if key not in groups:
            groups[key] = {
                "number": len(groups) + 1,
                "date": event["date"],
                "date_text": event["date_text"],
                "x": drawn_date(event["date"], event.get("precision", "day")),
                "events": [],
            }
        groups[key]["events"].append(event)
    return list(groups.values())


def event_levels(groups: Sequence[dict[str, Any]], span_days: int) -> list[int]:
    """A row for each event marker, so markers closer than a few pixels stack
    instead of covering each other: the lowest row whose last marker is far
    enough to the left."""
    ends: list[dt.date | None] = [None] * EVENT_LEVELS
    levels = []
    for i, group in enumerate(groups):
        free = [
            n
            for n, end in enumerate(ends)
            if end is None or (group["x"] - end).days > span_days * EVENT_NEAR
        ]
        level = free[0] if free else i % EVENT_LEVELS
        ends[level] = group["x"]
        levels.append(level)
    return levels


def _event_hover(group: dict[str, Any]) -> str:
    titles = "<br>".join(f"• {plotly_text(e['title'])}" for e in group["events"])
    return f"{group['number']} · {plotly_text(group['date_text'])}<br>{titles}"


def _event_links(group: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    events = group["events"]
    if len(events) == 1:
        return {"links": [{"text": _("Open event") + " →", "href": events[0]["url"]}]}
    return {
        "links": [
            {
                "text": _("Open event: %(title)s")
                % {"title": plotly_text(short_label(e["title"], 40))}
                + " →",
                "href": e["url"],
            }
            for e in events
        ]
    }


def _events_trace(groups: list[dict[str, Any]], levels: list[int]) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "markers+text",
        "name": _("Events (numbered, listed below)"),
        "yaxis": "y2",
        "x": [g["x"].isoformat() for g in groups],
        "y": levels,
        "text": [str(g["number"]) for g in groups],
        "textposition": "middle center",
        "textfont": {"color": "#ffffff", "size": 10},
        "marker": {"color": EVENTS_COLOUR, "size": 17, "symbol": "circle"},
        "hovertext": [_event_hover(g) for g in groups],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [_event_links(g) for g in groups],
        "cliponaxis": False,
    }


def _marks_trace(
    marks: list[Mark], colour: str, group: str, tooltips: _Tooltips
) -> dict[str, Any]:
    mission, metric = marks[0].series
    style = METRICS[metric]
    return {
        "type": "scatter",
        "mode": "markers",
        "name": f"{style['legend']}: {plotly_text(short_label(mission))}",
        "legendgroup": group,
        "x": [m.x.isoformat() for m in marks],
        "y": [m.y for m in marks],
        "marker": {
            "color": colour,
            "size": 9,
            "symbol": style["symbol"],
            "line": {"color": "#ffffff", "width": 1},
        },
        "hovertext": [tooltips.mark(m) for m in marks],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [source_links(m.figures, tooltips.words) for m in marks],
    }


def _line_trace(marks: list[Mark], colour: str, group: str) -> dict[str, Any] | None:
    xs, ys = line_path(marks)
    if not xs:
        return None
    metric = marks[0].series[1]
    return {
        "type": "scatter",
        "mode": "lines",
        "legendgroup": group,
        "showlegend": False,
        "x": xs,
        "y": ys,
        "connectgaps": False,
        "line": {
            "color": colour,
            "width": 1.5,
            "dash": "solid" if metric == "workers" else "dot",
        },
        "hoverinfo": "skip",
    }


def staffing_chart(
    figures: Iterable[dict[str, Any]], events: Iterable[dict[str, Any]]
) -> Figure:
    """A country's figures over time: a marker per figure (or per group of figures
    that would cover each other), lines only across gaps under two years, and
    numbered event markers in a strip above the plot."""
    figures, events = list(figures), list(events)
    groups = event_groups(events)
    dates = [drawn_date(r["as_of"], r.get("precision", "day")) for r in figures]
    dates += [g["x"] for g in groups]
    if not dates:
        return {"data": [], "layout": base_layout()}
    first, last, span_days = _span(dates)
    data: list[dict[str, Any]] = []
    missions = list(dict.fromkeys(r["mission"] for r in figures))
    tooltips = _Tooltips()
    for marks in _all_marks(figures, span_days):
        mission, metric = marks[0].series
        index = missions.index(mission)
        colour = MISSION_COLOURS[index % len(MISSION_COLOURS)]
        group = f"{index}-{metric}"
        line = _line_trace(marks, colour, group)
        data += [line] if line else []
        data.append(_marks_trace(marks, colour, group, tooltips))
    levels = event_levels(groups, span_days)
    if groups:
        data.append(_events_trace(groups, levels))
    pad = dt.timedelta(days=round(span_days * 0.03))
    layout = base_layout(
        margin={"l": 64, "r": 16, "t": 10, "b": 40},
        xaxis={
            "type": "date",
            "showgrid": False,
            "range": [(first - pad).isoformat(), (last + pad).isoformat()],
        },
        yaxis={
            "title": {"text": _("People")},
            "rangemode": "tozero",
            "gridcolor": "#eee",
            "domain": [0, 0.74] if groups else [0, 1],
        },
        yaxis2={
            "domain": [0.77, 1],
            "range": [-0.7, max(levels, default=0) + 0.7],
            "visible": False,
            "fixedrange": True,
        },
        legend={"orientation": "h", "y": -0.12, "yanchor": "top"},
        showlegend=True,
        hovermode="closest",
        shapes=[_event_rule(g) for g in groups],
    )
    return {"data": data, "layout": layout}


def _event_rule(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": group["x"].isoformat(),
        "x1": group["x"].isoformat(),
        "y0": 0,
        "y1": 0.77,
        "line": {"color": "#bbbbbb", "width": 1, "dash": "dot"},
    }
