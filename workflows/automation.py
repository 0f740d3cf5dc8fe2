"""Automatic steps: a viewflow Handle is completed by our own Celery task.

viewflow sends no "task created" signal, so a post_save on the task enqueues the run
once the transaction that created it commits. Running a Handle twice is harmless: the
second run finds the task done under the process lock and stops.
"""

import datetime
import logging

from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from viewflow.workflow.flow import Handle
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from cases.incidents import services as incidents
from cases.incidents.models import IncidentKind

from . import task_errors
from .models import CaseTask
from .task_incidents import incident_subject, record_task_failure

log = logging.getLogger(__name__)


# The flows create tasks through their task_class, the CaseTask proxy, and Django names a
# proxy as the sender of its saves: listen to both.
@receiver(post_save, sender=Task, dispatch_uid="workflows.automation.enqueue_handles")
@receiver(post_save, sender=CaseTask, dispatch_uid="workflows.automation.enqueue_case_handles")
def _enqueue_handle(sender, instance: Task, created: bool, **kwargs) -> None:
    if created and isinstance(instance.flow_task, Handle) and instance.status == STATUS.NEW:
        task_id = instance.pk
        # robust: the citizen's request has committed; a failing step is logged and
        # retried (by Celery, and by the sweep below), never turned into their error page.
        transaction.on_commit(lambda: run_handle.delay(task_id), robust=True)


@shared_task(bind=True, max_retries=8, acks_late=True)
def run_handle(self, task_id: int, after_incident: bool = False) -> str:
    """`after_incident`: a supervisor's «تلاش دوباره»; its success closes the incident."""
    # With its process, case and citizen (CaseTask's manager): the step reads them all.
    task = CaseTask.objects.filter(pk=task_id).first()
    if task is None or task.status != STATUS.NEW:
        return "skipped"
    try:
        task.flow_task.run(task)
    except Exception as error:  # noqa: BLE001 — any failure leaves the task retryable
        task.refresh_from_db()
        if task.status == STATUS.DONE:
            return "done-elsewhere"
        log.exception("automatic step %s failed; will retry", task_id)
        record_task_failure(IncidentKind.AUTOMATIC_STEP, task, f"{type(error).__name__}: {error}")
        if after_incident:
            return "failed"  # the supervisor sees it open again; no automatic retries
        raise self.retry(exc=error, countdown=min(2 ** self.request.retries * 5, 600)) from error
    if after_incident or self.request.retries:
        incidents.resolve(incident_subject(task_id))
    return "done"


def retry_automatic_step(task_id: int) -> None:
    """«تلاش دوباره» on an automatic step: run it once more (a done step is skipped)."""
    run_handle.delay(task_id, after_incident=True)


@shared_task(name="workflows.sweep_automatic_steps")
def sweep_automatic_steps(older_than_seconds: int = 120) -> int:
    """Re-queue automatic steps still waiting: a lost message or a failed in-process run.
    Then opens the missing incidents of tasks left in ERROR (see task_errors)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than_seconds)
    waiting = Task.objects.filter(status=STATUS.NEW, flow_task_type="FUNCTION", created__lt=cutoff)
    count = 0
    for task in waiting.iterator():
        if isinstance(task.flow_task, Handle):
            run_handle.delay(task.pk)
            count += 1
    task_errors.open_missing_incidents()
    return count
