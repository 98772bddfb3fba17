"""Deduplication by URL and title, rule matching, and country guessing."""

from __future__ import annotations

import pytest

from newswatch.fetching import Item
from newswatch.matching import (
    country_names,
    guess_countries,
    matching_phrases,
    normalize_url,
    similar_title,
    title_key,
)
from newswatch.models import Lead
from newswatch.services import LeadMatcher, lead_store
from tests.newswatch.conftest import make_feed

pytestmark = pytest.mark.django_db
RULES = ["brigada médica cubana", "médicos cubanos", "Cuban doctors", "Henry Reeve"]


@pytest.fixture
def matcher(hosts) -> LeadMatcher:
    return LeadMatcher(phrases=RULES, names=country_names(), recent_titles=[])


@pytest.fixture
def feed(server, hosts):
    return make_feed(server, "/rss.xml")


def _store(feed, matcher, title: str, url: str) -> bool:
    return lead_store(feed=feed, item=Item(url=url, title=title), matcher=matcher)


def test_normalize_url_drops_tracking_and_case():
    url = (
        "HTTPS://News.Example.COM:443/a/B?id=7&utm_source=x&utm_campaign=y&fbclid=z#top"
    )
    assert normalize_url(url) == "https://news.example.com/a/B?id=7"


def test_normalize_url_keeps_a_real_port_and_adds_a_root_path():
    assert normalize_url("http://Example.org:8150") == "http://example.org:8150/"


def test_the_same_url_with_tracking_parameters_is_stored_once(feed, matcher):
    title = "Cuban doctors arrive in Jamaica"
    assert _store(feed, matcher, title, "https://a.example/x?utm_source=rss")
    assert not _store(feed, matcher, "Other: Cuban doctors", "https://A.example/x")
    assert Lead.objects.count() == 1


def test_the_same_title_under_another_url_is_stored_once(feed, matcher):
    assert _store(feed, matcher, "Cuban doctors arrive in Jamaica", "https://a.ex/1")
    assert not _store(
        feed, matcher, "CUBAN DOCTORS ARRIVE IN JAMAICA!", "https://b.ex/2"
    )
    assert Lead.objects.count() == 1


def test_a_near_identical_title_is_stored_once(feed, matcher):
    first = "Honduras despide a la brigada médica cubana tras diez años de servicio"
    near = "Honduras despide a la brigada medica cubana tras 10 años de servicio"
    assert _store(feed, matcher, first, "https://a.ex/1")
    assert not _store(feed, matcher, near, "https://b.ex/2")


def test_a_near_identical_title_of_an_older_lead_is_caught(feed, matcher, hosts):
    first = "Honduras despide a la brigada médica cubana tras diez años de servicio"
    assert _store(feed, matcher, first, "https://a.ex/1")
    fresh = LeadMatcher(phrases=RULES, names=matcher.names, recent_titles=[])
    fresh.recent_titles = [title_key(first)]  # as the next run reads them
    near = "Honduras despide a la brigada medica cubana tras 10 años de servicio"
    assert not _store(feed, fresh, near, "https://b.ex/2")


def test_a_different_story_is_stored(feed, matcher):
    assert _store(feed, matcher, "Cuban doctors arrive in Jamaica", "https://a.ex/1")
    assert _store(feed, matcher, "Cuban doctors leave Honduras", "https://a.ex/2")


def test_an_item_matching_no_rule_is_not_stored(feed, matcher):
    assert not _store(feed, matcher, "Coffee prices rise in Honduras", "https://a.ex/1")


def test_similar_title_threshold():
    key = title_key("Cuban doctors arrive in Jamaica for two years")
    assert similar_title(
        key, [title_key("Cuban doctors arrive in Jamaica for 2 years")]
    )
    assert not similar_title(key, [title_key("Cuban doctors leave Jamaica")])


def test_rules_match_whole_words_ignoring_case_and_accents():
    text = "LLEGAN MEDICOS CUBANOS a Perú; la brigada Henry Reeve también"
    assert matching_phrases(text, RULES) == ["médicos cubanos", "Henry Reeve"]
    assert matching_phrases("Cuban doctorsmith", RULES) == []


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Llegan a Guatemala 50 médicos cubanos", ["GTM"]),
        ("Médicos cubanos salen de México rumbo a Perú", ["MEX", "PER"]),
        ("Honduras despide a la brigada médica cubana", ["HND"]),
        ("Jamaica extends contract of Cuban doctors", ["JAM"]),
        ("Cuba sends doctors to South Africa and Barbados", ["CUB", "ZAF", "BRB"]),
        ("Médicos cubanos deixam o Brasil", ["BRA"]),
        ("Sudáfrica recibe médicos cubanos", ["ZAF"]),
        ("Cuban doctors in Kingston", []),
    ],
)
def test_guesses_countries_in_spanish_english_and_portuguese(hosts, title, expected):
    assert guess_countries(title, country_names()) == expected


def test_a_stored_lead_carries_its_guessed_countries(feed, matcher):
    _store(feed, matcher, "Médicos cubanos salen de México rumbo a Perú", "https://a/1")
    lead = Lead.objects.get()
    assert sorted(lead.countries.values_list("iso3", flat=True)) == ["MEX", "PER"]
