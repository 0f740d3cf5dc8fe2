"""Undoing a migration: each moved case goes back to the task it left, reopened, while
nothing has happened on it since the move; the others are listed with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseEvent
from cases.models.timeline import EVENT_TITLES
from cases.notifications import notify
from cases.persian import to_persian_digits as fa

from .. import flow_versions
from ..models import CaseMigration, CaseMove
from .moves import BUSY, audit, citizen_action

STILL_OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
UNDONE_ALREADY = "این انتقال پیش‌تر بازگردانده شده است."
STEP_DONE = "پرونده پس از انتقال گام «{step}» را پشت سر گذاشته است."
SOMETHING_HAPPENED = "پس از انتقال، رویداد «{event}» روی پرونده ثبت شده است."
GONE = "نسخه {version} دیگر بارگذاری نمی‌شود."


@dataclass
class Undo:
    case_id: int
    refusal: str = ""

    @property
    def undone(self) -> bool:
        return not self.refusal


def why_not(move: CaseMove) -> str:
    """Why the move can no longer be undone ("" when it can)."""
    if move.undone_by_id:
        return UNDONE_ALREADY
    got = Task.objects.filter(pk=move.new_task_id).values("status", "process_id").get()
    if got["status"] not in STILL_OPEN or Task.objects.filter(
            process_id=got["process_id"], pk__gt=move.new_task_id).exists():
        return STEP_DONE.format(step=_title(move))
    since = (CaseEvent.objects.filter(case_id=move.case_id, pk__gt=_move_event(move))
             .exclude(name__startswith="sms_").exclude(name="case_migrated")
             .values_list("name", flat=True).first())
    if since:
        return SOMETHING_HAPPENED.format(event=EVENT_TITLES.get(since, since))
    return ""


def _title(move: CaseMove) -> str:
    migration = move.migration
    try:
        flow_class = flow_versions.flow(migration.flow_label, migration.to_version)
    except (KeyError, flow_versions.VersionError):
        return move.to_node
    node = flow_class.instance.node(move.to_node, no_obsolete=True)
    return node.task_title if node is not None else move.to_node


def _move_event(move: CaseMove) -> int:
    """The timeline's mark of the move (a draft has none: then nothing can have happened
    on its timeline either)."""
    return (CaseEvent.objects.filter(case_id=move.case_id, name="case_migrated",
                                     data__migration=move.migration_id)
            .values_list("pk", flat=True).last() or 0)


def undo(migration: CaseMigration, by=None) -> tuple[CaseMigration, Iterator[Undo]]:
    """The undoing migration (its record), and what becomes of each case as it runs."""
    try:
        source = flow_versions.flow(migration.flow_label, migration.from_version)
        target = flow_versions.flow(migration.flow_label, migration.to_version)
    except (KeyError, flow_versions.VersionError):
        raise ValueError(GONE.format(version=fa(migration.from_version))) from None
    record = CaseMigration.objects.create(
        flow_label=migration.flow_label, from_version=migration.to_version,
        to_version=migration.from_version, undoes=migration, by=by,
        mapping={new: old for old, new in migration.mapping.items()})

    def each() -> Iterator[Undo]:
        for move in migration.moves.filter(undone_by__isnull=True).order_by("pk"):
            yield _undo_one(move, record, source, target)

    return record, each()


def _undo_one(move: CaseMove, record: CaseMigration, source, target) -> Undo:
    process_id = Task.objects.filter(pk=move.new_task_id).values_list("process_id", flat=True).get()
    try:
        with target.lock(process_id):
            move = CaseMove.objects.get(pk=move.pk)  # as it is now, under the lock
            refusal = why_not(move)
            if refusal:
                return Undo(move.case_id, refusal)
            Task.objects.filter(pk=move.new_task_id).update(status=STATUS.CANCELED,
                                                            finished=timezone.now())
            Task.objects.filter(pk=move.left_task_id).update(status=move.left_status, finished=None)
            Process.objects.filter(pk=process_id).update(flow_class=source)
            CaseMove.objects.filter(pk=move.pk).update(undone_by=record)
            case = Case.objects.get(pk=move.case_id)
            audit(case, record, move.to_node, move.from_node, "case_migration_undone")
            back = source.instance.node(move.from_node, no_obsolete=True)
            moved_to = target.instance.node(move.to_node, no_obsolete=True)
            if citizen_action(moved_to) != citizen_action(back):
                notify(case, "next_step_changed", step=back.task_title if back else move.from_node,
                       idempotency_suffix=f"migration:{record.pk}")
    except FlowLockFailed:
        return Undo(move.case_id, BUSY)
    return Undo(move.case_id)


def not_undoable(migration: CaseMigration) -> list[tuple[int, str]]:
    """(case id, why) for each of the migration's moves that can no longer be undone."""
    rows = []
    for move in (migration.moves.filter(undone_by__isnull=True).select_related("migration")
                 .order_by("pk")):
        reason = why_not(move)
        if reason:
            rows.append((move.case_id, reason))
    return rows
