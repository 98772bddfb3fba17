"""Load the dataset's CSV files into the database, checking every row first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from missions.models import Mission
from timeline.importers import DatasetError, dataset_import


class Command(BaseCommand):
    help = (
        "Import countries.csv, missions.csv, events.csv and aggregates.csv from a "
        "folder. Every row is checked first; any problem rejects the whole import. "
        "Prints a line for each row created or updated (not with -v 0), then tallies."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="folder holding the CSVs")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="import only into a database with no missions yet, so that a "
            "restart never overwrites editors' corrections with the CSV values",
        )

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder")
        if options["if_empty"] and Mission.objects.exists():
            self.stdout.write(
                "The database already holds missions: nothing imported. Run without "
                "--if-empty to update it to this dataset release."
            )
            return
        try:
            result = dataset_import(directory=directory)
        except DatasetError as exc:
            count = len(exc.lines)
            raise CommandError(
                f"The dataset has {count} problem{'s' if count != 1 else ''}; "
                "nothing was written.\n" + "\n".join(exc.lines)
            ) from None
        if options["verbosity"] >= 1:
            for line in [*result.lines, *result.notices]:
                self.stdout.write(line)
        for tally in result.tallies:
            self.stdout.write(str(tally))
        if result.changed:
            self.stdout.write(self.style.SUCCESS(f"{result.changed} rows changed."))
        else:
            self.stdout.write("No changes.")
