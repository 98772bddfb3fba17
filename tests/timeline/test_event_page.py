"""An event's own page, /timeline/events/<id>/: the link of the feed, the home page,
/changes/ and the admin's "View on site"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_country, make_event, make_mission, make_source
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> PolicyEvent:
    cuba = make_country(iso3="CUB", name="Cuba")
    guatemala = make_country(iso3="GTM", name="Guatemala")
    source = make_source(
        url="https://news.example.org/gtm-ends",
        publisher="Prensa Libre",
        title="Guatemala ends the brigade's agreement",
    )
    event = make_event(
        title="Guatemala ends brigade",
        date=dt.date(2026, 2, 1),
        date_precision="month",
        kind="termination",
        summary="Guatemala will not renew the agreement.",
        figures="412 doctors",
        actor_organisation="PAHO",
        countries=[guatemala],
        sources=[source],
    )
    event.actor_countries.set([cuba])
    event.affected_missions.set([make_mission(country=guatemala, name="Brigada GTM")])
    return event


def _page(event: PolicyEvent) -> str:
    return f"/timeline/events/{event.pk}/"


def test_shows_the_event_with_its_parties_figures_and_sources(client, event):
    response = client.get(_page(event))
    assert response.status_code == 200
    html = response.content.decode()
    main = html.split('<main id="main"', 1)[1]
    assert "<h1>Guatemala ends brigade</h1>" in main
    assert '<time datetime="2026-02">Feb 2026</time>' in main
    for text in (
        "Termination",
        "Guatemala will not renew the agreement.",
        '<a href="/countries/CUB/">Cuba</a>, PAHO',
        '<a href="/countries/GTM/">Guatemala</a>',
        "Brigada GTM (",
        "412 doctors",
        '<a href="https://news.example.org/gtm-ends" rel="noopener">'
        "Guatemala ends the brigade&#x27;s agreement</a>, Prensa Libre",
    ):
        assert text in main, text


def test_drafts_and_unknown_events_are_404(client, event):
    draft = make_event(title="Not yet checked", is_published=False)
    assert client.get(_page(draft)).status_code == 404
    assert client.get("/timeline/events/999999/").status_code == 404


def test_stored_markup_is_shown_as_text(client):
    event = make_event(title="<img src=x onerror=alert(1)>", summary="<script>x()")
    main = client.get(_page(event)).content.decode().split("<main", 1)[1]
    assert "<img src=x" not in main and "<script>x()" not in main
    assert "&lt;script&gt;x()" in main


def _queries(client, url: str) -> int:
    client.get(url)  # warm-up: may create the statistics state row
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_fixed(client, event):
    # Statistics state, the event, then one query per list (countries, actors,
    # missions with their country, sources).
    assert _queries(client, _page(event)) == 6
    more = [make_country() for _ in range(4)]
    event.affected_countries.add(*more)
    event.actor_countries.add(*more)
    event.sources.add(make_source(), make_source())
    event.affected_missions.add(*(make_mission(country=c) for c in more))
    assert _queries(client, _page(event)) == 6


def test_absolute_url_is_the_event_page(event):
    assert event.get_absolute_url() == _page(event)


def test_admin_view_on_site_opens_the_page_or_a_drafts_preview(publisher_client, event):
    change = f"/admin/timeline/policyevent/{event.pk}/change/"
    assert f'href="{_page(event)}"' in publisher_client.get(change).content.decode()
    draft = make_event(title="Draft", is_published=False)
    html = publisher_client.get(f"/admin/timeline/policyevent/{draft.pk}/change/")
    preview = f"/admin/timeline/policyevent/{draft.pk}/preview/"
    assert f'href="{preview}"' in html.content.decode()


def test_changes_page_links_events_to_their_page(client, event):
    event.summary = "Corrected summary."
    event._change_reason = "Typo"
    event.save()
    assert f'href="{_page(event)}"' in client.get("/changes/").content.decode()
