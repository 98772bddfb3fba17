"""Choosing data text by language: countries.localized and its template tags."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from countries.localized import local_html, local_text, pick_text, text_in


def _event(**fields) -> SimpleNamespace:
    return SimpleNamespace(**{"title": "Brigade leaves", "title_es": "", **fields})


def test_spanish_page_gets_the_spanish_text_where_given():
    event = _event(title_es="La brigada se retira")
    with translation.override("es"):
        assert pick_text(event, "title") == ("La brigada se retira", "es")
        assert local_html(event, "title") == "La brigada se retira"


def test_spanish_page_without_spanish_text_gets_the_english_marked():
    with translation.override("es"):
        assert pick_text(_event(title_es="  "), "title") == ("Brigade leaves", "en")
        assert local_html(_event(), "title") == '<span lang="en">Brigade leaves</span>'


def test_english_page_always_gets_the_english_unmarked():
    event = _event(title_es="La brigada se retira")
    for code in ("en", "en-gb"):
        with translation.override(code):
            assert local_text(event, "title") == "Brigade leaves"
            assert local_html(event, "title") == "Brigade leaves"


def test_regional_spanish_counts_as_spanish():
    with translation.override("es-mx"):
        assert local_text(_event(title_es="Se retira"), "title") == "Se retira"


def test_text_is_escaped_and_empty_text_is_not_marked():
    with translation.override("es"):
        assert text_in("<b>x</b> & y", "en") == (
            '<span lang="en">&lt;b&gt;x&lt;/b&gt; &amp; y</span>'
        )
        assert text_in("", "en") == ""
        assert local_html(_event(title=""), "title") == ""
        assert local_html(None, "title") == ""


def test_template_tags_mark_html_and_leave_plain_text_plain():
    template = Template(
        '{% load countries_tags %}<h1>{% localized e "title" %}</h1>'
        '<img alt="{{ e|local:"title" }}">{% text_in row.title row.lang %}'
    )
    context = Context({"e": _event(title="A <b>"), "row": {"title": "T", "lang": "en"}})
    with translation.override("es"):
        html = template.render(context)
    assert html == (
        '<h1><span lang="en">A &lt;b&gt;</span></h1><img alt="A &lt;b&gt;">'
        '<span lang="en">T</span>'
    )
    with translation.override("en"):
        assert (
            template.render(context) == '<h1>A &lt;b&gt;</h1><img alt="A &lt;b&gt;">T'
        )


def test_per_language_keeps_one_answer_per_language():
    from django.utils import translation
    from django.utils.translation import gettext

    from countries.localized import per_language

    made = []

    @per_language
    def status(value: str) -> str:
        made.append(value)
        return gettext("Status: %(status)s") % {"status": value}

    with translation.override("es"):
        spanish = [status("x"), status("x")]
    with translation.override("en"):
        english = [status("x"), status("x")]
    assert spanish == ["Estado: x"] * 2 and english == ["Status: x"] * 2
    assert made == ["x", "x"]  # made once per language, then kept
