"""Static files as production serves them: hashed, compressed, cached for years."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


PRODUCTION_STATIC = {
    "WHITENOISE_USE_FINDERS": False,
    "STORAGES": {
        **django_settings.STORAGES,
        "staticfiles": {
            "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        },
    },
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Static files collected once for this module, as a deployment collects them."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, **PRODUCTION_STATIC):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def collected(settings, static_root):
    settings.STATIC_ROOT = static_root
    for name, value in PRODUCTION_STATIC.items():
        setattr(settings, name, value)
    return static_root


def test_pages_link_hashed_files_served_compressed_and_immutable(collected):
    client = Client()
    html = client.get("/").content.decode()
    urls = set(re.findall(r'(?:src|href|data-topojson)="(/static/[^"]+\.\w+)"', html))
    names = {re.sub(r"\.[0-9a-f]{12}\.", ".", url.rsplit("/", 1)[1]) for url in urls}
    assert {"site.css", "plotly.min.js", "charts.js", "world_110m.json"} <= names
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), f"{url} is not hashed"
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert "immutable" in response["Cache-Control"]
        assert response.get("Content-Encoding") == "gzip", url
    # Chromium asks for br even over plain HTTP: the plotly bundle a first visit
    # loads is 18% smaller than the gzipped one (whitenoise[brotli]).
    plotly = next(url for url in urls if "/plotly.min." in url)
    brotli = client.get(plotly, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    gzip = client.get(plotly, HTTP_ACCEPT_ENCODING="gzip")
    assert brotli["Content-Encoding"] == "br"
    assert int(brotli["Content-Length"]) < 0.9 * int(gzip["Content-Length"])


def test_only_what_the_site_serves_is_collected_and_compressed(collected):
    # The API docs (/api/) load the sidecar's Swagger UI from our hashed files.
    html = Client().get("/api/").content.decode()
    urls = re.findall(r'(?:src|href)="(/static/drf_spectacular_sidecar/[^"]+)"', html)
    assert any("swagger-ui-bundle." in url for url in urls)
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), f"{url} is not hashed"
        response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200, url
        assert response.get("Content-Encoding") == "gzip", url
    # ReDoc and the browsable API's files are never served: not collected.
    sidecar = collected / "drf_spectacular_sidecar"
    assert (sidecar / "swagger-ui-dist").is_dir()
    assert not (sidecar / "redoc").exists()
    assert not (collected / "rest_framework").exists()
    # Source maps are collected (the bundles name them) but not compressed.
    maps = list(collected.rglob("*.map"))
    assert maps
    assert not [p for p in maps if p.with_name(p.name + ".br").exists()]
    assert not list(collected.rglob("*.map.gz"))
