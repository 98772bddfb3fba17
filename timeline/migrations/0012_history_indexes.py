# The history table of published events, indexed as the missions' are
# (missions/migrations/0008_history_indexes.py): the newest changes first, and the
# change just before each one.

from django.db import migrations

TABLE = "timeline_historicalpolicyevent"


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0011_spanish_text"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS hist_policyevent_newest "
            f"ON {TABLE} (history_date DESC, history_id DESC)",
            "DROP INDEX IF EXISTS hist_policyevent_newest",
        ),
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS hist_policyevent_of_object "
            f"ON {TABLE} (id, history_date DESC, history_id DESC)",
            "DROP INDEX IF EXISTS hist_policyevent_of_object",
        ),
    ]
