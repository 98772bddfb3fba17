"""/api/v1/countries/<ISO3>/: a country's whole history, with sources, in one call
and in a number of queries that does not grow with its rows."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.services import statistics_refresh
from tests.factories import make_country, make_event, make_mission, make_report

pytestmark = pytest.mark.django_db
# The data version (for the ETag), country, statistics, missions (+ newest report,
# sources), reports, events (+ sources, affected and acting countries).
HISTORY_QUERIES = 11


def test_guatemala_full_history_with_sources(client, real_data):
    statistics_refresh()
    page = client.get("/countries/GTM/").context
    body = client.get("/api/v1/countries/GTM/").json()
    assert body["country"]["iso3"] == "GTM"
    assert len(body["staffing_reports"]) == page["report_count"]
    assert len(body["events"]) == page["event_count"]
    assert {m["id"] for m in body["missions"]} == {m.pk for m in page["missions"]}
    for report in body["staffing_reports"]:
        assert report["source"]["url"].startswith("http")
        assert report["source"]["publisher"]
        assert set(report["as_of"]) == {"date", "precision"}
    for event in body["events"]:
        assert event["sources"] and all(s["url"] for s in event["sources"])
    dates = [r["as_of"]["date"] for r in body["staffing_reports"]]
    assert dates == sorted(dates)  # oldest first, as a history reads
    assert body["statistics"]["headcount_source"]["publisher"]


def test_lowercase_code_works_and_unknown_is_404(client, real_data):
    assert client.get("/api/v1/countries/gtm/").status_code == 200
    assert client.get("/api/v1/countries/QQQ/").status_code == 404
    assert client.get("/api/v1/countries/G1M/").status_code == 404


def test_unknown_counts_are_null_not_zero(client):
    mission = make_mission(country=make_country(iso3="GTM", name="Guatemala"))
    make_report(mission=mission, workers=None, doctors=40)
    body = client.get("/api/v1/countries/GTM/").json()
    report = body["staffing_reports"][0]
    assert report["workers"] is None and report["doctors"] == 40
    assert body["statistics"] is None  # no refresh yet: unknown, not zeros
    assert body["missions"][0]["end"] is None


def test_query_count_does_not_grow_with_rows(client, django_assert_num_queries):
    country = make_country(iso3="GTM", name="Guatemala")
    mission = make_mission(country=country)
    make_report(mission=mission)
    make_event(countries=[country])
    statistics_refresh()
    with django_assert_num_queries(HISTORY_QUERIES):
        small = client.get("/api/v1/countries/GTM/").json()
    for n in range(2, 8):
        other = make_mission(country=country)
        make_report(mission=other, as_of=dt.date(2020, 1, n))
        make_report(mission=mission, as_of=dt.date(2021, 1, n))
        make_event(countries=[country], actors=[country], title=f"E{n}")
    with django_assert_num_queries(HISTORY_QUERIES):
        large = client.get("/api/v1/countries/GTM/").json()
    assert len(large["staffing_reports"]) == len(small["staffing_reports"]) + 12
    assert len(large["events"]) == 7 and len(large["missions"]) == 7


def test_drafts_are_not_in_the_history(client):
    country = make_country(iso3="GTM", name="Guatemala")
    make_event(countries=[country], title="Public")
    make_event(countries=[country], title="Draft", is_published=False)
    titles = [e["title"] for e in client.get("/api/v1/countries/GTM/").json()["events"]]
    assert titles == ["Public"]


def test_spanish_text_comes_beside_the_english(client):
    country = make_country(iso3="GTM", name="Guatemala")
    mission = make_mission(country=country, name="Cuban Medical Brigade")
    mission.name_es = "Brigada Médica Cubana"
    mission.save()
    event = make_event(countries=[country], title="Brigade to leave")
    event.title_es = "La brigada se irá"
    event.save()
    body = client.get("/api/v1/countries/GTM/").json()
    assert body["missions"][0]["name_es"] == "Brigada Médica Cubana"
    assert body["events"][0]["title_es"] == "La brigada se irá"
    assert body["events"][0]["summary_es"] == ""  # none given: empty, as stored
    [listed] = client.get("/api/v1/events/").json()["results"]
    assert (listed["title"], listed["title_es"]) == (
        "Brigade to leave",
        "La brigada se irá",
    )
