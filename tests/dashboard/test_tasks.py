"""The refresh task retries database errors with backoff, five times at most."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from config.celery import app
from dashboard import tasks
from dashboard.models import StatisticsState

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _retries_run_in_process(monkeypatch):
    """Eager tasks retry in-process only when they do not propagate errors."""
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_retries_a_database_error_then_succeeds(monkeypatch):
    real, calls = tasks.statistics_refresh, []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the database restarted")
        return real()

    monkeypatch.setattr(tasks, "statistics_refresh", flaky)
    result = tasks.refresh_statistics_task.apply()
    assert result.successful() and len(calls) == 3
    assert StatisticsState.current().computed_at is not None


def test_gives_up_after_five_retries(monkeypatch):
    calls = []

    def down():
        calls.append(1)
        raise OperationalError("the database is down")

    monkeypatch.setattr(tasks, "statistics_refresh", down)
    with pytest.raises(OperationalError):
        tasks.refresh_statistics_task.apply().get()
    assert len(calls) == 1 + 5


def test_backs_off_exponentially_up_to_a_minute():
    task = tasks.refresh_statistics_task
    assert task.retry_backoff is True and task.retry_backoff_max == 60
    assert task.max_retries == 5
