"""Numbers a journalist can quote: the headline, claims, observation dates, sorting.

The first tests run on the real dataset; the filter and sort tests on small data.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from pytest_django.asserts import assertContains

from dashboard.filtersets import HOST_SORT_CHOICES
from dashboard.services import statistics_refresh
from missions.filtersets import SORT_CHOICES
from tests.factories import make_event, make_mission, make_report
from tests.pages_data import make_host, make_hosts


@pytest.fixture
def real_site(real_data) -> None:
    statistics_refresh()


def _rows_by_iso(response) -> dict[str, dict]:
    return {row["iso3"]: row for row in response.context["rows"]}


def test_real_headline_is_a_lower_bound_equal_to_the_sum_of_its_table(
    client, real_site
):
    response = client.get("/")
    rows = _rows_by_iso(response)
    headline = response.context["headline"]
    counted = [r["headcount"] for r in rows.values() if r["headcount"] is not None]
    assert headline["headcount"] == sum(counted)
    assert headline["countries"] == len(counted)
    assert (rows["VEN"]["headcount"], rows["VEN"]["basis"]) == (14000, "all staff")
    assert rows["GTM"]["headcount"] == 412
    brazil = rows["BRA"]
    assert (brazil["status"], brazil["headcount"]) == ("ended", None)
    assert brazil["ended"] == (
        "ended Dec 2018 · last figure 8,300 doctors only (23 Nov 2018)"
    )
    assertContains(
        response,
        f'<strong class="big" id="headline-count">{headline["headcount"]:,}</strong>',
        html=True,
    )
    assertContains(response, "Cuban health workers in")
    assert headline["first_year"] <= headline["last_year"] <= dt.date.today().year


def test_real_claims_appear_beside_our_sum_with_their_sources(client, real_site):
    response = client.get("/")
    claims = response.context["claims"]
    workers = {(t.value, t.source.publisher) for t in claims["workers_abroad"]}
    assert (24180, "WiredJA") in workers
    assert {t.year for t in claims["workers_abroad"]} == {2025}
    hosts = sorted(t.value for t in claims["host_countries"])
    assertContains(response, "24,180")
    assertContains(response, "WiredJA")
    countries = response.context["headline"]["countries"]
    low, high = hosts[0], hosts[-1]
    span = f"{low}–{high}" if low != high else str(high)
    assertContains(
        response,
        f'<p class="coverage" id="coverage-line">We hold a current figure for '
        f"{countries} of the {span} host countries reported for 2025.</p>",
        html=True,
    )


def test_real_pages_say_when_things_were_observed(client, real_site):
    response = client.get("/")
    state = response.context["stats_state"]
    assert state.latest_figure_on is not None
    assert state.latest_figure_on < dt.date.today()
    assertContains(
        response,
        f'<span id="latest-figure">{state.latest_figure_display}</span>',
        html=True,
    )
    assertContains(
        response,
        f'<span id="latest-event">{state.latest_event_display}</span>',
        html=True,
    )
    assert "Statistics as of" not in response.content.decode()


def test_real_country_pages_say_what_happened(client, real_site):
    brazil = client.get("/countries/BRA/")
    assertContains(brazil, "ended Dec 2018 · last figure 8,300 doctors only")
    venezuela = client.get("/countries/VEN/")
    assertContains(venezuela, 'At least <strong class="big">14,000</strong>')


def test_real_story_lists_2025_2026_changes_with_their_events(client, real_site):
    story = {c["country"].iso3: c for c in client.get("/").context["story"]}
    assert story["GTM"]["change"] == "phasing out"
    assert story["GTM"]["event"] is not None
    assert story["HND"]["change"] == "ended"
    assert all(c["date"] >= dt.date(2025, 1, 1) for c in story.values())
    assert "BRA" not in story


# Headline cards under a filter.


@pytest.mark.django_db
def test_cards_under_a_filter_equal_the_sum_of_the_filtered_table(client):
    make_host("AAA", area=2, workers=100, doctors=None)
    make_host("BBB", area=2, workers=None, doctors=40)
    make_host("CCC", area=2, status="ended", workers=70, doctors=None)
    make_host("DDD", area=0, workers=500, doctors=None)
    statistics_refresh()
    response = client.get("/?region=africa&status=active")
    rows = response.context["rows"]
    assert {r["iso3"] for r in rows} == {"AAA", "BBB"}
    headline = response.context["headline"]
    assert headline["headcount"] == 140 == sum(r["headcount"] for r in rows)
    assert (headline["countries"], headline["doctors_only"]) == (2, 1)
    assert headline["active"] == 2
    assertContains(response, "For the missions selected by the filters")


@pytest.mark.django_db
def test_kind_filter_counts_only_the_missions_of_that_kind(client):
    country = make_host("GTM", workers=412, kind="free_solidarity")
    emergency = make_mission(country=country, kind="emergency", status="active")
    make_report(mission=emergency, workers=30, doctors=None)
    statistics_refresh()
    every = client.get("/").context["headline"]["headcount"]
    only = client.get("/?kind=emergency").context["headline"]["headcount"]
    assert (every, only) == (442, 30)


@pytest.mark.django_db
def test_story_event_must_be_close_to_the_change(client):
    country = make_host("JAM", status="ended", event=False)
    country.missions.update(end=dt.date(2026, 3, 1), end_precision="month")
    make_event(countries=[country], date=dt.date(2025, 3, 27), kind="statement")
    near = make_event(countries=[country], date=dt.date(2026, 3, 5))
    statistics_refresh()
    story = client.get("/").context["story"]
    assert [(c["country"].iso3, c["event"]) for c in story] == [("JAM", near)]


# Sorting: by size, unknowns last, with headers that say how a table is sorted.


@pytest.mark.django_db
def test_sort_by_size_puts_unknowns_last_in_both_directions(client):
    make_host("BIG", workers=900, doctors=None)
    make_host("SML", workers=10, doctors=None)
    make_host("UNK", workers=None, doctors=None)
    statistics_refresh()
    for url in ("/?sort={}", "/missions/?sort={}"):
        down = client.get(url.format("-size"))
        up = client.get(url.format("size"))
        order = [_codes(down), _codes(up)]
        assert order == [["BIG", "SML", "UNK"], ["SML", "BIG", "UNK"]], url
    assertContains(
        down, '<th scope="col" aria-sort="descending" class="num">', html=False
    )


def _codes(response) -> list[str]:
    if "page" in response.context:
        return [m.country_id for m in response.context["page"]]
    return [row["iso3"] for row in response.context["rows"]]


HOST_SORTS = [value for value, _ in HOST_SORT_CHOICES]
MISSION_SORTS = [value for value, _ in SORT_CHOICES]


class SortValuesTest(HypothesisTestCase):
    """Every sort a form offers answers 200 where it is offered; others answer 400."""

    @classmethod
    def setUpTestData(cls):
        make_hosts(3)
        statistics_refresh()

    @settings(max_examples=8, deadline=None)
    @given(st.sampled_from(HOST_SORTS))
    def test_home_sorts(self, value):
        assert self.client.get("/", {"sort": value}).status_code == 200

    @settings(max_examples=8, deadline=None)
    @given(st.sampled_from(MISSION_SORTS))
    def test_mission_list_sorts(self, value):
        assert self.client.get("/missions/", {"sort": value}).status_code == 200

    @settings(max_examples=8, deadline=None)
    @given(st.sampled_from(MISSION_SORTS), st.sampled_from(["x", "-", " ", "__"]))
    def test_unknown_sorts_answer_400(self, value, junk):
        if value not in HOST_SORTS:  # offered on /missions/ only
            assert self.client.get("/", {"sort": value}).status_code == 400
        for url in ("/", "/missions/"):
            response = self.client.get(url, {"sort": value + junk})
            assert response.status_code == 400, (url, value + junk)
