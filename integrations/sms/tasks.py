"""Celery tasks of the outbox: send one message; sweep the ones a worker lost."""

from celery import shared_task

from . import sending


@shared_task(bind=True, name="sms.send_outbox_message", acks_late=True, max_retries=None)
def send_outbox_message(self, message_id: int) -> str:
    """Send the message if it is still queued; returns its status afterwards.

    Redelivery is harmless: a message no longer queued is left alone. The number of
    tries is the outbox's (`SMS_MAX_ATTEMPTS`), not Celery's, so it survives a sweep.
    """
    outcome = sending.deliver(message_id)
    if self.request.is_eager:
        # In-process (dev, tests): no worker to wait for the countdown; try again now.
        while outcome.retry_in is not None:
            outcome = sending.deliver(message_id)
        return outcome.status
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="sms.sweep_outbox")
def sweep_outbox() -> int:
    return sending.sweep()
