"""Dates at their precision and numbers in Spanish, in pages and charts."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.utils import translation

from countries.charts import number_text
from countries.dates import format_partial_date
from dashboard.services import statistics_refresh
from dashboard.staffing_text import staffing_summary
from tests.pages_data import make_host
from timeline.charts import events_summary

pytestmark = pytest.mark.django_db
FEB_13 = dt.date(2026, 2, 13)


@pytest.mark.parametrize(
    ("precision", "english", "spanish"),
    [
        ("year", "2026", "2026"),
        ("month", "Feb 2026", "feb 2026"),
        ("day", "13 Feb 2026", "13 feb 2026"),
    ],
)
def test_partial_dates_in_both_languages(precision, english, spanish):
    with translation.override("en"):
        assert format_partial_date(FEB_13, precision) == english
    with translation.override("es"):
        assert format_partial_date(FEB_13, precision) == spanish


def test_numbers_use_the_languages_separators():
    """Django's Spanish groups thousands with a no-break space (as the RAE advises)."""
    with translation.override("en"):
        assert number_text(12345) == "12,345"
    with translation.override("es"):
        assert number_text(12345) == "12\xa0345"
        assert number_text(None) == "desconocido"


def test_chart_summaries_in_spanish():
    figures = [
        {"mission": "Brigada", "as_of": "2024-02-01", "as_of_text": "feb 2024",
         "workers": 1200, "doctors": None, "publisher": "Granma", "url": ""},
        {"mission": "Brigada", "as_of": "2026-02-13", "as_of_text": "13 feb 2026",
         "workers": 450, "doctors": None, "publisher": "Granma", "url": ""},
    ]  # fmt: skip
    counts = [{"year": 2025, "kind": "withdrawal", "count": 2}]
    with translation.override("es"):
        summary = staffing_summary(figures, [])
        events = events_summary(counts, dt.date(2015, 1, 1))
    assert summary == (
        "Brigada, trabajadores de la salud (todo el personal): "
        "bajó de 1\xa0200 (feb 2024) a 450 (13 feb 2026)."
    )
    assert events.startswith("2 eventos de 1 tipo, de 2025 a 2025")


def _figure(page: str, figure_id: str) -> dict:
    found = re.search(
        rf'<script id="{figure_id}" type="application/json">(.*?)</script>', page, re.S
    )
    return json.loads(found.group(1))


def test_the_spanish_country_chart_speaks_spanish(client):
    make_host("GTM", "Guatemala", as_of=FEB_13, workers=1234)
    statistics_refresh()
    page = client.get("/es/countries/GTM/").content.decode()
    figure = _figure(page, "fig-staffing")
    names = [trace.get("name", "") for trace in figure["data"]]
    assert any(name.startswith("Todo el personal:") for name in names)
    hover = json.dumps(figure, ensure_ascii=False)
    assert "1\xa0234 todo el personal, 13 feb 2026" in hover
    assert "Fuente:" in hover and "Source:" not in hover
    assert figure["layout"]["yaxis"]["title"]["text"] == "Personas"
    assert 'src="/static/vendor/plotly/locale-es.js"' in page
    # The English page loads no Spanish locale.
    assert "locale-es.js" not in client.get("/countries/GTM/").content.decode()


def test_the_spanish_map_and_timeline_charts_speak_spanish(client):
    make_host("GTM", "Guatemala")
    statistics_refresh()
    home = client.get("/es/").content.decode()
    map_figure = _figure(home, "fig-map")
    assert map_figure["layout"]["meta"]["title"].startswith(
        "Estado de las misiones médicas cubanas"
    )
    assert "Estado: Activa" in json.dumps(map_figure, ensure_ascii=False)
    timeline = client.get("/es/timeline/").content.decode()
    kinds = {t["name"].split(" (")[0] for t in _figure(timeline, "fig-events")["data"]}
    assert kinds and kinds <= {"Inicio de misión", "Retiro", "Acuerdo", "Declaración",
                               "Rescisión", "Sanción", "Expulsión", "Informe", "Otro",
                               "Restricción de visas"}  # fmt: skip


def test_the_plotly_locale_fallback_registers_spanish_months():
    """Without npm, `make install` writes the plotly locale from Babel's CLDR data."""
    from scripts.plotly_locale import locale_module

    script = locale_module("es")
    body = json.loads(script[script.index("register(") + 9 : script.rindex(");")])
    assert body["name"] == "es"
    assert body["format"]["shortMonths"][1] == "feb"
    assert body["format"]["months"][0] == "enero"
    assert body["format"]["decimal"] == ","


def test_full_dates_in_spanish_sentences(client, real_data):
    """'1 de enero de 2025', not '1 enero 2025': a day, month and year in running
    Spanish text take 'de'."""
    statistics_refresh()
    spanish = client.get("/es/").content.decode()
    english = client.get("/").content.decode()
    assert "Qué cambió desde el 1 de enero de 2025" in spanish
    assert "What changed since 1 January 2025" in english
