"""import_dataset on small datasets: fields, lines printed, bad rows rejected whole."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.utils import timezone

from missions.models import Mission, ReportedTotal, Source, StaffingReport
from tests.factories import make_source
from tests.import_support import row_counts, run_import, write_csv
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

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


def import_errors(folder: Path) -> str:
    with pytest.raises(CommandError) as excinfo:
        run_import(folder)
    return str(excinfo.value)


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


def test_reuses_a_source_on_file_by_its_url(tmp_path):
    on_file = make_source(url=MISSION["source_url"], publisher="Example News")
    write_dataset(tmp_path)
    run_import(tmp_path)
    assert Source.objects.filter(url=MISSION["source_url"]).count() == 1
    assert list(Mission.objects.get().sources.all()) == [on_file]
    assert list(PolicyEvent.objects.get().sources.all()) == [on_file]


def test_empty_total_keeps_its_source_but_stores_no_total(tmp_path):
    write_dataset(tmp_path, aggregates=[{"value": ""}])
    output = run_import(tmp_path)
    assert "aggregates.csv line 2 states no value" in output
    assert Source.objects.filter(url=TOTAL["source_url"]).exists()
    assert not ReportedTotal.objects.exists()


# What the import prints.


def test_prints_a_line_for_each_created_row_before_the_tallies(tmp_path):
    write_dataset(tmp_path)
    lines = run_import(tmp_path).splitlines()
    assert lines[:7] == [
        "created country: GTM Guatemala",
        "created source: Example News, https://news.example.org/guatemala",
        "created source: Example Wire, https://news.example.org/totals",
        "created mission: Guatemala / Brigada Medica Cubana",
        "created staffing report: Guatemala / Brigada Medica Cubana / 10 Feb 2026 / "
        "Example News: workers 412, doctors 333, other staff 79",
        "created reported total: 2019 medical workers abroad / Example Wire: "
        "value 28000",
        "created event: 10 Feb 2026 Guatemala announces a gradual end of the programme",
    ]
    assert lines[7] == "countries: 1 created, 0 updated, 0 unchanged"


def test_prints_old_and_new_values_of_an_updated_row(tmp_path):
    write_dataset(tmp_path)
    run_import(tmp_path)
    summary = "Began after Hurricane Mitch, at the request of the government."
    edited = {"start": "1998", "workers": "", "other_staff": "0"}
    notes = f"Mission: {summary} | Figure: Recount."
    write_dataset(tmp_path, missions=[{**edited, "notes": notes}])
    output = run_import(tmp_path)
    assert (
        "updated staffing report: Guatemala / Brigada Medica Cubana / 10 Feb 2026 / "
        "Example News: workers 412 -> unknown, other staff 79 -> 0, "
        "note 'Health ministry count.' -> 'Recount.'"
    ) in output
    assert (
        "updated mission: Guatemala / Brigada Medica Cubana: "
        "start Nov 1998 -> 1998, summary changed"
    ) in output
    assert "staffing reports: 0 created, 1 updated, 0 unchanged" in output


def test_prints_links_added_and_removed(tmp_path):
    write_dataset(tmp_path)
    run_import(tmp_path)
    write_dataset(tmp_path, missions=[{"source_url": "https://news.example.org/b"}])
    output = run_import(tmp_path)
    assert (
        "updated mission: Guatemala / Brigada Medica Cubana: "
        "sources + https://news.example.org/b, "
        "sources - https://news.example.org/guatemala"
    ) in output


def test_an_unchanged_import_prints_only_tallies(tmp_path):
    write_dataset(tmp_path)
    run_import(tmp_path)
    *tallies, last = run_import(tmp_path).splitlines()
    assert len(tallies) == 6
    assert all(": 0 created, 0 updated, " in line for line in tallies)
    assert last == "No changes."


def test_quiet_import_prints_only_the_tallies(tmp_path):
    write_dataset(tmp_path)
    output = run_import(tmp_path, verbosity=0)
    assert output.splitlines()[0] == "countries: 1 created, 0 updated, 0 unchanged"


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
        (
            "missions",
            {"source_url": "ftp://x.org/a"},
            "source_url: A source must be a valid web address starting with http://",
        ),
        (
            "events",
            {"source_url": "javascript:alert(1)"},
            "source_url: A source must be a valid web address starting with http://",
        ),
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


def test_quiet_import_prints_tallies_only_not_notes(tmp_path):
    write_dataset(tmp_path, aggregates=[{"value": ""}])
    output = run_import(tmp_path, verbosity=0)
    assert "states no value" not in output
    assert "countries: 1 created, 0 updated, 0 unchanged" in output


def test_an_in_process_refresh_logs_no_broker_warning(
    tmp_path, caplog, django_capture_on_commit_callbacks
):
    write_dataset(tmp_path)
    with (
        caplog.at_level(logging.INFO),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        run_import(tmp_path, verbosity=0)
    assert callbacks, "the import queues a statistics refresh"
    noisy = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert not [m for m in noisy if "hostname" in m or "succeeded in" in m], noisy


def test_if_empty_leaves_a_database_with_data_as_the_editors_left_it(tmp_path):
    write_dataset(tmp_path)
    run_import(tmp_path)
    report = StaffingReport.objects.get()
    report.workers = 450
    report.save()
    output = run_import(tmp_path, "--if-empty")
    assert "nothing imported" in output
    report.refresh_from_db()
    assert report.workers == 450


def test_if_empty_imports_into_an_empty_database(tmp_path):
    write_dataset(tmp_path)
    run_import(tmp_path, "--if-empty")
    assert StaffingReport.objects.get().workers == 412


def test_an_imported_event_records_all_its_links_in_one_history_row(tmp_path):
    write_dataset(tmp_path)
    run_import(tmp_path)
    event = PolicyEvent.objects.get()
    created, linked = event.history.order_by("history_id")
    assert (created.history_type, linked.history_type) == ("+", "~")
    assert [c.country_id for c in linked.affected_countries.all()] == ["GTM"]
    assert linked.sources.count() == 1
    assert linked.history_change_reason == "import_dataset"
