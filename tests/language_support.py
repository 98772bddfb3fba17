"""Requests in a given language, for the tests of data text in both languages.

Spanish pages live under /es/ (i18n_patterns). `get_in` asks for the language's own
URL (`translate_url` gives /es/…) with that language preferred by the browser.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client
from django.urls import translate_url
from django.utils import translation


def get_in(client: Client, path: str, language: str = "es") -> HttpResponse:
    """GET `path` as a reader of `language` sees it."""
    # translate_url resolves `path` in the active language: English URLs are
    # unprefixed, so resolve in English, then ask for the other language's URL.
    with translation.override("en"):
        url = translate_url(path, language)
    with translation.override(language):
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def main_html(response: HttpResponse) -> str:
    """The page's <main>, where data text is shown (not the head or the menus)."""
    assert response.status_code == 200, response.status_code
    return response.content.decode().split('<main id="main"', 1)[1]
