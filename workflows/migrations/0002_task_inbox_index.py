"""An index on viewflow's task table for inboxes: owner's open tasks, newest first.

viewflow ships none; the spike measured the inbox as one index scan at 465k tasks
with it. The table is viewflow's, so the index is created here by SQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS viewflow_task_owner_status_created "
            "ON viewflow_task (owner_id, status, created)",
            "DROP INDEX IF EXISTS viewflow_task_owner_status_created",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS viewflow_task_process_status "
            "ON viewflow_task (process_id, status)",
            "DROP INDEX IF EXISTS viewflow_task_process_status",
        ),
    ]
