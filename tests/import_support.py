"""Helpers shared by the import_dataset tests: run the command, CSV files, counts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from countries.models import Country
from missions.models import Mission, ReportedTotal, Source, StaffingReport
from timeline.models import PolicyEvent

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
MODELS = (Country, Source, Mission, StaffingReport, ReportedTotal, PolicyEvent)
HISTORIES = (Source, Mission, StaffingReport, ReportedTotal, PolicyEvent)


def write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def run_import(folder: Path | str, *flags: str, verbosity: int = 1) -> str:
    out = io.StringIO()
    call_command("import_dataset", str(folder), *flags, stdout=out, verbosity=verbosity)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def history_counts() -> dict[str, int]:
    return {model.__name__: model.history.count() for model in HISTORIES}
