"""Anonymous API use is rate limited per client address, with 429 and Retry-After;
the address is found as the login throttling finds it (TRUSTED_PROXY_COUNT)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.project.test_login_throttling import proxy_settings  # noqa: F401
from tests.project.test_settings_and_guards import STRONG_KEY, _settings_process

pytestmark = pytest.mark.django_db
URL = "/api/v1/reported-totals/"
CLIENT_A, CLIENT_B, PROXY = "198.51.100.31", "203.0.113.32", "10.0.0.2"


@pytest.fixture(autouse=True)
def _three_a_minute(settings):
    settings.API_RATE_LIMIT = "3/minute"
    cache.clear()


def test_fourth_request_in_a_minute_gets_429_with_retry_after(client):
    for _ in range(3):
        assert client.get(URL, REMOTE_ADDR=CLIENT_A).status_code == 200
    response = client.get(URL, REMOTE_ADDR=CLIENT_A)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "ETag" not in response


def test_each_client_has_its_own_count(client):
    for _ in range(4):
        client.get(URL, REMOTE_ADDR=CLIENT_A)
    assert client.get(URL, REMOTE_ADDR=CLIENT_B).status_code == 200


def test_behind_a_proxy_clients_are_told_apart_by_x_forwarded_for(
    client,
    proxy_settings,  # noqa: F811
):
    proxy_settings(1)

    def get(forwarded_for: str) -> int:
        return client.get(
            URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert [get(CLIENT_A) for _ in range(4)] == [200, 200, 200, 429]
    assert get(f"{CLIENT_B}, {CLIENT_A}") == 429  # a spoofed entry on the left
    assert get(CLIENT_B) == 200


def test_without_a_proxy_x_forwarded_for_is_ignored(client, proxy_settings):  # noqa: F811
    proxy_settings(0)
    for _ in range(3):
        client.get(URL, REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=CLIENT_B)
    response = client.get(URL, REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR="192.0.2.9")
    assert response.status_code == 429


def test_pages_are_not_rate_limited(client):
    for _ in range(5):
        assert client.get("/about/", REMOTE_ADDR=CLIENT_A).status_code == 200


def test_off_switches_the_limit_off(client, settings):
    settings.API_RATE_LIMIT = ""
    for _ in range(5):
        assert client.get(URL, REMOTE_ADDR=CLIENT_A).status_code == 200


def test_an_unreachable_cache_lets_requests_through(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for _ in range(4):
        assert client.get(URL, REMOTE_ADDR=CLIENT_A).status_code == 200


@pytest.mark.parametrize("value", ["lots", "120/fortnight", "0/minute", "-5/day"])
def test_a_malformed_rate_stops_start_up(value):
    env = {"SECRET_KEY": STRONG_KEY, "API_RATE_LIMIT": value}
    out = _settings_process(env, "pass")
    assert out.returncode != 0 and "API_RATE_LIMIT must look like" in out.stderr


def test_off_and_a_rate_are_accepted():
    for value, expected in [("off", "''"), ("30/Hour", "'30/hour'")]:
        env = {"SECRET_KEY": STRONG_KEY, "API_RATE_LIMIT": value}
        out = _settings_process(
            env, "from django.conf import settings as s; print(repr(s.API_RATE_LIMIT))"
        )
        assert out.stdout.strip().endswith(expected), out.stderr
