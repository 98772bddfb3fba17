"""The data package: its files, its Frictionless descriptor, its versions, and the
round trip through `import_dataset` on the real dataset."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from frictionless import validate

from countries.models import Country
from dashboard import tasks
from dashboard.models import (
    AreaStatistic,
    CountryStatistic,
    DataPackage,
    MissionStatistic,
    SeriesPoint,
    StatisticsState,
)
from dashboard.services import statistics_refresh
from dashboard.services.data_package import KEPT_VERSIONS, data_package_build
from dashboard.services.triggers import data_version_bump
from missions.models import Mission, ReportedTotal, Source, StaffingReport
from tests.factories import make_event, make_source
from tests.pages_data import make_host
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

FILES = [
    "countries.csv",
    "missions.csv",
    "events.csv",
    "aggregates.csv",
    "event_sources.csv",
]


def _unzip(package: DataPackage, folder: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(bytes(package.content))) as archive:
        archive.extractall(folder)
    return folder


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _statistics() -> dict[str, object]:
    """Every derived statistic by natural keys: no ids, times or versions."""
    missions = {m.pk: (m.country_id, m.name) for m in Mission.objects.all()}
    sources = dict(Source.objects.values_list("pk", "url"))
    reports = {
        r.pk: (missions[r.mission_id], r.as_of, r.workers, r.doctors)
        for r in StaffingReport.objects.all()
    }
    events = dict(PolicyEvent.objects.values_list("pk", "title"))
    skip = {"id", "computed_at", "data_version"}

    def rows(model) -> list[tuple]:
        out = []
        for row in model.objects.values():
            row = {k: v for k, v in row.items() if k not in skip}
            for name in ("mission_id", "last_mission_id"):
                if name in row:
                    row[name] = missions.get(row[name])
            for name in ("source_id", "headcount_source_id"):
                if name in row:
                    row[name] = sources.get(row[name])
            # What a country page lists and draws: the figures and events, in order.
            for name in ("latest_report_ids", "chart_report_ids"):
                if row.get(name) is not None:
                    row[name] = [reports[pk] for pk in row[name]]
            if row.get("latest_event_ids") is not None:
                row["latest_event_ids"] = [events[pk] for pk in row["latest_event_ids"]]
            out.append(tuple(sorted(row.items(), key=lambda item: item[0])))
        return sorted(out, key=repr)

    state = StatisticsState.current()
    return {
        "missions": rows(MissionStatistic),
        "countries": rows(CountryStatistic),
        "areas": rows(AreaStatistic),
        "series": rows(SeriesPoint),
        "observed": (state.latest_figure_on, state.latest_event_on),
    }


def _wipe_dataset() -> None:
    """Empty every table the import writes, as in a fresh database."""
    for model in (PolicyEvent, ReportedTotal, StaffingReport, Mission, Source):
        model._base_manager.all().delete()
    Country.objects.all().delete()


def test_real_dataset_package_validates_with_frictionless(real_data, tmp_path):
    statistics_refresh()
    package = data_package_build()
    folder = _unzip(package, tmp_path)
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [*FILES, "datapackage.json", "LICENCES.md"]
    )
    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["version"] == str(StatisticsState.current().data_version)
    assert [r["path"] for r in descriptor["resources"]] == FILES
    assert descriptor["licenses"][0]["path"] == "LICENCES.md"
    assert package.rows["events.csv"] == PolicyEvent.objects.published().count()
    assert package.rows["countries.csv"] == Country.objects.count()
    assert package.rows["aggregates.csv"] == ReportedTotal.objects.count()


def test_countries_csv_is_exported_as_the_fixture_has_it(real_data, tmp_path):
    """The Spanish names survive the package: its countries.csv is the fixture's,
    row for row and column for column."""
    folder = _unzip(data_package_build(), tmp_path)
    fixture = _rows(Path(settings.BASE_DIR) / "fixtures", "countries.csv")
    exported = _rows(folder, "countries.csv")
    assert exported == fixture
    assert {r["iso3"]: r["name_es"] for r in exported}["DOM"] == "República Dominicana"


def test_a_broken_file_fails_validation(real_data, tmp_path):
    folder = _unzip(data_package_build(), tmp_path)
    missions = folder / "missions.csv"
    text = missions.read_text()
    first = text.splitlines()[1]
    missions.write_text(text.replace(first, "ZZZ" + first[3:], 1))
    report = validate(str(folder / "datapackage.json"))
    errors = {error.type for task in report.tasks for error in task.errors}
    assert not report.valid and {"foreign-key", "hash-count"} <= errors


def test_importing_the_package_reproduces_the_statistics(real_data, tmp_path):
    statistics_refresh()
    before = _statistics()
    first = _unzip(data_package_build(), tmp_path / "first")
    assert before["countries"] and before["series"]
    _wipe_dataset()
    assert not Mission.objects.exists()
    call_command("import_dataset", str(first), stdout=io.StringIO())
    statistics_refresh()
    assert _statistics() == before
    # Exporting the re-imported data gives the same files, byte for byte.
    data_version_bump()
    second = _unzip(data_package_build(), tmp_path / "second")
    for name in FILES:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name


def test_only_published_events_are_written(tmp_path):
    host = make_host("GTM", "Guatemala")
    make_event(countries=[host], title="A draft nobody may see", is_published=False)
    folder = _unzip(data_package_build(), tmp_path)
    titles = [row["title"] for row in _rows(folder, "events.csv")]
    assert titles == ["Event in GTM"]
    assert [row["title"] for row in _rows(folder, "event_sources.csv")] == titles


def test_missions_keep_figures_sources_summary_and_status(tmp_path):
    host = make_host("HND", "Honduras", status="phasing-out", workers=172)
    mission = Mission.objects.get(country=host)
    mission.summary = "Paid by the host."
    mission.save()
    mission.sources.add(make_source(url="https://example.org/presence"))
    folder = _unzip(data_package_build(), tmp_path)
    rows = _rows(folder, "missions.csv")
    assert [(r["as_of"], r["workers"], r["source_url"]) for r in rows] == [
        ("2025-06-01", "172", "https://news.example.org/hnd"),
        ("", "", "https://example.org/presence"),
    ]
    assert rows[0]["status"] == "phasing out"
    assert rows[0]["notes"] == "Mission: Paid by the host."


def test_spanish_text_travels_in_the_package_and_back(tmp_path):
    host = make_host("GTM", "Guatemala")
    mission = Mission.objects.get(country=host)
    mission.name_es = "Brigada Médica Cubana"
    mission.summary_es = "Pagada por el anfitrión."
    mission.save()
    event = make_event(countries=[host], title="Brigade leaves")
    event.title_es = "La brigada se retira"
    event.summary_es = "Resumen en español."
    event.save()
    folder = _unzip(data_package_build(), tmp_path)
    missions = _rows(folder, "missions.csv")
    assert {(r["mission_name_es"], r["mission_summary_es"]) for r in missions} == {
        ("Brigada Médica Cubana", "Pagada por el anfitrión.")
    }
    [row] = [r for r in _rows(folder, "events.csv") if r["title"] == "Brigade leaves"]
    assert (row["title_es"], row["summary_es"]) == (
        "La brigada se retira",
        "Resumen en español.",
    )
    _wipe_dataset()
    call_command("import_dataset", str(folder), stdout=io.StringIO())
    assert Mission.objects.get().name_es == "Brigada Médica Cubana"
    assert PolicyEvent.objects.get(title="Brigade leaves").title_es == (
        "La brigada se retira"
    )


def test_an_event_citing_two_sources_lists_both(tmp_path):
    sources = [make_source(url=f"https://example.org/{n}") for n in "ba"]
    make_event(title="Twice sourced", sources=sources)
    folder = _unzip(data_package_build(), tmp_path)
    assert [r["source_url"] for r in _rows(folder, "events.csv")] == [
        "https://example.org/a"
    ]
    assert [r["source_url"] for r in _rows(folder, "event_sources.csv")] == [
        "https://example.org/a",
        "https://example.org/b",
    ]


def test_a_refresh_after_an_edit_builds_a_new_version(
    django_capture_on_commit_callbacks,
):
    StatisticsState.current()
    with django_capture_on_commit_callbacks(execute=True):
        make_host("CUB", "Cuba")
    first = DataPackage.objects.get()
    assert first.data_version == StatisticsState.current().data_version >= 1
    with django_capture_on_commit_callbacks(execute=True):
        make_host("GTM", "Guatemala")
    versions = list(DataPackage.objects.values_list("data_version", flat=True))
    state = StatisticsState.current()
    assert versions == [state.data_version, first.data_version]
    assert state.package_version == state.data_version
    newest = DataPackage.objects.first()
    assert newest.filename == (
        f"cuban-medical-missions-data-v{state.data_version}-"
        f"{newest.created_at.date().isoformat()}.zip"
    )
    assert newest.rows["events.csv"] == 2


def test_building_a_stored_version_again_changes_nothing():
    make_host("CUB", "Cuba")
    first = data_package_build()
    assert data_package_build().pk == first.pk
    assert DataPackage.objects.count() == 1


def test_keeps_only_the_newest_versions():
    make_host("CUB", "Cuba")
    for _ in range(KEPT_VERSIONS + 2):
        data_version_bump()
        data_package_build()
    versions = list(DataPackage.objects.values_list("data_version", flat=True))
    newest = StatisticsState.current().data_version
    assert versions == list(range(newest, newest - KEPT_VERSIONS, -1))


def test_the_catch_up_builds_a_package_a_lost_build_missed():
    make_host("CUB", "Cuba")
    data_version_bump()
    statistics_refresh()  # current statistics, but their package was never built
    assert tasks.catch_up_statistics_task() is True  # in-process without a broker
    assert DataPackage.objects.get().data_version == 1
    assert tasks.catch_up_statistics_task() is False
