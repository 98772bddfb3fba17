"""Bulk upload in the admin: staffing figures, checked exactly as the dataset import.

django-import-export drives the pages (upload, preview, confirm). Before any row is
imported, the whole file goes through the dataset importer's own checks, so a file the
`import_dataset` command would refuse is refused here with the same reasons and line
numbers (line 2 is the first data row). A file with any problem writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import Any

from django.db import models
from django.utils import timezone
from import_export import fields, resources
from import_export.results import Error, ErrorRow, Result
from tablib import Dataset

# The import command's own CSV row reader (required columns, blank rows, line numbers):
# reusing it keeps one set of rules.
from countries.dataset import Problems, Row, read_rows, set_values, upsert
from countries.importers import known_iso3
from missions.importers import (
    COUNTS,
    MISSION_COLUMNS,
    MISSION_SPANISH_COLUMNS,
    MissionPlan,
    ReportPlan,
    check_missions,
    check_sources,
    missions_by_key,
)
from missions.models import Mission, Source, StaffingReport
from missions.services import source_get_or_create

CHANGE_REASON = "bulk upload"


class RowProblem(Exception):
    """What the dataset checks found wrong with one row (or, on line 1, the file)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class Column(fields.Field):
    """A preview column: what the database holds for one CSV column after the row."""

    def __init__(self, column_name: str, read: Callable[[Any], Any]) -> None:
        super().__init__(attribute=column_name, column_name=column_name, readonly=True)
        self.read = read

    def get_value(self, instance: models.Model) -> Any:
        try:
            value = self.read(instance)
        except (ValueError, models.ObjectDoesNotExist):
            # An unsaved row has no relations yet; its "before" side is blank anyway.
            return ""
        return "" if value is None else value


class LineNumberedResult(Result):
    """An import result listing row errors by CSV line, problems with the file first."""

    def row_errors(self) -> list[tuple[int, list[Error]]]:
        # The stock method numbers errors by their place among reported rows instead.
        return [(row.number, row.errors) for row in self.error_rows]


class _TableReader:
    """The uploaded table as csv.reader would give it, with its physical line numbers.

    tablib has already parsed the file; a quoted value spanning lines gives back its
    line breaks, so numbers match the import command's, except after blank lines,
    which tablib drops.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.records = [
            ["" if value is None else str(value) for value in record]
            for record in [dataset.headers or [], *dataset]
        ]
        spans = [1 + sum(v.count("\n") for v in record) for record in self.records]
        self.ends = list(accumulate(spans))
        # starts[0] is the header's line, starts[n] that of import-export's row n.
        self.starts = [
            end - span + 1 for end, span in zip(self.ends, spans, strict=True)
        ]
        self.line_num = 0
        self._index = 0

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        if self._index == len(self.records):
            raise StopIteration
        record = self.records[self._index]
        self.line_num = self.ends[self._index]
        self._index += 1
        return record


class DatasetRowsResource(resources.ModelResource):
    """A resource whose file is checked as a whole by the dataset importer first.

    Subclasses name their CSV `columns`, check the rows in `check_rows` and apply one
    checked plan to an instance in `apply_plan`. A row without a plan (because the
    file has a problem, or the row has nothing to import) is skipped.
    """

    columns: tuple[str, ...] = ()
    # Columns a file may leave out (the upload page lists them too).
    optional_columns: tuple[str, ...] = ()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user: Any = None
        self.plans: dict[int, Any] = {}
        self.problems: dict[int, list[str]] = {}
        self.lines: dict[int, int] = {}
        self.file_problems: list[str] = []
        # Each source URL's other fields, from the first row citing it.
        self.sources: dict[str, dict[str, Any]] = {}
        # The row being imported: import-export passes its number to few hooks.
        self.current: Any = None
        self.fields_changed = False
        self.links_changed = False

    def check_rows(
        self, rows: list[Row], problems: Problems, today: dt.date, known: set[str]
    ) -> dict[int, Any]:
        """Check every row; return each importable row's plan by its line."""
        raise NotImplementedError

    def find(self, plan: Any) -> models.Model | None:
        """The stored instance with the plan's natural key, if there is one."""
        raise NotImplementedError

    def apply_plan(self, instance: models.Model, plan: Any) -> None:
        """Set a plan's values on the instance; set fields_changed/links_changed."""
        raise NotImplementedError

    @classmethod
    def get_result_class(cls) -> type[Result]:
        return LineNumberedResult

    def get_user_visible_fields(self) -> list[fields.Field]:
        """The CSV columns, for the upload page's list of expected columns."""
        shown = (*self.columns, *self.optional_columns)
        return [f for f in self.get_import_fields() if f.column_name in shown]

    def import_data(self, dataset: Dataset, dry_run: bool = False, **kwargs: Any):
        """All rows or none; on the confirm step an error raises (and rolls back)."""
        kwargs["rollback_on_validation_errors"] = True
        if not dry_run:
            # A failure after a clean preview (a race, or a forged confirm) must not be
            # reported as "Import finished".
            kwargs["raise_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def before_import(self, dataset: Dataset, **kwargs: Any) -> None:
        """Run the importer's checks over the whole file before any row is imported."""
        self.user = kwargs.get("user")
        self.plans, self.problems, self.file_problems = {}, {}, []
        reader = _TableReader(dataset)
        problems = Problems()
        name = kwargs.get("file_name") or "upload"
        rows = read_rows(name, reader, self.columns, problems)
        plans = self.check_rows(rows, problems, timezone.localdate(), known_iso3([]))
        self.lines = dict(enumerate(reader.starts))
        number_of = {line: number for number, line in self.lines.items()}
        for _file, line, message in problems.items:
            if line:
                self.problems.setdefault(number_of[line], []).append(message)
            else:
                self.file_problems.append(message)
        if not problems:
            self.plans = {number_of[line]: plan for line, plan in plans.items()}

    def before_import_row(self, row: dict, row_number: int = 0, **kwargs: Any) -> None:
        if row_number in self.problems:
            raise RowProblem(self.problems[row_number])
        self.current = self.plans.get(row_number)
        self.fields_changed = self.links_changed = False

    def get_instance(self, instance_loader: Any, row: dict) -> models.Model | None:
        return None if self.current is None else self.find(self.current)

    def import_instance(self, instance: models.Model, row: dict, **kwargs: Any) -> None:
        if self.current is not None:
            self.apply_plan(instance, self.current)

    def skip_row(
        self,
        instance: models.Model,
        original: models.Model | None,
        row: dict,
        import_validation_errors: dict | None = None,
    ) -> bool:
        if self.current is None:
            return True  # nothing to import from this row
        if instance.pk is None:
            return False
        return not (self.fields_changed or self.links_changed)

    def before_save_instance(
        self, instance: models.Model, row: dict, **kwargs: Any
    ) -> None:
        instance._change_reason = CHANGE_REASON

    def do_instance_save(self, instance: models.Model, is_create: bool) -> None:
        # Only links changed: saving would add a history record that changes nothing.
        if is_create or self.fields_changed:
            super().do_instance_save(instance, is_create)

    def source(self, url: str) -> Source:
        """The source on file with this URL, else one made from its first row."""
        fields = self.sources[url]
        return source_get_or_create(url=url, defaults=fields, reason=CHANGE_REASON)[0]

    def after_import(self, dataset: Dataset, result: Result, **kwargs: Any) -> None:
        """List errors one reason each, by CSV line as the import command does."""
        super().after_import(dataset, result, **kwargs)
        for error_row in result.error_rows:
            line = self.lines.get(error_row.number, error_row.number)
            error_row.number = line
            error_row.errors = [
                split
                for error in error_row.errors
                for split in _one_per_reason(error, line)
            ]
        if self.file_problems:
            errors = [
                Error(RowProblem([text]), number=1) for text in self.file_problems
            ]
            result.error_rows.insert(0, ErrorRow(number=1, errors=errors))


def _one_per_reason(error: Error, line: int) -> list[Error]:
    """A row's problems as one error each; any other error as it is."""
    if not isinstance(error.error, RowProblem):
        error.number = line
        return [error]
    return [
        Error(RowProblem([text]), row=error.row, number=line)
        for text in error.error.messages
    ]


class StaffingReportResource(DatasetRowsResource):
    """Staffing figures as missions.csv rows, keyed by mission, as-of date and source.

    A new mission is created from its first row, as the dataset import does; an
    existing mission keeps its fields (a partial file would otherwise overwrite them)
    and gains the row's source. A row without any count adds no figure and is skipped.
    """

    columns = MISSION_COLUMNS
    optional_columns = tuple(MISSION_SPANISH_COLUMNS)

    iso3 = Column("iso3", lambda r: r.mission.country_id)
    mission_name = Column("mission_name", lambda r: r.mission.name)
    kind = Column("kind", lambda r: r.mission.kind)
    start = Column("start", lambda r: r.mission.start_display)
    end = Column("end", lambda r: r.mission.end_display)
    status = Column("status", lambda r: r.mission.get_status_display())
    status_as_of = Column("status_as_of", lambda r: r.mission.status_as_of_display)
    as_of = Column("as_of", lambda r: r.as_of_display if r.as_of else "")
    workers = Column("workers", lambda r: r.workers)
    doctors = Column("doctors", lambda r: r.doctors)
    other_staff = Column("other_staff", lambda r: r.other_staff)
    source_url = Column("source_url", lambda r: r.source.url)
    publisher = Column("publisher", lambda r: r.source.publisher)
    published = Column("published", lambda r: r.source.published_display)
    notes = Column("notes", lambda r: r.note)
    mission_name_es = Column("mission_name_es", lambda r: r.mission.name_es)
    mission_summary_es = Column("mission_summary_es", lambda r: r.mission.summary_es)

    class Meta:
        model = StaffingReport
        fields = (*MISSION_COLUMNS, *MISSION_SPANISH_COLUMNS)
        import_id_fields = ()
        # Diffs are only for the preview; skipped (unchanged) rows are still listed.
        report_skipped = True

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.missions: dict[tuple[str, str], Mission] = {}

    def check_rows(
        self, rows: list[Row], problems: Problems, today: dt.date, known: set[str]
    ) -> dict[int, tuple[MissionPlan, ReportPlan]]:
        self.sources = check_sources(rows, problems, today)
        missions, reports = check_missions(rows, problems, today, known)
        if problems:
            return {}
        # Found by natural key as the import command finds them.
        self.missions = missions_by_key()
        by_key = {plan.key: plan for plan in missions}
        # Without problems no figure repeats, so reports follow the counted rows 1:1.
        counted = [row for row in rows if any(row[column] for column in COUNTS)]
        return {
            row.line: (by_key[(row["iso3"], row["mission_name"])], report)
            for row, report in zip(counted, reports, strict=True)
        }

    def find(self, plan: tuple[MissionPlan, ReportPlan]) -> StaffingReport | None:
        mission_plan, report = plan
        return StaffingReport.objects.filter(
            mission__country_id=mission_plan.key[0],
            mission__name=mission_plan.key[1],
            as_of=report.values["as_of"],
            source__url=report.source_url,
        ).first()

    def apply_plan(
        self, instance: StaffingReport, plan: tuple[MissionPlan, ReportPlan]
    ) -> None:
        self.fields_changed = bool(set_values(instance, plan[1].values))

    def before_save_instance(
        self, instance: StaffingReport, row: dict, **kwargs: Any
    ) -> None:
        super().before_save_instance(instance, row, **kwargs)
        mission_plan, report = self.current
        source = self.source(report.source_url)
        if instance.pk is None:
            instance.mission = self.mission(mission_plan)
            instance.source = source
        mission = instance.mission
        if not mission.sources.filter(pk=source.pk).exists():
            mission._change_reason = CHANGE_REASON
            mission.sources.add(source)

    def mission(self, plan: MissionPlan) -> Mission:
        """The mission on file with the plan's key, else one made from its first row."""
        if plan.key not in self.missions:
            upsert(Mission, self.missions, plan.key, plan.values, reason=CHANGE_REASON)
        return self.missions[plan.key]
