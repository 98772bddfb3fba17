"""Upgrading a database that holds the first data release to the second (fixtures/).

The second release only appends rows to the three data files and corrects Namibia's
row, so the first release is rebuilt here from the fixtures themselves: drop the
appended rows and put the Namibia row back as it was. No second copy of the data is
kept in the repository.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from missions.models import Mission, ReportedTotal, StaffingReport
from tests.dataset_support import dataset_restore, dataset_snapshot
from tests.import_support import FIXTURES, read_csv, run_import, write_csv
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db

# Rows the second release appended at the end of each file.
APPENDED = {"missions.csv": 20, "events.csv": 4, "aggregates.csv": 5}
NAMIBIA_URL = "https://nampa.org/text/22527916"
NAMIBIA_NOTE = (
    "Cuban medical specialists after 8 arrived in late 2024; "
    "120 Cuban experts across all sectors."
)
NEW_HOSTS = {"AIA", "BWA", "CHN", "GMB", "GHA", "GNB", "MTQ", "TZA", "TCA", "ZWE"}
NEW_EVENTS = {
    "created event: Mar 2026 Cuba laments Jamaica's decision and recalls its brigade",
    "created event: Mar 2026 Jamaica's Holness hopes for a new arrangement with Cuba",
    "created event: 4 Mar 2026 Cuban medical brigade leaves Honduras",
    "created event: 5 Mar 2026 Jamaica discontinues Cuban medical cooperation "
    "programme",
}


def _revert_namibia(rows: list[dict]) -> None:
    """The first release counted NAMPA's 98 as doctors."""
    row = next(r for r in rows if r["source_url"] == NAMIBIA_URL)
    row.update(workers="", doctors="98", notes=NAMIBIA_NOTE)


@pytest.fixture(scope="module")
def release_1(tmp_path_factory) -> Path:
    """The first release: the fixtures without the appended rows, Namibia reverted."""
    folder = shutil.copytree(FIXTURES, tmp_path_factory.mktemp("data") / "release-1")
    for name, appended in APPENDED.items():
        rows = read_csv(folder / name)
        kept = rows[:-appended]
        if name == "missions.csv":
            _revert_namibia(kept)
        write_csv(folder / name, kept, list(rows[0]))
    return folder


@pytest.fixture(scope="module")
def _release_1_snapshot(release_1, django_db_setup, django_db_blocker):
    """The first release, imported once for this module (tests/dataset_support.py)."""
    with django_db_blocker.unblock():
        return dataset_snapshot(release_1)


@pytest.fixture
def release_1_data(_release_1_snapshot, db) -> str:
    """The first release in this test's database; returns the import's output."""
    dataset_restore(_release_1_snapshot)
    return _release_1_snapshot.output


@pytest.fixture
def upgrade(release_1_data) -> dict:
    """The first release, then fixtures/ imported; the hosts before, the output."""
    hosts = set(Mission.objects.values_list("country", flat=True))
    return {"hosts_before": hosts, "output": run_import(FIXTURES)}


def _change_lines(output: str) -> list[str]:
    return [
        line
        for line in output.splitlines()
        if line.startswith(("created ", "updated "))
    ]


def test_the_rebuilt_first_release_has_its_known_counts(release_1_data):
    output = release_1_data
    assert "945 rows changed." in output
    assert Mission.objects.count() == 79
    assert StaffingReport.objects.count() == 190
    assert ReportedTotal.objects.count() == 46
    assert PolicyEvent.objects.count() == 120
    namibia = StaffingReport.objects.get(source__url=NAMIBIA_URL)
    assert (namibia.workers, namibia.doctors) == (None, 98)


def test_upgrade_applies_exactly_the_second_release(upgrade):
    output = upgrade["output"]
    assert output.splitlines()[-7:] == [
        "countries: 0 created, 0 updated, 247 unchanged",
        "sources: 24 created, 0 updated, 263 unchanged",
        "missions: 12 created, 4 updated, 75 unchanged",
        "staffing reports: 16 created, 1 updated, 189 unchanged",
        "reported totals: 5 created, 0 updated, 46 unchanged",
        "policy events: 4 created, 0 updated, 120 unchanged",
        "66 rows changed.",
    ]
    assert len(_change_lines(output)) == 66
    hosts = set(Mission.objects.values_list("country", flat=True))
    assert hosts - upgrade["hosts_before"] == NEW_HOSTS
    # One upgrade (a whole import) serves the checks below too.
    _check_the_namibia_correction(upgrade)
    _check_each_new_event_total_and_mission(upgrade)


def _check_the_namibia_correction(upgrade: dict) -> None:
    assert (
        "updated staffing report: Namibia / Cuban health cooperation in Namibia "
        "(since 1991; 2015 agreement) / 6 Jan 2025 / NAMPA: "
        "workers unknown -> 98, doctors 98 -> unknown, note changed"
    ) in upgrade["output"].splitlines()
    report = StaffingReport.objects.get(source__url=NAMIBIA_URL)
    assert (report.workers, report.doctors) == (98, None)
    assert "all staff, not doctors only" in report.note
    assert report.history.first().history_change_reason == "import_dataset"


def _check_each_new_event_total_and_mission(upgrade: dict) -> None:
    lines = _change_lines(upgrade["output"])
    assert {line for line in lines if line.startswith("created event:")} == NEW_EVENTS
    assert (
        "created reported total: 2025 host countries / Inforpress (Cabo Verde): "
        "value 54"
    ) in lines
    assert "created mission: Zimbabwe / Cuban Medical Brigade in Zimbabwe " in (
        "\n".join(lines)
    )
    updated = [line for line in lines if line.startswith("updated mission:")]
    assert len(updated) == 4
    assert all(": sources + http" in line for line in updated)


def test_upgrade_keeps_unknown_counts_unknown(upgrade):
    botswana = StaffingReport.objects.get(
        mission__country="BWA", as_of=dt.date(2023, 9, 16)
    )
    assert (botswana.workers, botswana.doctors, botswana.other_staff) == (
        None,
        97,
        None,
    )
    for code in ("TZA", "GNB"):
        presence = Mission.objects.filter(country=code, reports__isnull=True)
        assert presence.count() == 1
        assert presence.get().sources.count() == 1
    china = Mission.objects.get(country="CHN")
    assert (china.sources.count(), china.reports.count()) == (2, 1)


def test_a_second_import_prints_no_changes(upgrade, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):  # a query per table, as before release 2
        output = run_import(FIXTURES)
    assert _change_lines(output) == []
    assert output.endswith("No changes.\n")
