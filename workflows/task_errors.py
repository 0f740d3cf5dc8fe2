"""Tasks viewflow left in ERROR: each gets an incident, and «تلاش دوباره» revives it.

An automatic node (If, Switch, Function, End) that raises while the context keeps errors
instead of propagating them (a Job, a Timer, an event, a caller under
`Context(propagate_exception=False)`) is saved in ERROR with `data["_exception"]`, and
viewflow sends `task_failed`. Nothing moves the case on from there until someone revives
the task, so a supervisor must see it among the incidents.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.dispatch import receiver
from viewflow.workflow.context import Context
from viewflow.workflow.models import Task
from viewflow.workflow.signals import task_failed
from viewflow.workflow.status import PROCESS, STATUS

from cases.incidents import services as incidents
from cases.incidents.models import ACTIVE, Incident, IncidentKind
from cases.models import CaseStatus

from .models import CaseTask
from .task_incidents import incident_subject, record_task_failure

log = logging.getLogger(__name__)
# Tasks the sweep reports per run: a backlog is worked through over a few runs.
SWEEP_BATCH = 100


def error_text(task: Task) -> str:
    """The kept error as "Type: message", like an automatic step's incident, when the
    traceback's last line has it; else viewflow's title (the message alone)."""
    failure = (task.data or {}).get("_exception") or {}
    title = str(failure.get("title", ""))
    lines = str(failure.get("traceback", "")).rstrip().splitlines()
    last = lines[-1] if lines else ""
    return last if title and last.endswith(title) else (title or last)


@receiver(task_failed, dispatch_uid="workflows.task_errors.open_incident")
def _open_incident(sender, task: Task, **kwargs) -> None:
    if task.status != STATUS.ERROR:
        return
    # In the transaction that saved the task in ERROR: both commit or neither. A failure
    # here must not turn the kept error into a raised one; the sweep opens it later.
    try:
        record_task_failure(IncidentKind.TASK_ERROR, task, error_text(task))
    except Exception:  # noqa: BLE001
        log.exception("could not open the incident of task %s in ERROR", task.pk)


def open_missing_incidents(limit: int = SWEEP_BATCH) -> int:
    """Open the incident of each task of a live case left in ERROR without an active one
    (left by an older release, set by hand, or its incident lost). One query finds them."""
    reported = Incident.objects.filter(
        status__in=ACTIVE,
        subject=Concat(Value("task:"), Cast(OuterRef("pk"), CharField()),
                       output_field=CharField()))
    unreported = (CaseTask.objects.filter(status=STATUS.ERROR, process__status=PROCESS.NEW)
                  .exclude(process__caseprocess__case__status=CaseStatus.CANCELLED)
                  .exclude(Exists(reported))
                  .order_by("pk")[:limit])
    opened = 0
    for task in unreported:
        try:
            record_task_failure(IncidentKind.TASK_ERROR, task, error_text(task))
            opened += 1
        except Exception:  # noqa: BLE001 — one bad row never stops the others
            log.exception("could not open the incident of task %s in ERROR", task.pk)
    if opened:
        log.warning("opened %s incidents of tasks left in ERROR", opened)
    return opened


def retry_task_error(task_id: int) -> None:
    """«تلاش دوباره» on a task in ERROR (registered in apps.py)."""
    revive_task.delay(task_id)


@shared_task(name="workflows.revive_task", acks_late=True)
def revive_task(task_id: int) -> str:
    """Revive the task in ERROR under its process lock: viewflow marks it REVIVED and runs
    its node again in a new task. Safe to run twice: the second finds it REVIVED."""
    subject = incident_subject(task_id)
    task = CaseTask.objects.filter(pk=task_id).first()
    if task is None:
        incidents.resolve(subject)
        return "missing"
    try:
        # The lock is the transaction: a failing node rolls back the whole revival.
        with task.flow_task.flow_class.lock(task.process_id):
            task = CaseTask.objects.get(pk=task_id)
            outcome = "revived-elsewhere"
            if task.status == STATUS.ERROR:
                # Raise, never keep: a node failing again must leave no second ERROR task.
                with Context(propagate_exception=True):
                    task.flow_task.activation_class(task).revive()
                outcome = "revived"
            incidents.resolve(subject)
    except Exception as error:  # noqa: BLE001 — the supervisor sees it open again
        log.exception("reviving task %s failed", task_id)
        record_task_failure(IncidentKind.TASK_ERROR, task, f"{type(error).__name__}: {error}")
        return "failed"
    return outcome
