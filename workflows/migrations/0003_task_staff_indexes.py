"""Indexes on viewflow's task table for the staff workspace (the table is viewflow's,
so they are created here by SQL): open tasks per node, oldest first, and the
summary's incremental read of finished tasks."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_task_inbox_index")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS viewflow_task_node_status_created "
            "ON viewflow_task (flow_task, status, created)",
            "DROP INDEX IF EXISTS viewflow_task_node_status_created",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS viewflow_task_status_created "
            "ON viewflow_task (status, created)",
            "DROP INDEX IF EXISTS viewflow_task_status_created",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS viewflow_task_finished "
            "ON viewflow_task (finished)",
            "DROP INDEX IF EXISTS viewflow_task_finished",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS viewflow_process_flow_class_status "
            "ON viewflow_process (flow_class, status)",
            "DROP INDEX IF EXISTS viewflow_process_flow_class_status",
        ),
    ]
