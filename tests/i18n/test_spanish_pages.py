"""Every public page in Spanish shows no interface string in English.

Two checks over the rendered HTML (text nodes and the attributes a reader sees or
hears), on the real dataset:
- no text of the Spanish page is an English msgid whose Spanish differs (a marked
  string left untranslated, or a stale .mo);
- no text is identical in the English and the Spanish page unless it is data (a
  name, title, summary or publisher from the database), a number or date, or a word
  both languages share. This is what catches a template string nobody marked.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from dashboard.services import statistics_refresh
from tests.i18n_support import read_catalogue, visible_text
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

PAGES = [
    "/", "/?year=2015", "/?region=americas&status=active&sort=-size",
    "/missions/", "/missions/?kind=emergency&sort=-as_of", "/countries/GTM/",
    "/countries/VEN/", "/countries/BRA/", "/timeline/", "/timeline/?years=all",
    "/changes/", "/about/", "/data/", "/embed/map/", "/embed/countries/GTM/staffing/",
    "/embed/timeline/", "/missions/?year_min=abc", "/?year=1800",
    "/timeline/?kind=nonsense", "/countries/XXX/",
]  # fmt: skip
# Words and marks the two languages write alike, or that are no language at all.
SHARED = {"English", "Español", "UTC", "CSV", "PNG", "SVG", "BibTeX", "HTML", "USD"}
_NOT_WORDS = re.compile(r"^[\W\d_]*$")


@pytest.fixture(scope="module")
def catalogue():
    return read_catalogue()


@pytest.fixture
def dataset(real_data):
    statistics_refresh()


def _data_strings() -> list[str]:
    """Every text value stored in our apps' tables, longest first."""
    found: set[str] = set()
    for app in ("countries", "missions", "timeline", "dashboard"):
        for model in apps.get_app_config(app).get_models():
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField | models.URLField)
            ]
            for row in model.objects.values_list(*fields):
                found |= {v.strip() for v in row if isinstance(v, str) and v.strip()}
    return sorted(found, key=len, reverse=True)


def _is_data(node: str, data: list[str]) -> bool:
    if node.endswith("…") and any(v.startswith(node[:-1]) for v in data):
        return True  # a long title or address cut short (truncatechars)
    rest = node
    for value in data:
        if value in rest:
            rest = rest.replace(value, " ")
            if _NOT_WORDS.match(rest):
                return True
    return bool(_NOT_WORDS.match(rest))


def _english(catalogue) -> dict[str, str]:
    """Each English msgid (singular and plural) that Spanish writes differently."""
    english = {}
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        for msgid in ids:
            if msgid and msgid not in strings and "%(" not in msgid:
                english[msgid] = strings[0]
    return english


def _untranslated(client, path: str, catalogue, data: list[str]) -> list[str]:
    english_page = client.get(path)
    spanish_page = client.get(f"/es{path}")
    assert spanish_page.status_code == english_page.status_code, path
    assert spanish_page["Content-Language"] == "es"
    spanish = visible_text(spanish_page.content.decode())
    shared = set(spanish) & set(visible_text(english_page.content.decode()))
    same = {m.id for m in catalogue if isinstance(m.id, str) and m.string == m.id}
    allowed = SHARED | same
    english = _english(catalogue)
    # The switch names each language in that language ("English" on every page).
    problems = [
        f"English msgid: {n!r}" for n in spanish if n in english and n not in SHARED
    ]
    problems += [
        f"same as the English page: {n!r}"
        for n in sorted(shared)
        if n not in allowed and not _is_data(n, data)
    ]
    return problems


def test_no_public_page_in_spanish_shows_english(client, dataset, catalogue):
    data = _data_strings()
    event = PolicyEvent.objects.published().first()
    with translation.override("en"):  # the unprefixed path; /es/ is added below
        pages = [*PAGES, event.get_absolute_url()]
    problems = {p: _untranslated(client, p, catalogue, data) for p in pages}
    problems = {p: found for p, found in problems.items() if found}
    assert problems == {}, "\n".join(f"{p}: {f}" for p, f in problems.items())


def test_the_check_finds_an_unmarked_template_string(client, dataset, catalogue):
    """The check can fail: a sentence written into a template without {% translate %}
    is reported on the Spanish page."""
    from django.template import engines

    engine = engines["django"].engine
    original = engine.get_template("includes/cite.html").source
    unmarked = original.replace("<h2", "<p>An unmarked sentence.</p><h2", 1)

    def fake_get_template(name, *args, **kwargs):
        if name == "includes/cite.html":
            return engine.from_string(unmarked)
        return real(name, *args, **kwargs)

    real = engine.get_template
    engine.get_template = fake_get_template
    try:
        found = _untranslated(client, "/about/", catalogue, _data_strings())
    finally:
        engine.get_template = real
    assert found == ["same as the English page: 'An unmarked sentence.'"]
