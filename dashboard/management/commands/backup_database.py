"""`manage.py backup_database`: write a backup of the whole database to BACKUP_DIR."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from dashboard.backups import BackupError, backup_create, database_label


class Command(BaseCommand):
    help = (
        "Back up every table (history included) from one consistent snapshot: "
        "pg_dump -Fc on PostgreSQL, the online backup API on SQLite. Writes "
        "<engine>-<date>-<time>.<dump|sqlite3> to BACKUP_DIR (default backups/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="database alias (default)"
        )
        parser.add_argument(
            "--dir", dest="folder", type=Path, help="folder (default: BACKUP_DIR)"
        )

    def handle(self, *args, folder: Path | None, database: str, **options) -> None:
        try:
            result = backup_create(folder=folder or settings.BACKUP_DIR, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {database_label(database)} to {result.path} "
                f"({result.size:,} bytes, {result.seconds:.1f} s)."
            )
        )
