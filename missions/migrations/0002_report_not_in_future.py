"""On PostgreSQL the database itself refuses a staffing figure dated in the future.

SQLite forbids non-deterministic functions in CHECK constraints, so there the rule
lives in the model's clean() and the import command only.
"""

from django.db import migrations

CONSTRAINT = "report_as_of_not_in_future"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE missions_staffingreport ADD CONSTRAINT {CONSTRAINT} "
            "CHECK (as_of <= CURRENT_DATE) NOT VALID"
        )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE missions_staffingreport DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
        )


class Migration(migrations.Migration):
    dependencies = [("missions", "0001_initial")]
    operations = [migrations.RunPython(add_constraint, drop_constraint)]
