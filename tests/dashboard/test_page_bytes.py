"""No public page sends more than 300 KB of HTML at any size: a country's missions
are listed up to a bound with a link to the rest, a chart's tooltips list a bounded
number of figures however many coincide, and the map sends each tooltip once."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from countries.models import Country
from dashboard.country_page import MISSIONS_SHOWN
from dashboard.services import statistics_refresh
from dashboard.staffing import HOVER_FIGURES
from missions.models import Mission, StaffingReport
from tests.factories import make_source

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 300_000


def _add_missions(iso3: str, count: int, *, start: int = 0) -> None:
    """`count` missions in `iso3`, each with the same four yearly figures, so every
    marker of the chart lands on the others."""
    source = make_source(publisher="Synthetic")
    missions = Mission.objects.bulk_create(
        Mission(
            country_id=iso3,
            name=f"Synthetic {n:03}",
            kind=Mission.Kind.BILATERAL_PAID,
            status=Mission.Status.ACTIVE,
        )
        for n in range(start, start + count)
    )
    StaffingReport.objects.bulk_create(
        StaffingReport(
            mission=m, source=source, as_of=dt.date(2020 + y, 1, 1), workers=100
        )
        for m in missions
        for y in range(4)
    )
    statistics_refresh()


def _get(client, url: str) -> tuple[str, int]:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def _mission_rows(html: str) -> int:
    section = html.split('id="missions-heading"')[1].split("</section>")[0]
    return section.split("<tbody>")[1].count("<tr><th")


def test_country_page_lists_the_first_missions_and_links_to_all(client, real_data):
    _add_missions("GTM", 5)
    few_html, few_queries = _get(client, "/countries/GTM/")
    real = Mission.objects.filter(country_id="GTM").count()
    assert _mission_rows(few_html) == min(real, MISSIONS_SHOWN)
    _add_missions("GTM", 40, start=5)
    html, queries = _get(client, "/countries/GTM/")
    assert _mission_rows(html) == MISSIONS_SHOWN
    assert 'href="/missions/?country=GTM"' in html
    assert f"The first {MISSIONS_SHOWN} missions are shown." in html
    assert queries == few_queries
    listed = client.get("/missions/?country=GTM").context["page"].paginator.count
    assert listed == Mission.objects.filter(country_id="GTM").count()


def test_chart_tooltips_list_a_bounded_number_of_coinciding_figures(client, real_data):
    _add_missions("GTM", 40)
    html, _ = _get(client, "/countries/GTM/")
    figure = html.split('id="fig-staffing" type="application/json">')[1]
    chart = json.loads(figure.split("</script>")[0])
    tooltips = [h for t in chart["data"] for h in t.get("hovertext", [])]
    assert tooltips
    assert all(h.count("Source:") <= HOVER_FIGURES for h in tooltips)
    assert any("more figures here" in h for h in tooltips)
    assert len(html) < PAGE_LIMIT


def test_home_stays_under_the_limit_with_every_country_a_host(client, real_data):
    hosts = set(Mission.objects.values_list("country_id", flat=True))
    others = Country.objects.exclude(iso3__in=hosts).values_list("iso3", flat=True)
    source = make_source(publisher="Synthetic")
    missions = Mission.objects.bulk_create(
        Mission(
            country_id=iso3,
            name=f"Synthetic mission {iso3}",
            kind=Mission.Kind.BILATERAL_PAID,
            status=Mission.Status.ACTIVE,
        )
        for iso3 in others
    )
    StaffingReport.objects.bulk_create(
        StaffingReport(mission=m, source=source, as_of=dt.date(2025, 1, 1), workers=9)
        for m in missions
    )
    statistics_refresh()
    html, _ = _get(client, "/")
    table = html.split('id="map-table"')[1].split("<tbody>")[1].split("</table>")[0]
    assert table.count('<th scope="row">') == Country.objects.count() > 240
    assert len(html) < PAGE_LIMIT
