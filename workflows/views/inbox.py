"""The inspector's visits (بازدیدهای من): today's first, then upcoming, then overdue.

A fixed number of queries whatever the data: one narrow query ranks the inspector's open
visits by their booked hour inside each list and returns only the first of each (ids,
list and rank), and only those rows are read in full with their cases.
"""

import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_safe
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.accounts.role_flags import role_flags
from cases.appointments.models import LIVE_STATUSES, Appointment
from workflows.models import CaseProcess

SECTION_LIMIT = 50
SECTIONS = ("today", "upcoming", "overdue")


def visit_tasks(user):
    """The user's open visit tasks, each annotated with its booked hour (`visit_at`)."""
    # At most one live appointment per case (a unique index), so no ordering is needed.
    # The case's id from its process row by primary key: a path through the task's
    # process would join viewflow's process table as well, one more probe per visit.
    case_of_task = (CaseProcess.objects.filter(pk=OuterRef(OuterRef("process_id")))
                    .order_by().values("case_id"))
    booked = Appointment.objects.filter(
        case_id=Subquery(case_of_task), status__in=LIVE_STATUSES
    ).order_by()
    return (
        Task.objects.filter(owner=user, status__in=[STATUS.ASSIGNED, STATUS.NEW],
                            flow_task_type="HUMAN")
        .filter(owner_permission="cases.inspect_case")
        .annotate(visit_at=Subquery(booked.values("slot__starts_at")[:1]))
    )


def day_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def _cut(user, start, end) -> dict[str, list[int]]:
    """Task ids of each list, in the order shown."""
    # Cut and ranked in the database: sending every open visit of an inspector to Python
    # to sort there cost more than reading them (22,500 rows each in bench.city at 10 M).
    # SQL around the ORM's query, materialised, so the booked hour's subquery runs once per
    # task: inlined, PostgreSQL would run it again wherever the ranking refers to the hour.
    # Today and upcoming by hour; overdue by hour too, then those with no live booking by
    # when the visit was made; ties as the task list orders them (newest first).
    inner, params = (visit_tasks(user).order_by().values_list("id", "visit_at", "created")
                     .query.sql_with_params())
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    sql = f"""
        WITH visits AS {materialized} ({inner})
        SELECT id, section, place FROM (
            SELECT id, section, ROW_NUMBER() OVER (
                PARTITION BY section
                ORDER BY visit_at IS NULL, COALESCE(visit_at, created),
                         CASE WHEN section = 2 THEN created END, created DESC) AS place
            FROM (SELECT id, visit_at, created,
                         CASE WHEN visit_at >= %s AND visit_at < %s THEN 0
                              WHEN visit_at >= %s THEN 1 ELSE 2 END AS section
                  FROM visits) AS cut) AS ranked
        WHERE place <= %s"""
    with connection.cursor() as cursor:
        # Adapted as the ORM would (SQLite keeps UTC text).
        start, end = (connection.ops.adapt_datetimefield_value(at) for at in (start, end))
        cursor.execute(sql, [*params, start, end, end, SECTION_LIMIT])
        rows = cursor.fetchall()
    lists: dict[str, list[tuple[int, int]]] = {key: [] for key in SECTIONS}
    for pk, section, place in rows:
        lists[SECTIONS[section]].append((place, pk))
    return {key: [pk for _, pk in sorted(ids)] for key, ids in lists.items()}


def visit_sections(user, now: datetime.datetime | None = None) -> dict[str, list[dict]]:
    start, end = day_bounds(now or timezone.now())
    sections = _cut(user, start, end)
    wanted = [pk for ids in sections.values() for pk in ids]
    tasks = visit_tasks(user).filter(pk__in=wanted).select_related(
        "process__caseprocess__case__property__district").in_bulk()
    rows = {
        pk: {"task": t, "case": t.process.caseprocess.case, "visit_at": t.visit_at,
             "url": _execute_url(t)}
        for pk, t in tasks.items()
    }
    return {key: [rows[pk] for pk in ids if pk in rows] for key, ids in sections.items()}


def _execute_url(task) -> str:
    """The visit's page; "" for a task at a step the flow no longer has (a supervisor sees
    it among the incidents and moves or cancels the case)."""
    try:
        return task.reverse("execute")
    except NoReverseMatch:
        return ""


def _inspectors_only(view):
    """has_perm("cases.inspect_case")'s answer from the role the request holds (kept in the
    session), without Django's two permission queries; refused before the method is."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not role_flags(request.user).inspect:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@login_required
@_inspectors_only
@require_safe
def inspector_inbox(request):
    sections = visit_sections(request.user)
    return render(request, "staff/inbox.html", {
        "sections": [
            ("today", "بازدیدهای امروز", sections["today"]),
            ("upcoming", "بازدیدهای آینده", sections["upcoming"]),
            ("overdue", "بازدیدهای عقب‌افتاده", sections["overdue"]),
        ],
        "empty": not any(sections.values()),
    })
