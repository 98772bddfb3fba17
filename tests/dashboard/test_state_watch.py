"""On PostgreSQL a web process keeps the statistics state row while PostgreSQL has
notified no change to it, so a page-cache hit costs no query; a change committed by
another session reaches the next request; without a listening connection, and inside
a transaction, the row is read every time (dashboard/state_watch.py)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dashboard import state_watch
from tests.celery_support import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
PAGE = "/about/"


@pytest.fixture
def watching(postgres, settings):
    settings.PAGE_STATE_WATCH = True
    settings.PAGE_CACHE_STORE_SECONDS = 600
    state_watch.page_state()  # starts this process's listener
    assert wait_until(lambda: state_watch._watch.listening, timeout=10)
    yield
    state_watch._watch.stop()  # or the test database could not be dropped


def _other_session() -> psycopg.Connection:
    """A connection of its own, as another web process or the worker has."""
    params = state_watch._listen_params("default")
    params["application_name"] = "test: another process"
    return psycopg.connect(**params, autocommit=True)


def _queries(client, path: str, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    return response, len(queries)


def _hit_without_a_query(client) -> bool:
    return _queries(client, PAGE)[1] == 0


def test_a_cache_hit_costs_no_query_while_the_state_is_watched(client, watching):
    first = client.get(PAGE)
    assert wait_until(lambda: _hit_without_a_query(client), timeout=5)
    again, queries = _queries(client, PAGE)
    assert (again.status_code, queries) == (200, 0)
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_change_committed_by_another_session_reaches_the_next_request(
    client, watching
):
    etag = client.get(PAGE)["ETag"]
    assert wait_until(lambda: _hit_without_a_query(client), timeout=5)
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with _other_session() as other:
        other.execute(
            "UPDATE dashboard_statisticsstate SET data_version = data_version + 1"
        )
    # Delivered on commit: the next requests read the row again and see a new page.
    assert wait_until(
        lambda: client.get(PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 200,
        timeout=5,
        step=0.01,
    )
    assert client.get(PAGE)["ETag"] != etag


def test_without_its_connection_the_watch_reads_every_time_then_listens_again(
    client, watching
):
    client.get(PAGE)
    assert wait_until(lambda: _hit_without_a_query(client), timeout=5)
    with _other_session() as other:
        ended = other.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'tracker state watch' "
            "AND datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    assert ended and all(row[0] for row in ended)
    assert wait_until(lambda: not state_watch._watch.listening, timeout=5, step=0.01)
    response, queries = _queries(client, PAGE)
    assert (response.status_code, queries) == (200, 1)  # the row, read again
    # It reconnects by itself, and hits cost no query again.
    timeout = state_watch.RETRY_SECONDS + 5
    assert wait_until(lambda: _hit_without_a_query(client), timeout=timeout)


def test_inside_a_transaction_the_row_is_read(watching):
    assert wait_until(
        lambda: state_watch.page_state() and state_watch.kept_state(), timeout=5
    )
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        state_watch.page_state()
    assert len(queries) == 1


def test_off_the_row_is_read_every_time(client, watching, settings):
    client.get(PAGE)
    assert wait_until(lambda: _hit_without_a_query(client), timeout=5)
    settings.PAGE_STATE_WATCH = False
    assert _queries(client, PAGE)[1] == 1
