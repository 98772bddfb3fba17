"""/api/ documents the API with Swagger UI from our own static files, and the about
page links to it."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_docs_page_loads_only_our_own_scripts(client):
    response = client.get("/api/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="/static/' in attrs and not body.strip()
                           for attrs, body in scripts)  # fmt: skip
    assert 'data-schema-url="/api/v1/schema/"' in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_swagger_ui_files_are_served_locally(client):
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        path = f"/static/drf_spectacular_sidecar/swagger-ui-dist/{name}"
        response = client.get(path)
        assert response.status_code == 200, path


def test_schema_is_openapi_3(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.content.decode()
    assert "openapi: 3" in body or '"openapi": "3' in body
    assert "/api/v1/countries/{iso3}/" in body


def test_about_page_links_to_the_docs(client):
    assert 'href="/api/"' in client.get("/about/").content.decode()


def test_api_is_outside_any_language_prefix(client):
    from django.urls import reverse

    assert reverse("api:missions") == "/api/v1/missions/"
    assert reverse("api:docs") == "/api/"
