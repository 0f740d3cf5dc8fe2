"""A draft's last activity, so the draft purge counts from the citizen's last step.

Expand-only and safe beside the old code: the column has a database default (NOW()),
so rows the old release inserts get one too, and PostgreSQL adds it without rewriting
the table; the partial index is built concurrently there (writes go on meanwhile).
"""

import django.db.models.functions.datetime
import django.utils.timezone
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.migrations.operations import AddIndex


class AddIndexConcurrentlyOnPostgres(AddIndexConcurrently):
    """CONCURRENTLY where PostgreSQL runs; a plain index on the embedded SQLite."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            return super().database_backwards(app_label, schema_editor, from_state, to_state)
        return AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


def drafts_active_since_created(apps, schema_editor):
    # Drafts are few (they are purged), so one statement; registered cases never read it.
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(status="draft").update(last_activity_at=models.F("created_at"))


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0005_staff_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="last_activity_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                default=django.utils.timezone.now,
                verbose_name="آخرین فعالیت",
            ),
        ),
        migrations.RunPython(drafts_active_since_created, migrations.RunPython.noop),
        AddIndexConcurrentlyOnPostgres(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status", "draft")),
                fields=["last_activity_at"],
                name="case_draft_activity",
            ),
        ),
    ]
