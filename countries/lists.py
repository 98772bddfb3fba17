"""What every public list shares: one way of answering bad filters (400 with the
form and its errors, no rows), bad page numbers (the nearest page) and downloads
(a CSV of exactly the rows the page shows)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.encoding import iri_to_uri
from django_filters import FilterSet

PAGE_SIZE = 50
# Spreadsheets run cells starting with these as formulas; CSV cells must not.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def invalid_filters(
    request: HttpRequest, template: str, filterset: FilterSet, **ctx: Any
) -> HttpResponse:
    """The page with the filter form and its errors, as a 400 and without rows."""
    ctx |= {"filterset": filterset, "invalid": True}
    return render(request, template, ctx, status=400)


def without_empty_params(request: HttpRequest) -> HttpResponse | None:
    """A redirect to this list without its empty parameters, or None when it has none.

    A filter form submitted without JavaScript sends every field, so the URL people
    share would carry `subregion=&country=&…`; this gives them the short one.
    """
    kept = [(k, v) for k, values in request.GET.lists() for v in values if v.strip()]
    if len(kept) == sum(len(values) for _, values in request.GET.lists()):
        return None
    return HttpResponseRedirect(
        f"{request.path}?{urlencode(kept)}" if kept else request.path
    )


def page_of(
    request: HttpRequest,
    rows: QuerySet | Sequence,
    size: int = PAGE_SIZE,
    *,
    count: int | None = None,
) -> Page:
    """The requested page, or the last one for `?page=last`; a bad or out-of-range
    number gives the nearest page. A QuerySet is sliced in SQL: only the page's
    rows are loaded. `count`, when the caller already knows it, saves counting."""
    paginator = Paginator(rows, size)
    if count is not None:
        paginator.count = count  # a cached_property: this value is used instead
    number = request.GET.get("page")
    if number == "last":
        number = paginator.num_pages
    return paginator.get_page(number)


def query_without_page(request: HttpRequest) -> str:
    """The query string minus `page` and `format`, for links that keep the filters."""
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return query.urlencode()


def csv_link(request: HttpRequest) -> str:
    """`?<this page's filters>&format=csv`: the download of what the page shows."""
    query = query_without_page(request)
    return f"?{query}&format=csv" if query else "?format=csv"


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


class _Echo:
    """A file-like object whose write() returns the line, for a streamed csv.writer."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(v) for v in row])


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    request: HttpRequest | None = None,
) -> StreamingHttpResponse:
    """A CSV download, streamed row by row as `rows` yields them (pass an iterator
    over the query, and memory stays flat at any size); empty cells mean unknown,
    as on the page.

    With the request, the file is named with today's date (`missions-2026-11-29.csv`)
    and a `Link: <page>; rel="cite-as"` header names the page to cite, the same view
    without `format=csv`; the CSV itself stays plain, with no comment lines.
    The header is in the page's language: snake_case identifiers in English,
    Spanish words on /es/ URLs."""
    # Column names are lazy translations (msgid: the English snake_case name):
    # read them now, in the request's language, before the body streams.
    header = [str(column) for column in header]
    if request is not None:
        stem, _, ext = filename.rpartition(".")
        filename = f"{stem}-{dt.date.today().isoformat()}.{ext}"
    response = StreamingHttpResponse(
        _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if request is not None:
        query = query_without_page(request)
        page = request.build_absolute_uri(request.path + (f"?{query}" if query else ""))
        response["Link"] = f'<{iri_to_uri(page)}>; rel="cite-as"'
    return response
