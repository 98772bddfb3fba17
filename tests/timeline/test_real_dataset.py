"""import_dataset on the project's fixtures: what a fresh import gives, idempotence."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from countries.models import Country
from missions.models import Mission, ReportedTotal, StaffingReport
from tests.import_support import (
    FIXTURES,
    history_counts,
    read_csv,
    row_counts,
    run_import,
    write_csv,
)
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

GUATEMALA_URLS = {
    "https://localnews8.com/cnn-spanish/2026/02/10/guatemala-pondra-fin-gradualmente-"
    "al-programa-de-medicos-cubanos-en-medio-de-la-presion-de-ee-uu-sobre-la-isla/",
    "https://www.prensalibre.com/guatemala/comunitario/medicos-cubanos-se-van-y-el-"
    "ministerio-de-salud-no-convoca-reemplazos/",
}


def test_loads_the_real_dataset(real_data):
    assert "countries: 247 created, 0 updated, 0 unchanged" in real_data
    assert "1006 rows changed." in real_data
    assert Country.objects.count() == 247
    assert Mission.objects.count() == 91
    assert Mission.objects.values("country").distinct().count() == 63
    assert StaffingReport.objects.count() == 206
    assert ReportedTotal.objects.count() == 51
    assert PolicyEvent.objects.filter(is_published=True).count() == 124
    assert Mission.objects.filter(
        country="GTM", status__in=["active", "phasing-out"]
    ).exists()
    reports = StaffingReport.objects.filter(
        mission__country="GTM", workers=412, doctors=333
    )
    assert {r.source.url for r in reports} == GUATEMALA_URLS


def test_keeps_a_sourced_zero_apart_from_an_unknown(real_data):
    report = StaffingReport.objects.get(
        mission__country="BRB", as_of=dt.date(2025, 3, 12)
    )
    assert report.workers == 0
    assert report.doctors is None
    assert report.other_staff is None


def test_namibias_98_are_all_staff_not_doctors(real_data):
    report = StaffingReport.objects.get(
        mission__country="NAM", as_of=dt.date(2025, 1, 6)
    )
    assert (report.workers, report.doctors, report.source.publisher) == (
        98,
        None,
        "NAMPA",
    )


def test_a_presence_only_row_keeps_its_source_but_adds_no_report(real_data):
    tanzania = Mission.objects.get(country="TZA")
    assert tanzania.sources.count() == 1
    assert not tanzania.reports.exists()
    ghana = Mission.objects.get(country="GHA")
    assert ghana.sources.count() == 2
    assert list(ghana.reports.values_list("workers", "doctors")) == [(None, 79)]


def test_keeps_both_reports_where_sources_disagree(real_data):
    november_2018 = StaffingReport.objects.filter(
        mission__country="BRA", as_of__year=2018, as_of__month=11
    )
    assert sorted(november_2018.values_list("doctors", flat=True)) == [8000, 8300]
    assert len({report.source_id for report in november_2018}) == 2


def test_records_history_with_the_import_as_reason(real_data):
    reasons = set(Mission.history.values_list("history_change_reason", flat=True))
    assert reasons == {"import_dataset"}


def test_second_import_changes_nothing(real_data, django_assert_max_num_queries):
    rows, history = row_counts(), history_counts()
    with django_assert_max_num_queries(20):  # a query per model, not one per row
        output = run_import(FIXTURES)
    assert "No changes." in output
    assert "staffing reports: 0 created, 0 updated, 206 unchanged" in output
    assert row_counts() == rows
    assert history_counts() == history


def test_an_edited_row_updates_its_report(real_data, tmp_path):
    folder = shutil.copytree(FIXTURES, tmp_path / "data")
    rows = read_csv(folder / "missions.csv")
    edited = next(r for r in rows if r["source_url"] in GUATEMALA_URLS)
    edited["workers"] = "415"
    write_csv(folder / "missions.csv", rows, list(rows[0]))

    output = run_import(folder)

    assert "staffing reports: 0 created, 1 updated, 205 unchanged" in output
    assert StaffingReport.objects.count() == 206
    report = StaffingReport.objects.get(source__url=edited["source_url"])
    assert report.workers == 415
    assert report.history.first().history_change_reason == "import_dataset"
