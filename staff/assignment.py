"""Taking, dropping and reassigning human tasks, through viewflow's activations.

Every change runs under the flow's process lock and lands on the case timeline with
who did it and why, so a supervisor's move is never silent.
"""

from __future__ import annotations

from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.appointments import services as appointments
from cases.models import CaseEvent

from . import choices
from .access import INSPECT, is_inspector, is_supervisor


class AssignmentRefused(Exception):
    """The change is not allowed now; the message is for the person who asked."""


def _case_id(task: Task) -> int:
    return task.process.caseprocess.case_id


def _hand_over_visit(task: Task, to_user, by) -> None:
    """A visit task's booked hour goes with it to its new owner."""
    if task.owner_permission != INSPECT:
        return
    try:
        appointments.hand_over(task.process.caseprocess.case, to_user, by=by)
    except appointments.SlotUnavailable as busy:
        raise AssignmentRefused(busy.message) from busy


def _covers_district(user, task: Task) -> bool:
    property_ = task.process.caseprocess.case.property
    if property_ is None or not hasattr(user, "inspector_profile"):
        return False
    return user.inspector_profile.districts.filter(pk=property_.district_id).exists()


def claim(task: Task, user) -> None:
    """An inspector takes an unassigned task of their group and district."""
    with transaction.atomic(), task.activation() as activation:
        if task.status != STATUS.NEW or task.owner_id:
            raise AssignmentRefused("این کار را همکار دیگری برداشته است.")
        if not (activation.assign.has_perm(user) and is_inspector(user)
                and _covers_district(user, task)):
            raise AssignmentRefused("این کار در گروه یا منطقه شما نیست.")
        _hand_over_visit(task, user, by=user)
        activation.assign(user)
        CaseEvent.objects.create(case_id=_case_id(task), actor=user, name="task_claimed",
                                 data={"task_id": task.pk, "node": task.flow_task.name})


def unassign(task: Task, user) -> None:
    """The owner puts their task back in the queue."""
    with transaction.atomic(), task.activation() as activation:
        if task.status != STATUS.ASSIGNED or task.owner_id != user.pk:
            raise AssignmentRefused("این کار به شما سپرده نشده است.")
        activation.unassign()
        CaseEvent.objects.create(case_id=_case_id(task), actor=user, name="task_unassigned",
                                 data={"task_id": task.pk, "node": task.flow_task.name})


def reassign(tasks: list[Task], to_user, reason: str, by) -> int:
    """A supervisor hands open tasks to another staff member; returns how many moved."""
    if not is_supervisor(by):
        raise AssignmentRefused("فقط سرپرست می‌تواند کار را ارجاع دهد.")
    reason = (reason or "").strip()
    if not reason:
        raise AssignmentRefused("دلیل ارجاع را بنویسید.")
    moved = 0
    # All or nothing: a refusal part-way (a busy hour, a missing permission) moves none.
    with transaction.atomic():
        for task in tasks:
            with task.activation() as activation:
                if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
                    continue
                if task.owner_permission and not to_user.has_perm(task.owner_permission):
                    raise AssignmentRefused(
                        f"{to_user.get_full_name() or to_user.username} مجوز این کار را ندارد."
                    )
                previous = task.owner_id
                _hand_over_visit(task, to_user, by=by)
                if task.status == STATUS.NEW:
                    activation.assign(to_user)
                else:
                    activation.reassign(user=to_user)
                CaseEvent.objects.create(
                    case_id=_case_id(task), actor=by, name="task_reassigned",
                    data={"task_id": task.pk, "node": task.flow_task.name, "reason": reason,
                          "from_user_id": previous, "to_user_id": to_user.pk},
                )
                moved += 1
    return moved


def staff_choices():
    """Who may receive a task: active members of the inspector or supervisor groups."""
    return choices.assignees()
