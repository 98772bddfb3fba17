"""Data text in the page's language: an editor's Spanish where given, else English.

Events and missions hold their text in English (`title`, `summary`, `name`) and, where
an editor gives it, in Spanish (`title_es`, …). A Spanish page shows the Spanish text;
where there is none it shows the English, and HTML marks it `lang="en"` so that screen
readers and translators know. An English page always shows the English text. Any
object with those attributes works: a model instance or a django-simple-history row.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

T = TypeVar("T")

ENGLISH = "en"
# The languages data text is written in, besides English: field suffix = code.
DATA_LANGUAGES = ("es",)


def per_language(make: Callable[..., T], size: int = 1024) -> Callable[..., T]:
    """Keep what `make` gives for its arguments in each language (the active one is
    part of the key), up to `size` answers: for the words, dates and numbers a page
    repeats on each of hundreds of rows, made once instead of once a row. The
    arguments must be hashable."""
    kept = functools.lru_cache(maxsize=size)(lambda language, *args: make(*args))

    @functools.wraps(make)
    def in_language(*args: Any) -> T:
        return kept(get_language(), *args)

    return in_language


def page_language() -> str:
    """The active language's base code: 'es' for 'es-mx', 'en' for 'en-gb'."""
    code = get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0].lower()


def pick_text(obj: Any, field: str, language: str | None = None) -> tuple[str, str]:
    """(text, its language) of `obj.<field>` for `language` (default: the page's):
    the translation `<field>_<language>` where it is not blank, else the English."""
    if obj is None:  # a template's optional object: nothing to show
        return "", ENGLISH
    language = language or page_language()
    if language in DATA_LANGUAGES:
        translated = getattr(obj, f"{field}_{language}", "") or ""
        if translated.strip():
            return translated, language
    return getattr(obj, field) or "", ENGLISH


def local_text(obj: Any, field: str, language: str | None = None) -> str:
    """The text alone, for plain-text places: attributes, charts, feeds, CSV."""
    return pick_text(obj, field, language)[0]


def name_order(name: str) -> str:
    """A key that sorts names as a reader expects in either language: accents and
    case aside ("Ecuador", "Egipto", "El Salvador", "Émiratos …")."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def text_in(text: str, language: str) -> SafeString:
    """Escaped text, wrapped in `<span lang="…">` when it is not in the page's
    language (empty text stays empty: there is nothing to mark)."""
    if text and language != page_language():
        return format_html('<span lang="{}">{}</span>', language, text)
    return conditional_escape(text)


def local_html(obj: Any, field: str) -> SafeString:
    """`obj.<field>` in the page's language as HTML, marked when it falls back."""
    return text_in(*pick_text(obj, field))
