"""Helpers for the Spanish tests: the catalogue, and a page's visible text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PO = LOCALE / "es" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def read_catalogue(path: Path = PO) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale="es")


def compile_catalogue() -> None:
    """Write the .mo from the .po when it is missing or older (as `make install`)."""
    if MO.exists() and MO.stat().st_mtime >= PO.stat().st_mtime:
        return
    catalogue = read_catalogue()
    with MO.open("wb") as f:
        write_mo(f, catalogue)


# Attributes a reader sees or hears (screen readers read aria-label and title).
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-label"}
_SKIPPED = {"script", "style", "code", "pre", "textarea"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        attributes = dict(attrs)
        for name in VISIBLE_ATTRIBUTES & set(attributes):
            self.nodes.append(attributes[name] or "")
        if tag == "meta" and attributes.get("name") == "description":
            self.nodes.append(attributes.get("content") or "")

    def handle_endtag(self, tag) -> None:
        if tag in _SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data) -> None:
        if not self._skip:
            self.nodes.append(data)


def visible_text(html: str) -> list[str]:
    """Text nodes and spoken attributes, whitespace collapsed, empty ones dropped."""
    parser = _Text()
    parser.feed(html)
    nodes = (re.sub(r"\s+", " ", n).strip() for n in parser.nodes)
    return [n for n in nodes if n]
