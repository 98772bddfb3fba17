"""The leads inbox, the feed list, the prefilled announcement and the freshness page."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newswatch.models import Feed, Lead
from tests.factories import make_country, make_event, make_source

pytestmark = pytest.mark.django_db
INBOX = "/admin/newswatch/lead/"
ANNOUNCE = "/admin/timeline/policyevent/announce/"
FRESHNESS = "/admin/timeline/policyevent/freshness/"


@pytest.fixture
def feed(db) -> Feed:
    return Feed.objects.create(name="Diario", url="https://diario.example.hn/rss")


def make_lead(feed: Feed, n: int, countries=(), **overrides) -> Lead:
    fields = {
        "feed": feed,
        "url": f"https://diario.example.hn/{n}",
        "title": f"Médicos cubanos, noticia {n}",
        "title_key": f"medicos cubanos noticia {n}",
        "publisher": "Diario de Honduras",
        "published_at": timezone.now() - dt.timedelta(hours=n),
        "language": "es",
    }
    fields.update(overrides)
    lead = Lead.objects.create(**fields)
    lead.countries.set(countries)
    return lead


def _titles(html: str) -> list[str]:
    return re.findall(
        r'class="field-headline"><a href="[^"]+">([^<]+)<', unescape(html)
    )


def test_the_inbox_lists_newest_first(editor_client, feed):
    for n in (3, 1, 2):
        make_lead(feed, n)
    html = editor_client.get(INBOX).content.decode()
    assert _titles(html) == [f"Médicos cubanos, noticia {n}" for n in (1, 2, 3)]


def test_the_inbox_filters_by_country_language_feed_and_state(
    editor_client, feed, hosts
):
    other = Feed.objects.create(name="Wire", url="https://wire.example.com/atom")
    make_lead(feed, 1, countries=[hosts["HND"]])
    make_lead(other, 2, countries=[hosts["JAM"]], language="en")
    make_lead(feed, 3, state=Lead.State.IRRELEVANT)
    cases = {
        "countries__iso3__exact=HND": [1],
        "language__exact=en": [2],
        f"feed__id__exact={other.pk}": [2],
        "state__exact=irrelevant": [3],
        "state__exact=new": [1, 2],
    }
    for query, expected in cases.items():
        html = editor_client.get(f"{INBOX}?{query}").content.decode()
        assert _titles(html) == [f"Médicos cubanos, noticia {n}" for n in expected]


def test_the_inbox_reads_in_constant_queries(editor_client, feed, hosts):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get(INBOX).status_code == 200
        return len(ctx.captured_queries)

    make_lead(feed, 1, countries=[hosts["HND"]])
    few = page_queries()
    for n in range(2, 12):
        make_lead(feed, n, countries=[hosts["HND"], hosts["GTM"]])
    make_source(url="https://diario.example.hn/5")
    print(f"inbox: {few} queries with 1 lead and with 11")
    assert page_queries() == few


def test_mark_irrelevant_is_remembered(editor_client, feed):
    lead = make_lead(feed, 1)
    response = editor_client.post(
        INBOX, {"action": "mark_irrelevant", "_selected_action": [lead.pk]}, follow=True
    )
    assert "1 lead marked irrelevant" in response.content.decode()
    lead.refresh_from_db()
    assert lead.state == Lead.State.IRRELEVANT


def test_a_lead_already_on_file_says_so_and_links_to_its_users(editor_client, feed):
    lead = make_lead(feed, 1)
    source = make_source(url=lead.url, publisher="Diario de Honduras")
    event = make_event(title="Honduras ends the brigade", sources=[source])
    list_html = editor_client.get(INBOX).content.decode()
    assert f"/admin/missions/source/{source.pk}/change/" in list_html
    assert "already a source" in list_html
    html = editor_client.get(f"{INBOX}{lead.pk}/change/").content.decode()
    assert f"/admin/timeline/policyevent/{event.pk}/change/" in html
    assert "Honduras ends the brigade" in html


def test_a_new_lead_is_not_on_file(editor_client, feed):
    lead = make_lead(feed, 1)
    html = editor_client.get(f"{INBOX}{lead.pk}/change/").content.decode()
    assert "not cited yet" in html


def test_the_draft_button_opens_the_prefilled_announcement(editor_client, feed, hosts):
    lead = make_lead(
        feed,
        1,
        countries=[hosts["CUB"], hosts["HND"]],
        published_at=dt.datetime(2026, 11, 27, 14, tzinfo=dt.UTC),
    )
    inbox = editor_client.get(INBOX).content.decode()
    assert f'href="{ANNOUNCE}?lead={lead.pk}"' in inbox
    form = editor_client.get(f"{ANNOUNCE}?lead={lead.pk}").context["form"]
    assert form["source_url"].value() == lead.url
    assert form["source_publisher"].value() == "Diario de Honduras"
    assert form["source_title"].value() == form["title"].value() == lead.title
    assert form["source_published"].value() == "2026-11-27"
    assert form["affected_country"].value() == "HND"
    assert form["actor_countries"].value() == ["CUB"]


def test_an_unknown_lead_gives_an_empty_form(editor_client):
    for value in ("999999", "abc", ""):
        response = editor_client.get(f"{ANNOUNCE}?lead={value}")
        assert response.status_code == 200
        assert response.context["form"]["source_url"].value() is None


def test_saving_the_drafted_announcement_marks_the_lead(editor_client, feed, brigade):
    lead = make_lead(feed, 1, countries=[brigade.country])
    data = {
        "date": "2026-11-27",
        "kind": "termination",
        "title": lead.title,
        "summary": "The brigade leaves.",
        "affected_country": brigade.country_id,
        "source_url": lead.url,
        "source_publisher": lead.publisher,
        "reason": "From the news",
        "_action": "draft",
    }
    response = editor_client.post(f"{ANNOUNCE}?lead={lead.pk}", data)
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.state == Lead.State.DRAFTED


def test_the_feed_list_shows_the_last_error(editor_client, feed):
    Feed.objects.filter(pk=feed.pk).update(
        last_error="HTTP 500 Internal Server Error",
        last_error_at=timezone.now(),
        consecutive_errors=2,
    )
    html = editor_client.get("/admin/newswatch/feed/").content.decode()
    assert "HTTP 500 Internal Server Error" in html and "2 errors in a row" in html


def test_editors_manage_feeds_and_rules(editor_client):
    for page in ("feed", "keywordrule"):
        assert editor_client.get(f"/admin/newswatch/{page}/add/").status_code == 200
    html = editor_client.get("/admin/newswatch/keywordrule/").content.decode()
    assert "brigada médica cubana" in html and "Cuban doctors" in html


def test_freshness_shows_open_leads_per_country(editor_client, feed, brigade):
    honduras = make_country(iso3="HND", name="Honduras")
    make_lead(feed, 1, countries=[brigade.country])
    make_lead(feed, 2, countries=[brigade.country, honduras])
    make_lead(feed, 3, countries=[honduras], state=Lead.State.IRRELEVANT)
    rows = editor_client.get(FRESHNESS).context["lead_countries"]
    assert [(r["countries__iso3"], r["leads"], r["stale"]) for r in rows] == [
        ("GTM", 2, 1),
        ("HND", 1, 0),
    ]
    html = editor_client.get(FRESHNESS).content.decode()
    assert "News leads waiting, by country" in html
    assert "countries__iso3__exact=GTM" in html


def test_a_feed_url_must_be_http_or_https(editor_client):
    data = {"name": "Bad", "url": "ftp://example.org/feed", "language": "es"}
    data |= {"enabled": "on", "interval_minutes": "60"}
    response = editor_client.post("/admin/newswatch/feed/add/", data)
    assert response.status_code == 200 and "Enter a valid URL." in unescape(
        response.content.decode()
    )
    assert not Feed.objects.exists()
    data["url"] = "https://example.org/feed"
    assert editor_client.post("/admin/newswatch/feed/add/", data).status_code == 302
    assert Feed.objects.get().url == "https://example.org/feed"
