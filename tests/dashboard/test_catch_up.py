"""The catch-up beat runs every minute: it queues a refresh only when the statistics
are behind and nothing is queued or running, and costs one read when they are not."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.utils import timezone

from dashboard.models import StatisticsState
from dashboard.services import statistics_refresh
from dashboard.services.statistics import REFRESH_LOCK_KEY
from dashboard.services.triggers import data_version_bump, statistics_catch_up
from tests.celery_support import worker_database_url
from tests.factories import make_report
from tests.pages_data import queue_refresh_elsewhere

pytestmark = pytest.mark.django_db


def _state() -> StatisticsState:
    return StatisticsState.current()


def test_does_nothing_when_the_statistics_are_current(django_assert_num_queries):
    make_report(workers=5, doctors=None)
    statistics_refresh()
    refreshes = _state().refresh_count
    with django_assert_num_queries(1):
        assert statistics_catch_up() is False
    assert _state().refresh_count == refreshes and _state().refresh_queued_at is None


def test_queues_the_refresh_an_edit_lost(django_capture_on_commit_callbacks):
    make_report(workers=5, doctors=None)
    statistics_refresh()
    data_version_bump()  # an edit whose refresh never ran (broker down, worker killed)
    assert _state().is_stale
    assert statistics_catch_up() is True  # without a broker it runs in-process
    assert not _state().is_stale


def test_leaves_a_just_queued_refresh_to_its_worker():
    statistics_refresh()
    queue_refresh_elsewhere()
    data_version_bump()
    assert statistics_catch_up() is False
    assert _state().is_stale


def test_queues_again_a_refresh_queued_over_a_minute_ago():
    statistics_refresh()
    minutes_ago = timezone.now() - dt.timedelta(minutes=2)
    StatisticsState.objects.filter(pk=1).update(refresh_queued_at=minutes_ago)
    data_version_bump()
    assert statistics_catch_up() is True
    assert not _state().is_stale


def test_leaves_a_running_refresh_alone(postgres):
    data_version_bump()  # never refreshed: behind
    with psycopg.connect(worker_database_url(), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [REFRESH_LOCK_KEY])
        assert statistics_catch_up() is False  # another session is refreshing
    assert statistics_catch_up() is True
