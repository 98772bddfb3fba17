"""Response headers: HTTPS switches, Permissions-Policy, resource policy, caching."""

from __future__ import annotations

import pytest

from tests.factories import make_event
from tests.project.test_settings_and_guards import STRONG_KEY, _settings_process

pytestmark = pytest.mark.django_db
# The database is unreachable on purpose: /healthz then answers 503 at once.
HTTPS_ENV = {
    "SECRET_KEY": STRONG_KEY,
    "SECURE_SSL": "true",
    "ALLOWED_HOSTS": "testserver",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
}
HTTPS_REQUESTS = (
    "from django.test import Client; c = Client(raise_request_exception=False); "
    "h = c.get('/healthz'); p = c.get('/about/'); s = c.get('/healthz', secure=True); "
    "print(h.status_code, p.status_code, p.get('Location'), '|', "
    "s.get('Strict-Transport-Security'))"
)


@pytest.fixture(scope="module")
def behind_https() -> tuple[str, str]:
    """Answers of a site started with SECURE_SSL=true: status codes, then HSTS."""
    out = _settings_process(HTTPS_ENV, HTTPS_REQUESTS)
    assert " | " in out.stdout, out.stderr[-2000:]
    codes, hsts = out.stdout.strip().split(" | ")
    return codes, hsts


def test_healthz_is_not_redirected_to_https(behind_https):
    # /healthz answers over plain HTTP (503: no database here); pages redirect.
    assert behind_https[0] == "503 301 https://testserver/about/"


def test_hsts_covers_only_this_host_by_default(behind_https):
    assert behind_https[1] == "max-age=31536000"


def test_hsts_subdomains_and_preload_are_each_switched_on_by_name():
    env = HTTPS_ENV | {
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
    }
    out = _settings_process(env, HTTPS_REQUESTS)
    hsts = out.stdout.strip().split(" | ")[-1]
    assert hsts == "max-age=31536000; includeSubDomains; preload", out.stderr[-2000:]


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/static/css/site.css"])
def test_every_response_denies_unused_features_and_cross_origin_loads(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_static_files_do_not_allow_every_origin(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("path", ["/", "/timeline/", "/timeline/feed/", "/about/"])
def test_public_pages_may_be_cached_briefly_with_their_etag(client, path, settings):
    make_event(title="Cached")
    response = client.get(path)
    assert response["Cache-Control"] == (
        f"public, max-age={settings.PAGE_CACHE_SECONDS}, "
        f"s-maxage={settings.PAGE_SHARED_CACHE_SECONDS}"
    )
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again["Cache-Control"] == response["Cache-Control"]


def test_signed_in_editors_get_private_pages(editor_client):
    cache = editor_client.get("/")["Cache-Control"]
    assert "private" in cache and "no-cache" in cache and "public" not in cache


@pytest.mark.parametrize("path", ["/admin/login/", "/healthz"])
def test_admin_and_healthz_are_never_public(client, path):
    assert "public" not in client.get(path).get("Cache-Control", "")


def test_an_unknown_host_is_refused_with_the_same_headers(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_no_cookie_is_readable_by_scripts(client):
    response = client.get("/admin/login/")
    assert response.cookies["csrftoken"]["httponly"]
