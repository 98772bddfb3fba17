"""PostgreSQL connections: a reused connection's health check cannot hang, requests
have a statement limit, and migrations and the statistics refresh (which may
legitimately run longer) do not inherit it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from config.postgresql.base import HEALTH_CHECK_SECONDS
from dashboard.models import CountryStatistic
from dashboard.services import statistics_refresh
from dashboard.services.statistics import REFRESH_LOCK_KEY
from tests.factories import make_country, make_mission, make_report
from tests.fault_support import ROOT, STRONG_KEY
from tests.needs import need


def _statement_timeouts(**env: str) -> list[str]:
    """statement_timeout of a new session of the site, then during migrate."""
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}"
    code = (
        "import django; django.setup(); "
        "from django.core.management.sql import emit_pre_migrate_signal; "
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0]); "
        "emit_pre_migrate_signal(0, False, 'default'); "
        "c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": STRONG_KEY,
            "DATABASE_URL": f"{url}:{db['PORT'] or 5432}/{db['NAME']}",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout.split()


def test_requests_stop_after_30_s_by_default_and_migrations_never(postgres):
    assert _statement_timeouts() == ["30s", "0"]


def test_statement_timeout_is_a_setting(postgres):
    assert _statement_timeouts(DB_STATEMENT_TIMEOUT="5") == ["5s", "0"]
    assert _statement_timeouts(DB_STATEMENT_TIMEOUT="0") == ["0", "0"]


@pytest.mark.django_db(transaction=True)
def test_a_refresh_may_wait_for_another_longer_than_a_request_may(postgres):
    make_report(
        mission=make_mission(country=make_country(iso3="GTM")), workers=7, doctors=1
    )
    errors: list[Exception] = []

    def refresh_with_a_short_statement_limit() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = '200ms'")
            statistics_refresh()
        except Exception as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [REFRESH_LOCK_KEY])
        refresh = threading.Thread(target=refresh_with_a_short_statement_limit)
        refresh.start()
        refresh.join(1.0)  # the refresh waits for the lock 5 × its statement limit
        cursor.execute("SELECT pg_advisory_unlock(%s)", [REFRESH_LOCK_KEY])
    refresh.join(10)
    assert errors == []
    assert CountryStatistic.objects.get(country_id="GTM").workers == 7


@contextmanager
def _frozen_backend(wrapper) -> Iterator[None]:
    """SIGSTOP the server process behind `wrapper`'s connection (only that one),
    thawed after 3 s at the latest, so that a check that waits does not hang."""
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    need(Path(f"/proc/{pid}").exists(), "needs PostgreSQL on this machine")
    try:
        os.kill(pid, signal.SIGSTOP)
    except PermissionError:
        need(False, "needs permission to signal PostgreSQL's processes")
    thaw = threading.Timer(3, os.kill, (pid, signal.SIGCONT))
    thaw.start()
    try:
        yield
    finally:
        thaw.cancel()
        os.kill(pid, signal.SIGCONT)


def test_health_check_of_a_live_connection_passes(postgres):
    wrapper = connection.copy()
    try:
        wrapper.ensure_connection()
        assert wrapper.is_usable()
        with wrapper.cursor() as cursor:  # the connection still works after it
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        wrapper.close()


def test_health_check_gives_up_on_a_frozen_server(postgres):
    wrapper = connection.copy()
    try:
        wrapper.ensure_connection()
        with _frozen_backend(wrapper):
            started = time.monotonic()
            usable = wrapper.is_usable()
            elapsed = time.monotonic() - started
    finally:
        wrapper.close()
    print(f"health check of a frozen server: {usable} after {elapsed:.2f} s")
    assert not usable and elapsed < HEALTH_CHECK_SECONDS + 0.5
