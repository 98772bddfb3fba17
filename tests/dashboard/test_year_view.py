"""The home page through time: `/?year=Y` shows the missions as they stood in Y."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.charts import STATUS_COLOURS
from dashboard.years import status_in_year
from missions.models import Mission
from tests.factories import make_report, make_source

pytestmark = pytest.mark.django_db

THIS_YEAR = dt.date.today().year


def _map(response) -> dict:
    match = re.search(
        r'<script id="fig-map" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no map figure"
    return json.loads(match.group(1))


def _map_colour(response, iso3: str) -> str | None:
    """The fill of a country on the map (None when the map leaves it plain)."""
    for trace in _map(response)["data"]:
        if trace["type"] == "choropleth" and iso3 in trace["locations"]:
            return trace["colorscale"][0][1]
    return None


def _statuses(response) -> dict[str, str]:
    return {r["iso3"]: r["status"] for r in response.context["rows"]}


def test_2013_colours_brazil_active_for_mais_medicos(client, real_data):
    response = client.get("/?year=2013")
    assert response.status_code == 200
    assert _statuses(response)["BRA"] == Mission.Status.ACTIVE
    assert _map_colour(response, "BRA") == STATUS_COLOURS[Mission.Status.ACTIVE]
    # Today Brazil's programme is over.
    assert _statuses(client.get("/"))["BRA"] == Mission.Status.ENDED


def test_brazil_phases_out_in_2018_and_has_ended_by_2019(client, real_data):
    # Cuba announced its exit on 14 Nov 2018; the programme ended in Dec 2018.
    assert _statuses(client.get("/?year=2018"))["BRA"] == Mission.Status.PHASING_OUT
    assert _statuses(client.get("/?year=2019"))["BRA"] == Mission.Status.ENDED


def test_2000_does_not_show_brazil(client, real_data):
    response = client.get("/?year=2000")
    assert "BRA" not in _statuses(response)
    assert _map_colour(response, "BRA") is None
    assert _statuses(response)["HTI"] == Mission.Status.ACTIVE  # since Dec 1998


def test_2020_shows_the_covid_brigades_hosts(client, real_data):
    response = client.get("/?year=2020")
    statuses = _statuses(response)
    for iso3 in ("AND", "ITA", "ZAF", "MEX", "TGO", "KWT"):
        assert statuses[iso3] == Mission.Status.ACTIVE, iso3
        assert _map_colour(response, iso3) == STATUS_COLOURS[Mission.Status.ACTIVE]
    # Andorra's only mission is the 2020 brigade: absent before, ended after.
    assert "AND" not in _statuses(client.get("/?year=2019"))
    assert _statuses(client.get("/?year=2021"))["AND"] == Mission.Status.ENDED


def test_headline_cards_and_headings_follow_the_year(client, real_data):
    response = client.get("/?year=2013")
    rows = response.context["rows"]
    brazil = next(r for r in rows if r["iso3"] == "BRA")
    assert brazil["headcount"] == 400 and brazil["as_of"] == "24 Aug 2013"
    headline = response.context["headline"]
    counted = [r["headcount"] for r in rows if r["headcount"] is not None]
    assert headline["headcount"] == sum(counted)
    assert headline["last_year"] == 2013
    html = response.content.decode()
    assert f"{headline['headcount']:,}</strong>" in html
    assert "with a sourced figure in 2013" in html
    assert "Host countries with active missions in 2013" in html
    assert "Map of host countries in 2013" in html
    assert re.search(r'id="map-summary">In 2013: The map shows 33 host', html)
    assert "Policy events in 2013" in html
    assert "(the latest claims, not 2013" in html
    # "over 2 years old" counts back from the end of 2013: Jamaica's 1976 figure is.
    jamaica = next(r for r in rows if r["iso3"] == "JAM")
    assert jamaica["dated"] and brazil["dated"] is False


def test_no_year_and_this_year_show_the_present(client, real_data):
    present = client.get("/")
    assert present.context["year"] is None
    assert "Map of host countries</h2>" in present.content.decode()
    this_year = client.get(f"/?year={THIS_YEAR}")
    assert _statuses(this_year) == _statuses(present)
    assert f"Map of host countries in {THIS_YEAR}" in this_year.content.decode()


def test_status_filter_means_the_status_in_that_year(client, real_data):
    statuses = _statuses(client.get("/?year=2013&status=ended"))
    # Chile's and Pakistan's brigades, Algeria's of 1963, Guatemala's of 2005.
    assert set(statuses) == {"CHL", "PAK", "DZA", "GTM"}
    assert set(statuses.values()) == {Mission.Status.ENDED}
    assert set(_statuses(client.get("/?year=2013&status=active"))) >= {"BRA", "VEN"}


@pytest.mark.parametrize("year", ["abc", "1800", "2999", "2013.5", "1959"])
def test_rejects_a_bad_year_with_the_valid_range(client, real_data, year):
    response = client.get(f"/?year={year}")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Choose a year from 1960 to {THIS_YEAR}, as a whole number." in html
    assert 'id="fig-map"' not in html


def test_slider_form_keeps_other_filters_and_links_back_to_latest(client, real_data):
    # (Empty parameters are redirected away first: tests/countries/test_filter_form.py.)
    html = client.get("/?region=americas&year=2013&q=x&page=2").content.decode()
    form = html[
        html.index('id="year-form"') : html.index(
            "</form>", html.index('id="year-form"')
        )
    ]
    assert '<input type="hidden" name="region" value="americas">' in form
    assert 'name="q" value="x"' in form and 'name="page"' not in form
    assert re.search(
        r'<input type="range" id="year-input" name="year" min="1960"', form
    )
    assert 'value="2013"' in form and '<output for="year-input"' in form
    assert '<a href="?region=americas&amp;q=x" id="year-latest"' in form
    # The filter form keeps the year too, so applying filters stays in 2013.
    assert '<input type="hidden" name="year" value="2013"' in html


def test_queries_do_not_grow_with_the_number_of_reports(client, real_data):
    client.get("/?year=2013")  # first request's one-off work (state rows, caches)
    with CaptureQueriesContext(connection) as before:
        client.get("/?year=2013")
    source = make_source()
    for mission in Mission.objects.all()[:20]:
        for day in range(1, 6):
            make_report(
                mission=mission, source=source, as_of=dt.date(2012, 3, day), workers=90
            )
    with CaptureQueriesContext(connection) as after:
        client.get("/?year=2013")
    assert len(after) == len(before)


def _facts(**overrides) -> dict:
    facts = {
        "status": Mission.Status.ACTIVE,
        "status_as_of": None,
        "start": None,
        "end": None,
        "first_report": None,
        "last_report": None,
        "first_event": None,
        "last_event": None,
        "ending_event": None,
        "country_ending_event": None,
    }
    return facts | overrides


def test_unknown_start_counts_from_the_earliest_evidence():
    facts = _facts(first_report=dt.date(2005, 10, 20), first_event=dt.date(2007, 1, 1))
    assert status_in_year(facts, 2004) is None
    assert status_in_year(facts, 2005) == Mission.Status.ACTIVE
    assert status_in_year(_facts(), 2020) is None  # no evidence: left out


def test_unknown_status_is_active_until_the_last_evidence():
    facts = _facts(
        status=Mission.Status.UNKNOWN,
        start=dt.date(2013, 6, 30),
        status_as_of=dt.date(2020, 11, 29),
    )
    assert status_in_year(facts, 2020) == Mission.Status.ACTIVE
    assert status_in_year(facts, 2021) == Mission.Status.UNKNOWN


def test_ended_without_an_end_date_ends_at_its_last_evidence():
    facts = _facts(
        status=Mission.Status.ENDED,
        start=dt.date(2014, 10, 1),
        last_report=dt.date(2014, 11, 1),
    )
    assert status_in_year(facts, 2014) == Mission.Status.ACTIVE
    assert status_in_year(facts, 2015) == Mission.Status.ENDED


def test_an_ending_event_before_the_start_does_not_phase_out():
    facts = _facts(
        start=dt.date(2020, 12, 16), country_ending_event=dt.date(2019, 5, 13)
    )
    assert status_in_year(facts, 2020) == Mission.Status.ACTIVE
