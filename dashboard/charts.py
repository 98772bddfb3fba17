"""Figures of the pages that read statistics: the world map and the about page's
coverage by year (a country's staffing chart is in `dashboard.staffing`).

Pure functions: they take plain rows (dicts) and return a Plotly figure as a dict,
ready for `json_script`. They never query and never see the request. User-entered
text is escaped here, because plotly.js reads a subset of HTML in hover text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from countries.charts import (
    Figure,
    base_layout,
    number_text,
    plotly_text,
)
from countries.localized import per_language
from missions.models import Mission

# The map's colours, in the order of its legend. Current statuses are strong
# (dark blue, orange, dark purple), ended is a recessive mid grey and unknown a
# distinct muted teal. Every fill is at least 3:1 against the land and against its
# legend neighbours (WCAG 1.4.11). Land is the lightest colour, so two fills of
# about 3:1 against it cannot also be 3:1 against each other: ended and unknown
# are kept apart in the legend by "No mission recorded". site.css uses the same
# colours for the status badges (tests/dashboard/test_map_colours.py checks both).
STATUS_COLOURS = {
    Mission.Status.ACTIVE: "#003a75",
    Mission.Status.PHASING_OUT: "#e06000",
    Mission.Status.SUSPENDED: "#5c1552",
    Mission.Status.ENDED: "#878787",
    Mission.Status.UNKNOWN: "#4e978c",
}
LAND_COLOUR = "#f7f7f7"
LAND_LABEL = gettext_lazy("No mission recorded")
STATUS_LABELS = dict(Mission.Status.choices)
# Legend order: a status key, or None for the land.
LEGEND_ORDER: list[str | None] = [
    Mission.Status.ACTIVE,
    Mission.Status.PHASING_OUT,
    Mission.Status.SUSPENDED,
    Mission.Status.ENDED,
    None,
    Mission.Status.UNKNOWN,
]
DATED_OUTLINE = "#000000"
MAP_TITLE = gettext_lazy("Status of Cuban medical missions")
# Region presets over the map: (key, label, lon range, lat range). The Caribbean
# one is what makes the Lesser Antilles reachable by mouse and finger.
MAP_PRESETS: list[tuple[str, str, tuple[float, float], tuple[float, float]]] = [
    ("world", gettext_lazy("World"), (-180, 180), (-57, 84)),
    ("americas", gettext_lazy("Americas"), (-125, -30), (-56, 33)),
    ("caribbean", gettext_lazy("Caribbean"), (-92, -57), (8.5, 26)),
    ("africa", gettext_lazy("Africa"), (-26, 56), (-36, 45)),
    ("asia", gettext_lazy("Asia and Oceania"), (38, 205), (-20, 50)),
]


def link(text: str, href: str) -> dict[str, str]:
    """One link of a point's customdata: outside sources say so with an arrow.

    The text is escaped like hover text; charts.js reads both as text only."""
    arrow = " ↗" if href.startswith("http") else " →"
    return {"text": plotly_text(text) + arrow, "href": href}


def map_links(row: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """A map point's click: its country page first, then its source if it has one."""
    words = _map_words()
    links = [link(words["open"] % {"name": row["name"]}, row["url"])]
    source = row.get("source_url") or ""
    if source.startswith("http"):
        links.append(link(words["open_source"], source))
    return {"links": links}


def map_title(year: int | None = None) -> str:
    """The map's title: the latest information, or the year the view shows."""
    # Outside the f-string, where makemessages can find it.
    shown = _("latest information") if year is None else year
    return f"{MAP_TITLE}, {shown}"


def map_legend(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The legend's entries in order: key, label, colour and count (None for land)."""
    entries = []
    for status in LEGEND_ORDER:
        if status is None:
            entries.append(
                {
                    "key": "none",
                    "label": str(LAND_LABEL),
                    "colour": LAND_COLOUR,
                    "count": None,
                }
            )
            continue
        entries.append(
            {
                "key": str(status),
                "label": str(STATUS_LABELS[status]),
                "colour": STATUS_COLOURS[status],
                "count": sum(1 for r in rows if r["status"] == status),
            }
        )
    return entries


@per_language
def _map_words() -> dict[str, str]:
    """The map's tooltip and link words in the active language, translated once
    rather than for each of 250 host countries (never change the dict)."""
    return {
        "status": _("Status: %(status)s"),
        "headcount": _("Best-known headcount: %(count)s (%(basis)s)"),
        "as_of": _("As of: %(date)s"),
        "dated": " " + _("(over 2 years old)"),
        "source": _("Source: %(name)s"),
        "unknown": _("Headcount: unknown (no sourced figure)"),
        "open": _("Open %(name)s"),
        "open_source": _("Open source"),
    } | {f"status:{key}": str(label) for key, label in STATUS_LABELS.items()}


def map_hover(row: dict[str, Any]) -> str:
    """Hover text for one country on the map, with every user string escaped.

    A current country shows its best-known headcount with what it counts, its date
    and source; a country without a current mission says what happened."""
    words = _map_words()
    status = row["status"]
    lines = [
        # Plain text: plotly.js draws <b> with a style attribute, which the CSP blocks.
        plotly_text(row["name"]),
        words["status"] % {"status": words.get(f"status:{status}", status)},
    ]
    if row["headcount"] is not None:
        count = number_text(row["headcount"])
        lines += [
            words["headcount"] % {"count": count, "basis": row["basis"]},
            words["as_of"] % {"date": plotly_text(row["as_of"])}
            + (words["dated"] if row["dated"] else ""),
        ]
        if row.get("publisher"):
            lines.append(words["source"] % {"name": plotly_text(row["publisher"])})
    elif row.get("ended"):
        lines.append(plotly_text(row["ended"]))
    else:
        lines.append(words["unknown"])
    return "<br>".join(lines)


def world_map(
    rows: Sequence[dict[str, Any]],
    *,
    zoom_to_rows: bool = False,
    year: int | None = None,
) -> Figure:
    """A world map of host countries coloured by status, with a marker for each.

    Rows (`dashboard.hosts.host_rows`): iso3, name, status, headcount, basis, as_of
    (text), dated, publisher, source_url, ended (text), url, lat, lon. The 110m
    shapes lack small island states, so a marker at each country's point keeps
    every host visible and clickable; the markers are one trace, so each country
    has one hover target, and a black outline marks a figure over 2 years old.
    Countries with no mission get no row and stay land-coloured. The title and
    legend (drawn in HTML) travel in `layout.meta`.
    """
    data: list[dict[str, Any]] = []
    placed = [r for r in rows if r["lat"] is not None and r["lon"] is not None]
    with_marker = {r["iso3"] for r in placed}
    for status, colour in STATUS_COLOURS.items():
        group = [r for r in rows if r["status"] == status]
        if group:
            data.append(_choropleth(group, colour, with_marker))
    if placed:
        data.append(_markers(placed))
    geo = {
        "projection": {"type": "natural earth"},
        "showframe": False,
        "showcoastlines": True,
        "coastlinecolor": "#b0b0b0",
        "coastlinewidth": 0.5,
        "showland": True,
        "landcolor": LAND_COLOUR,
        "showcountries": True,
        "countrycolor": "#ffffff",
        "countrywidth": 0.5,
        "showocean": False,
        "bgcolor": "rgba(0,0,0,0)",
        "lataxis": {"range": [-57, 84]},
    }
    if zoom_to_rows and rows:
        geo["fitbounds"] = "locations"
        del geo["lataxis"]
    meta = {
        "title": map_title(year),
        "legend": map_legend(rows),
        "dated": sum(1 for r in rows if r["dated"]),
    }
    layout = base_layout(
        geo=geo,
        showlegend=False,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        dragmode=False,
        meta=meta,
    )
    return {"data": data, "layout": layout}


def _choropleth(
    group: list[dict[str, Any]], colour: str, with_marker: set[str]
) -> dict[str, Any]:
    # A country with a marker sends its tooltip and links once, on the marker:
    # static/js/charts.js copies them to the shape (null here), which halves what
    # the map weighs.
    def shared(row: dict[str, Any], make: Callable[[dict[str, Any]], Any]) -> Any:
        return None if row["iso3"] in with_marker else make(row)

    return {
        "type": "choropleth",
        "locationmode": "ISO-3",
        "locations": [r["iso3"] for r in group],
        "z": [1] * len(group),
        "colorscale": [[0, colour], [1, colour]],
        "showscale": False,
        "showlegend": False,
        "marker": {"line": {"color": "#ffffff", "width": 0.5}},
        "hovertext": [shared(r, map_hover) for r in group],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [shared(r, map_links) for r in group],
    }


def _markers(rows: list[dict[str, Any]]) -> dict[str, Any]:
    # Small and all the same size: plotly gives the hover to the marker whose edge
    # is nearest, so a bigger neighbour would win a hover at another's centre.
    return {
        "type": "scattergeo",
        "mode": "markers",
        "name": _("Host countries"),
        "showlegend": False,
        "ids": [r["iso3"] for r in rows],
        "lat": [r["lat"] for r in rows],
        "lon": [r["lon"] for r in rows],
        "marker": {
            "size": 9,
            "color": [STATUS_COLOURS.get(r["status"], LAND_COLOUR) for r in rows],
            "line": {
                "color": [DATED_OUTLINE if r["dated"] else "#ffffff" for r in rows],
                "width": [2 if r["dated"] else 1 for r in rows],
            },
        },
        "hovertext": [map_hover(r) for r in rows],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [map_links(r) for r in rows],
    }


def map_summary(rows: Sequence[dict[str, Any]]) -> str:
    """One sentence saying what the map shows, for screen readers and no-JS."""
    if not rows:
        return _("The map shows no host country for these filters.")
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_COLOURS}
    parts = [f"{n} {str(STATUS_LABELS[s]).lower()}" for s, n in counts.items() if n]
    dated = sum(1 for r in rows if r["dated"])
    return _(
        "The map shows %(n)s host countries: %(parts)s. "
        "%(dated)s of them have a latest figure more than two years old."
    ) % {"n": len(rows), "parts": ", ".join(parts), "dated": dated}


def totals_chart(
    ours: Sequence[dict[str, Any]], claimed: Sequence[dict[str, Any]]
) -> Figure:
    """Workers abroad by year: our sum of sourced figures beside sources' claims.

    Two different things, drawn as separate series and never added together.
    Rows: year, value, and for claims publisher and url.
    """
    data = [
        {
            "type": "scatter",
            # Markers only: coverage varies by year, so a line would suggest a trend.
            "mode": "markers",
            "name": _("Sum of the figures we hold for the year"),
            "x": [r["year"] for r in ours],
            "y": [r["value"] for r in ours],
            "marker": {"color": "#0072b2", "size": 8},
            "hovertemplate": "%{x}: %{y:,} "
            + _("workers in our figures")
            + "<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": _("Total claimed by a source"),
            "x": [r["year"] for r in claimed],
            "y": [r["value"] for r in claimed],
            "marker": {"color": "#d55e00", "symbol": "diamond", "size": 10},
            "hovertext": [
                _("%(year)s: %(value)s per %(publisher)s")
                % {
                    "year": r["year"],
                    "value": number_text(r["value"]),
                    "publisher": plotly_text(r["publisher"]),
                }
                for r in claimed
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "customdata": [
                {"links": [link(_("Open source"), r["url"])] if r["url"] else []}
                for r in claimed
            ],
        },
    ]
    layout = base_layout(
        margin={"l": 60, "r": 10, "t": 10, "b": 40},
        xaxis={"dtick": 5, "gridcolor": "#eee"},
        yaxis={"rangemode": "tozero", "gridcolor": "#eee"},
        legend={"orientation": "h", "y": -0.15, "yanchor": "top"},
    )
    return {"data": data, "layout": layout}
