"""Build the data package: the whole dataset, one zip per data version, stored in
the database so every web node serves the same bytes.

A refresh of the statistics queues a build once it commits (`statistics_refresh`);
the build reads every table in one snapshot, so the files agree with each other and
with the data version they are named after. Building a version that is already
stored does nothing; the newest `KEPT_VERSIONS` are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import time
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dashboard.data_export import FILES
from dashboard.datapackage import descriptor
from dashboard.models import DataPackage, StatisticsState

logger = logging.getLogger(__name__)

KEPT_VERSIONS = 5
FILENAME = "cuban-medical-missions-data-v{version}-{date}.zip"
LICENCE_FILE = "LICENCES.md"


def package_filename(version: int, created: dt.datetime) -> str:
    """`cuban-medical-missions-data-v<version>-<yyyy-mm-dd>.zip`."""
    return FILENAME.format(version=version, date=created.date().isoformat())


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> tuple[bytes, int]:
    """A CSV file as UTF-8 bytes and its number of data rows; empty means unknown.

    Cells are written as stored, with no spreadsheet-formula guard (unlike the
    pages' CSV downloads): these are data files, read back by the importer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    return buffer.getvalue().encode(), count


def _snapshot() -> tuple[int, dict[str, tuple[bytes, int]]]:
    """The data version and every file, read from one snapshot of the database."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        # Only a transaction's first statement may set its isolation (inside a
        # caller's transaction, that transaction's snapshot is what we get).
        if outermost and connection.vendor == "postgresql":
            # Every query below sees the database as of the first one.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        version = StatisticsState.current().data_version
        files = {name: csv_bytes(*read()) for name, read in FILES.items()}
    return version, files


def zip_package(
    files: dict[str, tuple[bytes, int]], version: int, created: dt.datetime
) -> bytes:
    """The zip: the CSVs, `datapackage.json` describing them and the licence note."""
    facts = {
        name: (rows, len(data), hashlib.sha256(data).hexdigest())
        for name, (data, rows) in files.items()
    }
    package = descriptor(version=version, created=created, files=facts)
    licences = Path(settings.BASE_DIR, "fixtures", LICENCE_FILE).read_bytes()
    members = {
        "datapackage.json": (json.dumps(package, indent=2) + "\n").encode(),
        **{name: data for name, (data, _) in files.items()},
        LICENCE_FILE: licences,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=created.timetuple()[:6])
            info.external_attr = 0o644 << 16  # readable once unzipped
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def data_package_build() -> DataPackage:
    """Store the package of the current data version (unless it is stored already)
    and drop all but the newest `KEPT_VERSIONS`."""
    started = time.monotonic()
    version = StatisticsState.current().data_version
    existing = DataPackage.objects.listing().filter(data_version=version).first()
    if existing is not None:
        return existing
    version, files = _snapshot()
    created = timezone.now()
    content = zip_package(files, version, created)
    package = DataPackage(
        data_version=version,
        created_at=created,
        filename=package_filename(version, created),
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        rows={name: rows for name, (_, rows) in files.items()},
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    try:
        with transaction.atomic():
            package.save()
            _prune()
            StatisticsState.objects.filter(pk=1).update(package_version=version)
    except IntegrityError:
        # Another build stored this version first: same data, keep theirs.
        return DataPackage.objects.listing().get(data_version=version)
    return package


def _prune() -> None:
    kept = DataPackage.objects.listing().values_list("pk", flat=True)[:KEPT_VERSIONS]
    DataPackage.objects.exclude(pk__in=list(kept)).delete()


def enqueue_data_package_build() -> None:
    """Queue a build; a broker failure is logged and must not fail the refresh."""
    from dashboard.tasks import build_data_package_task

    try:
        build_data_package_task.delay()
    except Exception:
        logger.exception("Could not queue a data package build; retried in a minute")


def data_package_catch_up() -> bool:
    """Queue a build when the statistics are current and no package holds their
    version (a build lost to a broker outage); True if this call queued one."""
    state = StatisticsState.objects.filter(pk=1).first()
    if state is None or state.is_stale or state.package_version == state.data_version:
        return False
    enqueue_data_package_build()
    return True
