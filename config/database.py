"""PostgreSQL statement limits beyond the web's `DB_STATEMENT_TIMEOUT`.

Every connection starts with the settings' `statement_timeout` (30 s by default), so
that a runaway query cannot hold a gunicorn thread for minutes. Work that may
legitimately run longer lifts it for itself: migrations here (an index on a large
table), the statistics refresh in its own transaction (`SET LOCAL`).
"""

from __future__ import annotations

from django.db import connections


def migrations_without_statement_timeout(using: str = "default", **kwargs) -> None:
    """pre_migrate receiver: the migrating session runs without a statement limit."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
