"""Requests in a given language, for the tests of data text in both languages.

The site gets Spanish URLs (/es/…) from Django's i18n_patterns and LocaleMiddleware;
until then nothing in a request picks the language. `get_in` works either way: it
asks for the language's own URL (`translate_url` gives /es/… where that exists and
the same URL otherwise) with that language active and preferred by the browser.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client
from django.urls import translate_url
from django.utils import translation


def get_in(client: Client, path: str, language: str = "es") -> HttpResponse:
    """GET `path` as a reader of `language` sees it."""
    with translation.override(language):
        url = translate_url(path, language)
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def main_html(response: HttpResponse) -> str:
    """The page's <main>, where data text is shown (not the head or the menus)."""
    assert response.status_code == 200, response.status_code
    return response.content.decode().split('<main id="main"', 1)[1]
