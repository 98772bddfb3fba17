"""Text on figures: escaped once, in the entities plotly.js decodes."""

from __future__ import annotations

import datetime as dt
import json

from countries.charts import plotly_text
from dashboard.charts import totals_chart, world_map
from dashboard.staffing import staffing_chart
from timeline.charts import events_chart

QUOTED = 'Say "no" to <script>alert(1)</script> & Brazil\'s Mais Medicos'
ESCAPED = (
    "Say &#34;no&#34; to &lt;script&gt;alert(1)&lt;/script&gt; &amp; "
    "Brazil&#39;s Mais Medicos"
)


def test_plotly_text_uses_only_entities_plotly_decodes():
    assert plotly_text(QUOTED) == ESCAPED
    assert plotly_text(12) == "12"


def _figures() -> list[dict]:
    row = {
        "iso3": "GTM",
        "name": QUOTED,
        "status": "active",
        "headcount": 10,
        "basis": "all staff",
        "as_of": "Mar 2025",
        "dated": False,
        "publisher": QUOTED,
        "url": "/countries/GTM/",
        "lat": 15.0,
        "lon": -90.0,
    }
    report = {
        "mission": QUOTED,
        "as_of": "2019-01-01",
        "as_of_text": "2019",
        "workers": 5,
        "doctors": 4,
        "precision": "year",
        "publisher": QUOTED,
        "url": "https://a.example",
    }
    event = {
        "date": "2020-01-01",
        "date_text": "2020",
        "title": QUOTED,
        "kind": "termination",
        "countries": QUOTED,
        "url": "/timeline/events/1/",
    }
    claim = {"year": 2020, "value": 50000, "publisher": QUOTED, "url": "https://p"}
    return [
        world_map([row]),
        staffing_chart([report], [event]),
        events_chart([event], start=None, end=dt.date(2026, 3, 1)),
        totals_chart([], [claim]),
    ]


def test_every_chart_writes_quotes_as_numeric_entities_and_keeps_markup_escaped():
    for figure in _figures():
        text = json.dumps(figure)
        assert "&quot;" not in text and "&#x27;" not in text
        assert "&#34;no&#34;" in text
        assert "&lt;script&gt;" in text and "<script>" not in text


def test_legend_names_are_escaped_for_plotly():
    names = [t["name"] for t in _figures()[1]["data"]]
    assert names[0].startswith("All staff: Say &#34;no&#34; to &lt;script&gt;")
