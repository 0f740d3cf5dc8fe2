"""Sending one outbox message: at most once, retried with backoff on provider errors."""

import logging

from celery import shared_task
from django.db import transaction

from .base import SmsSendError
from .models import MessageStatus, OutboxMessage
from .outbox import change_status
from .registry import get_backend

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5)
def send_outbox_message(self, message_id: int) -> str:
    """Send the message if it is still queued; returns its status afterwards."""
    error: SmsSendError | None = None
    with transaction.atomic():
        # The row lock makes a redelivered or duplicated task wait, then find the
        # message no longer queued: the provider is called once per message.
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != MessageStatus.QUEUED:
            return message.status if message else "missing"
        try:
            result = get_backend().send(message)
        except SmsSendError as exc:
            error = exc
            message.record_failed_attempt(str(exc) or exc.__class__.__name__)
            if message.attempts > self.max_retries:
                change_status(message, "mark_failed")
                logger.warning("SMS #%s failed for good: %s", message.pk, exc)
            else:
                message.save(update_fields=["attempts", "last_error"])
        else:
            change_status(message, "mark_sent", provider_id=result.provider_id)
    if error is not None and message.status == MessageStatus.QUEUED:
        # Outside the transaction, so the recorded attempt survives the retry.
        retry = self.retry(
            exc=error, countdown=2**message.attempts, throw=not self.request.is_eager
        )
        # Eager (dev, tests): Celery would hand the Retry to the caller as an error,
        # so try again in place; there is no worker to wait for the countdown.
        return retry.sig.apply().get()
    return message.status
