"""The inspector's visits (بازدیدهای من): today's first, then upcoming, then overdue.

A fixed number of queries whatever the data: each list is a range of one index (the
inspector's open visits by booked hour, workflows migration 0006) cut at its first 50,
and only those rows are read in full with their cases.
"""

import datetime
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_safe
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.accounts.role_flags import role_flags
from cases.prepared import PreparedInstances, PreparedStatement
from workflows.wizard import task_url

SECTION_LIMIT = 50
SECTIONS = ("today", "upcoming", "overdue")


def visit_tasks(user):
    """The user's open visit tasks, each with its booked hour (`visit_at`): the task's
    `scheduled`, kept with the case's live appointment (PersonalStep.Schedule)."""
    return _visit_tasks(user.pk)


def _visit_tasks(user_pk: int):
    return (
        Task.objects.filter(owner_id=user_pk, status__in=[STATUS.ASSIGNED, STATUS.NEW],
                            flow_task_type="HUMAN")
        .filter(owner_permission="cases.inspect_case")
        .annotate(visit_at=F("scheduled"))
    )


def day_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + datetime.timedelta(days=1)


def _parts(user_pk: int, start, end) -> list[tuple[int, object]]:
    """(list, queryset) of each index range, in the order of its list: by booked hour (an
    inspector has one visit an hour; ties, from data made by hand, by when the visit was
    made), then the visits with no live booking by when they were made."""
    by_hour = _visit_tasks(user_pk).order_by("scheduled", "created")
    return [
        (0, by_hour.filter(scheduled__gte=start, scheduled__lt=end)),
        (1, by_hour.filter(scheduled__gte=end)),
        (2, by_hour.filter(scheduled__lt=start)),
        (2, _visit_tasks(user_pk).filter(scheduled__isnull=True).order_by("created")),
    ]


def _union(user_pk: int, start, end) -> tuple[str, list]:
    """One statement of the four index ranges, each cut at SECTION_LIMIT (as subqueries,
    so SQLite takes their ORDER BY and LIMIT too)."""
    selects, params = [], []
    for place, (section, part) in enumerate(_parts(user_pk, start, end)):
        sql, part_params = (part.values_list("id", "scheduled", "created")[:SECTION_LIMIT]
                            .query.sql_with_params())
        selects.append(f"SELECT *, {section} AS section, {place} AS part FROM ({sql}) AS p{place}")
        params += part_params
    return " UNION ALL ".join(selects), params


# Built and compiled once per process (cases/prepared.py): ~2 ms of CPU a visit otherwise.
_DAY_STAND_IN = datetime.datetime(1901, 1, 1, tzinfo=datetime.UTC)
_UNION = PreparedStatement(_union, -7_000_061, _DAY_STAND_IN,
                           _DAY_STAND_IN + datetime.timedelta(days=1))


def _cut(user, start, end) -> dict[str, list[int]]:
    """Task ids of each list, in the order shown."""
    # Read through the model, so both databases give datetimes back (SQLite keeps text).
    rows = list(Task.objects.raw(*_UNION.statement(user.pk, start, end)))
    # A union keeps no order: each part's own is put back here (200 rows at most).
    rows.sort(key=lambda t: (t.part, t.scheduled or t.created, t.created))
    lists: dict[str, list[int]] = {key: [] for key in SECTIONS}
    for task in rows:
        lists[SECTIONS[task.section]].append(task.pk)
    return {key: ids[:SECTION_LIMIT] for key, ids in lists.items()}


# The rows shown, read in full with their cases: a prepared read holds a fixed number of
# ids, so the list is made up to every id a page can show with one no task has.
_SHOWN = len(SECTIONS) * SECTION_LIMIT
_NO_TASK = -1
_IN_FULL = PreparedInstances(
    lambda user_pk, *ids: _visit_tasks(user_pk).filter(pk__in=ids).select_related(
        "process__caseprocess__case__property__district"),
    -7_000_062, *range(-7_100_000, -7_100_000 - _SHOWN, -1))


def visit_sections(user, now: datetime.datetime | None = None) -> dict[str, list[dict]]:
    start, end = day_bounds(now or timezone.now())
    sections = _cut(user, start, end)
    wanted = [pk for ids in sections.values() for pk in ids]
    tasks = {t.pk: t for t in _IN_FULL.objects(
        user.pk, *wanted, *[_NO_TASK] * (_SHOWN - len(wanted)))} if wanted else {}
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
        return task_url(task)
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
