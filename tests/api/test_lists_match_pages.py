"""Each API list against its page on the real dataset: the same parameters give the
same rows in the same order, and the same bad values the same 400 and messages."""

from __future__ import annotations

import pytest

from countries.dates import iso_partial_date

pytestmark = pytest.mark.django_db

MISSION_QUERIES = [
    "",
    "region=americas",
    "subregion=caribbean",
    "country=VEN",
    "status=active",
    "kind=emergency",
    "year_min=2015&year_max=2020",
    "q=henry reeve",
    "sort=-size",
    "sort=as_of&page=2",
    "status=ended&sort=-start",
    "region=africa&kind=bilateral_paid&sort=-as_of",
]
EVENT_QUERIES = [
    "",
    "page=2",
    "kind=withdrawal",
    "country=GTM",
    "region=americas&year_min=2019",
    "subregion=caribbean&kind=termination",
    "q=brigade",
    "year_max=2000",
]
COUNTRY_QUERIES = [
    "",
    "status=active",
    "region=africa",
    "kind=emergency",
    "sort=-size",
    "sort=as_of",
    "year=2013",
    "year=2013&status=active",
    "country=BRA",
    "q=henry",
]
BAD_QUERIES = [
    "status=bogus",
    "kind=nothing",
    "region=nowhere",
    "country=ZZZ",
    "year_min=abc",
    "year_max=2018.5",
    "year_min=1800",
    "year_min=2020&year_max=2010",
    "sort=nope",
]


def _api(client, path: str, query: str) -> dict:
    response = client.get(f"/api/v1/{path}?{query}")
    assert response.status_code == 200, response.content
    return response.json()


def _api_rows(client, path: str, query: str) -> list[dict]:
    """Every row, following `next` links from the first page."""
    rows, url = [], f"/api/v1/{path}?{query}"
    while url:
        body = client.get(url).json()
        rows += body["results"]
        url = body["next"]
    return rows


@pytest.mark.parametrize("query", MISSION_QUERIES)
def test_missions_page_and_api_give_the_same_rows(client, real_data, query):
    page = client.get(f"/missions/?{query}").context["page"]
    body = _api(client, "missions/", query)
    assert body["count"] == page.paginator.count
    assert [r["id"] for r in body["results"]] == [m.pk for m in page.object_list]


@pytest.mark.parametrize("query", EVENT_QUERIES)
def test_events_page_and_api_give_the_same_rows(client, real_data, query):
    page = client.get(f"/timeline/?{query}").context["page"]
    body = _api(client, "events/", query)
    assert body["count"] == page.paginator.count
    assert [r["id"] for r in body["results"]] == [e.pk for e in page.object_list]


@pytest.mark.parametrize("query", COUNTRY_QUERIES)
def test_countries_home_page_and_api_give_the_same_rows(client, real_data, query):
    shown = client.get(f"/?{query}").context["rows"]
    rows = _api_rows(client, "countries/", query)
    assert [(r["iso3"], r["status"]) for r in rows] == [
        (r["iso3"], r["status"]) for r in shown
    ]
    headcounts = [r["headcount"]["value"] if r["headcount"] else None for r in rows]
    assert headcounts == [r["headcount"] for r in shown]


def test_every_page_of_missions_is_followed_by_next(client, real_data):
    rows = _api_rows(client, "missions/", "sort=-size")
    ids = [r["id"] for r in rows]
    assert (
        len(ids)
        == len(set(ids))
        == client.get("/missions/").context["page"].paginator.count
    )


def test_staffing_reports_of_a_country_are_those_its_page_counts(client, real_data):
    page = client.get("/countries/GTM/").context
    rows = _api_rows(client, "staffing-reports/", "country=GTM")
    assert len(rows) == page["report_count"] > 0
    assert {r["country"] for r in rows} == {"GTM"}
    newest = [
        (iso_partial_date(r.as_of, r.as_of_precision), r.workers)
        for r in page["reports"][::-1]
    ]
    assert [(r["as_of"]["date"], r["workers"]) for r in rows[:3]] == newest[:3]


def test_staffing_reports_filter_by_mission_and_years(client, real_data):
    rows = _api_rows(client, "staffing-reports/", "year_min=2020&year_max=2020")
    assert rows and {r["as_of"]["date"][:4] for r in rows} == {"2020"}
    mission = rows[0]["mission"]
    mine = _api_rows(client, "staffing-reports/", f"mission={mission}")
    assert mine and {r["mission"] for r in mine} == {mission}
    assert client.get("/api/v1/staffing-reports/?mission=1.5").status_code == 400


def test_reported_totals_filter_by_metric(client, real_data):
    rows = _api_rows(client, "reported-totals/", "metric=doctors_abroad")
    assert rows and {r["metric"] for r in rows} == {"doctors_abroad"}
    assert all(r["source"]["url"].startswith("http") for r in rows)


@pytest.mark.parametrize(
    ("page", "api"),
    [("/missions/", "missions/"), ("/timeline/", "events/"), ("/", "countries/")],
)
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_values_give_the_pages_400_and_messages(
    client, real_data, page, api, query
):
    shown = client.get(f"{page}?{query}")
    answer = client.get(f"/api/v1/{api}?{query}")
    assert (shown.status_code, answer.status_code) in [(400, 400), (200, 200)]
    if shown.status_code == 400:
        assert answer.json() == shown.context["filterset"].form.errors
