"""Admin forms as a browser sends them: read every field of a rendered form, change
some, and POST the lot back (the helpers of the reliability review's appendix A)."""

from __future__ import annotations

from html.parser import HTMLParser

from django.http import HttpResponse
from django.test import Client

Fields = dict[str, list[str]]


class _FormReader(HTMLParser):
    """Collects the values a browser would submit for the form with one id."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: Fields = {}
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and "name" in a and a.get("type") not in ("submit", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            default = "on" if a.get("type") in ("checkbox", "radio") else ""
            self._add(a["name"], a.get("value", default))
        elif tag == "select":
            self._select, self._options = a.get("name"), []
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options and not self._multiple:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # The browser drops the newline that follows <textarea>.
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def _add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)


def form_fields(response: HttpResponse, form_id: str) -> Fields:
    """Every value the form with this id would submit, as the browser sends it."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.fields, f"no form {form_id!r} with fields on the page"
    return reader.fields


def open_form(client: Client, url: str, form_id: str) -> Fields:
    """GET an admin page and read its form, as an editor opening it does."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return form_fields(response, form_id)


def changed(fields: Fields, **values: str | list[str]) -> Fields:
    """A copy of the fields with some replaced, ready to POST back."""
    new = {name: list(value) for name, value in fields.items()}
    for name, value in values.items():
        new[name] = value if isinstance(value, list) else [value]
    return new


def opened_version(client: Client, url: str, form_id: str) -> str:
    """The record version an admin form carries when an editor opens it."""
    return open_form(client, url, form_id)["record_version"][0]
