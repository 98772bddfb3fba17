"""`backup_database` and `restore_database`: every table comes back identical, from a
consistent snapshot; a missing, foreign or damaged file changes nothing."""

from __future__ import annotations

import io
import re
import shutil
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.models import F, Sum

from missions.models import Source, StaffingReport
from tests.backup_support import (
    sqlite_database,
    table_fingerprints,
    thread_connection,
)
from tests.celery_support import wait_until
from tests.needs import need
from timeline.models import PolicyEvent

pytestmark = pytest.mark.django_db
NAME = re.compile(r"^(postgresql|sqlite)-\d{8}-\d{6}\.(dump|sqlite3)$")
HISTORY_TABLES = {
    "missions_historicalmission",
    "missions_historicalstaffingreport",
    "missions_historicalsource",
    "timeline_historicalpolicyevent",
}


def _backup(folder: Path, using: str) -> Path:
    out = io.StringIO()
    call_command("backup_database", folder=folder, database=using, stdout=out)
    (path,) = folder.iterdir()
    assert NAME.match(path.name), path.name
    assert str(path) in out.getvalue()
    return path


def _restore(path: Path, using: str) -> str:
    out = io.StringIO()
    call_command("restore_database", str(path), yes=True, database=using, stdout=out)
    return out.getvalue()


def _edit(using: str) -> None:
    """Changes an editor could make after the backup: a figure, a deletion, a row."""
    reports = StaffingReport.objects.using(using)
    reports.filter(pk=reports.order_by("pk").first().pk).update(
        workers=F("workers") + 7
    )
    history = StaffingReport.history.using(using)
    history.filter(pk=history.order_by("pk").first().pk).delete()
    Source.objects.using(using).bulk_create([Source(url="https://after.example/1")])


def _assert_round_trip(before: dict, after: dict) -> None:
    assert len(before) >= 40  # every table of the site, not a sample
    assert HISTORY_TABLES <= before.keys()
    assert all(before[table][0] > 0 for table in HISTORY_TABLES)
    differing = sorted(t for t in before if before[t] != after.get(t))
    assert differing == []


def test_sqlite_round_trip_brings_back_every_table(real_data, tmp_path):
    with sqlite_database(tmp_path / "site.sqlite3") as alias:
        before = table_fingerprints(alias)
        path = _backup(tmp_path / "backups", alias)
        _edit(alias)
        assert table_fingerprints(alias) != before
        said = _restore(path, alias)
        _assert_round_trip(before, table_fingerprints(alias))
    assert "refresh_statistics" in said


@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip_brings_back_every_table(real_data, tmp_path):
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    need(shutil.which("pg_dump") is not None, "needs pg_dump and pg_restore")
    before = table_fingerprints()
    path = _backup(tmp_path, "default")
    _edit("default")
    PolicyEvent.objects.order_by("pk").last().delete()
    assert table_fingerprints() != before
    _restore(path, "default")
    _assert_round_trip(before, table_fingerprints())
    # The id sequences came back too: a new row does not collide with a restored one.
    newest = Source.objects.order_by("pk").last().pk
    assert Source.objects.create(url="https://after.example/2").pk > newest


def test_backup_goes_to_backup_dir_by_default(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "configured"
    with sqlite_database(tmp_path / "site.sqlite3") as alias:
        call_command("backup_database", database=alias, stdout=io.StringIO())
    (path,) = (tmp_path / "configured").iterdir()
    assert NAME.match(path.name)


def _bad_files(tmp_path: Path, good: Path) -> dict[str, Path]:
    truncated = tmp_path / f"truncated{good.suffix}"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a backup\n")
    return {
        "no such file": tmp_path / "missing.dump",
        "truncated": truncated,
        "foreign": foreign,
    }


def _assert_refused_and_unchanged(path: Path, using: str) -> None:
    before = table_fingerprints(using)
    with pytest.raises(CommandError, match="nothing was changed|no such file"):
        _restore(path, using)
    assert table_fingerprints(using) == before


def test_sqlite_restore_of_a_missing_or_damaged_file_changes_nothing(
    real_data, tmp_path
):
    with sqlite_database(tmp_path / "site.sqlite3") as alias:
        good = _backup(tmp_path / "backups", alias)
        _edit(alias)
        for path in _bad_files(tmp_path, good).values():
            _assert_refused_and_unchanged(path, alias)


@pytest.mark.django_db(transaction=True)
def test_postgresql_restore_of_a_damaged_file_changes_nothing(real_data, tmp_path):
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    need(shutil.which("pg_dump") is not None, "needs pg_dump and pg_restore")
    good = _backup(tmp_path / "backups", "default")
    _edit("default")
    for path in _bad_files(tmp_path, good).values():
        _assert_refused_and_unchanged(path, "default")


def test_restore_asks_for_confirmation(tmp_path):
    with sqlite_database(tmp_path / "site.sqlite3") as alias:
        path = _backup(tmp_path / "backups", alias)
        with pytest.raises(CommandError, match="add --yes"):
            call_command("restore_database", str(path), database=alias)


def _move_workers(
    using: str, stop: threading.Event, pair: list[int], saves: list[int]
) -> None:
    """An editor saving again and again: each save moves one worker between two
    reports, so the pair's total never changes in any committed state."""
    thread_connection(using)
    reports = StaffingReport.objects.using(using)
    try:
        while not stop.is_set():
            with transaction.atomic(using=using):
                reports.filter(pk=pair[0]).update(workers=F("workers") - 1)
                reports.filter(pk=pair[1]).update(workers=F("workers") + 1)
            saves.append(1)
    finally:
        connections[using].close()


def _backup_while_saving(folder: Path, using: str) -> tuple[Path, list[int], int]:
    reports = StaffingReport.objects.using(using).filter(workers__gt=1000)
    pair = list(reports.order_by("pk").values_list("pk", flat=True)[:2])
    total = reports.filter(pk__in=pair).aggregate(n=Sum("workers"))["n"]
    stop, saves = threading.Event(), []
    editor = threading.Thread(target=_move_workers, args=(using, stop, pair, saves))
    editor.start()
    try:
        assert wait_until(lambda: len(saves) >= 5, timeout=10)
        during = len(saves)
        path = _backup(folder, using)
        assert wait_until(lambda: len(saves) > during, timeout=10)
    finally:
        stop.set()
        editor.join(timeout=10)
    return path, pair, total


def test_sqlite_backup_taken_while_an_editor_saves_is_consistent(real_data, tmp_path):
    with sqlite_database(tmp_path / "site.sqlite3") as alias:
        path, pair, total = _backup_while_saving(tmp_path / "backups", alias)
        _restore(path, alias)
        restored = StaffingReport.objects.using(alias).filter(pk__in=pair)
        assert restored.aggregate(n=Sum("workers"))["n"] == total


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_taken_while_an_editor_saves_is_consistent(
    real_data, tmp_path
):
    need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")
    need(shutil.which("pg_dump") is not None, "needs pg_dump and pg_restore")
    path, pair, total = _backup_while_saving(tmp_path, "default")
    _restore(path, "default")
    restored = StaffingReport.objects.filter(pk__in=pair)
    assert restored.aggregate(n=Sum("workers"))["n"] == total
