# Indexes on the history tables django-simple-history generates, which take no
# Meta.indexes of ours: /changes/ reads the newest changes (`history_date DESC,
# history_id DESC`: ties on a date no longer read every row of that date) and the
# change just before each one (`id` first: one step down the object's history).
# Plain SQL both SQLite and PostgreSQL accept; the model state is unchanged.

from django.db import migrations

TABLES = ["missions_historicalstaffingreport", "missions_historicalmission"]


def _index_sql(table: str) -> list[tuple[str, str]]:
    short = table.removeprefix("missions_historical")
    return [
        (
            f"CREATE INDEX IF NOT EXISTS hist_{short}_newest "
            f"ON {table} (history_date DESC, history_id DESC)",
            f"DROP INDEX IF EXISTS hist_{short}_newest",
        ),
        (
            f"CREATE INDEX IF NOT EXISTS hist_{short}_of_object "
            f"ON {table} (id, history_date DESC, history_id DESC)",
            f"DROP INDEX IF EXISTS hist_{short}_of_object",
        ),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0007_story_indexes"),
    ]

    operations = [
        migrations.RunSQL(sql, reverse_sql)
        for table in TABLES
        for sql, reverse_sql in _index_sql(table)
    ]
