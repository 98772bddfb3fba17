"""Public pages are sent gzip-compressed to browsers that accept it, and a repeat
visit with the compressed page's ETag still gets 304."""

from __future__ import annotations

import gzip

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(real_data):
    from dashboard.services import statistics_refresh

    statistics_refresh()


def test_home_page_is_gzipped_smaller_and_the_same_page(client, dataset):
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 4
    assert gzip.decompress(packed.content) == plain.content


def test_a_compressed_pages_etag_still_revalidates(client, dataset):
    packed = client.get("/countries/GTM/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    etag = packed["ETag"]
    assert etag.startswith('W/"')
    again = client.get(
        "/countries/GTM/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag
    )
    assert again.status_code == 304
