"""Chart functions (pure: plain rows in, figure dict out) and the served bundle."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import plotly.graph_objects as go
import plotly.offline
from django.conf import settings

from dashboard.charts import map_summary, totals_chart, world_map
from dashboard.staffing import staffing_chart
from tests.needs import need
from timeline.charts import events_chart

ISLANDS = ["BRB", "LCA", "VCT", "KNA", "ATG", "GRD", "DMA", "CPV", "STP"]


def _row(iso3: str, status: str = "active", **extra) -> dict:
    return {
        "iso3": iso3,
        "name": f"Country {iso3}",
        "status": status,
        "headcount": 10,
        "basis": "all staff",
        "as_of": "Mar 2025",
        "dated": False,
        "publisher": "Paper",
        "url": f"/countries/{iso3}/",
        "lat": 13.1,
        "lon": -59.5,
    } | extra


def test_map_draws_a_marker_for_every_host_including_small_islands():
    rows = [_row(iso3) for iso3 in ISLANDS] + [_row("GTM", "ended")]
    figure = world_map(rows)
    (markers,) = [t for t in figure["data"] if t["type"] == "scattergeo"]
    urls = [point["links"][0]["href"] for point in markers["customdata"]]
    assert sorted(u.split("/")[2] for u in urls) == sorted([*ISLANDS, "GTM"])
    assert all(markers["lat"]) and all(markers["lon"])
    go.Figure(figure)  # every attribute is valid for the bundled plotly.js


def test_map_points_open_the_country_page_first_then_the_source():
    row = _row("GTM", name="Guatemala", source_url="https://www.prensalibre.com/x")
    for trace in world_map([row | {"lat": None, "lon": None}])["data"]:
        assert trace["customdata"] == [
            {
                "links": [
                    {"text": "Open Guatemala →", "href": "/countries/GTM/"},
                    {"text": "Open source ↗", "href": "https://www.prensalibre.com/x"},
                ]
            }
        ]


def test_map_has_a_title_an_html_legend_with_counts_and_outlines_dated_figures():
    rows = [_row("GTM"), _row("HND", "phasing-out", dated=True)]
    figure = world_map(rows)
    assert not figure["layout"]["showlegend"]
    meta = figure["layout"]["meta"]
    assert meta["title"] == "Status of Cuban medical missions, latest information"
    assert world_map(rows, year=2013)["layout"]["meta"]["title"].endswith(", 2013")
    legend = [(e["label"], e["count"]) for e in meta["legend"]]
    assert legend[:2] == [("Active", 1), ("Phasing out", 1)]
    assert ("No mission recorded", None) in legend
    (markers,) = [t for t in figure["data"] if t["type"] == "scattergeo"]
    assert markers["marker"]["line"]["color"] == ["#ffffff", "#000000"]
    assert figure["layout"]["template"] == "none"
    assert "2 host countries: 1 active, 1 phasing out" in map_summary(rows)
    assert "1 of them" in map_summary(rows)


def test_map_hover_shows_figures_and_escapes_names():
    figure = world_map([_row("GTM", name="<script>x</script>", publisher="A & B")])
    hover = figure["data"][-1]["hovertext"][0]
    assert "&lt;script&gt;" in hover and "<script>" not in hover
    assert "Best-known headcount: 10 (all staff)" in hover
    assert "A &amp; B" in hover and "Mar 2025" in hover


def test_map_hover_says_what_happened_to_an_ended_country():
    ended = "ended Dec 2018 · last figure 8,300 doctors only (23 Nov 2018)"
    row = _row("BRA", "ended", headcount=None, basis="", ended=ended)
    hover = world_map([row])["data"][-1]["hovertext"][0]
    assert ended in hover and "unknown" not in hover
    unknown = world_map([_row("BRB", headcount=None, ended="")])
    assert "Headcount: unknown" in unknown["data"][-1]["hovertext"][0]


def test_map_sends_each_countrys_tooltip_and_links_once():
    """A country with a marker has its tooltip and links on the marker only (the
    page's script copies them to the shape); one without keeps them on its shape."""
    rows = [_row("GTM"), _row("HND"), _row("TUV", lat=None, lon=None)]
    shapes, markers = world_map(rows)["data"]
    assert markers["ids"] == ["GTM", "HND"]
    assert all(markers["hovertext"]) and all(markers["customdata"])
    by_iso3 = dict(zip(shapes["locations"], shapes["hovertext"], strict=True))
    assert by_iso3["GTM"] is None and by_iso3["HND"] is None
    assert "Country TUV" in by_iso3["TUV"]
    assert shapes["customdata"][2]["links"][0]["href"] == "/countries/TUV/"


def test_staffing_chart_keeps_disagreeing_figures_and_links_sources():
    reports = [
        {
            "mission": "Brigade",
            "as_of": "2019-01-01",
            "as_of_text": "2019",
            "workers": w,
            "doctors": None,
            "publisher": p,
            "url": f"https://{p}.example",
        }
        for w, p in [(277, "a"), (300, "b")]
    ]
    events = [
        {
            "date": "2020-01-01",
            "date_text": "2020",
            "title": "<b>x</b>",
            "url": "#event-1",
        }
    ]
    figure = staffing_chart(reports, events)
    workers = figure["data"][0]
    assert sorted(workers["y"]) == [277, 300]
    assert [c["links"][0]["href"] for c in workers["customdata"]] == [
        "https://a.example",
        "https://b.example",
    ]
    assert figure["data"][-1]["customdata"] == [
        {"links": [{"text": "Open event →", "href": "#event-1"}]}
    ]
    assert "&lt;b&gt;" in figure["data"][-1]["hovertext"][0]
    assert all(
        t["type"] == "scatter" for t in figure["data"]
    )  # no bar in the geo bundle
    go.Figure(figure)


def test_events_and_totals_charts_are_valid_scatter_figures():
    events = [
        {
            "url": "/timeline/events/1/",
            "date": "2026-02-10",
            "date_text": "10 Feb 2026",
            "title": "T",
            "kind": "termination",
            "countries": "Guatemala",
        }
    ]
    go.Figure(events_chart(events, start=None, end=dt.date(2026, 3, 1)))
    claimed = [{"year": 2020, "value": 50000, "publisher": "P", "url": "https://p"}]
    go.Figure(totals_chart([{"year": 2020, "value": 23369}], claimed))


def test_served_bundle_is_the_plotly_js_version_plotly_py_writes_for(client):
    bundle = Path(settings.BASE_DIR) / "static/vendor/plotly/plotly.min.js"
    need(bundle.exists(), "plotly.js not installed: run make install")
    response = client.get("/static/vendor/plotly/plotly.min.js")
    assert response.status_code == 200
    head = b"".join(response.streaming_content)[:300].decode()
    version = re.search(r"plotly\.js.*?v(\d+\.\d+\.\d+)", head).group(1)
    assert version == plotly.offline.get_plotlyjs_version()


def test_world_topology_is_served_by_us(client):
    response = client.get("/static/geo/world_110m.json")
    assert response.status_code == 200
    assert b'"countries"' in b"".join(response.streaming_content)
