"""Pages of the API's lists: the site's page size, numbered as on the pages."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from countries.lists import PAGE_SIZE


class Pagination(PageNumberPagination):
    """`?page=N` of `PAGE_SIZE` rows (the pages' own size, so page N of a list here
    holds the rows of page N there), with `count`, `next` and `previous`;
    `page_size` asks for up to 500 rows at a time."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 500
