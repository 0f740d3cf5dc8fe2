"""A covering index of the open tasks (a tenth of viewflow's task table) for the
supervisor's dashboard: waiting per node, SLA breaches and load per inspector become
index-only scans (no heap reads) of ~100,000 entries instead of bitmap heap scans of the
million-row table. Partial, so finished tasks — the bulk of the table — never enter it."""

from django.db import migrations

NAME = "viewflow_task_open_cover"
OPEN = "status IN ('NEW', 'ASSIGNED', 'STARTED', 'ERROR')"


def create(apps, schema_editor) -> None:
    # INCLUDE is PostgreSQL's; SQLite indexes carry the rowid anyway.
    include = " INCLUDE (id)" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON viewflow_task (flow_task, owner_id, created)"
        f"{include} WHERE {OPEN}"
    )


def drop(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("staff", "0003_district_load"),
        ("workflows", "0003_task_staff_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
