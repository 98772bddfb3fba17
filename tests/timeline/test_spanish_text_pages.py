"""Event text in both languages on the timeline's pages, the changes page and the
feed: Spanish where an editor gave it, else the English marked lang="en"."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_country, make_event, make_mission
from tests.language_support import get_in, main_html
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

TITLE = "Guatemala ends the brigade agreement"
TITLE_ES = "Guatemala pone fin al convenio de la brigada"
SUMMARY = "The government will not renew the agreement."
SUMMARY_ES = "El gobierno no renovará el convenio."


@pytest.fixture
def guatemala():
    return make_country(iso3="GTM", name="Guatemala")


@pytest.fixture
def translated(guatemala) -> PolicyEvent:
    return make_event(
        title=TITLE,
        title_es=TITLE_ES,
        summary=SUMMARY,
        summary_es=SUMMARY_ES,
        countries=[guatemala],
    )


@pytest.fixture
def english_only(guatemala) -> PolicyEvent:
    return make_event(
        title="Honduras ends its programme",
        summary="The <new> government ended it.",
        date=dt.date(2026, 1, 5),
        countries=[guatemala],
    )


def test_event_page_in_spanish_shows_the_spanish_text(client, translated):
    response = get_in(client, translated.get_absolute_url())
    main = main_html(response)
    assert f"<h1>{TITLE_ES}</h1>" in main
    assert f"<p>{SUMMARY_ES}</p>" in main
    assert TITLE not in main and SUMMARY not in main
    assert f"<title>{TITLE_ES} –" in response.content.decode()


def test_event_page_in_english_never_shows_the_spanish_text(client, translated):
    html = get_in(client, translated.get_absolute_url(), "en").content.decode()
    assert f"<h1>{TITLE}</h1>" in html and f"<p>{SUMMARY}</p>" in html
    assert TITLE_ES not in html and SUMMARY_ES not in html
    assert 'lang="en"' not in html.split("<main", 1)[1]


def test_event_page_in_spanish_marks_english_text_escaped(client, english_only):
    response = get_in(client, english_only.get_absolute_url())
    main = main_html(response)
    assert '<h1><span lang="en">Honduras ends its programme</span></h1>' in main
    assert '<p><span lang="en">The &lt;new&gt; government ended it.</span></p>' in main
    # In <title> and other plain-text places the text is plain.
    assert "<title>Honduras ends its programme –" in response.content.decode()


def test_affected_missions_show_their_spanish_names(client, translated, guatemala):
    translated.affected_missions.set(
        [
            make_mission(country=guatemala, name="Cuban brigade", name_es="Brigada"),
            make_mission(country=guatemala, name="Eye programme"),
        ]
    )
    main = main_html(get_in(client, translated.get_absolute_url()))
    assert "Brigada (" in main and "Cuban brigade" not in main
    assert '<span lang="en">Eye programme</span> (' in main


def test_timeline_list_and_chart_use_the_page_language(
    client, translated, english_only
):
    response = get_in(client, "/timeline/")
    main = main_html(response)
    assert f": {TITLE_ES}</h3>" in main and f"<p>{SUMMARY_ES}</p>" in main
    assert ': <span lang="en">Honduras ends its programme</span></h3>' in main
    assert TITLE not in main
    chart = json.loads(response.context["chart_json"].split(">", 1)[1].split("<")[0])
    hover = " ".join(t for trace in chart["data"] for t in trace["hovertext"])
    assert TITLE_ES in hover and "Honduras ends its programme" in hover
    assert TITLE not in hover and "lang=" not in hover  # plain text in charts
    english = get_in(client, "/timeline/", "en")
    assert TITLE_ES not in english.content.decode()


def test_changes_page_names_the_event_in_the_page_language(
    client, translated, english_only
):
    for event, title in ((translated, TITLE), (english_only, english_only.title)):
        event.title = title + " (corrected)"
        event._change_reason = "Typo"
        event.save()
    main = main_html(get_in(client, "/changes/"))
    assert f">{TITLE_ES}</a>" in main
    assert '><span lang="en">Honduras ends its programme (corrected)</span></a>' in main
    english = main_html(get_in(client, "/changes/", "en"))
    assert f">{TITLE} (corrected)</a>" in english and TITLE_ES not in english


def test_changes_page_lists_a_change_of_the_spanish_text(client, english_only):
    english_only.title_es = "Honduras pone fin a su programa"
    english_only._change_reason = "Spanish title added"
    english_only.save()
    main = main_html(get_in(client, "/changes/", "en"))
    assert "title in Spanish" in main and "Honduras pone fin a su programa" in main


def test_spanish_feed_uses_spanish_text_and_marks_english(
    client, translated, english_only
):
    xml = get_in(client, "/timeline/feed/").content.decode()
    assert f": {TITLE_ES}</title>" in xml and f". {SUMMARY_ES}" in xml
    assert TITLE not in xml
    assert (
        '<title xml:lang="en">' in xml and '<summary type="text" xml:lang="en">' in xml
    )
    english = get_in(client, "/timeline/feed/", "en").content.decode()
    assert TITLE_ES not in english and 'xml:lang="en">' not in english


def _queries(client, path: str, language: str) -> int:
    get_in(client, path, language)  # warm-up: may create the statistics state row
    with CaptureQueriesContext(connection) as ctx:
        assert get_in(client, path, language).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/timeline/", "/timeline/feed/", "/changes/"])
def test_spanish_pages_make_the_same_queries_as_english(
    client, translated, english_only, path
):
    assert _queries(client, path, "es") == _queries(client, path, "en")


def test_event_page_query_count_is_unchanged_in_spanish(client, translated):
    assert _queries(client, translated.get_absolute_url(), "es") == 6
