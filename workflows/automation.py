"""Automatic steps: a viewflow Handle is completed by our own Celery task.

viewflow sends no "task created" signal, so a post_save on the task enqueues the run
once the transaction that created it commits. Running a Handle twice is harmless: the
second run finds the task done under the process lock and stops.
"""

import logging

from celery import shared_task
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.flow import Handle
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

log = logging.getLogger(__name__)


@receiver(post_save, sender=Task, dispatch_uid="workflows.automation.enqueue_handles")
def _enqueue_handle(sender, instance: Task, created: bool, **kwargs) -> None:
    if created and isinstance(instance.flow_task, Handle) and instance.status == STATUS.NEW:
        task_id = instance.pk
        transaction.on_commit(lambda: run_handle.delay(task_id))


@shared_task(bind=True, max_retries=8, acks_late=True)
def run_handle(self, task_id: int) -> str:
    task = Task.objects.filter(pk=task_id).first()
    if task is None or task.status != STATUS.NEW:
        return "skipped"
    try:
        task.flow_task.run(task)
    except Exception as error:  # noqa: BLE001 — any failure leaves the task retryable
        task.refresh_from_db()
        if task.status == STATUS.DONE:
            return "done-elsewhere"
        log.exception("automatic step %s failed; will retry", task_id)
        raise self.retry(exc=error, countdown=min(2 ** self.request.retries * 5, 600)) from error
    return "done"
