"""The inspector's visits (بازدیدهای من): today's first, then upcoming, then overdue.

A fixed number of queries whatever the data: one narrow query reads the booked hour of
each of the inspector's open visits (ids and times only), the three bounded lists are cut
from it, and only their rows are read in full with their cases.
"""

import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_safe
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.accounts.role_flags import role_flags
from cases.appointments.models import LIVE_STATUSES, Appointment

SECTION_LIMIT = 50


def visit_tasks(user):
    """The user's open visit tasks, each annotated with its booked hour (`visit_at`)."""
    # At most one live appointment per case (a unique index), so no ordering is needed.
    booked = Appointment.objects.filter(
        case_id=OuterRef("process__caseprocess__case_id"), status__in=LIVE_STATUSES
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
    index = list(visit_tasks(user).values_list("pk", "visit_at", "created"))
    today = sorted((t for t in index if t[1] and start <= t[1] < end), key=lambda t: t[1])
    upcoming = sorted((t for t in index if t[1] and t[1] >= end), key=lambda t: t[1])
    # Overdue: the hour has passed (or no live booking is left) and no result is in.
    overdue = sorted((t for t in index if not t[1] or t[1] < start),
                     key=lambda t: (t[1] is None, t[1] or t[2], t[2]))
    return {"today": [t[0] for t in today[:SECTION_LIMIT]],
            "upcoming": [t[0] for t in upcoming[:SECTION_LIMIT]],
            "overdue": [t[0] for t in overdue[:SECTION_LIMIT]]}


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
