"""The real dataset for tests: imported once per session, copied in where needed.

Importing fixtures/ saves rows one at a time with their history: about 7,000 queries
and several seconds. `dataset_snapshot` runs that import once, in a transaction that
it rolls back, and keeps every row the import wrote. `dataset_restore` inserts those
rows again with one bulk insert per table, inside the calling test's own transaction.
pytest-django rolls that transaction back or flushes it afterwards, so other tests
never see the dataset. Under pytest-xdist the first process to need the dataset
imports it and the other processes read a pickled copy (`dataset_snapshot_shared`).
"""

from __future__ import annotations

import fcntl
import io
import pickle
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction


@dataclass(frozen=True)
class DatasetSnapshot:
    """What an import printed and, table by table, every row it wrote."""

    output: str
    tables: list[tuple[str, list[models.Model]]]  # model label, rows


def _row_counts() -> dict[type[models.Model], int]:
    return {
        model: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def dataset_snapshot(folder: Path) -> DatasetSnapshot:
    """Import `folder` into the empty tables, keep what it wrote, then roll back."""
    out = io.StringIO()
    with transaction.atomic():
        before = _row_counts()
        call_command("import_dataset", str(folder), stdout=out)
        after = _row_counts()
        written = [model for model, count in after.items() if count != before[model]]
        # Rows already there would be restored twice or not at all.
        if crowded := [model.__name__ for model in written if before[model]]:
            raise RuntimeError(f"the dataset snapshot needs empty tables: {crowded}")
        tables = [
            (model._meta.label, list(model._base_manager.all())) for model in written
        ]
        transaction.set_rollback(True)
    return DatasetSnapshot(output=out.getvalue(), tables=tables)


def dataset_snapshot_shared(folder: Path, shared: Path) -> DatasetSnapshot:
    """One import for all the test processes: the first one pickles it to `shared`."""
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if shared.exists():
            return pickle.loads(shared.read_bytes())
        snapshot = dataset_snapshot(folder)
        shared.write_bytes(pickle.dumps(snapshot))
        return snapshot


def dataset_restore(snapshot: DatasetSnapshot) -> None:
    """Insert the snapshot's rows as they were, and move id sequences past them."""
    written = [apps.get_model(label) for label, _ in snapshot.tables]
    with transaction.atomic():  # foreign keys are checked at commit, when all are in
        for model, (_, rows) in zip(written, snapshot.tables, strict=True):
            model._base_manager.bulk_create(rows)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(sql)
