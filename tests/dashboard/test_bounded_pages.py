"""Every public page's work is bounded by what it shows: Guatemala grown from the
real dataset to hundreds of figures and events renders the same number of rows,
with the same number of queries, and no query names more than a page of rows."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.country_page import CHART_POINTS, EVENTS_SHOWN, FIGURES_SHOWN
from missions.models import Mission, StaffingReport
from tests.factories import make_mission
from tests.pages_data import grow_guatemala
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

SMALL = {"reports": 60, "events": 60}
BIG = {"reports": 600, "events": 320}


def _measure(client, url: str) -> tuple[str, int, int]:
    """The page's HTML, its query count and the longest IN (…) list it sent."""
    client.get(url)  # warm up, as count_queries does
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    longest = max(
        (
            m.count(",") + 1
            for q in ctx
            for m in re.findall(r"IN \(([^()]*)\)", q["sql"])
        ),
        default=0,
    )
    return response.content.decode(), len(ctx.captured_queries), longest


def _at_two_sizes(
    client, url: str, small: dict = SMALL, big: dict = BIG
) -> list[tuple[str, int, int]]:
    grow_guatemala(**small)
    first = _measure(client, url)
    grow_guatemala(
        big["reports"] - small["reports"],
        big["events"] - small["events"],
        start=max(small.values()),
    )
    return [first, _measure(client, url)]


def _figure(html: str, name: str) -> dict:
    text = html.split(f'id="{name}" type="application/json">')[1]
    return json.loads(text.split("</script>")[0])


def _table_rows(html: str, caption_start: str) -> int:
    table = html.split(f"<caption>{caption_start}")[1].split("</table>")[0]
    return table.split("<tbody>")[1].count("<tr>")


def test_country_page_shows_the_latest_figures_and_events_at_any_size(
    client, real_data
):
    small, big = _at_two_sizes(client, "/countries/GTM/")
    for html, _, _ in (small, big):
        assert _table_rows(html, f"The latest {FIGURES_SHOWN} of") == FIGURES_SHOWN
        assert html.count('<article class="event"') == EVENTS_SHOWN
        assert 'href="/timeline/?country=GTM"' in html
    assert small[1] == big[1]  # queries
    assert big[2] <= 60  # no query names every figure or event
    gtm = StaffingReport.objects.filter(mission__country_id="GTM").count()
    assert f"The latest {FIGURES_SHOWN} of {gtm} staffing figures" in big[0]


@pytest.mark.parametrize(
    ("weeks", "period"), [(300, "month"), (BIG["reports"], "year")]
)
def test_country_chart_draws_a_point_per_mission_and_period_when_there_are_many(
    client, real_data, weeks, period
):
    # 300 weekly figures fall in 70 months (fewer than CHART_POINTS); 600 in 139.
    grow_guatemala(reports=weeks, events=10)
    html = client.get("/countries/GTM/").content.decode()
    chart = _figure(html, "fig-staffing")
    markers = [t for t in chart["data"] if t["mode"] == "markers" and "yaxis" not in t]
    assert 0 < sum(len(trace["x"]) for trace in markers) <= 2 * CHART_POINTS
    assert f"latest figure of each {period} is drawn" in html


def test_country_csv_streams_every_figure_and_event_by_date(client, real_data):
    grow_guatemala(**BIG)
    response = client.get("/countries/GTM/?format=csv")
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    figures = StaffingReport.objects.filter(mission__country_id="GTM").count()
    events = PolicyEvent.objects.published().in_countries(["GTM"]).count()
    assert len(rows) == figures + events
    dates = [list(r.values())[1] for r in rows]
    assert dates == sorted(dates)


def test_timeline_loads_one_page_and_draws_counts_per_year_when_many(client, real_data):
    # Both sizes above the 300 events drawn one by one (the real data has 124).
    sizes = {"reports": 0, "events": 200}, {"reports": 0, "events": 500}
    small, big = _at_two_sizes(client, "/timeline/", *sizes)
    for html, _, _ in (small, big):
        assert html.count('<article class="event"') == 50
    assert small[1] == big[1]
    assert big[2] <= 60  # the page's prefetches name its 50 events, not all
    chart = _figure(big[0], "fig-events")
    markers = sum(len(trace["x"]) for trace in chart["data"])
    published = PolicyEvent.objects.published().count()
    assert published > 300 and markers < 100  # a marker per year and kind
    assert f"{published} events of" in big[0]  # the summary still counts them all
    assert "One marker per year on each kind" in big[0]


def test_missions_last_page_is_the_last_page(client, real_data):
    country = Mission.objects.first().country
    for n in range(60):
        make_mission(country=country, name=f"Zz synthetic {n:02}")
    response = client.get("/missions/?page=last")
    page = response.context["page"]
    assert page.paginator.num_pages > 1
    assert page.number == page.paginator.num_pages


def test_missions_csv_streams_every_mission(client, real_data):
    response = client.get("/missions/?format=csv")
    assert response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="missions-')
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert len(rows) == Mission.objects.count()


@pytest.mark.parametrize("url", ["/missions/", "/countries/GTM/"])
def test_each_missions_newest_report_is_read_once_not_per_row(client, real_data, url):
    """One query reads the newest report of every mission shown, instead of a
    subquery per row and per column (six `LIMIT 1` subqueries in one statement)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(url).content.decode()
    assert max(q["sql"].count("LIMIT 1") for q in ctx) <= 1
    assert " workers, " in html and "doctors" in html  # the newest figures shown


def _labels(choices) -> dict:
    """Option value -> label, through option groups."""
    labels = {}
    for value, label in choices:
        labels |= _labels(label) if isinstance(label, list | tuple) else {value: label}
    return labels


def test_unfiltered_timeline_counts_from_the_stored_statistics(client, real_data):
    """The chart, the page count and the filters' option counts of the unfiltered
    timeline come from what the refresh stored: no query reads every event."""
    grow_guatemala(reports=0, events=200)  # and refreshes
    client.get("/timeline/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/timeline/")
    whole = [
        q["sql"]
        for q in ctx
        if 'FROM "timeline_policyevent"' in q["sql"] and "LIMIT" not in q["sql"]
    ]
    assert not whole  # only the page's 50 events (LIMIT) and their relations
    published = PolicyEvent.objects.published()
    assert response.context["page"].paginator.count == published.count()
    kinds = dict(response.context["filterset"].form.fields["kind"].choices)
    statements = published.filter(kind=PolicyEvent.Kind.STATEMENT).count()
    assert kinds["statement"].endswith(f"({statements})")
    countries = _labels(response.context["filterset"].form.fields["country"].choices)
    assert countries["GTM"].endswith(f"({published.in_countries(['GTM']).count()})")


def test_country_page_counts_from_the_stored_statistics(client, real_data):
    """The figure and event counts and the chart's size come from what the refresh
    stored for the country: no query counts its figures or events."""
    grow_guatemala(**BIG)  # and refreshes
    client.get("/countries/GTM/")
    with CaptureQueriesContext(connection) as ctx:
        html = client.get("/countries/GTM/").content.decode()
    assert not [q["sql"] for q in ctx if "COUNT(" in q["sql"]]
    gtm = StaffingReport.objects.filter(mission__country_id="GTM").count()
    events = PolicyEvent.objects.published().in_countries(["GTM"]).count()
    assert f"The latest {FIGURES_SHOWN} of {gtm} staffing figures" in html
    assert f"The latest {EVENTS_SHOWN} of {events} events." in html
