"""When each event was published and last changed, filled in from its history.

published_at: for a published event, the time of the history row where it last
became published (its first row if it was created published, or if the history
never shows the change); drafts stay empty. updated_at: the newest history row.
An event with no history at all gets the migration's time. History rows get the
state as of their own date, so a revert to one of them restores a true value.
"""

import django.utils.timezone
from django.db import migrations, models


def _walk(history_rows):
    """Per event id: (published since, created, last change), from its history."""
    state = {}
    for row in history_rows:
        since, created, _ = state.get(row.id, (None, row.history_date, None))
        if not row.is_published:
            since = None
        elif since is None:
            since = row.history_date
        row.published_at, row.updated_at = since, row.history_date
        state[row.id] = (since, created, row.history_date)
    return state


def backfill(apps, schema_editor):
    PolicyEvent = apps.get_model("timeline", "PolicyEvent")
    History = apps.get_model("timeline", "HistoricalPolicyEvent")
    now = django.utils.timezone.now()
    rows = list(
        History.objects.only("id", "is_published", "history_date").order_by(
            "id", "history_date", "history_id"
        )
    )
    state = _walk(rows)
    History.objects.bulk_update(rows, ["published_at", "updated_at"], batch_size=500)
    events = list(PolicyEvent.objects.only("id", "is_published"))
    for event in events:
        since, created, last = state.get(event.pk, (None, now, now))
        event.updated_at = last
        event.published_at = (since or created) if event.is_published else None
    PolicyEvent.objects.bulk_update(
        events, ["published_at", "updated_at"], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0008_effect_counts_checked_by_report_rule"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpolicyevent",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the event was last made public; empty while it is a draft.",
                null=True,
                verbose_name="published at",
            ),
        ),
        migrations.AddField(
            model_name="historicalpolicyevent",
            name="updated_at",
            field=models.DateTimeField(
                blank=True,
                default=django.utils.timezone.now,
                editable=False,
                verbose_name="last changed",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="policyevent",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the event was last made public; empty while it is a draft.",
                null=True,
                verbose_name="published at",
            ),
        ),
        migrations.AddField(
            model_name="policyevent",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="last changed"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
