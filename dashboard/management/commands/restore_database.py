"""`manage.py restore_database FILE --yes`: replace the whole database with a backup."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from dashboard.backups import BackupError, backup_restore, database_label


class Command(BaseCommand):
    help = (
        "Replace every table of the configured database with those of a backup "
        "made by backup_database. The file is checked first and restored in one "
        "transaction: a missing or damaged file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="database alias (default)"
        )
        parser.add_argument("file", type=Path, help="a file from backup_database")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="confirm replacing the database without asking",
        )

    def handle(self, *args, file: Path, yes: bool, database: str, **options) -> None:
        target = database_label(database)
        if not yes:
            self._confirm(target, file)
        try:
            result = backup_restore(path=file, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {target} from {file} in {result.seconds:.1f} s."
            )
        )
        # The statistics rows came back with the data; this recomputes them and
        # gives public pages new ETags, so no browser keeps a pre-restore page.
        self.stdout.write("Now run: python manage.py refresh_statistics")

    def _confirm(self, target: str, file: Path) -> None:
        if not sys.stdin.isatty():
            raise CommandError(
                f"Restoring replaces every table of {target}: add --yes to confirm."
            )
        answer = input(f"Replace every table of {target} with {file}? Type yes: ")
        if answer.strip().lower() != "yes":
            raise CommandError("Not restored.")
