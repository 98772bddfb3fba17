"""The data page `/data/` and the package downloads."""

from __future__ import annotations

import pytest

from dashboard.models import DataPackage
from dashboard.services.data_package import data_package_build
from dashboard.services.triggers import data_version_bump
from tests.pages_data import count_queries, make_host

pytestmark = pytest.mark.django_db


@pytest.fixture
def package() -> DataPackage:
    make_host("GTM", "Guatemala")
    data_version_bump()
    return data_package_build()


def test_says_so_when_no_package_has_been_built(client):
    response = client.get("/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-package"' in html and "No data package has been built yet" in html
    assert "download-current" not in html
    assert client.get("/data/latest.zip").status_code == 404


def test_shows_the_current_version_its_files_and_citation(client, package):
    response = client.get("/data/")
    html = response.content.decode()
    url = f"/data/{package.filename}"
    assert f'href="{url}"' in html
    assert package.sha256 in html
    files = html.split('id="package-files"')[1].split("</table>")[0]
    expected = [
        ("countries.csv", 1),
        ("missions.csv", 1),
        ("events.csv", 1),
        ("aggregates.csv", 0),
        ("event_sources.csv", 1),
    ]
    cells = [
        f'<code>{name}</code></th><td class="num">{n}</td>' for name, n in expected
    ]
    positions = [files.index(cell) for cell in cells]  # each one there, in zip order
    assert positions == sorted(positions)
    assert f"http://testserver{url} (data version {package.data_version})" in html
    assert "@misc{" in html
    assert "http://testserver/data/latest.zip" in html


def test_lists_older_versions(client, package):
    data_version_bump()
    newer = data_package_build()
    html = client.get("/data/").content.decode()
    older = html.split('id="older-versions"')[1].split("</ul>")[0]
    assert package.filename in older and newer.filename not in older


def test_query_count_is_fixed(client, package):
    assert count_queries(client, "/data/") == 2  # statistics state, packages
    data_version_bump()
    data_package_build()
    assert count_queries(client, "/data/") == 2


def test_download_is_named_tagged_and_citable(client, package):
    response = client.get(f"/data/{package.filename}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response.content == bytes(package.content)
    assert response["Content-Disposition"] == (
        f'attachment; filename="{package.filename}"'
    )
    assert response["ETag"] == f'"{package.sha256}"'
    assert response["Link"] == '<http://testserver/data/>; rel="cite-as"'
    assert "public" in response["Cache-Control"]


def test_download_answers_304_when_the_client_has_it(client, package):
    url = f"/data/{package.filename}"
    response = client.get(url, HTTP_IF_NONE_MATCH=f'"{package.sha256}"')
    assert response.status_code == 304 and not response.content
    assert response["ETag"] == f'"{package.sha256}"'
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_latest_redirects_to_the_current_version(client, package):
    response = client.get("/data/latest.zip")
    assert response.status_code == 302
    assert response["Location"] == f"/data/{package.filename}"


def test_unknown_file_is_a_404(client, package):
    assert (
        client.get("/data/cuban-medical-missions-data-v0-2020-01-01.zip").status_code
        == 404
    )


def test_linked_from_the_about_page_and_the_footer(client):
    html = client.get("/about/").content.decode()
    assert 'id="data-package-link"' in html
    assert html.count('href="/data/"') == 2  # the about text and the footer


def test_a_new_package_changes_the_page_etag(client):
    make_host("GTM", "Guatemala")
    data_version_bump()
    etag = client.get("/data/")["ETag"]
    data_package_build()  # same data version: only the package is new
    response = client.get("/data/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "download-current" in response.content.decode()
