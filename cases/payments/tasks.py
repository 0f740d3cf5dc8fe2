from celery import shared_task

from .reconciliation import reconcile


@shared_task(name="payments.reconcile")
def reconcile_payments() -> dict[str, int]:
    return reconcile()
