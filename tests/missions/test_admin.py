"""The editors' admin for missions, reports and sources: permissions, plain
validation, history, restores and query counts of every list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from missions.models import Mission, ReportedTotal, StaffingReport
from tests.admin_support import opened_version
from tests.factories import (
    make_country,
    make_event,
    make_mission,
    make_report,
    make_source,
)

pytestmark = pytest.mark.django_db
REPORT_FORM = "staffingreport_form"


def _report_form(mission: Mission, source_id: int, **overrides) -> dict:
    data = {
        "mission": mission.pk,
        "source": source_id,
        "as_of": "2025-03-01",
        "as_of_precision": "month",
        "workers": "412",
        "doctors": "300",
        "other_staff": "",
        "note": "",
        "change_reason": "Checked against the source",
    }
    data.update(overrides)
    return data


def test_editor_can_add_a_staffing_report(editor_client):
    mission, source = make_mission(), make_source()
    response = editor_client.post(
        reverse("admin:missions_staffingreport_add"),
        _report_form(mission, source.pk),
        follow=True,
    )
    assert response.redirect_chain, "the form was not accepted"
    report = StaffingReport.objects.get(mission=mission)
    assert (report.workers, report.doctors, report.other_staff) == (412, 300, None)
    assert report.as_of == dt.date(2025, 3, 1)
    assert report.history.get().history_user.username == "editor"


def test_editor_cannot_delete_a_report(editor_client):
    report = make_report()
    url = reverse("admin:missions_staffingreport_delete", args=[report.pk])
    assert editor_client.get(url).status_code == 403
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert StaffingReport.objects.filter(pk=report.pk).exists()


def test_editor_cannot_see_the_user_admin(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_user_add")).status_code == 403


def test_editor_only_views_countries(editor_client):
    country = make_country()
    url = reverse("admin:countries_country_change", args=[country.iso3])
    response = editor_client.post(url, {"iso3": country.iso3, "name": "Renamed"})
    assert response.status_code == 403
    assert editor_client.get(url).status_code == 200
    assert editor_client.get(reverse("admin:countries_country_add")).status_code == 403


def test_anonymous_user_is_sent_to_the_login_page(client):
    response = client.get("/admin/missions/staffingreport/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_history_of_an_edited_report_keeps_the_old_values(editor_client):
    report = make_report(workers=100, doctors=80)
    url = reverse("admin:missions_staffingreport_change", args=[report.pk])
    response = editor_client.post(
        url,
        _report_form(
            report.mission,
            report.source_id,
            as_of="2025-01-01",
            workers=120,
            doctors=80,
            record_version=opened_version(editor_client, url, REPORT_FORM),
        ),
        follow=True,
    )
    assert response.redirect_chain, "the form was not accepted"
    old, new = report.history.order_by("history_date", "history_id")
    assert (old.workers, new.workers) == (100, 120)
    assert new.history_user.username == "editor"

    history = editor_client.get(
        reverse("admin:missions_staffingreport_history", args=[report.pk])
    )
    assert history.status_code == 200
    records = history.context["page_obj"].object_list
    assert {record.history_id for record in records} == {old.history_id, new.history_id}
    page = history.content.decode()
    for record in (old, new):
        version_url = reverse(
            "admin:missions_staffingreport_simple_history",
            args=[report.pk, record.history_id],
        )
        assert version_url in page
    assert "<strong>Medical workers:</strong>" in page  # the change: 100 → 120
    assert "<td>100</td>" in page and "<td>120</td>" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"workers": "100", "doctors": "150"}, "Doctors cannot outnumber all"),
        (
            {"as_of": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
            "A staffing figure cannot be dated in the future.",
        ),
        (
            {"workers": "", "doctors": "", "other_staff": ""},
            "Give at least one count (workers, doctors or other).",
        ),
    ],
    ids=["doctors-exceed-workers", "future-date", "no-count"],
)
def test_impossible_report_is_refused_in_plain_words(editor_client, overrides, message):
    mission, source = make_mission(), make_source()
    response = editor_client.post(
        reverse("admin:missions_staffingreport_add"),
        _report_form(mission, source.pk, as_of_precision="day", **overrides),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StaffingReport.objects.exists()
    assert not StaffingReport.history.exists()


def test_impossible_inline_report_leaves_the_mission_unchanged(editor_client):
    mission, source = make_mission(name="Mais Médicos"), make_source()
    data = {
        "country": mission.country_id,
        "name": "Renamed brigade",
        "kind": mission.kind,
        "status": mission.status,
        "status_as_of_precision": "day",
        "start_precision": "day",
        "end_precision": "day",
        "summary": "",
        "change_reason": "New figure",
        "reports-TOTAL_FORMS": "1",
        "reports-INITIAL_FORMS": "0",
        "reports-0-as_of": "2025-01-01",
        "reports-0-as_of_precision": "day",
        "reports-0-workers": "10",
        "reports-0-doctors": "20",
        "reports-0-source": source.pk,
    }
    url = reverse("admin:missions_mission_change", args=[mission.pk])
    data["record_version"] = opened_version(editor_client, url, "mission_form")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Doctors cannot outnumber all" in response.content.decode()
    mission.refresh_from_db()
    assert mission.name == "Mais Médicos"
    assert not StaffingReport.objects.exists()


def test_report_list_shows_partial_dates_and_unknown_counts(editor_client):
    make_report(as_of=dt.date(1998, 1, 1), as_of_precision="year", doctors=None)
    response = editor_client.get(reverse("admin:missions_staffingreport_changelist"))
    page = response.content.decode()
    assert "1998" in page and "1 Jan 1998" not in page
    assert '<span class="quiet">unknown</span>' in page


def _reports(n: int) -> None:
    mission = make_mission()
    for day in range(n):
        make_report(mission=mission, as_of=dt.date(2020, 1, 1) + dt.timedelta(day))


def _missions(n: int) -> None:
    for _ in range(n):
        make_report(mission=make_mission(start=dt.date(2001, 5, 1)))


def _events(n: int) -> None:
    for _ in range(n):
        make_event(countries=[make_country(), make_country()])


def _sources(n: int) -> None:
    for _ in range(n):
        make_source()


def _totals(n: int) -> None:
    source = make_source()
    for year in range(2000, 2000 + n):
        ReportedTotal.objects.create(
            year=year,
            metric=ReportedTotal.Metric.DOCTORS_ABROAD,
            value=1,
            source=source,
        )


def _countries(n: int) -> None:
    for _ in range(n):
        make_country()


@pytest.mark.parametrize(
    ("url_name", "make_rows"),
    [
        ("admin:missions_staffingreport_changelist", _reports),
        ("admin:missions_mission_changelist", _missions),
        ("admin:missions_source_changelist", _sources),
        ("admin:missions_reportedtotal_changelist", _totals),
        ("admin:timeline_policyevent_changelist", _events),
        ("admin:countries_country_changelist", _countries),
    ],
    ids=["reports", "missions", "sources", "totals", "events", "countries"],
)
def test_changelist_queries_do_not_grow_with_rows(
    editor_client, url_name: str, make_rows: Callable[[int], None]
):
    url = reverse(url_name)
    editor_client.get(url)  # warm per-process caches (content types, site)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_rows(2)
    with_two = queries()
    make_rows(18)
    assert queries() == with_two


def test_report_list_filters_by_year_and_region(editor_client):
    asia = make_mission(country=make_country(region="Asia", subregion="Eastern Asia"))
    make_report(mission=asia, as_of=dt.date(2019, 6, 1))
    make_report(as_of=dt.date(2019, 6, 1))
    make_report(mission=asia, as_of=dt.date(2024, 6, 1))
    response = editor_client.get(
        reverse("admin:missions_staffingreport_changelist"),
        {"as_of_year": "2019", "region": "Asia"},
    )
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize(
    ("model_name", "field_name"),
    [
        ("staffingreport", "source"),
        ("staffingreport", "mission"),
        ("mission", "country"),
    ],
)
def test_autocomplete_answers_editors(editor_client, model_name, field_name):
    make_report(
        mission=make_mission(name="Mais Médicos", country=make_country(name="Brazil"))
    )
    term = {"source": "Publisher", "mission": "Mais", "country": "Braz"}[field_name]
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "missions",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_a_change_needs_a_reason_which_the_history_keeps(editor_client):
    report = make_report(workers=100, doctors=80)
    url = reverse("admin:missions_staffingreport_change", args=[report.pk])
    data = _report_form(
        report.mission,
        report.source_id,
        workers=120,
        doctors=80,
        record_version=opened_version(editor_client, url, REPORT_FORM),
    )
    response = editor_client.post(url, {**data, "change_reason": ""})
    assert response.status_code == 200
    assert "Say briefly why you change this record" in response.content.decode()
    report.refresh_from_db()
    assert report.workers == 100
    editor_client.post(url, {**data, "change_reason": "Ministry corrected the count"})
    assert (
        report.history.latest().history_change_reason == "Ministry corrected the count"
    )


def test_an_earlier_version_can_be_restored(editor_client):
    report = make_report(workers=100, doctors=80)
    url = reverse("admin:missions_staffingreport_change", args=[report.pk])
    data = _report_form(
        report.mission,
        report.source_id,
        workers=120,
        doctors=80,
        record_version=opened_version(editor_client, url, REPORT_FORM),
    )
    editor_client.post(url, data)
    first = report.history.earliest()
    revert = reverse(
        "admin:missions_staffingreport_simple_history",
        args=[report.pk, first.history_id],
    )
    page = editor_client.get(revert)
    assert page.status_code == 200
    restored = {
        **data,
        "workers": "100",
        "change_reason": "Restore the first count",
        "record_version": opened_version(
            editor_client, revert, "historicalstaffingreport_form"
        ),
    }
    editor_client.post(revert, restored)
    report.refresh_from_db()
    assert report.workers == 100
    assert report.history.latest().history_change_reason == "Restore the first count"
