"""A trigger that notifies the channel `statistics_state` whenever the state row
changes, for the web processes that keep a copy of it (dashboard/state_watch.py).
PostgreSQL only; SQLite has no notifications and the pages read the row every time."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION dashboard_statisticsstate_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('statistics_state', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER dashboard_statisticsstate_notify
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON dashboard_statisticsstate
FOR EACH STATEMENT EXECUTE FUNCTION dashboard_statisticsstate_notify();
"""
DROP = """
DROP TRIGGER IF EXISTS dashboard_statisticsstate_notify ON dashboard_statisticsstate;
DROP FUNCTION IF EXISTS dashboard_statisticsstate_notify();
"""


def _run(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0007_country_page_rows")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
