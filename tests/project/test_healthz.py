"""/healthz: database, broker and statistics, as the README promises."""

from __future__ import annotations

import socket
import threading

import pytest

from dashboard.services import statistics_refresh

pytestmark = pytest.mark.django_db


def test_without_a_broker_says_so_and_is_healthy(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True
    assert response.json()["broker"] is None


def test_reachable_broker_is_healthy(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    response = client.get("/healthz")
    assert (response.status_code, response.json()["broker"]) == (200, True)


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed once the socket is


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    accepted = []
    thread = threading.Thread(
        target=lambda: accepted.append(server.accept()), daemon=True
    )
    thread.start()
    yield server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("port_fixture", ["closed_port", "silent_port"])
def test_unreachable_broker_is_a_503_naming_it(client, settings, request, port_fixture):
    port = request.getfixturevalue(port_fixture)
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] is False
    assert response.json()["database"] is True


def test_says_how_fresh_the_statistics_are(client, settings):
    settings.CELERY_BROKER_URL = ""
    assert client.get("/healthz").json()["statistics"]["computed_at"] is None
    statistics_refresh()
    statistics = client.get("/healthz").json()["statistics"]
    assert statistics["computed_at"] is not None and statistics["stale"] is False
