"""Login throttling (django-axes): repeated bad passwords lock the pair for a while."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


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
