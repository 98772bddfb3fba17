"""Login throttling (django-axes): repeated bad passwords lock the pair for a while."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.project.test_settings_and_guards import STRONG_KEY, _settings_process

pytestmark = pytest.mark.django_db
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
PROXY_SETTINGS = [
    "AXES_IPWARE_META_PRECEDENCE_ORDER",
    "AXES_IPWARE_PROXY_COUNT",
    "IPWARE_STRICT",
]
# What django-axes and django-ipware assume when a setting is absent.
DEFAULTS = {
    "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
    "AXES_IPWARE_PROXY_COUNT": None,
    "IPWARE_STRICT": None,
}


def _attempt(client, password: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password},
        REMOTE_ADDR="203.0.113.9",
    )


def test_five_failures_lock_out_even_the_right_password(client, settings):
    User.objects.create_user("editor", password="the right password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, "wrong").status_code == 200  # the form again
    assert _attempt(client, "wrong").status_code == 429
    assert _attempt(client, "the right password").status_code == 429


def test_a_correct_password_before_the_limit_logs_in(client):
    User.objects.create_user("editor", password="the right password", is_staff=True)
    _attempt(client, "wrong")
    response = _attempt(client, "the right password")
    assert response.status_code == 302 and response.url == "/admin/"


PROXY = "10.0.0.2"  # the reverse proxy every request arrives from
CLIENT_A, CLIENT_B = "198.51.100.7", "203.0.113.20"


@pytest.fixture
def proxy_settings(settings, monkeypatch):
    """Apply the settings that config/settings.py derives from TRUSTED_PROXY_COUNT."""

    def apply(count: int) -> None:
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", str(count))
        derived = runpy.run_path(str(SETTINGS_FILE))
        for name in PROXY_SETTINGS:
            setattr(settings, name, derived.get(name, DEFAULTS[name]))

    return apply


def _via_proxy(client, password: str, forwarded_for: str):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_one_clients_failures_lock_only_that_client(
    client, settings, proxy_settings
):
    proxy_settings(1)
    User.objects.create_user("editor", password="the right password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "wrong", CLIENT_A)
    assert _via_proxy(client, "the right password", CLIENT_A).status_code == 429
    # A's own X-Forwarded-For entries sit left of what the proxy wrote: ignored.
    spoofed = _via_proxy(client, "the right password", f"{CLIENT_B}, {CLIENT_A}")
    assert spoofed.status_code == 429
    response = _via_proxy(client, "the right password", CLIENT_B)
    assert response.status_code == 302 and response.url == "/admin/"


def test_without_a_proxy_x_forwarded_for_is_ignored(client, settings, proxy_settings):
    proxy_settings(0)
    User.objects.create_user("editor", password="the right password", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _via_proxy(client, "wrong", CLIENT_A)
    # Claiming to be another client does not get round the lock on this address.
    assert _via_proxy(client, "the right password", CLIENT_B).status_code == 429


def test_a_negative_proxy_count_stops_start_up():
    env = {"SECRET_KEY": STRONG_KEY, "TRUSTED_PROXY_COUNT": "-1"}
    out = _settings_process(env, "pass")
    assert out.returncode != 0 and "TRUSTED_PROXY_COUNT must be 0 or more" in out.stderr
