"""Embeds may be framed, nothing else may; each chart's CSV is exactly what it draws."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db

EMBEDS = [
    "/embed/map/",
    "/embed/map/?region=africa&status=active&year=2020",
    "/embed/countries/GTM/staffing/",
    "/embed/timeline/?kind=withdrawal",
]
PAGES = ["/", "/countries/GTM/", "/timeline/", "/about/", "/missions/"]


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def _directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    pairs = (d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    return {name: value for name, value in pairs}


@pytest.mark.parametrize("path", EMBEDS)
def test_embeds_may_be_framed_by_any_site_with_the_csp_otherwise_strict(
    client, dataset, path
):
    response = client.get(path)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    directives = _directives(response)
    assert directives["frame-ancestors"] == "*"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    html = response.content.decode()
    assert 'target="_blank"' in html and "Open this view on the" in html


@pytest.mark.parametrize("path", PAGES)
def test_every_other_page_refuses_to_be_framed(client, dataset, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert _directives(response)["frame-ancestors"] == "'none'"


@pytest.mark.parametrize(
    "path, status",
    [
        ("/embed/map/?year=abc", 400),
        ("/embed/map/?region=atlantis", 400),
        ("/embed/timeline/?years=some", 400),
        ("/embed/countries/XXX/staffing/", 404),
        ("/embed/countries/G1/staffing/", 404),
    ],
)
def test_bad_embed_addresses_answer_4xx(client, dataset, path, status):
    assert client.get(path).status_code == status


def _csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.getvalue().decode())))


def test_the_map_csv_is_the_map_table_with_sources(client, dataset):
    page = client.get("/?region=americas&year=2020")
    rows = _csv(client.get("/?region=americas&year=2020&format=csv"))
    assert [r["country"] for r in rows] == [r["name"] for r in page.context["rows"]]
    guatemala = next(r for r in rows if r["iso3"] == "GTM")
    assert guatemala["year_shown"] == "2020"
    assert guatemala["source_url"].startswith("https://")
    assert all(r["best_known_headcount"] != "0" for r in rows)  # unknown is empty


def test_the_staffing_csv_has_every_figure_and_event_the_chart_draws(client, dataset):
    page = client.get("/countries/GTM/")
    rows = _csv(client.get("/countries/GTM/?format=csv"))
    figures = [r for r in rows if r["point"] == "figure"]
    events = [r for r in rows if r["point"] == "event"]
    assert len(figures) == len(page.context["reports"])
    assert len(events) == len(page.context["events"])
    assert {r["workers"] for r in figures} >= {"412", "19"}
    assert all(r["source_url"].startswith("http") for r in rows)


def test_the_about_csv_keeps_our_sums_apart_from_claimed_totals(client, dataset):
    rows = _csv(client.get("/about/?format=csv"))
    series = {r["series"] for r in rows}
    assert series == {"sum of the figures we hold", "total claimed by a source"}
    claims = [r for r in rows if r["series"] == "total claimed by a source"]
    assert all(r["source_publisher"] and r["source_url"] for r in claims)


def test_every_chart_has_its_strip_with_csv_and_embed(client, dataset):
    for path, embed in [
        ("/?region=africa", "http://testserver/embed/map/?region=africa"),
        ("/countries/GTM/", "http://testserver/embed/countries/GTM/staffing/"),
        (
            "/timeline/?kind=withdrawal",
            "http://testserver/embed/timeline/?kind=withdrawal",
        ),
    ]:
        html = client.get(path).content.decode()
        assert 'class="chart-strip"' in html
        assert f'&lt;iframe src="{embed}"' in html
        assert "Download CSV" in html
