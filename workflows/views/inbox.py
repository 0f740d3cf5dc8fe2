"""The inspector's visits (بازدیدهای من): today's first, then upcoming, then overdue.

A fixed number of queries whatever the data: the three lists are bounded, ordered by
the booked hour in the database, and their cases and appointments come in with them.
"""

import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.appointments.models import LIVE_STATUSES, Appointment

SECTION_LIMIT = 50


def visit_tasks(user):
    """The user's open visit tasks, each annotated with its booked hour (`visit_at`)."""
    booked = Appointment.objects.filter(
        case_id=OuterRef("process__caseprocess__case_id"), status__in=LIVE_STATUSES
    )
    return (
        Task.objects.filter(owner=user, status__in=[STATUS.ASSIGNED, STATUS.NEW],
                            flow_task_type="HUMAN")
        .filter(owner_permission="cases.inspect_case")
        .annotate(visit_at=Subquery(booked.values("slot__starts_at")[:1]),
                  appointment_id=Subquery(booked.values("pk")[:1]))
        .select_related("process__caseprocess__case__property__district")
    )


def day_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def _rows(tasks) -> list[dict]:
    tasks = list(tasks)
    appointments = Appointment.objects.in_bulk([t.appointment_id for t in tasks if t.appointment_id])
    return [
        {"task": t, "case": t.process.caseprocess.case, "visit_at": t.visit_at,
         "appointment": appointments.get(t.appointment_id), "url": t.reverse("execute")}
        for t in tasks
    ]


def visit_sections(user, now: datetime.datetime | None = None) -> dict[str, list[dict]]:
    start, end = day_bounds(now or timezone.now())
    tasks = visit_tasks(user)
    return {
        "today": _rows(tasks.filter(visit_at__gte=start, visit_at__lt=end).order_by("visit_at")),
        "upcoming": _rows(tasks.filter(visit_at__gte=end).order_by("visit_at")[:SECTION_LIMIT]),
        # Overdue: the hour has passed (or no live booking is left) and no result is in.
        "overdue": _rows(
            tasks.exclude(visit_at__gte=start).order_by("visit_at", "created")[:SECTION_LIMIT]
        ),
    }


@login_required
@permission_required("cases.inspect_case", raise_exception=True)
@require_GET
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
