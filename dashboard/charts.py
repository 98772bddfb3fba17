"""Figures of the pages that read statistics: the world map and the about page's
coverage by year (a country's staffing chart is in `dashboard.staffing`).

Pure functions: they take plain rows (dicts) and return a Plotly figure as a dict,
ready for `json_script`. They never query and never see the request. User-entered
text is escaped here, because plotly.js reads a subset of HTML in hover text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from countries.charts import (
    Figure,
    base_layout,
    number_text,
    plotly_text,
)
from missions.models import Mission

# Okabe-Ito colours, safe for the common colour-vision deficiencies; same as site.css.
STATUS_COLOURS = {
    Mission.Status.ACTIVE: "#0072b2",
    Mission.Status.PHASING_OUT: "#e69f00",
    Mission.Status.SUSPENDED: "#cc79a7",
    Mission.Status.ENDED: "#6b6b6b",
    Mission.Status.UNKNOWN: "#b3b3b3",
}
STATUS_LABELS = dict(Mission.Status.choices)


def map_hover(row: dict[str, Any]) -> str:
    """Hover text for one country on the map, with every user string escaped.

    A current country shows its best-known headcount with what it counts, its date
    and source; a country without a current mission says what happened."""
    lines = [
        f"<b>{plotly_text(row['name'])}</b>",
        f"Status: {STATUS_LABELS.get(row['status'], row['status'])}",
    ]
    if row["headcount"] is not None:
        lines += [
            f"Best-known headcount: {number_text(row['headcount'])} ({row['basis']})",
            f"As of: {plotly_text(row['as_of'])}"
            + (" (dated)" if row["dated"] else ""),
        ]
        if row.get("publisher"):
            lines.append(f"Source: {plotly_text(row['publisher'])}")
    elif row.get("ended"):
        lines.append(plotly_text(row["ended"]))
    else:
        lines.append("Headcount: unknown (no sourced figure)")
    return "<br>".join(lines)


def world_map(rows: Sequence[dict[str, Any]], *, zoom_to_rows: bool = False) -> Figure:
    """A world map of host countries coloured by status, with a marker for each.

    Rows (`dashboard.hosts.host_rows`): iso3, name, status, headcount, basis, as_of
    (text), dated, publisher, ended (text), url, lat, lon. The 110m shapes lack
    small island states, so a marker at each country's point keeps every host
    visible and clickable. Countries with no
    mission get no row and stay plain.
    """
    data: list[dict[str, Any]] = []
    for status, colour in STATUS_COLOURS.items():
        group = [r for r in rows if r["status"] == status]
        if not group:
            continue
        data.append(_choropleth(group, colour))
        data.append(_markers(group, colour, f"{STATUS_LABELS[status]} ({len(group)})"))
    dated = [r for r in rows if r["dated"]]
    if dated:
        data.append(_dated_rings(dated))
    geo = {
        "projection": {"type": "natural earth"},
        "showframe": False,
        "showcoastlines": False,
        "showland": True,
        "landcolor": "#eeeeee",
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
    legend = {
        "orientation": "h",
        "y": 0,
        "yanchor": "top",
        "x": 0,
        "font": {"size": 12},
        "itemclick": False,
        "itemdoubleclick": False,
    }
    margin = {"l": 0, "r": 0, "t": 0, "b": 70}
    return {
        "data": data,
        "layout": base_layout(geo=geo, legend=legend, margin=margin, dragmode=False),
    }


def _choropleth(group: list[dict[str, Any]], colour: str) -> dict[str, Any]:
    return {
        "type": "choropleth",
        "locationmode": "ISO-3",
        "locations": [r["iso3"] for r in group],
        "z": [1] * len(group),
        "colorscale": [[0, colour], [1, colour]],
        "showscale": False,
        "showlegend": False,
        "marker": {"line": {"color": "#ffffff", "width": 0.5}},
        "hovertext": [map_hover(r) for r in group],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [r["url"] for r in group],
    }


def _markers(group: list[dict[str, Any]], colour: str, name: str) -> dict[str, Any]:
    return {
        "type": "scattergeo",
        "mode": "markers",
        "name": name,
        "lat": [r["lat"] for r in group],
        "lon": [r["lon"] for r in group],
        "marker": {
            "size": 7,
            "color": colour,
            "line": {"color": "#ffffff", "width": 1},
        },
        "hovertext": [map_hover(r) for r in group],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [r["url"] for r in group],
    }


def _dated_rings(dated: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "scattergeo",
        "mode": "markers",
        "name": f"Latest figure over 2 years old ({len(dated)})",
        "lat": [r["lat"] for r in dated],
        "lon": [r["lon"] for r in dated],
        "marker": {
            "size": 13,
            "symbol": "circle-open",
            "color": "#000000",
            "line": {"width": 1.5},
        },
        "hovertext": [map_hover(r) for r in dated],
        "hovertemplate": "%{hovertext}<extra></extra>",
        "customdata": [r["url"] for r in dated],
    }


def map_summary(rows: Sequence[dict[str, Any]]) -> str:
    """One sentence saying what the map shows, for screen readers and no-JS."""
    if not rows:
        return "The map shows no host country for these filters."
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in STATUS_COLOURS}
    parts = [f"{n} {STATUS_LABELS[s].lower()}" for s, n in counts.items() if n]
    dated = sum(1 for r in rows if r["dated"])
    return (
        f"The map shows {len(rows)} host countries: {', '.join(parts)}. "
        f"{dated} of them have a latest figure more than two years old."
    )


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
            "name": "Sum of the figures we hold for the year",
            "x": [r["year"] for r in ours],
            "y": [r["value"] for r in ours],
            "marker": {"color": "#0072b2", "size": 8},
            "hovertemplate": "%{x}: %{y:,} workers in our figures<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "Total claimed by a source",
            "x": [r["year"] for r in claimed],
            "y": [r["value"] for r in claimed],
            "marker": {"color": "#d55e00", "symbol": "diamond", "size": 10},
            "hovertext": [
                f"{r['year']}: {r['value']:,} per {plotly_text(r['publisher'])}"
                for r in claimed
            ],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "customdata": [r["url"] for r in claimed],
        },
    ]
    layout = base_layout(
        margin={"l": 60, "r": 10, "t": 10, "b": 40},
        xaxis={"dtick": 5, "gridcolor": "#eee"},
        yaxis={"rangemode": "tozero", "gridcolor": "#eee"},
        legend={"orientation": "h", "y": -0.15, "yanchor": "top"},
    )
    return {"data": data, "layout": layout}
