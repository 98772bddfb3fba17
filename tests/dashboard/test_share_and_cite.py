"""Share previews, page titles and "Cite this" name the view a reader is looking at."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest

from countries.citations import citation

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def _meta(html: str, prop: str) -> str:
    found = re.search(rf'<meta property="{prop}" content="([^"]*)">', html)
    assert found, f"no {prop}"
    return unescape(found.group(1))


def _title(html: str) -> str:
    return unescape(re.search(r"<title>([^<]*)</title>", html).group(1))


def test_a_country_page_is_shared_under_the_country_name(client, dataset):
    html = client.get("/countries/GTM/").content.decode()
    assert _meta(html, "og:title") == (
        "Cuban medical missions in Guatemala: staffing and policy events"
    )
    assert _meta(html, "og:url") == "http://testserver/countries/GTM/"
    assert _meta(html, "og:image").startswith("http://testserver/static/img/preview-")


def test_a_filtered_map_is_titled_and_shared_under_its_filters(client, dataset):
    html = client.get("/?region=africa&status=active").content.decode()
    assert _meta(html, "og:title") == "Cuban medical missions in Africa, active"
    assert _title(html).startswith("Cuban medical missions in Africa, active – ")
    assert _meta(html, "og:url") == "http://testserver/?region=africa&status=active"


def test_lists_name_their_filters_and_bad_filters_name_none(client, dataset):
    html = client.get("/missions/?kind=emergency&year_min=2020").content.decode()
    assert _title(html).startswith(
        "Missions, emergency brigade (e.g. Henry Reeve), from 2020 – "
    )
    html = client.get("/timeline/?country=GTM").content.decode()
    assert (
        _meta(html, "og:title")
        == "Policy events on Cuban medical missions in Guatemala"
    )
    bad = client.get("/missions/?year_min=abc")
    assert bad.status_code == 400
    assert _title(bad.content.decode()).startswith("Missions – ")


@pytest.mark.parametrize(
    "path, title",
    [
        ("/countries/GTM/", "Cuban medical missions in Guatemala"),
        ("/?region=americas", "Cuban medical missions in Americas"),
        ("/timeline/?kind=withdrawal", "Policy events, withdrawal"),
    ],
)
def test_cite_this_gives_the_full_url_access_date_and_data_version(
    client, dataset, path, title
):
    from dashboard.models import StatisticsState

    html = client.get(path).content.decode()
    block = unescape(html[html.index('id="cite-this"') :])
    version = StatisticsState.current().data_version
    today = dt.date.today()
    assert f"“{title}”, http://testserver{path} (data version {version})" in block
    assert f"accessed {today.day} {today:%B %Y}." in block
    assert f"url = {{http://testserver{path}}}" in block
    assert f"urldate = {{{today.isoformat()}}}" in block


def test_bibtex_escapes_what_latex_would_read():
    entry = citation(
        title="Fees of 75% & {more}",
        url="http://example.org/?q=a_b",
        accessed=dt.date(2026, 11, 29),
        data_version=7,
    )["bibtex"]
    assert "title = {{Fees of 75\\% \\& \\{more\\}}}," in entry
    assert entry.count("{") - entry.count("\\{") == entry.count("}") - entry.count(
        "\\}"
    )
    assert entry.startswith("@misc{cmmt-fees-of-75-more-20261129,")


@pytest.mark.parametrize(
    "path, stem, page",
    [
        ("/missions/?region=africa&format=csv", "missions", "/missions/?region=africa"),
        (
            "/timeline/?format=csv&kind=withdrawal",
            "events",
            "/timeline/?kind=withdrawal",
        ),
    ],
)
def test_a_download_is_named_with_its_date_and_names_the_page_to_cite(
    client, dataset, path, stem, page
):
    response = client.get(path)
    today = dt.date.today().isoformat()
    disposition = f'attachment; filename="{stem}-{today}.csv"'
    assert response["Content-Disposition"] == disposition
    assert response["Link"] == f'<http://testserver{page}>; rel="cite-as"'
    assert not response.getvalue().decode().startswith("#")  # plain CSV, no comments
