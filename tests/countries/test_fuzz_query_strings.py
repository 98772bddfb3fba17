"""Any query string on the public lists gets an answer below 500 (hypothesis)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_country, make_event, make_mission, make_report

pytestmark = pytest.mark.django_db
PARAMS = [
    "region", "subregion", "status", "kind", "country",
    "year_min", "year_max", "page", "sort", "format", "q",
]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["nan", "1e400", "-1", "0", "", "\x00", "<script>", "csv"]),
)


@pytest.fixture
def some_data(db):
    country = make_country(iso3="GTM", name="Guatemala")
    make_report(mission=make_mission(country=country), workers=412, doctors=333)
    make_event(countries=[country])


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(["/", "/missions/", "/timeline/"]),
    query=st.dictionaries(st.sampled_from(PARAMS), VALUES, max_size=4),
)
def test_no_query_string_gives_a_server_error(some_data, path, query):
    response = Client().get(path, query, follow=True)
    assert response.status_code in (200, 400), (path, query, response.status_code)
    # Empty parameters are redirected away (302), once, to a URL without any.
    for url, status in response.redirect_chain:
        assert status == 302 and not re.search(r"=(&|$)", url), response.redirect_chain
    assert len(response.redirect_chain) <= 1
    if response.status_code == 400:  # the form with errors, input never echoed raw
        assert b"<script>" not in response.content.split(b"</head>")[1]


@pytest.mark.parametrize("path", ["/", "/missions/", "/timeline/"])
def test_each_filter_select_offers_one_all_option(some_data, path):
    html = Client().get(path).content.decode()
    for select in re.findall(r"<select[^>]*>.*?</select>", html, flags=re.S):
        assert len(re.findall(r'<option value=""[ >]', select)) <= 1, select[:200]
