"""Open tasks at a step no loaded flow has: an incident with its case, never a broken page.

A task names its node by reference (`flows/transfer_flow.TransferFlow.fees`). When a
release removes or renames a node while cases wait at it, viewflow stands an Obsolete node
in for it, which can be shown but not worked. Nothing would tell a supervisor: the case
just stops. This periodic look lists such tasks as incidents (no «تلاش دوباره»: the step
cannot run again; the case is moved to a step that exists, or cancelled) and closes the
incident once the task is no longer open.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db.models import CharField
from django.db.models.functions import Cast
from viewflow.workflow.fields import get_flow_ref, get_task_ref
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.incidents import services as incidents
from cases.incidents.models import ACTIVE, Incident, IncidentKind
from cases.models import Case
from workflows import flow_versions

log = logging.getLogger(__name__)
OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
# Tasks reported per run: a backlog is worked through over a few runs.
BATCH = 100
SUBJECT = "task:{}"


def known_steps() -> dict[str, str]:
    """Every node reference of the loaded flows (every version) → its flow's label."""
    return {get_task_ref(node): str(flow.service)
            for flow in flow_versions.all_flows() for node in flow.instance.nodes()}


def _flow_label(ref: str) -> str:
    """The label of the flow a reference names, if that flow is loaded ("" if not)."""
    flow_part = ref.rsplit(".", 1)[0]
    return next((str(flow.service) for flow in flow_versions.all_flows()
                 if get_flow_ref(flow) == flow_part), "")


def vanished_open_tasks(limit: int = BATCH) -> list[tuple[int, str, int | None]]:
    """(task id, stored reference, case id) of open tasks at a step no loaded flow has.

    Read as text: the field would turn the reference back into a node (an Obsolete
    stand-in, or an ImportError when the whole module is gone)."""
    return list(Task.objects.filter(status__in=OPEN)
                .exclude(flow_task__in=list(known_steps()))
                .annotate(stored=Cast("flow_task", CharField()))
                .order_by("pk")
                .values_list("pk", "stored", "process__caseprocess__case_id")[:limit])


@shared_task(name="flows.report_vanished_steps")
def report_vanished_steps() -> int:
    """Open an incident for each open task at a vanished step; close the ones whose task
    has moved on (or whose case ended). Returns how many tasks are at a vanished step."""
    found = vanished_open_tasks()
    cases = Case.objects.in_bulk([case_id for *_, case_id in found if case_id])
    for task_id, ref, case_id in found:
        node = ref.rsplit(".", 1)[-1]
        incidents.record_failure(
            IncidentKind.VANISHED_STEP, SUBJECT.format(task_id), case=cases.get(case_id),
            flow_label=_flow_label(ref), node_name=node[:60],
            error=f"گام «{node}» در فرایندهای کنونی نیست؛ پرونده را به گامی موجود منتقل یا ابطال کنید.")
    _close_moved_on({task_id for task_id, *_ in found})
    return len(found)


def _close_moved_on(still_vanished: set[int]) -> None:
    """Resolve the incidents whose task is no longer open at a vanished step. (Only
    tasks beyond this run's batch stay open unchecked: they are in a later batch.)"""
    if len(still_vanished) >= BATCH:
        return
    active = Incident.objects.filter(kind=IncidentKind.VANISHED_STEP, status__in=ACTIVE)
    for incident in active.only("pk", "subject"):
        task_id = int(incident.subject.rsplit(":", 1)[1])
        if task_id not in still_vanished:
            incidents.resolve(incident.subject)
            log.info("vanished_step_resolved", extra={"task": task_id})
