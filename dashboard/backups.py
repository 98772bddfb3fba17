"""Backups of the whole database, and restoring one: every table, history included.

PostgreSQL goes through `pg_dump -Fc` and `pg_restore`, SQLite through its online
backup API. Both read one consistent snapshot while editors keep saving. Connection
settings reach the PostgreSQL tools as PG* environment variables, so the password
never appears on a command line. A restore checks the file first and then writes in
one transaction, so a missing, foreign or damaged file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

SUFFIXES = {"postgresql": "dump", "sqlite": "sqlite3"}
# Settings keys and the libpq variables that carry them to pg_dump and pg_restore.
PG_ENV = {
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
}
PG_OPTIONS_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


class BackupError(Exception):
    """A backup or restore that could not be made; nothing was written."""


@dataclass(frozen=True)
class BackupResult:
    """The file written or read, its size and how long the work took."""

    path: Path
    size: int
    seconds: float


def backup_create(*, folder: Path, using: str = "default") -> BackupResult:
    """Write a backup of the configured database to a new file in `folder`."""
    engine = _engine(using)
    folder.mkdir(parents=True, exist_ok=True)
    path = _new_name(folder, engine)
    partial = path.with_name(path.name + ".partial")
    started = time.monotonic()
    try:
        if engine == "postgresql":
            _pg_dump(using, partial)
        else:
            _sqlite_dump(using, partial)
        partial.replace(path)  # the file appears whole or not at all
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(path, path.stat().st_size, time.monotonic() - started)


def backup_restore(*, path: Path, using: str = "default") -> BackupResult:
    """Replace every table of the configured database with the backup's."""
    engine = _engine(using)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    started = time.monotonic()
    if engine == "postgresql":
        _pg_check(path)
        _pg_restore(using, path)
    else:
        _sqlite_check(path)
        _sqlite_restore(using, path)
    return BackupResult(path, path.stat().st_size, time.monotonic() - started)


def database_label(using: str = "default") -> str:
    """The database a command works on, for its messages (no password)."""
    settings = connections[using].settings_dict
    engine = _engine(using)
    if engine == "sqlite":
        return f"SQLite {settings['NAME']}"
    host = f"{settings.get('HOST') or 'local socket'}:{settings.get('PORT') or 5432}"
    return f"PostgreSQL {settings['NAME']} on {host}"


def _engine(using: str) -> str:
    vendor = connections[using].vendor
    if vendor not in SUFFIXES:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _new_name(folder: Path, engine: str) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{engine}-{stamp}.{SUFFIXES[engine]}"
    n = 1
    while path.exists():  # two backups in one second
        n += 1
        path = folder / f"{engine}-{stamp}-{n}.{SUFFIXES[engine]}"
    return path


# PostgreSQL.


def _pg_env(using: str) -> dict[str, str]:
    settings = connections[using].settings_dict
    env = dict(os.environ)
    for key, name in PG_ENV.items():
        if settings.get(key):
            env[name] = str(settings[key])
    for key, name in PG_OPTIONS_ENV.items():
        if settings.get("OPTIONS", {}).get(key):
            env[name] = str(settings["OPTIONS"][key])
    env["PGDATABASE"] = settings["NAME"]
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client "
            "(apt-get install postgresql-client), the same major version as the server "
            "or newer."
        )
    return path


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what} failed; nothing was changed.\n{done.stderr.strip()}")


def _pg_dump(using: str, target: Path) -> None:
    # pg_dump reads one snapshot: saves committed during the dump are not in it.
    args = [_pg_tool("pg_dump"), "--format=custom", f"--file={target}"]
    _run(args, _pg_env(using), "pg_dump")


def _pg_check(path: Path) -> None:
    listing = subprocess.run(
        [_pg_tool("pg_restore"), "--list", str(path)],
        capture_output=True,
        text=True,
    )
    if listing.returncode != 0:
        raise BackupError(
            f"{path} is not a PostgreSQL backup (pg_dump -Fc archive); nothing was "
            f"changed.\n{listing.stderr.strip()}"
        )


def _pg_restore(using: str, path: Path) -> None:
    # Our own connection would hold the tables' locks. (A lock_timeout cannot bound
    # the wait for other sessions: the archive's script sets lock_timeout = 0.)
    connections[using].close()
    env = _pg_env(using)
    args = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        # One transaction: a damaged archive or a held lock rolls everything back.
        "--single-transaction",
        "--exit-on-error",
        "--no-owner",
        "--no-privileges",
        f"--dbname={env['PGDATABASE']}",
        str(path),
    ]
    _run(args, env, "pg_restore")


# SQLite.


def _sqlite_connection(using: str) -> sqlite3.Connection:
    connection = connections[using]
    connection.ensure_connection()
    return connection.connection


def _sqlite_dump(using: str, target: Path) -> None:
    copy = sqlite3.connect(target)
    try:
        # One step (pages=-1) under one read lock: a consistent snapshot.
        _sqlite_connection(using).backup(copy, pages=-1)
    finally:
        copy.close()


def _sqlite_check(path: Path) -> None:
    try:
        backup = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = backup.execute("PRAGMA integrity_check").fetchone()[0]
            backup.execute("SELECT count(*) FROM django_migrations").fetchone()
        finally:
            backup.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"{path} is not a SQLite backup of this site ({error}); "
            "nothing was changed."
        ) from None
    if check != "ok":
        raise BackupError(f"{path} is damaged ({check}); nothing was changed.")


def _sqlite_restore(using: str, path: Path) -> None:
    backup = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # The copy replaces the whole database in one write transaction.
        backup.backup(_sqlite_connection(using), pages=-1)
    except sqlite3.Error as error:
        raise BackupError(
            f"The restore failed ({error}); nothing was changed. Stop the site and "
            "worker if the database is locked."
        ) from None
    finally:
        backup.close()
    connections[using].close()  # drop anything cached from the old schema
