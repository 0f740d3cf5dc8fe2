"""The inspectors' queue cut by district on the task table itself (staff/queries.queue_for).

A visit task now names its district as viewflow's permission object (the transfer flow's
`.Permission("cases.inspect_case", obj=visit_district)`): its content type is District and
its object key the district's number. This fills both for the visits open now (a finished
task is never queued again) and indexes the unassigned ones by node, district and age, so
an inspector's queue reads only its districts' tasks, oldest first, instead of joining
every unassigned visit to its case's property to find them (4,990 joins a page at
1,000,000 cases).
"""

from django.db import migrations
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

NAME = "viewflow_task_queue"
INSPECT = "cases.inspect_case"


def fill(apps, schema_editor) -> None:
    Task = apps.get_model("viewflow", "Task")
    CaseProcess = apps.get_model("workflows", "CaseProcess")
    ContentType = apps.get_model("contenttypes", "ContentType")
    district_type, _ = ContentType.objects.get_or_create(app_label="cases", model="district")
    district = (CaseProcess.objects.filter(pk=OuterRef("process_id"))
                .values(number=Cast("case__property__district_id", CharField()))[:1])
    Task.objects.filter(status__in=["NEW", "ASSIGNED"], owner_permission=INSPECT).update(
        owner_permission_content_type=district_type, owner_permission_obj_pk=Subquery(district))


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0006_visit_schedule"),
        ("cases", "0010_inspection_slot_no_time_only_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The index first: a CREATE INDEX cannot follow the fill's deferred foreign-key
        # checks in one transaction.
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON viewflow_task "
            "(flow_task, owner_permission_obj_pk, created, id) "
            "WHERE status = 'NEW' AND owner_id IS NULL",
            f"DROP INDEX IF EXISTS {NAME}"),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
