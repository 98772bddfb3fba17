"""Backups in tests: a fingerprint of every table, and a SQLite copy of the site.

`table_fingerprints` gives each table's row count and an MD5 of its sorted rows
(the reliability review's check), plus the id sequences. `sqlite_database` makes a
second database alias on a SQLite file with every table of the site and the rows
of the default database, so the SQLite backup is tested whichever engine the test
run uses (CI runs on PostgreSQL).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.test import override_settings

Fingerprints = dict[str, tuple[int, str]]


def table_fingerprints(using: str = "default") -> Fingerprints:
    """Every table's row count and an MD5 of its rows, and the id sequences."""
    connection = connections[using]
    quote = connection.ops.quote_name
    found: Fingerprints = {}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")
            found[table] = _digest(cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences")
        else:
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
        found["(id sequences)"] = _digest(cursor.fetchall())
    return found


def _digest(rows: list[tuple]) -> tuple[int, str]:
    text = "\n".join(sorted(repr(tuple(row)) for row in rows))
    return len(rows), hashlib.md5(text.encode()).hexdigest()


class _NoMigrations(dict):
    """MIGRATION_MODULES that creates tables straight from the models."""

    def __contains__(self, item: object) -> bool:
        return True

    def __getitem__(self, item: str) -> None:
        return None


# The settings of the SQLite copies open now, by alias. They stay out of
# connections.settings: Django's test cases refuse connections to a configured alias
# a test did not declare, and allow ones created on the fly.
_COPIES: dict[str, dict] = {}


def thread_connection(alias: str) -> None:
    """Give the calling thread its own connection to a SQLite copy (no-op otherwise)."""
    if alias in _COPIES:
        backend = load_backend(_COPIES[alias]["ENGINE"])
        connections[alias] = backend.DatabaseWrapper(_COPIES[alias], alias)


@contextmanager
def sqlite_database(path: Path, alias: str = "sqlite_copy") -> Iterator[str]:
    """A database alias on a SQLite file holding the default database's rows."""
    _COPIES[alias] = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {},
        "HOST": "",
        "PORT": "",
        "USER": "",
        "PASSWORD": "",
        "CONN_MAX_AGE": 0,
    }
    thread_connection(alias)
    try:
        with override_settings(MIGRATION_MODULES=_NoMigrations()):
            call_command("migrate", database=alias, run_syncdb=True, verbosity=0)
        _copy_rows(alias)
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        del _COPIES[alias]


def _copy_rows(alias: str) -> None:
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    # Tables made from the models leave out django_migrations, which a site has.
    MigrationRecorder(connections[alias]).ensure_schema()
    models.append(MigrationRecorder.Migration)
    # SQLite checks Django's foreign keys at commit, so the order does not matter.
    with transaction.atomic(using=alias):
        for model in models:
            model._base_manager.using(alias).all()._raw_delete(alias)
            rows = list(model._base_manager.using("default").all())
            model._base_manager.using(alias).bulk_create(rows)
