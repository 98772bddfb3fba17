"""English at the old URLs, Spanish under /es/: the first-visit redirect, the
switch, hreflang, and caches that never serve one language for the other."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.services import statistics_refresh
from tests.pages_data import make_host

pytestmark = pytest.mark.django_db
SPANISH_FIRST = {"HTTP_ACCEPT_LANGUAGE": "es-GT,es;q=0.9,en;q=0.5"}
ENGLISH_FIRST = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9,es;q=0.8"}


@pytest.fixture
def hosts(db):
    make_host("GTM", "Guatemala")
    make_host("HND", "Honduras", area=1)
    statistics_refresh()


@pytest.mark.parametrize(
    "path",
    ["/", "/missions/?status=active", "/countries/GTM/", "/timeline/", "/about/"],
)
def test_old_english_urls_still_answer_in_english(client, hosts, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_spanish_lives_under_es(client, hosts):
    response = client.get("/es/countries/GTM/")
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "Misiones médicas cubanas en Guatemala" in page


def test_a_reader_who_prefers_spanish_is_sent_to_the_es_page(client, hosts):
    response = client.get("/missions/?status=active&sort=-size", **SPANISH_FIRST)
    assert response.status_code == 302
    assert response["Location"] == "/es/missions/?status=active&sort=-size"
    assert {"Accept-Language", "Cookie"} <= _vary(response)


def test_a_reader_who_prefers_english_stays(client, hosts):
    response = client.get("/missions/", **ENGLISH_FIRST)
    assert response.status_code == 200
    assert {"Accept-Language", "Cookie"} <= _vary(response)


def test_the_admin_health_check_and_embeds_are_never_redirected(client, hosts):
    assert client.get("/healthz", **SPANISH_FIRST).status_code == 200
    assert client.get("/admin/login/", **SPANISH_FIRST).status_code == 200
    assert client.get("/embed/map/", **SPANISH_FIRST).status_code == 200
    assert client.get("/timeline/feed/", **SPANISH_FIRST).status_code == 200


def test_the_switch_keeps_the_page_and_its_filters(client, hosts):
    page = client.get("/es/missions/?status=active&sort=-size").content.decode()
    assert (
        'href="/language/en/?next=%2Fmissions%2F%3Fstatus%3Dactive%26sort%3D-size"'
        in page
    )
    response = client.get(
        "/language/en/", {"next": "/missions/?status=active&sort=-size"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/missions/?status=active&sort=-size"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "no-store" in response["Cache-Control"]


def test_once_english_is_chosen_the_cookie_keeps_it(client, hosts):
    client.get("/language/en/", {"next": "/"})
    response = client.get("/countries/GTM/", **SPANISH_FIRST)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"


def test_the_spanish_cookie_sends_an_unprefixed_visit_to_spanish(client, hosts):
    client.get("/language/es/", {"next": "/"})
    response = client.get("/timeline/?kind=withdrawal", **ENGLISH_FIRST)
    assert response["Location"] == "/es/timeline/?kind=withdrawal"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_the_switch_never_redirects_off_site(client, target):
    response = client.get("/language/es/", {"next": target})
    assert response["Location"] == "/es/"


def test_the_switch_rejects_an_unknown_language(client):
    assert client.get("/language/fr/", {"next": "/"}).status_code == 400


def test_every_public_page_names_its_alternates(client, hosts):
    page = client.get("/es/missions/?status=active").content.decode()
    base = "http://testserver"
    assert (
        f'<link rel="alternate" hreflang="en" href="{base}/missions/?status=active">'
        in page
    )
    assert (
        f'<link rel="alternate" hreflang="es" href="{base}/es/missions/?status=active">'
        in page
    )
    assert f'hreflang="x-default" href="{base}/missions/?status=active"' in page


def test_embeds_switch_language_by_their_own_url(client, hosts):
    page = client.get("/es/embed/map/?status=active").content.decode()
    assert '<html lang="es">' in page
    assert 'href="/embed/map/?status=active" hreflang="en"' in page


def _vary(response) -> set[str]:
    return {v.strip() for v in response.get("Vary", "").split(",")}


class TestCache:
    """The page cache and ETags are per language (the URL carries it)."""

    @pytest.fixture(autouse=True)
    def _page_cache_on(self, settings):
        # This process's own cache: with Redis, another test process's
        # cache.clear() (tests/conftest.py) could empty it between two requests.
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        }
        settings.PAGE_CACHE_STORE_SECONDS = 600

    def test_the_cache_never_serves_one_language_for_the_other(self, client, hosts):
        english = client.get("/countries/GTM/")
        spanish = client.get("/es/countries/GTM/")
        with CaptureQueriesContext(connection) as queries:
            english_again = client.get("/countries/GTM/")
            spanish_again = client.get("/es/countries/GTM/")
        assert len(queries) == 2  # both from the cache: one version read each
        assert english_again.content == english.content
        assert spanish_again.content == spanish.content
        assert 'lang="en"' in english_again.content.decode()
        assert 'lang="es"' in spanish_again.content.decode()
        assert english["ETag"] != spanish["ETag"]

    def test_a_cached_english_page_does_not_stop_the_redirect(self, client, hosts):
        client.get("/about/")  # stored in the cache
        response = client.get("/about/", **SPANISH_FIRST)
        assert response.status_code == 302
        assert response["Location"] == "/es/about/"

    def test_an_english_etag_does_not_answer_for_spanish(self, client, hosts):
        etag = client.get("/about/")["ETag"]
        response = client.get("/es/about/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200

    def test_the_unprefixed_page_varies_on_language_even_from_the_cache(
        self, client, hosts
    ):
        client.get("/about/")
        again = client.get("/about/")
        assert {"Accept-Language", "Cookie"} <= _vary(again)


def test_the_spanish_feed_is_in_spanish(client, hosts):
    feed = client.get("/es/timeline/feed/").content.decode()
    assert 'xml:lang="es"' in feed
    assert "Monitor de Misiones Médicas Cubanas: eventos políticos" in feed
    assert "Fuentes:" in feed
    english = client.get("/timeline/feed/").content.decode()
    assert 'xml:lang="en"' in english and "Sources:" in english


def test_a_bad_filter_is_a_400_in_the_readers_language(client, hosts):
    response = client.get("/es/missions/?year_min=2020&year_max=2010")
    assert response.status_code == 400
    assert "El primer año (2020) es posterior al último (2010)." in (
        response.content.decode()
    )


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/missions/"])
def test_the_api_is_never_redirected_to_a_spanish_url_that_does_not_exist(
    client, hosts, path
):
    response = client.get(path, **SPANISH_FIRST)
    assert response.status_code == 200  # was a redirect to a 404 at /es/api/...
    assert "Cookie" not in _vary(response)  # so the page cache and a CDN may keep it
