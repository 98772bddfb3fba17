"""/changes/: public corrections with old -> new values, reason, source and date."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_event, make_mission, make_report
from tests.pages_data import count_queries

pytestmark = pytest.mark.django_db


def _edit(obj, reason: str, **values) -> None:
    for name, value in values.items():
        setattr(obj, name, value)
    obj._change_reason = reason
    obj.save()


def test_lists_a_corrected_figure_with_old_and_new_values(client):
    report = make_report(workers=420, doctors=336)
    _edit(report, "Ministry corrected its count", workers=412, doctors=333)
    response = client.get("/changes/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ministry corrected its count" in html
    assert "<del>420</del>" in html and "<ins>412</ins>" in html
    assert report.source.url in html


def test_draft_events_are_not_shown(client):
    draft = make_event(title="Unverified rumour", is_published=False)
    _edit(draft, "typo", title="Unverified rumour, corrected")
    assert "Unverified rumour" not in client.get("/changes/").content.decode()


def test_import_rows_are_not_changes(client):
    report = make_report(workers=10, doctors=5)
    for model in (type(report), type(report.mission)):
        model.history.update(history_change_reason="import_dataset")
    assert (
        "No changes since the dataset was loaded"
        in client.get("/changes/").content.decode()
    )


def test_escapes_what_editors_typed(client):
    event = make_event(title="Safe title")
    _edit(event, "<script>alert(1)</script>", title="<b>bold</b>")
    html = client.get("/changes/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def _queries(client) -> int:
    return count_queries(client, "/changes/")


def test_query_count_does_not_grow_with_changes(client):
    for i in range(2):
        _edit(make_report(workers=100, doctors=1), "fix", workers=101 + i)
        _edit(make_event(), "fix", summary=f"First {i}")
    few = _queries(client)
    for i in range(15):
        _edit(make_report(workers=100, doctors=1), "fix", workers=120 + i)
        _edit(make_event(), "fix", summary=f"Changed {i}")
    assert _queries(client) == few


def test_an_added_figure_states_its_counts(client):
    report = make_report(
        as_of=dt.date(2026, 3, 5), workers=280, doctors=200, other_staff=None
    )
    report.history.update(history_change_reason="From the announcement")
    html = client.get("/changes/").content.decode()
    assert "Staffing report added" in html
    assert "280 workers, 200 doctors, as of 5 Mar 2026" in html


def test_a_mission_s_status_date_is_a_change(client):
    mission = make_mission(status="ended", status_as_of=dt.date(2026, 3, 5))
    _edit(mission, "Confirmed by the ministry", status_as_of=dt.date(2026, 3, 7))
    html = client.get("/changes/").content.decode()
    assert "Confirmed by the ministry" in html
    assert "<del>5 Mar 2026</del>" in html and "<ins>7 Mar 2026</ins>" in html
