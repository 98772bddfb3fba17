"""The refresh through a real broker and worker, and when the broker fails."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
import redis
from django.db import connection, transaction

from config.celery import app
from dashboard.models import CountryStatistic, StatisticsState
from dashboard.services import statistics_refresh
from dashboard.services.statistics import REFRESH_LOCK_KEY
from dashboard.tasks import catch_up_statistics_task, refresh_statistics_task
from tests.celery_support import (
    broker,
    celery_worker,
    free_port,
    kill_worker,
    silent_server,
    wait_until,
    worker_database_url,
)
from tests.factories import make_country, make_mission, make_report

TRANSACTIONAL = pytest.mark.django_db(transaction=True)


def _state() -> StatisticsState:
    return StatisticsState.current()


def _edit(report, workers: int) -> None:
    """One editor's save: its own transaction, as a request would have."""
    with transaction.atomic():
        report.workers = workers
        report.save()


@TRANSACTIONAL
def test_save_succeeds_quickly_when_the_broker_port_is_closed(caplog):
    report = make_report(workers=100, doctors=10)
    with broker(f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        _edit(report, 120)
        elapsed = time.monotonic() - started
    report.refresh_from_db()
    assert report.workers == 120
    print(f"closed broker port: save took {elapsed:.2f}s")
    assert elapsed < 3, f"save took {elapsed:.1f}s"
    state = _state()
    assert state.enqueue_failed_at is not None and state.is_stale
    assert "Could not queue a statistics refresh" in caplog.text


@TRANSACTIONAL
def test_save_succeeds_quickly_when_the_broker_hangs():
    report = make_report(workers=100, doctors=10)
    with silent_server() as port, broker(f"redis://127.0.0.1:{port}/0"):
        started = time.monotonic()
        _edit(report, 130)
        elapsed = time.monotonic() - started
    report.refresh_from_db()
    assert report.workers == 130
    print(f"hung broker: save took {elapsed:.2f}s")
    assert elapsed < 5, f"save took {elapsed:.1f}s"
    assert _state().is_stale and _state().refresh_queued_at is None


@TRANSACTIONAL
def test_without_a_broker_the_refresh_runs_in_process():
    report = make_report(workers=100, doctors=10)
    _edit(report, 140)
    assert CountryStatistic.objects.get(country=report.mission.country).workers == 140
    assert not _state().is_stale


@pytest.fixture
def clean_redis(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield redis_url
    client.flushdb()


@TRANSACTIONAL
def test_an_edit_is_refreshed_by_a_real_worker(postgres, clean_redis):
    report = make_report(workers=100, doctors=10)
    statistics_refresh()
    with broker(clean_redis), celery_worker(clean_redis):
        _edit(report, 412)
        assert wait_until(lambda: not _state().is_stale, timeout=20)
    assert CountryStatistic.objects.get(country=report.mission.country).workers == 412


@TRANSACTIONAL
def test_a_burst_of_edits_gives_a_handful_of_refreshes(postgres, clean_redis):
    report = make_report(workers=100, doctors=10)
    statistics_refresh()
    before = _state().refresh_count
    with broker(clean_redis), celery_worker(clean_redis):
        for workers in range(200, 250):
            _edit(report, workers)
        assert wait_until(lambda: not _state().is_stale, timeout=30)
        time.sleep(2)  # let any straggler run, so it is counted
    refreshes = _state().refresh_count - before
    print(f"50 edits -> {refreshes} refreshes")
    assert 1 <= refreshes <= 5, f"{refreshes} refreshes for 50 edits"
    assert CountryStatistic.objects.get(country=report.mission.country).workers == 249


@TRANSACTIONAL
def test_two_refreshes_cannot_interleave(postgres):
    make_report(
        mission=make_mission(country=make_country(iso3="GTM")), workers=1, doctors=1
    )
    done = threading.Event()

    def refresh_in_thread() -> None:
        try:
            statistics_refresh()
        finally:
            connection.close()
            done.set()

    key = REFRESH_LOCK_KEY
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        worker = threading.Thread(target=refresh_in_thread)
        worker.start()
        assert not done.wait(1.5), "a refresh ran while another held the lock"
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
    assert done.wait(10)
    worker.join()
    assert CountryStatistic.objects.filter(country_id="GTM").exists()


@contextmanager
def _table_locked(table: str) -> Iterator[None]:
    """Another session holds `table` exclusively: a refresh that reads it waits."""
    with psycopg.connect(worker_database_url()) as conn:
        conn.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
        conn.rollback()


def _a_query_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _beat_tick_caught_up() -> bool:
    """What beat does every minute (here every 2 s), then whether it sufficed."""
    catch_up_statistics_task.apply_async()
    return wait_until(lambda: not _state().is_stale, timeout=2)


@TRANSACTIONAL
def test_a_refresh_lost_with_its_killed_worker_is_caught_up(postgres, clean_redis):
    report = make_report(workers=100, doctors=10)
    statistics_refresh()
    with broker(clean_redis):
        with (
            _table_locked("dashboard_countrystatistic"),
            celery_worker(clean_redis, pool="prefork") as worker,
        ):
            _edit(report, 512)  # its refresh starts, then waits for the table
            assert wait_until(_a_query_waits_for_a_lock, timeout=20)
            kill_worker(worker)
        killed = time.monotonic()
        assert _state().is_stale and _state().refresh_queued_at is None
        # The dead worker's task is still unacknowledged in Redis: no new worker
        # gets it before the visibility timeout (900 s).
        with celery_worker(clean_redis):
            assert wait_until(_beat_tick_caught_up, timeout=120, step=0)
    print(f"caught up {time.monotonic() - killed:.1f} s after the worker was killed")
    assert CountryStatistic.objects.get(country=report.mission.country).workers == 512


def test_task_is_set_up_not_to_be_lost():
    task = refresh_statistics_task
    assert task.acks_late and task.reject_on_worker_lost
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert task.time_limit < visibility
    assert app.conf.worker_prefetch_multiplier == 1


def test_beat_schedules_the_refresh_hourly_by_default():
    entry = app.conf.beat_schedule["refresh-statistics"]
    assert entry["task"] == refresh_statistics_task.name
    assert entry["schedule"].total_seconds() == 3600


def test_beat_runs_the_catch_up_every_minute():
    entry = app.conf.beat_schedule["catch-up-statistics"]
    assert entry["task"] == catch_up_statistics_task.name
    assert entry["schedule"].total_seconds() == 60
    # A tick that waited for a worker longer than the next tick is dropped.
    assert entry["options"]["expires"] < 60
