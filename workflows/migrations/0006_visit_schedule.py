"""An inspector's visits ordered and cut by an index (workflows/views/inbox.py).

Each open visit task carries its booked hour in viewflow's `scheduled` column (set when
the task is made, moved by appointments.reschedule); this fills it for the visits open
now and indexes the open visits by owner and hour, so each of «بازدیدهای من»'s lists is an
index range cut at 50 instead of ranking all of an inspector's visits (22,500 each at
10,000,000 cases in bench.city).
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

NAME = "viewflow_task_visits"
VISITS = ("status IN ('NEW', 'ASSIGNED') AND owner_permission = 'cases.inspect_case' "
          "AND flow_task_type = 'HUMAN'")


def fill(apps, schema_editor) -> None:
    Task = apps.get_model("viewflow", "Task")
    CaseProcess = apps.get_model("workflows", "CaseProcess")
    Appointment = apps.get_model("appointments", "Appointment")
    case_of_task = CaseProcess.objects.filter(pk=OuterRef(OuterRef("process_id"))).values("case_id")
    hour = (Appointment.objects.filter(case_id=Subquery(case_of_task),
                                       status__in=["held", "booked"])
            .order_by().values("slot__starts_at")[:1])
    Task.objects.filter(status__in=["NEW", "ASSIGNED"], owner_permission="cases.inspect_case",
                        flow_task_type="HUMAN").update(scheduled=Subquery(hour))


def create(apps, schema_editor) -> None:
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {NAME} ON viewflow_task (owner_id, scheduled, created) "
        f"WHERE {VISITS}")


def drop(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0005_case_migrations"),
        ("appointments", "0001_initial"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create, drop),
    ]
