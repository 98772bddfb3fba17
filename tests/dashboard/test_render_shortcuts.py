"""The shortcuts that keep a page's cost per row small give exactly what the slow
way gave: the filter selects' HTML, the figures' JSON, the staffing chart's
"also here" lists, each mission's newest report and the story's events."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import json_script

from countries.charts import figure_script
from countries.filtersets import FacetSelect
from dashboard.staffing import Mark, _all_marks, _close
from missions.models import Mission
from tests.factories import make_country, make_event, make_mission, make_report
from timeline.models import PolicyEvent

TRICKY = 'Côte d\'Ivoire <b>&amp;</b> "Mais Médicos" </script>'
CHOICES = [
    ("", "Any country"),
    ("Africa", [("CIV", TRICKY), ("AGO", "Angola (3)")]),
    ("Americas", [("GTM", "Guatemala (2)"), ("HND", "Honduras (0)")]),
    ("ZZZ", "Ungrouped"),
]


@pytest.mark.parametrize("value", ["", "GTM", "HND", "<x>"])
def test_facet_select_writes_what_djangos_templates_write(value):
    """Same elements, attributes, disabled and selected options, and escapes as
    Django's select.html and option.html (only the whitespace differs)."""
    from django.test.html import parse_html

    ours = FacetSelect(attrs={"id": "id_country", "aria-describedby": "h"})
    theirs = forms.Select(attrs={"id": "id_country", "aria-describedby": "h"})
    ours.empty_values = {"HND"}
    for widget in (ours, theirs):
        widget.choices = CHOICES
    expected = theirs.render("country", value)
    if value != "HND":  # Django's own select disables nothing
        expected = expected.replace(
            '<option value="HND">', '<option value="HND" disabled>'
        )
    assert parse_html(ours.render("country", value)) == parse_html(expected)
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in ours.render("country", value)


@pytest.mark.parametrize(
    "figure",
    [
        {"data": [{"hovertext": [TRICKY, "a > b & c < d"]}], "layout": {}},
        {"x": [dt.date(2026, 2, 23), None, 1.5, True], "y": ["\u2028", "é"]},
    ],
)
def test_figure_script_is_json_script(figure):
    assert figure_script(figure, "fig-x") == json_script(figure, "fig-x")


def _brute_force_near(
    found: list[list[Mark]], span_days: int, top: int
) -> list[list[tuple]]:
    """The "also here" lists as the chart made them before: every pair."""
    flat = [m for marks in found for m in marks]
    near: list[list[tuple]] = [[] for _ in flat]
    for i, mark in enumerate(flat):
        for other in flat:
            if other.series != mark.series and _close(mark, other, span_days, top):
                near[i] += [(id(r), other.series[1]) for r in other.figures]
    return near


@pytest.mark.parametrize("seed", range(6))
def test_the_chart_compares_only_close_markers_and_misses_none(seed):
    rng = random.Random(seed)
    start = dt.date(1998, 1, 1)
    figures = [
        {
            "mission": f"Mission {rng.randrange(8)}",
            "as_of": (start + dt.timedelta(days=rng.randrange(0, 10_000))).isoformat(),
            "precision": rng.choice(["day", "month", "year"]),
            "workers": rng.choice([None, rng.randrange(0, 3000)]),
            "doctors": rng.randrange(0, 3000),
        }
        for _ in range(rng.randrange(20, 160))
    ]
    # Clusters: many figures of one date and size, as a dense chart has.
    figures += [dict(figures[0], mission=f"Mission {n}") for n in range(8, 20)]
    span_days = rng.choice([365, 3_000, 10_000])
    top = max(f[m] or 0 for f in figures for m in ("workers", "doctors"))
    found = _all_marks(figures, span_days)
    flat = [m for marks in found for m in marks]
    fresh = [
        [Mark(m.series, m.x, m.y, m.figures, m.conflict) for m in marks]
        for marks in found
    ]
    expected = _brute_force_near(fresh, span_days, top)
    assert [[(id(r), s) for r, s in m.near] for m in flat] == expected
    assert any(expected)  # the clusters are close to each other


@pytest.mark.django_db
def test_each_missions_newest_report_in_one_query_per_chunk():
    country = make_country()
    missions = [make_mission(country=country) for _ in range(5)]
    newest = {}
    for n, mission in enumerate(missions[:4]):
        for days in range(n + 1):
            report = make_report(
                mission=mission, as_of=dt.date(2020, 1, 1) + dt.timedelta(days=days)
            )
        newest[mission.pk] = report.pk
    queryset = Mission.objects.filter(country=country).with_newest_report()
    with CaptureQueriesContext(connection) as ctx:
        loaded = list(queryset)
    assert len(ctx.captured_queries) == 2  # the missions, then their newest
    with CaptureQueriesContext(connection) as ctx:
        chunked = list(queryset.iterator(chunk_size=2))
    assert len(ctx.captured_queries) == 1 + 3  # a query per chunk of two
    for got in (loaded, chunked):
        assert {
            m.pk: m.latest_report.pk if m.latest_report else None for m in got
        } == newest | {missions[4].pk: None}


@pytest.mark.django_db
def test_events_near_a_date_are_the_country_s_within_reach():
    guatemala, honduras = make_country(iso3="GTM"), make_country(iso3="HND")
    day = dt.date(2026, 2, 23)
    inside = make_event(countries=[guatemala], date=day - dt.timedelta(days=100))
    make_event(countries=[guatemala], date=day - dt.timedelta(days=200))
    make_event(countries=[honduras], date=day)  # another country's
    both = make_event(countries=[guatemala, honduras], date=day + dt.timedelta(5))
    near = PolicyEvent.objects.near({"GTM": day}, dt.timedelta(days=120))
    assert set(near) == {inside, both}
    assert not PolicyEvent.objects.near({}, dt.timedelta(days=120)).exists()
