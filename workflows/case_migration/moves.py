"""Moving one case, atomically, under its process's lock: the same lock every step's
completion takes, so a citizen pressing «گام بعدی», a bank callback or another migration
of the same case waits, and then finds the case where this move left it."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils import timezone
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.fields import get_flow_ref
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from cases.models import Case, CaseEvent
from cases.notifications import notify
from cases.persian import to_persian_digits as fa

from ..models import CaseMigration, CaseMove, CaseProcess
from .plan import NOT_ON_VERSION, Request, Verdict, _judge_chunk, verdicts

log = logging.getLogger(__name__)
BUSY = "پرونده هم‌اکنون در حال تغییر است؛ دوباره تلاش کنید."


def start(request: Request, by=None) -> CaseMigration:
    return CaseMigration.objects.create(
        flow_label=request.flow_label, from_version=request.source.version,
        to_version=request.target.version, mapping=request.mapping, by=by)


def run(migration: CaseMigration, request: Request,
        case_ids: list[int] | None = None) -> Iterator[Verdict]:
    """Move every movable case (each in its own transaction) and say what became of each:
    a refused case stays exactly as it was."""
    for verdict in verdicts(request, case_ids):
        yield move_case(migration, request, verdict.case_id) if verdict.movable else verdict


def move_case(migration: CaseMigration, request: Request, case_id: int) -> Verdict:
    process_id = CaseProcess.objects.filter(case_id=case_id).values_list("pk", flat=True).first()
    if process_id is None:
        return Verdict(case_id, 0,
                       refusal=NOT_ON_VERSION.format(version=fa(request.source.version)))
    try:
        with request.source.lock(process_id):
            return _move_locked(migration, request, case_id, process_id)
    except FlowLockFailed:
        return Verdict(case_id, process_id, refusal=BUSY)


def _move_locked(migration, request: Request, case_id: int, process_id: int) -> Verdict:
    stored = (Process.objects.filter(pk=process_id, status="NEW")
              .annotate(ref=Cast("flow_class", CharField())).values_list("ref", flat=True).first())
    if stored != get_flow_ref(request.source):
        return Verdict(case_id, process_id,
                       refusal=NOT_ON_VERSION.format(version=fa(request.source.version)))
    verdict = next(_judge_chunk(request, [(process_id, case_id)]))  # again, under the lock
    if not verdict.movable:
        return verdict
    left = Task.objects.select_related("owner").get(pk=verdict.task_id)
    left_status = left.status
    Task.objects.filter(pk=left.pk).update(status=STATUS.CANCELED, finished=timezone.now())
    Process.objects.filter(pk=process_id).update(flow_class=request.target)
    here = request.source.instance.node(verdict.from_node, no_obsolete=True)
    there = request.target.instance.node(verdict.to_node)
    got = open_task(request.target, there, CaseProcess.objects.get(pk=process_id), left,
                    keep_owner=here is not None and role(here) == role(there))
    CaseMove.objects.create(migration=migration, case_id=case_id, left_task=left, new_task=got,
                            left_status=left_status, from_node=verdict.from_node,
                            to_node=verdict.to_node)
    case = Case.objects.get(pk=case_id)
    audit(case, migration, verdict.from_node, verdict.to_node, "case_migrated")
    if citizen_action(here) != citizen_action(there):
        notify(case, "next_step_changed", step=there.task_title,
               idempotency_suffix=f"migration:{migration.pk}")
    log.info("case_migrated", extra={"case": case_id, "migration": migration.pk,
                                     "from_node": verdict.from_node, "to_node": verdict.to_node})
    return verdict


def open_task(flow_class, node, process, left: Task, keep_owner: bool) -> Task:
    """The target node's task, made as viewflow's View activation makes one (its
    permission and owner from the node), except that a person doing the same role keeps
    the case: an inspector who took the visit keeps it."""
    task = flow_class.task_class(process=process, flow_task=node, token=left.token or "start",
                                 data=left.data if left.flow_task.name == node.name else {})
    activation = node.activation_class(task)
    permission = node.calc_owner_permission(activation)
    if permission:
        task.owner_permission = permission
        task.owner_permission_obj = node.calc_owner_permission_obj(activation)
    owner = left.owner if keep_owner and left.owner_id else node.calc_owner(activation)
    if owner:
        task.owner, task.status = owner, STATUS.ASSIGNED
    if hasattr(node, "calc_scheduled"):
        task.scheduled = node.calc_scheduled(activation)
    task.save()
    task.previous.add(left)
    return task


def role(node) -> tuple:
    """Who does a step: the citizen (a wizard step) or holders of a permission."""
    return (getattr(node, "lane", ""), getattr(node, "_owner_permission", None))


def citizen_action(node) -> str:
    """What the citizen has to do next at `node`: its title on their own step, nothing
    (they wait) on staff's."""
    return node.task_title if node is not None and getattr(node, "lane", "") == "citizen" else ""


def audit(case: Case, migration: CaseMigration, from_node: str, to_node: str,
          name: str) -> None:
    if case.is_draft:
        return  # drafts keep no timeline, so the purge can delete them whole
    CaseEvent.objects.create(case=case, actor=migration.by, name=name, data={
        "migration": migration.pk, "flow": migration.flow_label,
        "from_version": migration.from_version, "to_version": migration.to_version,
        "from_node": from_node, "to_node": to_node})


