"""The country page `/countries/<ISO3>/`."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pytest
from django.utils.html import strip_tags

from dashboard.services import statistics_refresh
from tests.factories import (
    make_country,
    make_event,
    make_mission,
    make_report,
    make_source,
)
from tests.pages_data import count_queries, make_host, queries_at_two_sizes

pytestmark = pytest.mark.django_db


@pytest.fixture
def guatemala(db):
    country = make_host("GTM", "Guatemala", status="phasing-out", event=False)
    mission = country.missions.get()
    make_report(
        mission=mission,
        as_of=dt.date(2026, 2, 23),
        workers=412,
        doctors=333,
        source=make_source(publisher="Prensa Libre", url="https://prensa.example/x"),
    )
    make_event(
        countries=[country],
        title="Guatemala announces phase-out",
        date=dt.date(2026, 2, 10),
    )
    statistics_refresh()
    return country


def test_shows_status_reason_figures_and_source(client, guatemala):
    response = client.get("/countries/GTM/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phasing out" in html
    assert "Latest event:" in html and "Guatemala announces phase-out" in html
    assert 'At least <strong class="big">412</strong>' in html
    assert "(all staff), figure dated 23 Feb 2026" in html
    assert 'id="country-source" href="https://prensa.example/x"' in html
    assert 'id="fig-staffing" type="application/json"' in html


def test_code_is_case_insensitive(client, guatemala):
    assert client.get("/countries/gtm/").status_code == 200


@pytest.mark.parametrize("code", ["ZZZ", "GT", "%3Cscript%3E", "G1M"])
def test_unknown_or_malformed_code_is_a_404_page(client, guatemala, code):
    response = client.get(f"/countries/{code}/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_disagreeing_sources_are_both_listed_and_plotted(
    client, guatemala, django_capture_on_commit_callbacks
):
    mission = guatemala.missions.get()
    # Committed, as an editor's save is: the page then reads the new figures.
    with django_capture_on_commit_callbacks(execute=True):
        for workers, publisher in [(277, "Gleaner"), (300, "Observer")]:
            make_report(
                mission=mission,
                as_of=dt.date(2019, 1, 1),
                workers=workers,
                doctors=None,
                source=make_source(publisher=publisher),
            )
    html = client.get("/countries/GTM/").content.decode()
    assert "Where sources disagree" in html
    section = html.split("Where sources disagree")[1].split("</section>")[0]
    assert "277 workers" in section and "300 workers" in section
    assert "Gleaner" in section and "Observer" in section
    chart = html.split('id="fig-staffing"')[1].split("</script>")[0]
    assert "277" in chart and "300" in chart


def test_only_published_events_appear(client, guatemala):
    make_event(countries=[guatemala], title="Secret draft", is_published=False)
    assert "Secret draft" not in client.get("/countries/GTM/").content.decode()


def test_unknown_figures_are_shown_as_unknown(client):
    country = make_host("HTI", "Haiti", workers=None, doctors=None)
    statistics_refresh()
    html = client.get(f"/countries/{country.iso3}/").content.decode()
    assert "No sourced figure for the current missions: their size is unknown." in html
    assert '<td class="num" data-label="Best-known headcount">unknown</td>' in html


def test_country_without_missions_says_so(client):
    from tests.factories import make_country

    make_country(iso3="NOR", name="Norway")
    html = client.get("/countries/NOR/").content.decode()
    assert "We hold no mission in Norway" in html


def test_lists_every_source_cited(client, guatemala):
    mission = make_mission(country=guatemala, name="Second brigade")
    mission.sources.add(make_source(publisher="Mission source"))
    html = client.get("/countries/GTM/").content.decode()
    sources = html.split("Sources cited")[1]
    for publisher in ("Prensa Libre", "Paper of GTM", "Mission source"):
        assert publisher in sources


def test_query_count_does_not_grow_with_data(client):
    few, many = queries_at_two_sizes(client, "/countries/HAA/")
    assert few == many


def test_events_name_who_acted_without_a_query_each(
    client, guatemala, django_capture_on_commit_callbacks
):
    cuba = make_country(iso3="CUB", name="Cuba")
    with django_capture_on_commit_callbacks(execute=True):
        make_event(countries=[guatemala], kind="statement", actors=[cuba])
    queries = count_queries(client, "/countries/GTM/")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            make_event(countries=[guatemala], kind="withdrawal", actors=[cuba])
    assert count_queries(client, "/countries/GTM/") == queries
    html = client.get("/countries/GTM/").content.decode()
    text = " ".join(unescape(strip_tags(html)).split())
    assert "Statement by Cuba · Affects Guatemala" in text
    assert text.count("Withdrawal by Cuba · Affects Guatemala") == 3
