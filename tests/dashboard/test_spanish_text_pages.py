"""Mission and event text in both languages on the country page, its chart and
embed, the home page's "what changed" and latest events, and the missions list."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.services import statistics_refresh
from tests.factories import make_event, make_mission, make_report
from tests.language_support import get_in, main_html
from tests.pages_data import make_host

pytestmark = pytest.mark.django_db

EVENT_ES = "Guatemala anuncia el retiro gradual"
MISSION_ES = "Brigada Médica Cubana en Guatemala"
SUMMARY_ES = "Comenzó tras el huracán Mitch."


@pytest.fixture
def guatemala():
    country = make_host("GTM", "Guatemala", status="phasing-out", event=False)
    country.missions.update(
        name="Cuban Medical Brigade",
        name_es=MISSION_ES,
        summary="Began after Hurricane Mitch.",
        summary_es=SUMMARY_ES,
        status_as_of=dt.date(2026, 2, 23),
    )
    other = make_mission(country=country, name="Eye programme", status="ended")
    make_report(mission=other, as_of=dt.date(2024, 1, 1))
    make_event(
        countries=[country],
        title="Guatemala announces a gradual withdrawal",
        title_es=EVENT_ES,
        date=dt.date(2026, 2, 10),
        kind="withdrawal",
    )
    make_event(
        countries=[country],
        title="Guatemala statement",
        kind="statement",
        date=dt.date(2025, 12, 1),
    )
    statistics_refresh()
    return country


def _chart(response, name: str) -> dict:
    text = response.context["chart_json"]
    assert f'id="{name}"' in text
    return json.loads(text.split(">", 1)[1].rsplit("<", 1)[0])


def test_country_page_in_spanish(client, guatemala):
    response = get_in(client, "/countries/GTM/")
    main = main_html(response)
    assert f'<th scope="row">{MISSION_ES}</th>' in main
    assert f">{SUMMARY_ES}</td>" in main
    assert '<th scope="row"><span lang="en">Eye programme</span></th>' in main
    assert f"<td>{MISSION_ES}</td>" in main  # the figures table
    assert "Último evento: <a" in main and f", {EVENT_ES}</a>" in main
    # The chart's numbered key, and the event list.
    assert f'">{EVENT_ES}</a>' in main
    assert '"><span lang="en">Guatemala statement</span></a>' in main
    assert f": {EVENT_ES}</h3>" in main
    for english in (
        "Cuban Medical Brigade",
        "Began after Hurricane Mitch.",
        "gradual withdrawal",
    ):
        assert english not in main
    chart = _chart(response, "fig-staffing")
    text = json.dumps(chart, ensure_ascii=False)
    assert EVENT_ES in text and MISSION_ES in text  # tooltips and legend
    assert "Cuban Medical Brigade" not in text and "lang=" not in text


def test_country_page_in_english(client, guatemala):
    main = main_html(get_in(client, "/countries/GTM/", "en"))
    assert '<th scope="row">Cuban Medical Brigade</th>' in main
    assert "Guatemala announces a gradual withdrawal" in main
    for spanish in (EVENT_ES, MISSION_ES, SUMMARY_ES, 'lang="en"'):
        assert spanish not in main


def test_staffing_embed_in_spanish(client, guatemala):
    html = get_in(client, "/embed/countries/GTM/staffing/").content.decode()
    assert f'rel="noopener">{EVENT_ES}</a>' in html
    assert 'rel="noopener"><span lang="en">Guatemala statement</span></a>' in html


def test_home_what_changed_and_latest_events_in_spanish(client, guatemala):
    main = main_html(get_in(client, "/"))
    story = main.split('id="story"', 1)[1].split("</section>", 1)[0]
    assert f">{EVENT_ES}</a>" in story
    events = main.split('id="events"', 1)[1]
    assert f">{EVENT_ES}</a>" in events
    assert '><span lang="en">Guatemala statement</span></a>' in events
    english = main_html(get_in(client, "/", "en"))
    assert EVENT_ES not in english and "gradual withdrawal</a>" in english


def test_missions_list_in_spanish(client, guatemala):
    main = main_html(get_in(client, "/missions/"))
    assert f'<td data-label="Misión">{MISSION_ES}</td>' in main
    assert '<td data-label="Misión"><span lang="en">Eye programme</span></td>' in main


def _queries(client, path: str, language: str) -> int:
    get_in(client, path, language)  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        assert get_in(client, path, language).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path", ["/", "/countries/GTM/", "/missions/", "/embed/countries/GTM/staffing/"]
)
def test_spanish_pages_make_the_same_queries_as_english(client, guatemala, path):
    assert _queries(client, path, "es") == _queries(client, path, "en")


def test_missions_search_finds_the_spanish_name(client, guatemala):
    main = main_html(get_in(client, "/missions/?q=médica", "en"))
    assert "Cuban Medical Brigade" in main and "Eye programme" not in main
