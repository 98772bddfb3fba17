"""Two editors on one record: the second save of a form opened before the first save
is refused with what changed, keeps the editor's input, and writes nothing."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from missions.models import ReportedTotal, StaffingReport
from tests.admin_support import changed, open_form
from tests.celery_support import wait_until
from tests.factories import make_event, make_mission, make_report, make_source
from tests.needs import need

pytestmark = pytest.mark.django_db
REFUSED = "this record changed since you opened it"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def two_editors(editor, publisher) -> tuple[Client, Client]:
    return _client(editor), _client(publisher)


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_second_save_of_a_stale_form_is_refused_with_what_changed(two_editors):
    a, b = two_editors
    report = make_report(workers=22, doctors=10, note="")
    url = _change_url(report)
    form_a = open_form(a, url, "staffingreport_form")
    form_b = open_form(b, url, "staffingreport_form")
    rows_before = report.history.count()

    saved = a.post(
        url, changed(form_a, workers="122", change_reason="A corrects workers +100")
    )
    assert saved.status_code == 302
    refused = b.post(
        url,
        changed(form_b, note="B adds a note", change_reason="B adds a note only"),
    )

    assert refused.status_code == 200
    page = refused.content.decode()
    assert REFUSED in page
    assert "Medical workers: 22 → 122" in page
    assert "by editor" in page and "A corrects workers +100" in page
    assert "B adds a note</textarea>" in page  # the editor's input is kept
    report.refresh_from_db()
    assert (report.workers, report.note) == (122, "")
    assert report.history.count() == rows_before + 1  # A's row only
    assert (
        "B adds a note only" not in b.get(reverse("timeline:changes")).content.decode()
    )

    reopened = open_form(b, url, "staffingreport_form")
    again = b.post(
        url, changed(reopened, note="B adds a note", change_reason="B adds a note")
    )
    assert again.status_code == 302
    report.refresh_from_db()
    assert (report.workers, report.note) == (122, "B adds a note")


def test_a_report_changed_on_its_own_page_makes_the_mission_form_stale(two_editors):
    a, b = two_editors
    report = make_report(workers=22, doctors=10)
    mission = report.mission
    mission_form = open_form(a, _change_url(mission), "mission_form")
    report_form = open_form(b, _change_url(report), "staffingreport_form")
    b.post(
        _change_url(report),
        changed(report_form, workers="30", change_reason="Newer count"),
    )
    refused = a.post(
        _change_url(mission),
        changed(mission_form, summary="Checked", change_reason="Summary"),
    )
    assert refused.status_code == 200
    page = refused.content.decode()
    assert f"staffing report #{report.pk}: Medical workers: 22 → 30" in page
    report.refresh_from_db()
    assert report.workers == 30  # the mission page's inline copy did not undo it
    mission.refresh_from_db()
    assert mission.summary != "Checked"


def _total():
    return ReportedTotal.objects.create(
        year=2024,
        metric=ReportedTotal.Metric.WORKERS_ABROAD,
        value=24000,
        source=make_source(),
    )


@pytest.mark.parametrize(
    ("make", "form_id", "field"),
    [
        (make_mission, "mission_form", "summary"),
        (make_source, "source_form", "title"),
        (_total, "reportedtotal_form", "note"),
        (make_event, "policyevent_form", "summary"),
    ],
    ids=["mission", "source", "reported-total", "event"],
)
def test_every_edited_model_refuses_a_stale_save(two_editors, make, form_id, field):
    a, b = two_editors
    obj = make()
    url = _change_url(obj)
    form_a, form_b = open_form(a, url, form_id), open_form(b, url, form_id)
    first = a.post(url, changed(form_a, **{field: "A's text"}, change_reason="A"))
    assert first.status_code == 302
    second = b.post(url, changed(form_b, **{field: "B's text"}, change_reason="B"))
    assert second.status_code == 200
    assert REFUSED in second.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == "A's text"


def test_a_stale_revert_is_refused(two_editors):
    a, b = two_editors
    report = make_report(workers=22, doctors=10)
    first = report.history.get()
    revert = reverse(
        "admin:missions_staffingreport_simple_history",
        args=[report.pk, first.history_id],
    )
    revert_form = open_form(a, revert, "historicalstaffingreport_form")
    edit_form = open_form(b, _change_url(report), "staffingreport_form")
    b.post(_change_url(report), changed(edit_form, workers="40", change_reason="B"))
    refused = a.post(revert, changed(revert_form, change_reason="Restore"))
    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    report.refresh_from_db()
    assert report.workers == 40


def _waiting_on_locks() -> int:
    with connections["default"].cursor() as cursor:
        # Inside a transaction PostgreSQL keeps the first snapshot of the statistics.
        cursor.execute("select pg_stat_clear_snapshot()")
        cursor.execute(
            "select count(*) from pg_stat_activity "
            "where datname = current_database() and wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_on_postgresql_keep_one_and_refuse_the_other(
    editor, publisher
):
    """Both saves check the version at once: the row lock makes the second wait."""
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    report = make_report(workers=22, doctors=10)
    url = _change_url(report)
    clients = [_client(editor), _client(publisher)]
    forms = [open_form(c, url, "staffingreport_form") for c in clients]
    statuses: list[int] = []

    def save(client: Client, form, workers: str) -> None:
        try:
            data = changed(form, workers=workers, change_reason=f"to {workers}")
            statuses.append(client.post(url, data).status_code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(c, f, w))
        for c, f, w in zip(clients, forms, ["122", "222"], strict=True)
    ]
    # Hold the row so that both saves are in flight before either can finish.
    with transaction.atomic():
        StaffingReport.objects.select_for_update().get(pk=report.pk)
        for thread in threads:
            thread.start()
        assert wait_until(lambda: _waiting_on_locks() == 2, timeout=10)
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(statuses) == [200, 302]
    report.refresh_from_db()
    assert report.history.count() == 2  # created, then the one accepted save
    assert str(report.workers) == report.history.latest().history_change_reason[3:]
