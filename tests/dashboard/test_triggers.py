"""The statistics trigger: once per transaction, whatever the number of rows saved."""

from __future__ import annotations

import pytest
from django.db import transaction

from dashboard.models import StatisticsState
from tests.factories import make_mission, make_report
from tests.pages_data import queue_refresh_elsewhere

pytestmark = pytest.mark.django_db


def _version() -> int:
    return StatisticsState.current().data_version


def test_one_transaction_bumps_the_data_version_once(
    django_capture_on_commit_callbacks,
):
    queue_refresh_elsewhere()
    before = _version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        mission = make_mission()
        for workers in (10, 20, 30):
            make_report(mission=mission, workers=workers, doctors=None)
    assert len(callbacks) >= 4  # one per save, each cheap
    assert _version() == before + 1


def test_each_transaction_bumps_once(django_capture_on_commit_callbacks):
    queue_refresh_elsewhere()
    before = _version()
    for workers in (10, 20):
        with django_capture_on_commit_callbacks(execute=True):
            make_report(workers=workers, doctors=None)
    assert _version() == before + 2


def test_a_rolled_back_edit_does_not_swallow_the_next_one(
    django_capture_on_commit_callbacks,
):
    queue_refresh_elsewhere()
    before = _version()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            make_report(workers=1, doctors=None)
            raise RuntimeError("the editor's save failed")
    assert _version() == before
    with django_capture_on_commit_callbacks(execute=True):
        make_report(workers=2, doctors=None)
    assert _version() == before + 1


def test_an_edit_refreshes_the_statistics_after_commit(
    django_capture_on_commit_callbacks,
):
    StatisticsState.current()
    with django_capture_on_commit_callbacks(execute=True):
        make_report(workers=7, doctors=None)
    state = StatisticsState.current()
    assert state.data_version >= 1 and not state.is_stale  # refreshed in-process
