"""import_dataset: loads the real dataset, is idempotent, rejects bad rows whole."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from countries.models import Country
from missions.models import Mission, ReportedTotal, Source, StaffingReport
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
MODELS = (Country, Source, Mission, StaffingReport, ReportedTotal, PolicyEvent)
HISTORIES = (Source, Mission, StaffingReport, ReportedTotal, PolicyEvent)
GUATEMALA_URLS = {
    "https://localnews8.com/cnn-spanish/2026/02/10/guatemala-pondra-fin-gradualmente-"
    "al-programa-de-medicos-cubanos-en-medio-de-la-presion-de-ee-uu-sobre-la-isla/",
    "https://www.prensalibre.com/guatemala/comunitario/medicos-cubanos-se-van-y-el-"
    "ministerio-de-salud-no-convoca-reemplazos/",
}

COUNTRY = {
    "iso3": "GTM",
    "m49": "320",
    "name": "Guatemala",
    "region": "Americas",
    "subregion": "Latin America and the Caribbean",
    "intermediate_region": "Central America",
    "latitude": "15.78",
    "longitude": "-90.23",
}
MISSION = {
    "iso3": "GTM",
    "country": "Guatemala",
    "region": "Americas",
    "subregion": "Central America",
    "mission_name": "Brigada Medica Cubana",
    "kind": "free_solidarity",
    "start": "1998-11",
    "end": "",
    "status": "phasing out",
    "status_as_of": "2026-02-23",
    "as_of": "2026-02-10",
    "workers": "412",
    "doctors": "333",
    "other_staff": "79",
    "source_url": "https://news.example.org/guatemala",
    "publisher": "Example News",
    "published": "2026-02-10",
    "notes": "Mission: Began after Hurricane Mitch. | Figure: Health ministry count.",
}
EVENT = {
    "date": "2026-02-10",
    "title": "Guatemala announces a gradual end of the programme",
    "kind": "termination",
    "actor": "GTM",
    "affected_iso3": "GTM",
    "summary": "The government said the brigade would leave in stages.",
    "figures": "412 brigade members",
    "source_url": "https://news.example.org/guatemala",
    "publisher": "Example News",
    "published": "2026-02-10",
}
TOTAL = {
    "year": "2019",
    "metric": "workers_abroad",
    "value": "28000",
    "source_url": "https://news.example.org/totals",
    "publisher": "Example Wire",
    "published": "2019-12",
    "notes": "Cooperation office figure.",
}


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_dataset(
    folder: Path,
    *,
    countries: list[dict] | None = None,
    missions: list[dict] | None = None,
    events: list[dict] | None = None,
    aggregates: list[dict] | None = None,
) -> Path:
    """A small dataset: each list holds overrides of one default row (None: one row)."""
    folder.mkdir(exist_ok=True)
    files = {
        "countries.csv": (COUNTRY, countries),
        "missions.csv": (MISSION, missions),
        "events.csv": (EVENT, events),
        "aggregates.csv": (TOTAL, aggregates),
    }
    for name, (default, overrides) in files.items():
        rows = [
            {**default, **o} for o in (overrides if overrides is not None else [{}])
        ]
        write_csv(folder / name, rows, list(default))
    return folder


def run_import(folder: Path | str) -> str:
    out = io.StringIO()
    call_command("import_dataset", str(folder), stdout=out)
    return out.getvalue()


def import_errors(folder: Path) -> str:
    with pytest.raises(CommandError) as excinfo:
        run_import(folder)
    return str(excinfo.value)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in HISTORIES}


# The real dataset.


def test_loads_the_real_dataset(real_data):
    assert "countries: 247 created, 0 updated, 0 unchanged" in real_data
    assert Country.objects.count() == 247
    assert Mission.objects.count() == 79
    assert PolicyEvent.objects.filter(is_published=True).count() == 120
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
    assert "staffing reports: 0 created, 0 updated, 190 unchanged" in output
    assert row_counts() == rows
    assert history_counts() == history


def test_an_edited_row_updates_its_report(real_data, tmp_path):
    folder = shutil.copytree(FIXTURES, tmp_path / "data")
    with (folder / "missions.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    edited = next(r for r in rows if r["source_url"] in GUATEMALA_URLS)
    edited["workers"] = "415"
    write_csv(folder / "missions.csv", rows, list(rows[0]))

    output = run_import(folder)

    assert "staffing reports: 0 created, 1 updated, 189 unchanged" in output
    assert StaffingReport.objects.count() == 190
    report = StaffingReport.objects.get(source__url=edited["source_url"])
    assert report.workers == 415
    assert report.history.first().history_change_reason == "import_dataset"


# Small datasets.


def test_stores_date_precision(tmp_path):
    write_dataset(
        tmp_path,
        missions=[{"start": "1998", "as_of": "2025-06", "published": ""}],
        events=[{"date": "1960", "title": "First brigade abroad"}],
    )
    run_import(tmp_path)
    assert PolicyEvent.objects.get().date_precision == "year"
    mission = Mission.objects.get()
    assert (mission.start, mission.start_precision) == (dt.date(1998, 1, 1), "year")
    assert mission.status_as_of_precision == "day"
    assert StaffingReport.objects.get().as_of_precision == "month"


def test_maps_the_dataset_fields(tmp_path):
    write_dataset(tmp_path)
    run_import(tmp_path)
    mission = Mission.objects.get()
    assert mission.status == Mission.Status.PHASING_OUT
    assert mission.summary == "Began after Hurricane Mitch."
    assert mission.reports.get().note == "Health ministry count."
    assert list(mission.sources.values_list("publisher", flat=True)) == ["Example News"]
    total = ReportedTotal.objects.get()
    assert (total.year, total.value, total.source.publisher) == (
        2019,
        28000,
        "Example Wire",
    )


def test_splits_notes_between_mission_and_figure(tmp_path):
    second = {"as_of": "2025", "source_url": "https://news.example.org/b"}
    write_dataset(
        tmp_path,
        missions=[
            {"notes": "Mission: Long-running brigade."},
            {**second, "notes": "A plain figure note."},
        ],
    )
    run_import(tmp_path)
    mission = Mission.objects.get()
    assert mission.summary == "Long-running brigade."
    notes = dict(mission.reports.values_list("source__url", "note"))
    assert notes == {
        MISSION["source_url"]: "",
        second["source_url"]: "A plain figure note.",
    }
    assert mission.sources.count() == 2


def test_a_row_without_counts_makes_a_mission_but_no_report(tmp_path):
    write_dataset(
        tmp_path, missions=[{"workers": "", "doctors": "", "other_staff": ""}]
    )
    run_import(tmp_path)
    assert Mission.objects.get().sources.count() == 1
    assert not StaffingReport.objects.exists()


def test_splits_actors_into_countries_and_an_organisation(tmp_path):
    usa = {**COUNTRY, "iso3": "USA", "m49": "840", "name": "United States"}
    write_dataset(
        tmp_path,
        countries=[{}, usa],
        events=[{"actor": "CARICOM;USA", "affected_iso3": "GTM;USA"}],
    )
    run_import(tmp_path)
    event = PolicyEvent.objects.get()
    assert list(event.actor_countries.values_list("iso3", flat=True)) == ["USA"]
    assert event.actor_organisation == "CARICOM"
    assert set(event.affected_countries.values_list("iso3", flat=True)) == {
        "GTM",
        "USA",
    }
    assert event.is_published


def test_first_publisher_of_a_url_wins(tmp_path):
    write_dataset(
        tmp_path,
        events=[{"publisher": "Example News (citing AFP)"}],
        aggregates=[{"source_url": MISSION["source_url"], "publisher": "Other"}],
    )
    run_import(tmp_path)
    assert Source.objects.get(url=MISSION["source_url"]).publisher == "Example News"


def test_empty_total_keeps_its_source_but_stores_no_total(tmp_path):
    write_dataset(tmp_path, aggregates=[{"value": ""}])
    output = run_import(tmp_path)
    assert "aggregates.csv line 2: no value stated" in output
    assert Source.objects.filter(url=TOTAL["source_url"]).exists()
    assert not ReportedTotal.objects.exists()


def test_rejects_bad_rows_and_writes_nothing(tmp_path):
    write_dataset(
        tmp_path,
        missions=[
            {},
            {"as_of": "2025-01-01", "workers": "412", "doctors": "500"},
            {"iso3": "XXX"},
            {"as_of": "2025-13-01"},
            {"as_of": "2024", "source_url": ""},
        ],
    )
    message = import_errors(tmp_path)
    assert "missions.csv line 3: doctors (500) exceed workers (412)" in message
    assert "missions.csv line 4: unknown ISO code 'XXX'" in message
    assert "missions.csv line 5: as_of '2025-13-01' is not a real date" in message
    assert "missions.csv line 6: source_url is missing" in message
    assert "line 2:" not in message
    assert set(row_counts().values()) == {0}


@pytest.mark.parametrize(
    ("file", "row", "reason"),
    [
        ("missions", {"workers": "-3"}, "workers (-3) is negative"),
        ("missions", {"doctors": "1,200"}, "doctors (1,200) is not a whole number"),
        ("missions", {"kind": "charity"}, "unknown kind 'charity'"),
        ("missions", {"status": "paused"}, "unknown status 'paused'"),
        ("missions", {"as_of": "10/02/2026"}, "as_of '10/02/2026' is not a date"),
        ("missions", {"end": "1990"}, "end (1990) is before start (1998-11)"),
        ("missions", {"publisher": ""}, "publisher is missing"),
        ("missions", {"source_url": "ftp://x.org/a"}, "is not an http(s) URL"),
        ("events", {"kind": "rumour"}, "unknown kind 'rumour'"),
        ("events", {"affected_iso3": "GTM;ZZZ"}, "unknown ISO code 'ZZZ'"),
        ("events", {"date": ""}, "date is missing"),
        ("aggregates", {"metric": "nurses_abroad"}, "unknown metric"),
        ("aggregates", {"year": "19"}, "year '19' is not a four-digit year"),
    ],
)
def test_rejects_a_bad_value(tmp_path, file, row, reason):
    write_dataset(tmp_path, **{file: [row]})
    message = import_errors(tmp_path)
    assert f"{file}.csv line 2: " in message
    assert reason in message
    assert set(row_counts().values()) == {0}


def test_rejects_dates_in_the_future_but_not_this_year(tmp_path):
    year = timezone.localdate().year
    write_dataset(
        tmp_path,
        events=[{"date": str(year)}, {"date": f"{year + 1}-01", "title": "Later"}],
    )
    message = import_errors(tmp_path)
    assert f"events.csv line 3: date {year + 1}-01 is in the future" in message
    assert "line 2" not in message


def test_rejects_a_mission_whose_rows_disagree(tmp_path):
    other = {"as_of": "2025", "source_url": "https://news.example.org/b"}
    write_dataset(tmp_path, missions=[{}, {**other, "status": "ended"}])
    message = import_errors(tmp_path)
    assert "missions.csv line 3: status 'ended' disagrees with line 2" in message


def test_rejects_missing_columns_and_files(tmp_path):
    write_dataset(tmp_path)
    columns = [c for c in MISSION if c not in ("doctors", "workers")]
    write_csv(tmp_path / "missions.csv", [], columns)
    (tmp_path / "events.csv").unlink()
    message = import_errors(tmp_path)
    assert "missions.csv: missing required columns: workers, doctors" in message
    assert "events.csv: file not found" in message


def test_counts_physical_lines_across_quoted_line_breaks(tmp_path):
    write_dataset(
        tmp_path,
        events=[
            {"summary": "First line.\nSecond line."},
            {"title": "", "date": "2025"},
        ],
    )
    assert "events.csv line 4: title is missing" in import_errors(tmp_path)


def test_a_failure_while_writing_rolls_everything_back(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("timeline.importers.events_load", fail)
    write_dataset(tmp_path)
    with pytest.raises(RuntimeError):
        run_import(tmp_path)
    assert set(row_counts().values()) == {0}


def test_rejects_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError, match="is not a folder"):
        run_import(tmp_path / "missing")
